"""Who may use each view of the unit registry: one table, applied by ``@allowed`` on each view.

Roles only here; which object a user reaches (whose application, which unit) is decided by the
selectors' ``get_*_for`` helpers. A view without an entry fails at import, and
portal.access's middleware refuses any view that declares nothing. tests/access/ states who may
open each URL on its own; the access-matrix test walks the URLs and never reads this table.
"""

from portal.access import PUBLIC, policy
from portal.models import Role

READERS = (Role.BUREAU, Role.TOWNSHIP, Role.SUPERVISOR, Role.GOVERNMENT)

allowed = policy(
    {
        # views/registry.py
        "registry.register": PUBLIC,
        "registry.register_done": PUBLIC,
        "registry.mine": (Role.ENTERPRISE,),
        "registry.unit_list": READERS,
        "registry.unit_detail": (*READERS, Role.ENTERPRISE),
        "registry.unit_edit": (Role.BUREAU,),
        "registry.unit_review": (Role.BUREAU,),
        # views/transfer.py
        "transfer.export_csv_view": (Role.BUREAU,),
        "transfer.export_xlsx_view": (Role.BUREAU,),
        "transfer.import_template": (Role.BUREAU,),
        "transfer.import_view": (Role.BUREAU,),
    }
)
