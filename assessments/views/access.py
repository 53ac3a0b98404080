"""Who may use each view of the assessments stage: one table, applied by ``@allowed`` on each view.

Roles only here; which object a user reaches (whose application, which unit) is decided by the
selectors' ``get_*_for`` helpers. A view without an entry fails at import, and
portal.access's middleware refuses any view that declares nothing. tests/access/ states who may
open each URL on its own; the access-matrix test walks the URLs and never reads this table.
"""

from portal.access import PUBLIC, policy
from portal.models import Role

# An application is read by its unit, the unit's township and supervising department, the bureau,
# its experts and (from submission to the government on) the government.
APPLICATION_READERS = (
    Role.ENTERPRISE,
    Role.TOWNSHIP,
    Role.SUPERVISOR,
    Role.BUREAU,
    Role.EXPERT,
    Role.GOVERNMENT,
)
# A pledge is routed to its unit, the unit's township and supervising department, and the bureau.
PLEDGE_READERS = (Role.ENTERPRISE, Role.TOWNSHIP, Role.SUPERVISOR, Role.BUREAU)

allowed = policy(
    {
        # views/acceptance.py
        "acceptance.queue": (Role.BUREAU,),
        "acceptance.handler": (Role.BUREAU,),
        "acceptance.return_application": (Role.BUREAU,),
        "acceptance.accept_application": (Role.BUREAU,),
        # views/applications.py
        "applications.application_mine": (Role.ENTERPRISE,),
        "applications.application_detail": APPLICATION_READERS,
        "applications.application_submit": (Role.ENTERPRISE,),
        "applications.application_withdraw": (Role.ENTERPRISE,),
        "applications.application_form_pdf": APPLICATION_READERS,
        "applications.receipt_pdf": APPLICATION_READERS,
        # views/cycles.py
        "cycles.cycle_list": (Role.BUREAU,),
        "cycles.cycle_open": (Role.BUREAU,),
        "cycles.cycle_edit": (Role.BUREAU,),
        "cycles.cycle_advance": (Role.BUREAU,),
        # views/evaluation.py
        "evaluation.board": (Role.BUREAU,),
        "evaluation.assign": (Role.BUREAU,),
        "evaluation.worklist": (Role.EXPERT,),
        "evaluation.assignment_detail": (Role.EXPERT,),
        "evaluation.declare": (Role.EXPERT,),
        "evaluation.report": (
            Role.BUREAU,
            Role.ENTERPRISE,
            Role.TOWNSHIP,
            Role.SUPERVISOR,
            Role.EXPERT,
        ),
        # views/experts.py
        "experts.roster": (Role.BUREAU,),
        "experts.expert_create": (Role.BUREAU,),
        "experts.expert_edit": (Role.BUREAU,),
        "experts.expert_detail": (Role.BUREAU,),
        "experts.conflicts": (Role.EXPERT,),
        # views/grading.py
        "grading.review_list": (Role.BUREAU,),
        "grading.review_batch": (Role.BUREAU,),
        "grading.review": (Role.BUREAU,),
        # views/implementation.py
        "implementation.implementation_mine": (Role.ENTERPRISE,),
        "implementation.implementation_list": (Role.TOWNSHIP, Role.BUREAU),
        "implementation.implementation_unit": (Role.TOWNSHIP, Role.BUREAU),
        # views/pledges.py
        "pledges.pledge_sign": (Role.ENTERPRISE,),
        "pledges.pledge_detail": PLEDGE_READERS,
        "pledges.pledge_pdf": PLEDGE_READERS,
        "pledges.pledge_list": (Role.TOWNSHIP, Role.SUPERVISOR, Role.BUREAU),
        # views/receipts.py
        "receipts.receipt_check": PUBLIC,
        # views/self_assessment.py
        "self_assessment.self_assessment_edit": (Role.ENTERPRISE,),
        "self_assessment.evidence_delete": (Role.ENTERPRISE,),
        "self_assessment.evidence_download": APPLICATION_READERS,
        # views/service_ratings.py (好差评)
        "service_ratings.mine": (Role.ENTERPRISE,),
        "service_ratings.rate_view": (Role.ENTERPRISE,),
        "service_ratings.ticket_list": (Role.BUREAU,),
        "service_ratings.ticket_answer": (Role.BUREAU,),
        # views/standards.py
        "standards.standard_list": (Role.BUREAU,),
        "standards.standard_detail": (Role.BUREAU,),
        "standards.standard_copy": (Role.BUREAU,),
        "standards.standard_edit": (Role.BUREAU,),
    }
)
