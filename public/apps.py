from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "public"
    verbose_name = _("公众服务")

    def ready(self):
        from public import cache

        cache.connect()
