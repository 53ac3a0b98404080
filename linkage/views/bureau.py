"""The bureau's side of linkage: departments, channels, tokens, deliveries, the matrix."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.models import Role

from ..forms import DepartmentLinkForm, PolicyForm, TokenForm, WebhookForm
from ..models import ApiQuery, ApiToken, PolicyVersion, WebhookDelivery
from ..selectors import department_overview, get_delivery, get_department, webhook_deliveries
from ..services import delivery as delivery_service
from ..services import policy, tokens
from .access import allowed

# Endpoints, secrets and tokens open a path into the platform: the security administrator
# sets them (三权分立); bureau staff see the channel settings and whether a token exists.


@allowed
def departments(request):
    return render(request, "linkage/departments.html", {"departments": department_overview()})


def _department_page(request, department, **extra):
    link = tokens.link_for(department)
    context = {
        "department": department,
        "link": link,
        "form": DepartmentLinkForm(instance=link),
        "webhook_form": WebhookForm(initial={"webhook_url": link.webhook_url}),
        "token_form": TokenForm(),
        "tokens": department.api_tokens.all(),
        "is_admin": request.user.role == Role.SECURITY_ADMIN,
        "can_edit_settings": request.user.role == Role.BUREAU,
        **extra,
    }
    return render(
        request,
        "linkage/department_detail.html",
        context,
        status=400 if extra.get("invalid") else 200,
    )


@allowed
def department_detail(request, pk):
    return _department_page(request, get_department(pk))


@allowed
@require_POST
def department_settings(request, pk):
    department = get_department(pk)
    form = DepartmentLinkForm(request.POST, instance=tokens.link_for(department))
    if not form.is_valid():
        return _department_page(request, department, form=form, invalid=True)
    form.save()
    messages.success(request, _("联动设置已保存。"))
    return redirect("linkage:department_detail", pk=department.pk)


@allowed
@require_POST
def department_webhook(request, pk):
    department = get_department(pk)
    form = WebhookForm(request.POST)
    if not form.is_valid():
        return _department_page(request, department, webhook_form=form, invalid=True)
    secret = tokens.set_webhook(
        department=department,
        url=form.cleaned_data["webhook_url"],
        rotate_secret=form.cleaned_data["rotate_secret"],
    )
    messages.success(request, _("Webhook 设置已保存。"))
    if secret:
        return _department_page(request, department, new_secret=secret)
    return redirect("linkage:department_detail", pk=department.pk)


@allowed
@require_POST
def token_create(request, pk):
    department = get_department(pk)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _department_page(request, department, token_form=form, invalid=True)
    _token, raw = tokens.issue_token(
        department=department, actor=request.user, label=form.cleaned_data["label"]
    )
    return _department_page(request, department, new_token=raw)


@allowed
@require_POST
def token_revoke(request, pk):
    token = ApiToken.objects.filter(pk=pk).first()
    if token is None:
        raise Http404
    tokens.revoke_token(token)
    messages.success(request, _("令牌已停用。"))
    return redirect("linkage:department_detail", pk=token.department_id)


@allowed
def deliveries(request):
    status = request.GET.get("status", WebhookDelivery.Status.FAILED)
    if status not in WebhookDelivery.Status.values:
        status = ""
    page = Paginator(webhook_deliveries(status or None), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "linkage/deliveries.html",
        {
            "page": page,
            "selected_status": status,
            "statuses": WebhookDelivery.Status.choices,
            "query": f"status={status}",
        },
    )


@allowed
def delivery_detail(request, pk):
    delivery = get_delivery(pk)
    return render(
        request,
        "linkage/delivery_detail.html",
        {"delivery": delivery, "attempts": delivery.attempt_log.all()},
    )


@allowed
@require_POST
def delivery_resend(request, pk):
    delivery = get_delivery(pk)
    if not delivery.can_resend:
        messages.info(request, _("该推送不是失败状态，无需重发。"))
    else:
        delivery_service.resend(delivery)
        messages.success(request, _("已重新发送。"))
    return redirect("linkage:delivery_detail", pk=delivery.pk)


def _rules(version):
    return {(rule.result, rule.department_id): rule for rule in version.rules.all()}


@allowed
def policy_view(request):
    versions = PolicyVersion.objects.select_related("created_by")
    number = request.GET.get("version", "")
    if number and not (number.isascii() and number.isdigit() and len(number) < 10):
        raise Http404  # only a version number names a version
    version = versions.filter(number=int(number)).first() if number else versions.first()
    if version is None:
        raise Http404
    from units.models import Department

    departments = Department.objects.filter(is_linked=True)
    form = PolicyForm(departments=departments, rules=_rules(version))
    return render(
        request,
        "linkage/policy.html",
        {"version": version, "versions": versions, "rows": form.rows},
    )


@allowed
def policy_edit(request):
    from units.models import Department

    current = PolicyVersion.objects.current()
    form = PolicyForm(
        request.POST or None,
        departments=Department.objects.filter(is_linked=True),
        rules=_rules(current),
    )
    if request.method == "POST" and form.is_valid():
        version = policy.create_version(
            actor=request.user, cells=form.cells(), note=form.cleaned_data["note"]
        )
        messages.success(
            request, _("已保存为新版本 v%(n)d，此后的通报按新版本执行。") % {"n": version.number}
        )
        return redirect("linkage:policy")
    return render(
        request,
        "linkage/policy_edit.html",
        {"form": form, "current": current},
        status=400 if form.is_bound else 200,
    )


@allowed
def api_log(request):
    queries = ApiQuery.objects.select_related("department")
    page = Paginator(queries, 100).get_page(request.GET.get("page"))
    return render(request, "linkage/api_log.html", {"page": page})
