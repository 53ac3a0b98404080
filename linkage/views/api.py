"""GET /api/v1/units/<credit code>/rating for departments' approval systems (Bearer token)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.access import public
from units.credit_code import validate_credit_code
from units.models import Unit

from ..api import unit_rating_payload
from ..models import ApiQuery, DepartmentLink
from ..services.tokens import find_token


def _error(status: int, code: str, detail: str) -> JsonResponse:
    response = JsonResponse({"error": code, "detail": detail}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="integrity-platform"'
    return response


def _bearer(request) -> str | None:
    scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


# Public at the session level: the caller is a machine that authenticates with its token.
@public
@require_GET
def unit_rating(request, credit_code: str):
    raw = _bearer(request)
    token = find_token(raw) if raw else None
    department = token.department if token else None

    def answer(status: int, result: str, body: JsonResponse | None = None, **error):
        with transaction.atomic():
            ApiQuery.objects.create(
                department=department,
                token=token,
                credit_code=credit_code[:40],
                status_code=status,
                result=result,
            )
            if token is not None:
                type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return body or _error(status, **error)

    if token is None:
        return answer(401, "unauthenticated", code="unauthorized", detail="缺少或无效的访问令牌。")
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
