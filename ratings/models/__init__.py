from .confirmation import Submission, SubmissionItem
from .listing import DisplayPeriod, Listing, RepairRequest, Severity
from .objections import AdverseNotice, Objection
from .publicity import Comment, GradeChange, PublicityBatch, PublicityItem, hash_tracking_code
from .published import Certificate, CertificateJob, Publication, Rating, replaced_by_rerating
from .replies import RatingReply
from .rerating import Rerating

__all__ = [
    "replaced_by_rerating",
    "AdverseNotice",
    "Certificate",
    "CertificateJob",
    "Comment",
    "DisplayPeriod",
    "GradeChange",
    "Listing",
    "Objection",
    "Publication",
    "PublicityBatch",
    "PublicityItem",
    "Rating",
    "Rerating",
    "RatingReply",
    "RepairRequest",
    "Severity",
    "Submission",
    "SubmissionItem",
    "hash_tracking_code",
]
