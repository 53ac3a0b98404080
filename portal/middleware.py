from django.conf import settings

# No inline scripts or styles anywhere: every script and stylesheet is a static file.
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.header = getattr(settings, "CONTENT_SECURITY_POLICY", CSP)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.header)
        return response


class ChineseFirstLocaleMiddleware:
    """Simplified Chinese unless the visitor chose English with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so a civil
    servant's English-language browser would get English pages; the portal is Chinese first
    (SPEC §7) and English only on request (the switcher's cookie).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        response.setdefault("Vary", "Cookie")
        return response


class RequestBodyLimitMiddleware:
    """Refuse a request body larger than anyone could need, before a byte of it is read.

    Django caps form fields (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams uploaded files to disk
    whatever their size, so an anonymous 60 MB multipart POST would be accepted. A visitor who
    is not signed in never uploads evidence, so their cap is much lower. Must come after the
    authentication middleware and before anything that reads ``request.POST``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponse
        from django.utils.translation import gettext as _

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse(_("请求格式错误。"), status=400, content_type="text/plain")
        signed_in = request.user.is_authenticated
        limit = settings.MAX_REQUEST_BYTES if signed_in else settings.MAX_ANONYMOUS_REQUEST_BYTES
        if length > limit:
            return HttpResponse(
                _("提交的内容过大（上限 %(mb)d MB）。") % {"mb": limit // (1024 * 1024)},
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages seen signed in hold a unit's or a person's data: no browser or proxy keeps them.

    A shared office computer's back button or a caching proxy would otherwise show the last
    user's drafts to the next. Public pages keep their own caching headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
