"""User management for the system administrator: list, create, edit role and binding,
deactivate or reactivate, reset a password. Business accounts only (see portal.user_admin)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import user_admin
from portal.access import roles
from portal.forms import UserAccountForm
from portal.models import BUSINESS_ROLES, Role


@roles(Role.SYSTEM_ADMIN)
def user_list(request):
    users = user_admin.managed_users().select_related("unit", "area", "department")
    text = request.GET.get("q", "").strip()[:100].replace("\x00", "")
    if text:
        users = users.filter(
            Q(username__icontains=text) | Q(display_name__icontains=text) | Q(email__icontains=text)
        )
    role = request.GET.get("role", "")
    if role in {r.value for r in BUSINESS_ROLES}:
        users = users.filter(role=role)
    page = Paginator(users.order_by("role", "username"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/users/list.html",
        {
            "page": page,
            "q": text,
            "role": role,
            "roles": [(r.value, r.label) for r in BUSINESS_ROLES],
            "query": query.urlencode(),
        },
    )


@roles(Role.SYSTEM_ADMIN)
def user_create(request):
    form = UserAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user, password = user_admin.create_user(form)
        return render(
            request, "portal/users/password.html", {"account": user, "password": password}
        )
    return render(
        request, "portal/users/form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@roles(Role.SYSTEM_ADMIN)
def user_edit(request, pk):
    account = user_admin.get_managed_user(pk)
    form = UserAccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("账号已保存。"))
        return redirect("portal:user_edit", pk=account.pk)
    return render(
        request,
        "portal/users/form.html",
        {"form": form, "account": account},
        status=400 if form.is_bound else 200,
    )


@roles(Role.SYSTEM_ADMIN)
@require_POST
def user_active(request, pk):
    account = user_admin.get_managed_user(pk)
    active = request.POST.get("active") == "1"
    if user_admin.set_active(account, active):
        messages.success(request, _("账号已启用。") if active else _("账号已停用。"))
    else:
        messages.info(request, _("账号状态未变。"))
    return redirect("portal:user_edit", pk=account.pk)


@roles(Role.SYSTEM_ADMIN)
@require_POST
def user_reset_password(request, pk):
    account = user_admin.get_managed_user(pk)
    password = user_admin.reset_password(request.user, account, request=request)
    return render(request, "portal/users/password.html", {"account": account, "password": password})
