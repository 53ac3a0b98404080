from .applications import Application, ApplicationTransition, Evidence, Kind, SelfScore, Status
from .cycles import Cycle, DeadlineReminder, MonthlyCheck, Pledge, WorkPlan
from .evaluation import Assignment, ConflictOfInterest, Expert, ExpertScore, VetoFinding
from .service_ratings import ServiceRating, TransactionKind
from .standards import ScoringStandard, StandardCategory, StandardItem, VetoItem

__all__ = [
    "Application",
    "ApplicationTransition",
    "Assignment",
    "ConflictOfInterest",
    "Cycle",
    "DeadlineReminder",
    "Evidence",
    "Expert",
    "ExpertScore",
    "Kind",
    "MonthlyCheck",
    "Pledge",
    "ScoringStandard",
    "ServiceRating",
    "SelfScore",
    "StandardCategory",
    "StandardItem",
    "Status",
    "TransactionKind",
    "VetoFinding",
    "VetoItem",
    "WorkPlan",
]
