"""GET /api/v1/units/<credit code>/rating for departments' approval systems (Bearer token).

Calls with a valid token are logged (who asked about whom). Calls without one are not: anyone
could fill the log table with them. They are counted per client address instead, and a token
too is held to a rate, so neither a scanner nor a runaway client can flood the database.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from django_ratelimit.core import is_ratelimited

from units.credit_code import validate_credit_code
from units.models import Unit

from ..api import unit_rating_payload
from ..models import ApiQuery, DepartmentLink
from ..services.tokens import find_token
from .access import allowed

logger = logging.getLogger(__name__)


def _error(status: int, code: str, detail: str) -> JsonResponse:
    response = JsonResponse({"error": code, "detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="integrity-platform"'
    return response


def _bearer(request) -> str | None:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _over_rate(request, group: str, key, rate: str) -> bool:
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    except Exception as error:  # noqa: BLE001 - the cache is down: answer rather than refuse
        logger.warning("query API rate not checked: %s", error)
        return False


def _loggable(credit_code: str) -> str:
    # A code from the path may hold NUL or control characters, which PostgreSQL text refuses.
    return "".join(character for character in credit_code if character.isprintable())[:40]


# Public at the session level: the caller is a machine that authenticates with its token.
@allowed
@require_GET
def unit_rating(request, credit_code: str):
    if _over_rate(request, "linkage.api.address", "ip", settings.QUERY_API_RATE_PER_ADDRESS):
        return _error(429, code="too_many_requests", detail="请求过于频繁，请稍后再试。")
    raw = _bearer(request)
    token = find_token(raw) if raw else None
    department = token.department if token else None
    if token is None:
        return _error(401, code="unauthorized", detail="缺少或无效的访问令牌。")
    if _over_rate(
        request,
        "linkage.api.token",
        lambda _g, _r: str(token.pk),
        settings.QUERY_API_RATE_PER_TOKEN,
    ):
        return _error(429, code="too_many_requests", detail="请求过于频繁，请稍后再试。")

    def answer(status: int, result: str, body: JsonResponse | None = None, **error):
        with transaction.atomic():
            ApiQuery.objects.create(
                department=department,
                token=token,
                credit_code=_loggable(credit_code),
                status_code=status,
                result=result,
            )
            if token is not None:
                type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return body or _error(status, **error)

    try:
        enabled = department.is_linked and department.link.is_enabled
    except DepartmentLink.DoesNotExist:
        enabled = False
    if not enabled:
        return answer(403, "forbidden", code="forbidden", detail="该部门未启用联动查询。")
    try:
        validate_credit_code(credit_code)
    except ValidationError as error:
        return answer(400, "malformed", code="invalid_credit_code", detail=error.messages[0])
    unit = (
        Unit.objects.approved()
        .select_related("area", "industry")
        .filter(credit_code=credit_code)
        .first()
    )
    if unit is None:
        return answer(404, "not_found", code="not_found", detail="未找到该统一社会信用代码的单位。")
    payload = unit_rating_payload(unit, department)
    body = JsonResponse(payload, json_dumps_params={"ensure_ascii": False})
    return answer(200, payload["result"] or "unrated", body)
