from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户与账户")

    def ready(self):
        from portal import audit_chain, public_cache, signin_audit

        public_cache.connect()
        signin_audit.connect()
        audit_chain.connect()
