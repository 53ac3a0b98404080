"""One account per role. Passwords are for a local demo only; never run this in production."""

from assessments.models import Expert
from portal.models import Role, User
from portal.two_factor import secret_for_typing
from units.models import Area, Department

from .two_factor import enrolled_device
from .units import demo_enterprise_unit

DEMO_PASSWORD = "Demo-2026!"


def _account(username: str, role: str, name: str, **binding) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "display_name": name,
            "email": f"{username}@demo.invalid",
            **binding,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def run(out) -> None:
    unit = demo_enterprise_unit()
    accounts = [
        _account("enterprise", Role.ENTERPRISE, "企业经办人", unit=unit),
        _account("township", Role.TOWNSHIP, "街道安监办", area=unit.area),
        _account(
            "supervisor",
            Role.SUPERVISOR,
            "行业主管部门",
            department=unit.supervising_department or Department.objects.get(short_name="住建"),
        ),
        _account("bureau", Role.BUREAU, "监管局审核员"),
        _account("bureau2", Role.BUREAU, "监管局审核员二"),
        _account("expert", Role.EXPERT, "王专家"),
        _account("expert2", Role.EXPERT, "李专家"),
        _account("government", Role.GOVERNMENT, "市政府审核人"),
        _account("sysadmin", Role.SYSTEM_ADMIN, "系统管理员"),
        _account("secadmin", Role.SECURITY_ADMIN, "安全管理员"),
        _account("auditadmin", Role.AUDIT_ADMIN, "审计管理员"),
        _account(
            "department",
            Role.DEPARTMENT,
            "市财政局经办人",
            department=Department.objects.get(short_name="财政"),
        ),
    ]
    for user, field, qualification in [
        (accounts[5], "化工安全", "注册安全工程师"),
        (accounts[6], "建筑施工安全", "高级工程师"),
    ]:
        Expert.objects.get_or_create(
            user=user,
            defaults={
                "name": user.display_name,
                "field": field,
                "qualification": qualification,
                "phone": "13800000000",
            },
        )
    other_area = Area.objects.exclude(pk=unit.area_id).first()
    _account("township_other", Role.TOWNSHIP, "其他街道安监办", area=other_area)
    out("演示账号（密码均为 %s）：" % DEMO_PASSWORD)
    for user in accounts:
        binding = user.unit or user.area or user.department or ""
        out(f"  {user.username:<12} {user.get_role_display()} {binding}")
    # Bureau, government and administrator accounts sign in with a second factor, demo or not.
    out("双因素认证（监管局、市政府和管理员账号）：身份验证器扫码或手工输入密钥；")
    out("  或运行 `python manage.py demo_totp 用户名` 取当前验证码：")
    for user in accounts:
        if user.requires_two_factor:
            device = enrolled_device(user)
            out(f"  {user.username:<12} 密钥 {secret_for_typing(device)}")
