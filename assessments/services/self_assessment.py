"""The enterprise's self-assessment: draft saves that never lose input, submit, withdraw."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.models import Application, Cycle, Evidence, Kind, Pledge, SelfScore, Status
from assessments.models.applications import EDITABLE_BY_ENTERPRISE
from assessments.stars import round_score
from assessments.uploads import check_application_total, check_upload
from assessments.workflow import advance
from portal.models import Role, User
from portal.notifications import notify
from portal.refusals import Refused


@dataclass
class DraftResult:
    saved_items: int = 0
    saved_files: int = 0
    errors: int = 0
    file_errors: dict = field(default_factory=dict)  # item id (or None) -> [messages]


def start_application(*, cycle: Cycle, unit) -> Application:
    """The unit's application for the cycle, created as a draft once the pledge is signed."""
    if not Pledge.objects.filter(cycle=cycle, unit=unit).exists():
        raise ValidationError(_("请先签署本年度安全生产诚信建设承诺书，再填报自评。"))
    application, _created = Application.objects.get_or_create(
        cycle=cycle, unit=unit, kind=Kind.ANNUAL
    )
    return application


def _lock_editable(application: Application) -> Application:
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in EDITABLE_BY_ENTERPRISE:
        raise PermissionDenied
    return locked


def save_draft(
    *, application: Application, actor, item_forms, report_form, files_by_item
) -> DraftResult:
    """Save every valid field now; leave the invalid ones to the re-rendered form.

    ``item_forms`` are bound per-item forms (validated here), ``report_form`` the self-check
    report and declared vetoes, ``files_by_item`` maps item id -> uploaded files.
    """
    result = DraftResult()
    stored: list[str] = []
    try:
        with transaction.atomic():
            _save_draft(application, actor, item_forms, report_form, files_by_item, result, stored)
    except BaseException:
        # The rows rolled back; the files written through the storage API did not.
        for name in stored:
            default_storage.delete(name)
        raise
    return result


def _save_draft(application, actor, item_forms, report_form, files_by_item, result, stored):
    locked = _lock_editable(application)
    existing = {score.item_id: score for score in locked.self_scores.all()}
    for form in item_forms:
        if not form.is_valid():
            result.errors += 1
        item = form.item
        score = existing.get(item.pk) or SelfScore(application=locked, item=item)
        # Field by field: a mistyped score must not throw away the notes beside it.
        new_score = form.cleaned_data["score"] if "score" not in form.errors else score.score
        new_notes = form.cleaned_data["notes"] if "notes" not in form.errors else score.notes
        if score.pk is None and new_score is None and not new_notes:
            continue
        if score.pk is None or score.score != new_score or score.notes != new_notes:
            score.score = new_score
            score.notes = new_notes
            score.save()
            result.saved_items += 1
    if report_form.is_valid():
        locked.self_report = report_form.cleaned_data["self_report"]
        locked.save(update_fields=["self_report", "updated_at"])
        locked.declared_vetoes.set(report_form.cleaned_data["declared_vetoes"])
    else:
        result.errors += 1
    _store_files(locked, actor, files_by_item, result, stored)


def _store_files(
    application: Application, actor, files_by_item, result: DraftResult, stored: list[str]
) -> None:
    used = application.evidence.aggregate(total=Sum("size"))["total"] or 0
    for item, uploads in files_by_item.items():
        for upload in uploads:
            try:
                checked = check_upload(upload)
                check_application_total(used, checked.size)
            except ValidationError as error:
                result.file_errors.setdefault(item.pk if item else None, []).extend(error.messages)
                result.errors += 1
                continue
            evidence = Evidence(
                application=application,
                item=item,
                original_name=upload.name[:200],
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                uploaded_by=actor,
            )
            evidence.file.save(upload.name, upload, save=False)
            stored.append(evidence.file.name)
            evidence.save()
            used += checked.size
            result.saved_files += 1


