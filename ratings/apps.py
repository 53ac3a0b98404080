from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "ratings"
    verbose_name = _("等级认定与公布")

    def ready(self):
        from assessments.signals import application_graded

        from .services.objections import on_application_graded
        from .services.repair import list_key_monitoring_units
        from .signals import ratings_published

        # Before linkage's receivers (INSTALLED_APPS order): the listing exists when they run.
        ratings_published.connect(list_key_monitoring_units, dispatch_uid="ratings_listing")
        application_graded.connect(on_application_graded, dispatch_uid="ratings_adverse_notice")
