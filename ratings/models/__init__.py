from .confirmation import Submission, SubmissionItem
from .publicity import Comment, GradeChange, PublicityBatch, PublicityItem, hash_tracking_code
from .published import Certificate, CertificateJob, Publication, Rating
from .replies import RatingReply
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
    "RatingReply",
    "Submission",
    "SubmissionItem",
    "hash_tracking_code",
]
