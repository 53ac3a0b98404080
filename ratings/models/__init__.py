from .confirmation import Submission, SubmissionItem
from .listing import DisplayPeriod, Listing, RepairRequest, Severity
from .publicity import Comment, GradeChange, PublicityBatch, PublicityItem, hash_tracking_code
from .published import Certificate, CertificateJob, Publication, Rating
from .replies import RatingReply
from .rerating import Rerating

__all__ = [
    "Certificate",
    "CertificateJob",
    "Comment",
    "DisplayPeriod",
    "GradeChange",
    "Listing",
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
