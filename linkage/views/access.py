"""Who may use each view of the linkage stage: one table, applied by ``@allowed`` on each view.

Roles only here; which object a user reaches (whose application, which unit) is decided by the
selectors' ``get_*_for`` helpers. A view without an entry fails at import, and
portal.access's middleware refuses any view that declares nothing. tests/access/ states who may
open each URL on its own; the access-matrix test walks the URLs and never reads this table.
"""

from portal.access import PUBLIC, policy
from portal.models import Role

LINK_READERS = (Role.BUREAU, Role.SECURITY_ADMIN)
# Classified supervision is read by the bureau, the government and, for their units, townships
# and supervising departments.
SUPERVISION_READERS = (Role.BUREAU, Role.TOWNSHIP, Role.SUPERVISOR, Role.GOVERNMENT)

allowed = policy(
    {
        # views/api.py
        "api.unit_rating": PUBLIC,
        # views/bureau.py
        "bureau.departments": LINK_READERS,
        "bureau.department_detail": LINK_READERS,
        "bureau.department_settings": (Role.BUREAU,),
        "bureau.department_webhook": (Role.SECURITY_ADMIN,),
        "bureau.token_create": (Role.SECURITY_ADMIN,),
        "bureau.token_revoke": (Role.SECURITY_ADMIN,),
        "bureau.deliveries": (Role.BUREAU,),
        "bureau.delivery_detail": (Role.BUREAU,),
        "bureau.delivery_resend": (Role.BUREAU,),
        "bureau.policy_view": (Role.BUREAU,),
        "bureau.policy_edit": (Role.BUREAU,),
        "bureau.api_log": (Role.BUREAU,),
        # views/inbox.py
        "inbox.inbox_list": (Role.DEPARTMENT,),
        "inbox.acknowledge": (Role.DEPARTMENT,),
        "inbox.notice_detail": (Role.DEPARTMENT, Role.BUREAU),
        "inbox.notice_measure": (Role.DEPARTMENT,),
        # views/reports.py
        "reports.report": (Role.BUREAU,),
        # views/supervision.py
        "supervision.supervision_list": SUPERVISION_READERS,
        "supervision.supervision_unit": SUPERVISION_READERS,
        "supervision.inspection_plan": (Role.BUREAU,),
        "supervision.inspection_record": (Role.BUREAU,),
        "supervision.hazard_rectified": (Role.BUREAU, Role.TOWNSHIP),
        "supervision.order_issue": (Role.BUREAU,),
        "supervision.order_outcome": (Role.BUREAU,),
        "supervision.lift": (Role.BUREAU,),
    }
)
