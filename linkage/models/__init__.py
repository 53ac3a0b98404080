from .channels import ApiQuery, ApiToken, DepartmentLink
from .notices import DeliveryAttempt, MeasureTaken, Notice, WebhookDelivery
from .policy import PolicyRule, PolicyVersion, Result
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
