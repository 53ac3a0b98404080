"""Sign-ins, failed sign-ins, sign-outs and downloads go to the audit log (等保 level 3)."""

from django.contrib.auth import signals

from portal.security_events import SecurityEvent, record_security_event


def _signed_in(sender, request, user, **kwargs):
    record_security_event(SecurityEvent.LOGIN, request=request, actor=user)


def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        record_security_event(SecurityEvent.LOGOUT, request=request, actor=user)


def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password with asterisks; only the name typed is kept.
    username = str(credentials.get("username", ""))[:150]
    from portal.models import User

    user = User.objects.filter(username=username).first() if username else None
    record_security_event(
        SecurityEvent.LOGIN_FAILED,
        request=request,
        actor=None,
        target=user,
        description=username,
    )


def connect() -> None:
    signals.user_logged_in.connect(_signed_in, dispatch_uid="audit_signed_in")
    signals.user_logged_out.connect(_signed_out, dispatch_uid="audit_signed_out")
    signals.user_login_failed.connect(_sign_in_failed, dispatch_uid="audit_sign_in_failed")


class AuditDownloadsMiddleware:
    """Every file a signed-in user takes away — CSV and Excel exports, evidence, PDFs — is
    recorded, whichever view served it: a response that names a file is a download."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            response.status_code == 200
            and user is not None
            and user.is_authenticated
            and response.has_header("Content-Disposition")
        ):
            record_security_event(
                SecurityEvent.DOWNLOAD,
                request=request,
                description=request.path[:200],
                details={
                    "path": request.get_full_path()[:500],
                    "file": response["Content-Disposition"][:300],
                },
            )
        return response
