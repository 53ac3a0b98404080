from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户与账户")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from portal import audit_chain, sessions, signin_audit, two_factor

        signin_audit.connect()
        audit_chain.connect()
        user_logged_in.connect(sessions.note_sign_in, dispatch_uid="portal.sessions.in")
        user_logged_in.connect(two_factor.note_sign_in, dispatch_uid="portal.two_factor.in")
        user_logged_out.connect(sessions.note_sign_out, dispatch_uid="portal.sessions.out")
