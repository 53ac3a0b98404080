from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "linkage"
    verbose_name = _("部门联动与分类监管")

    def ready(self):
        from ratings.signals import ratings_published, ratings_revoked

        from .services.outbox import on_ratings_published, on_ratings_revoked

        ratings_published.connect(on_ratings_published, dispatch_uid="linkage.published")
        ratings_revoked.connect(on_ratings_revoked, dispatch_uid="linkage.revoked")
