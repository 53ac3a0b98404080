from .rules import EVERYONE, INSIDERS, SIGNED_IN, Rule

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
    "portal:notifications": Rule(SIGNED_IN),
    "portal:notifications_read": Rule(SIGNED_IN),
    "portal:audit_log": Rule(frozenset({"bureau"})),
    "portal:audit_export": Rule(frozenset({"bureau"})),
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
