"""Access rules for cycles, standards, pledges, implementation records, self-assessment and
acceptance. Objects belong to ``world.unit`` (area 新建路街道, supervised by 住建): its own
enterprise, township and supervising department read them; the twins elsewhere get 404."""

from .rules import EVERYONE, Rule

BUREAU = frozenset({"bureau"})
ENTERPRISES = frozenset({"enterprise", "enterprise_other"})
UNIT_READERS = frozenset({"enterprise", "township", "supervisor", "bureau"})
PLEDGE_RECEIVERS = frozenset(
    {"township", "township_other", "supervisor", "supervisor_other", "bureau"}
)
IMPLEMENTATION_READERS = frozenset({"township", "township_other", "bureau"})
# The stage's application is a draft never submitted: its enterprise's own working copy.
DRAFT_READERS = frozenset({"enterprise"})


def stage(world) -> dict:
    """A cycle, the unit's pledge, its draft application and one evidence file (built once)."""
    cached = getattr(world, "_assessments_stage", None)
    if cached:
        return cached
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from assessments.models import Application, Cycle, Evidence
    from tests.assessment_support import PDF_BYTES, open_cycle, sign

    # Last year's (closed) cycle: the evaluation rules build this year's application of the
    # same unit, and a unit has one application per cycle.
    cycle = open_cycle(year=timezone.localdate().year - 1, is_open=False, phase=Cycle.Phase.CLOSED)
    enterprise = world.users["enterprise"]
    pledge = sign(cycle, world.unit, enterprise)
    application = Application.objects.create(cycle=cycle, unit=world.unit)
    evidence = Evidence(
        application=application,
        original_name="制度.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=enterprise,
    )
    evidence.file.save("x.pdf", ContentFile(PDF_BYTES), save=False)
    evidence.save()
    cached = {
        "cycle": cycle.pk,
        "standard": cycle.standard_id,
        "pledge": pledge.pk,
        "application": application.pk,
        "evidence": evidence.pk,
    }
    world._assessments_stage = cached
    return cached


def _pk(name):
    return lambda w: {"pk": stage(w)[name]}


def _evidence(w):
    built = stage(w)
    return {"pk": built["application"], "evidence_pk": built["evidence"]}


def _submitted(w):
    """A submitted application of a unit in the same area and industry (the bureau's handler
    page reads submitted applications only)."""
    from assessments.models import Application, Status
    from tests.factories import UnitFactory

    cached = getattr(w, "_submitted_application", None)
    if cached is None:
        unit = UnitFactory(area=w.unit.area, supervising_department=w.unit.supervising_department)
        cached = Application.objects.create(
            cycle_id=stage(w)["cycle"], unit=unit, status=Status.SUBMITTED
        ).pk
        w._submitted_application = cached
    return {"pk": cached}


def _receipt_code(w):
    """A receipt the bureau issued (to the other unit, in the stage's cycle): anyone holding it
    may check it."""
    from django.utils import timezone

    from assessments.models import Application
    from assessments.receipts import check_code

    accepted, _ = Application.objects.get_or_create(
        cycle_id=stage(w)["cycle"],
        unit=w.other_unit,
        defaults={"receipt_number": "新安诚受〔2000〕0001号", "accepted_at": timezone.now()},
    )
    return {"code": check_code(accepted)}


ACCESS = {
    "assessments:cycle_list": Rule(BUREAU),
    "assessments:cycle_open": Rule(BUREAU),
    "assessments:cycle_edit": Rule(BUREAU, kwargs=_pk("cycle")),
    "assessments:cycle_advance": Rule(BUREAU, kwargs=_pk("cycle")),  # POST only: 405
    "assessments:standard_list": Rule(BUREAU),
    "assessments:standard_detail": Rule(BUREAU, kwargs=_pk("standard")),
    "assessments:standard_edit": Rule(BUREAU, kwargs=_pk("standard")),
    "assessments:standard_copy": Rule(BUREAU, kwargs=_pk("standard")),
    "assessments:pledge_sign": Rule(ENTERPRISES),
    "assessments:pledge_list": Rule(PLEDGE_RECEIVERS),
    "assessments:pledge_detail": Rule(UNIT_READERS, kwargs=_pk("pledge")),
    "assessments:pledge_pdf": Rule(UNIT_READERS, kwargs=_pk("pledge")),
    "assessments:implementation_mine": Rule(ENTERPRISES),
    "assessments:implementation_list": Rule(IMPLEMENTATION_READERS),
    "assessments:implementation_unit": Rule(
        frozenset({"township", "bureau"}), kwargs=lambda w: {"unit_pk": w.unit.pk}
    ),
    "assessments:application_mine": Rule(ENTERPRISES),
    # Experts see only assigned applications and the government only from its review on;
    # nobody but the enterprise reads a draft that was never submitted, nor its evidence.
    "assessments:application_detail": Rule(DRAFT_READERS, kwargs=_pk("application")),
    "assessments:self_assessment": Rule(frozenset({"enterprise"}), kwargs=_pk("application")),
    "assessments:submit": Rule(ENTERPRISES, kwargs=_pk("application")),
    "assessments:withdraw": Rule(ENTERPRISES, kwargs=_pk("application")),
    "assessments:evidence_download": Rule(DRAFT_READERS, kwargs=_evidence),
    "assessments:evidence_delete": Rule(ENTERPRISES, kwargs=_evidence),
    "assessments:application_form_pdf": Rule(DRAFT_READERS, kwargs=_pk("application")),
    "assessments:receipt_pdf": Rule(DRAFT_READERS, kwargs=_pk("application")),
    "assessments:receipt_check": Rule(EVERYONE, kwargs=_receipt_code),
    "assessments:queue": Rule(BUREAU),
    "assessments:handler": Rule(BUREAU, kwargs=_submitted),
    "assessments:return": Rule(BUREAU, kwargs=_pk("application")),
    "assessments:accept": Rule(BUREAU, kwargs=_pk("application")),
}
