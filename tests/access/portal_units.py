from .rules import EVERYONE, INSIDERS, SIGNED_IN, Rule

SYSADMIN = frozenset({"sysadmin"})


def _spare_account(world):
    """An account the walk may deactivate and reset without signing a persona out."""
    if getattr(world, "spare_account", None) is None:
        from tests.factories import UserFactory

        world.spare_account = UserFactory(role="expert", username="spare")
    return {"pk": world.spare_account.pk}


ACCESS = {
    "portal:home": Rule(EVERYONE),
    "portal:about": Rule(EVERYONE),
    "portal:health": Rule(EVERYONE),
    "portal:health_worker": Rule(EVERYONE),
    "portal:login": Rule(EVERYONE),
    "portal:logout": Rule(EVERYONE),
    "portal:password_change": Rule(SIGNED_IN),
    "portal:password_change_done": Rule(SIGNED_IN),
    "portal:password_reset": Rule(EVERYONE),
    "portal:password_reset_done": Rule(EVERYONE),
    "portal:password_reset_confirm": Rule(
        EVERYONE, kwargs=lambda w: {"uidb64": "MQ", "token": "x-y"}
    ),
    "portal:password_reset_complete": Rule(EVERYONE),
    "portal:dashboard": Rule(SIGNED_IN),
    # Account security: every signed-in user manages their own second factor and sessions.
    "portal:two_factor": Rule(SIGNED_IN),
    "portal:two_factor_enrol": Rule(SIGNED_IN),
    "portal:two_factor_verify": Rule(SIGNED_IN),
    "portal:two_factor_recovery": Rule(SIGNED_IN),
    "portal:sessions": Rule(SIGNED_IN),
    "portal:session_keepalive": Rule(SIGNED_IN),
    "portal:notifications": Rule(SIGNED_IN),
    "portal:notifications_read": Rule(SIGNED_IN),
    # Only the audit administrator reads the log; bureau staff and the other administrators do not.
    "portal:audit_log": Rule(frozenset({"auditadmin"})),
    "portal:audit_export": Rule(frozenset({"auditadmin"})),
    # User management is the system administrator's alone; administrator accounts are not
    # reachable through it (404 for every persona, see tests/test_user_admin.py).
    "portal:user_list": Rule(SYSADMIN),
    "portal:user_create": Rule(SYSADMIN),
    "portal:user_edit": Rule(SYSADMIN, kwargs=lambda w: {"pk": w.users["enterprise"].pk}),
    "portal:user_active": Rule(SYSADMIN, kwargs=_spare_account, method="post"),
    "portal:user_reset_password": Rule(SYSADMIN, kwargs=_spare_account, method="post"),
    # The audited "显示" of a masked contact: the unit's own readers, each through the object.
    "portal:reveal_contact": Rule(
        frozenset({"enterprise", "township", "supervisor", "bureau", "government"}),
        kwargs=lambda w: {"kind": "unit", "pk": w.unit.pk},
        method="post",
    ),
    "set_language": Rule(EVERYONE),
    "units:register": Rule(EVERYONE),
    "units:register_done": Rule(EVERYONE),
    "units:mine": Rule(frozenset({"enterprise", "enterprise_other"})),
    "units:list": Rule(INSIDERS),
    # A unit is seen by its own enterprise, its township, its supervising department, the
    # bureau and the government; the same roles elsewhere get 404.
    "units:detail": Rule(
        frozenset({"enterprise", "township", "supervisor", "bureau", "government"}),
        kwargs=lambda w: {"pk": w.unit.pk},
    ),
    "units:edit": Rule(frozenset({"bureau"}), kwargs=lambda w: {"pk": w.unit.pk}),
    "units:review": Rule(frozenset({"bureau"}), kwargs=lambda w: {"pk": w.unit.pk}),
    "units:export_csv": Rule(frozenset({"bureau"})),
    "units:export_xlsx": Rule(frozenset({"bureau"})),
    "units:import": Rule(frozenset({"bureau"})),
    "units:import_template": Rule(frozenset({"bureau"})),
}
