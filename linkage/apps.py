from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "linkage"
    verbose_name = _("部门联动与分类监管")

    def ready(self):
        # The ratings → linkage hand-off: see ratings/signals.py and linkage/receivers.py.
        from ratings.signals import key_monitoring_lifted, ratings_published, ratings_revoked

        from .receivers import on_key_monitoring_lifted, on_ratings_published, on_ratings_revoked

        ratings_published.connect(on_ratings_published, dispatch_uid="linkage.published")
        ratings_revoked.connect(on_ratings_revoked, dispatch_uid="linkage.revoked")
        key_monitoring_lifted.connect(on_key_monitoring_lifted, dispatch_uid="linkage.lifted")
        self._register_audit()

    def _register_audit(self):
        """Who changed a channel, a token, the matrix, a delivery or a supervision decision.
        Registered here rather than in settings; secrets and token digests never enter the
        log. Bulk deliveries and acknowledgements are recorded by the services (portal.audit)."""
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.DepartmentLink, exclude_fields=["webhook_secret"])
        auditlog.register(models.ApiToken, exclude_fields=["token_hash"])
        for model in (
            models.Notice,
            models.WebhookDelivery,
            models.PolicyVersion,
            models.MeasureTaken,
            models.Inspection,
            models.Hazard,
            models.RectificationOrder,
            models.CreditRepair,
        ):
            auditlog.register(model)
