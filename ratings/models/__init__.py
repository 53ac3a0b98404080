from .confirmation import Submission, SubmissionItem
from .publicity import Comment, GradeChange, PublicityBatch, PublicityItem, hash_tracking_code
from .published import Certificate, CertificateJob, Publication, Rating

__all__ = [
    "Certificate",
    "CertificateJob",
    "Comment",
    "GradeChange",
    "Publication",
    "PublicityBatch",
    "PublicityItem",
    "Rating",
    "Submission",
    "SubmissionItem",
    "hash_tracking_code",
]
