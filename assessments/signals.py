"""What assessments tells later stages, synchronously, inside the transaction of the change.

``application_graded`` (``application``, ``actor``): the grade review set a proposed grade.
ratings connects its due-process receiver (the notice before an adverse result) to it, so
assessments never imports ratings.
"""

from django.dispatch import Signal

application_graded = Signal()
