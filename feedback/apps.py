from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("政务服务好差评")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import ServiceRating

        auditlog.register(ServiceRating)