def delete_evidence(*, application: Application, evidence_pk: int) -> None:
    with transaction.atomic():
        locked = _lock_editable(application)
        evidence = locked.evidence.filter(pk=evidence_pk).first()
        if evidence is None:
            return
        name = evidence.file.name
        evidence.delete()
        transaction.on_commit(lambda: default_storage.delete(name))


# How many unscored items a message names before it says "and N more".
NAMED_IN_MESSAGE = 5


def missing_labels(application: Application) -> list[str]:
    """Each missing part in plain words, for the checklist beside the form."""
    missing = application.missing_parts()
    labels = [_("第%(code)s项未填自评分") % {"code": code} for code in missing.item_codes]
    if missing.report:
        labels.append(_("未填写自查报告"))
    return labels


def message_templates() -> dict[str, str]:
    """The sentences that say what is missing, with %(…)s placeholders: the server fills them
    in ``missing_message``, the self-assessment script fills the same ones in the browser."""
    return {
        "items_and_report": _(
            "自评尚未完成，还有%(n)s处未填写：第%(items)s项%(more)s的自评分，以及自查报告。"
        ),
        "items": _("自评尚未完成，还有%(n)s处未填写：第%(items)s项%(more)s的自评分。"),
        "report": _("自评尚未完成：还没有填写自查报告。"),
        "more": _("等%(m)s项"),
        "separator": pgettext("list separator", "、"),
        "named": str(NAMED_IN_MESSAGE),
    }


def missing_message(application: Application) -> str:
    """One sentence naming the first few missing items and the total, or "" when complete."""
    missing = application.missing_parts()
    if not missing:
        return ""
    texts = message_templates()
    codes = missing.item_codes
    if not codes:
        return texts["report"]
    values = {
        "n": len(missing),
        "m": len(codes),
        "items": texts["separator"].join(codes[:NAMED_IN_MESSAGE]),
    }
    values["more"] = texts["more"] % values if len(codes) > NAMED_IN_MESSAGE else ""
    return texts["items_and_report" if missing.report else "items"] % values


def self_score_total(application: Application) -> Decimal:
    total = application.self_scores.aggregate(total=Sum("score"))["total"] or Decimal(0)
    return round_score(Decimal(total))


def _bureau_contacts(application: Application) -> list[User]:
    if application.handler_id:
        return [application.handler]
    return list(User.objects.filter(role=Role.BUREAU, is_active=True))


def submit(*, application: Application, actor, expected_status: str) -> Application:
    missing = missing_message(application)
    if missing:
        raise Refused(missing)
    resubmission = application.status == Status.RETURNED
    if not resubmission and timezone.localdate() > application.cycle.application_deadline:
        raise Refused(
            _("评估申请已于%(date)s截止，不能再提交。如有特殊情况请联系市安全生产监管局。")
            % {"date": application.cycle.application_deadline}
        )

    def record_total(locked: Application) -> None:
        locked.self_score_total = self_score_total(locked)
        locked.submitted_at = timezone.now()

    submitted = advance(
        application=application,
        actor=actor,
        name="submit",
        expected_status=expected_status,
        reason=_("自评得分：%(total)s分") % {"total": self_score_total(application)},
        before_save=record_total,
    )
    link = reverse("assessments:application_detail", args=[submitted.pk])
    subject = (
        _("%(unit)s 已补正并重新提交评估申请")
        if resubmission
        else _("%(unit)s 提交了评估申请，待受理")
    ) % {"unit": submitted.unit}
    notify(_bureau_contacts(submitted), subject, link=link)
    return submitted


def withdraw(*, application: Application, actor, expected_status: str) -> Application:
    withdrawn = advance(
        application=application, actor=actor, name="withdraw", expected_status=expected_status
    )
    if withdrawn.handler_id:
        notify(
            [withdrawn.handler],
            _("%(unit)s 撤回了评估申请") % {"unit": withdrawn.unit},
            link=reverse("assessments:application_detail", args=[withdrawn.pk]),
        )
    return withdrawn
