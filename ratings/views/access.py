"""Who may use each view of the ratings stage: one table, applied by ``@allowed`` on each view.

Roles only here; which object a user reaches (whose application, which unit) is decided by the
selectors' ``get_*_for`` helpers. A view without an entry fails at import, and
portal.access's middleware refuses any view that declares nothing. tests/access/ states who may
open each URL on its own; the access-matrix test walks the URLs and never reads this table.
"""

from portal.access import PUBLIC, policy
from portal.models import Role

allowed = policy(
    {
        # views/confirmation.py
        "confirmation.submission_list": (Role.BUREAU, Role.GOVERNMENT),
        "confirmation.submission_detail": (Role.BUREAU, Role.GOVERNMENT),
        "confirmation.submission_decide": (Role.GOVERNMENT,),
        "confirmation.application_review": (Role.BUREAU, Role.GOVERNMENT),
        "confirmation.regrade": (Role.BUREAU,),
        # views/public.py
        "public.publicity_list": PUBLIC,
        "public.comment": PUBLIC,
        "public.comment_received": PUBLIC,
        "public.track": PUBLIC,
        "public.results": PUBLIC,
        "public.bulletin": PUBLIC,
        "public.verify_form": PUBLIC,
        "public.verify": PUBLIC,
        "public.verify_upload": PUBLIC,
        "public.verify_pdf": PUBLIC,
        "public.seal_certificate": PUBLIC,
        # views/publication.py
        "publication.publication_list": (Role.BUREAU,),
        "publication.publication_detail": (Role.BUREAU,),
        "publication.publication_publish": (Role.BUREAU,),
        "publication.certificates_start": (Role.BUREAU,),
        "publication.job_progress": (Role.BUREAU,),
        "publication.bulletin_pdf": (Role.BUREAU,),
        "publication.rating_detail": (Role.BUREAU, Role.ENTERPRISE),
        "publication.rating_revoke": (Role.BUREAU,),
        "publication.certificate_pdf": (Role.BUREAU, Role.ENTERPRISE),
        # views/publicity.py
        "publicity.batch_list": (Role.BUREAU,),
        "publicity.batch_create": (Role.BUREAU,),
        "publicity.batch_detail": (Role.BUREAU,),
        "publicity.batch_submit": (Role.BUREAU,),
        "publicity.my_items": (Role.ENTERPRISE,),
        "publicity.item_detail": (Role.BUREAU, Role.ENTERPRISE),
        "publicity.comment_answer": (Role.BUREAU,),
        "publicity.item_grade": (Role.BUREAU,),
        "publicity.comment_reply": (Role.ENTERPRISE,),
        "publicity.item_object": (Role.ENTERPRISE,),
        "publicity.objection_evidence": (Role.BUREAU, Role.ENTERPRISE),
        # views/rerating.py
        "rerating.rerating_request": (Role.ENTERPRISE,),
        "rerating.rerating_list": (Role.BUREAU,),
        "rerating.rerating_detail": (Role.BUREAU, Role.ENTERPRISE),
        "rerating.rerating_decide": (Role.BUREAU,),
        "rerating.rerating_publicity": (Role.BUREAU,),
        "rerating.rerating_publish": (Role.BUREAU,),
        # views/repair.py
        "repair.repair_mine": (Role.ENTERPRISE,),
        "repair.repair_apply": (Role.ENTERPRISE,),
        "repair.repair_list": (Role.BUREAU,),
        "repair.repair_detail": (Role.BUREAU,),
        "repair.repair_decide": (Role.BUREAU,),
        "repair.repair_evidence": (Role.BUREAU, Role.ENTERPRISE),
        "repair.display_periods": (Role.BUREAU,),
        "repair.display_period_edit": (Role.BUREAU,),
        # views/replies.py
        "replies.reply_submit": (Role.ENTERPRISE,),
        "replies.reply_withdraw": (Role.ENTERPRISE,),
        "replies.reply_list": (Role.BUREAU,),
        "replies.reply_decide": (Role.BUREAU,),
    }
)
