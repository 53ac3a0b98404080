from .confirmation import Submission, SubmissionItem
from .publicity import Comment, GradeChange, PublicityBatch, PublicityItem, hash_tracking_code
from .published import Certificate, CertificateJob, Publication, Rating
from .rerating import Rerating

__all__ = [
    "Certificate",
    "CertificateJob",
    "Comment",
    "GradeChange",
    "Publication",
    "PublicityBatch",
    "PublicityItem",
    "Rating",
    "Rerating",
    "Submission",
    "SubmissionItem",
    "hash_tracking_code",
]
