from .channels import ApiQuery, ApiToken, DepartmentLink
from .notices import DeliveryAttempt, MeasureTaken, Notice, WebhookDelivery
from .policy import Category, PolicyRule, PolicyVersion, Result
from .supervision import (
    CreditRepair,
    Hazard,
    HazardReminder,
    Inspection,
    RectificationOrder,
    Tier,
    TierRecord,
)

__all__ = [
    "ApiQuery",
    "ApiToken",
    "Category",
    "CreditRepair",
    "DeliveryAttempt",
    "DepartmentLink",
    "Hazard",
    "HazardReminder",
    "Inspection",
    "MeasureTaken",
    "Notice",
    "PolicyRule",
    "PolicyVersion",
    "RectificationOrder",
    "Result",
    "Tier",
    "TierRecord",
    "WebhookDelivery",
]
