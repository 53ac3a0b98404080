"""Filling the self-assessment: item scores, notes, evidence, vetoes and the self-check report.

Nothing typed is lost: a save stores every valid field and re-shows the invalid ones with
their messages; a POST that arrives after the session expired is kept in the new session and
saved as soon as the user has signed in again (docs/decisions/0010-draft-save-and-stale-sessions.md).
"""

import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

from portal.downloads import stored_file_response
from portal.refusals import Refused

from ..forms import ITEM_NOTES_MAX_LENGTH, ItemScoreForm, SelfReportForm, TransitionForm
from ..models import Application
from ..models.applications import EDITABLE_BY_ENTERPRISE
from ..selectors import evidence_for, get_application_for
from ..services import self_assessment
from .access import allowed

STASH_KEY = "assessments:unsaved_post"
# Only the fields of this page are kept, each no longer than its form allows (a score is a few
# characters; notes and the report are capped by their forms), and a whole stash is small: an
# anonymous POST must not be a way to fill the session table.
STASH_FIELDS = (
    (re.compile(r"item-\d{1,9}-score"), 12, 1),
    (re.compile(r"item-\d{1,9}-notes"), ITEM_NOTES_MAX_LENGTH, 1),
    (re.compile(r"report-self_report"), 20000, 1),
    (re.compile(r"report-declared_vetoes"), 12, 50),
    (re.compile(r"expected_status|then"), 40, 1),
)
STASH_MAX_CHARS = 100_000


def _stashable(post) -> dict | None:
    """The expected fields of ``post``, or None when anything else or anything too big came."""
    kept, total = {}, 0
    for key in post:
        if key == "csrfmiddlewaretoken":
            continue
        rule = next((rule for rule in STASH_FIELDS if rule[0].fullmatch(key)), None)
        values = post.getlist(key)
        if rule is None or len(values) > rule[2] or any(len(v) > rule[1] for v in values):
            return None
        total += len(key) + sum(len(value) for value in values)
        kept[key] = values
    return kept if kept and total <= STASH_MAX_CHARS else None


def _could_succeed(request, pk) -> bool:
    """Only a draft that its enterprise could still save is worth keeping a POST for, and one
    address keeps only a few such POSTs an hour."""
    if not Application.objects.filter(pk=pk, status__in=EDITABLE_BY_ENTERPRISE).exists():
        return False
    try:
        return not is_ratelimited(
            request, group="assessments.stash", key="ip", rate=settings.STASH_RATE, increment=True
        )
    except Exception:  # noqa: BLE001 - the cache is down: keep nothing rather than everything
        return False


def keep_post_across_login(view):
    """Outermost decorator: an anonymous POST (expired session) is kept in the session
    before the access check sends the user to the login page; the view saves it later."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not request.user.is_authenticated:
            data = _stashable(request.POST)
            if data is not None and _could_succeed(request, kwargs.get("pk")):
                request.session[STASH_KEY] = {
                    "path": request.path,
                    "data": data,
                    "had_files": bool(request.FILES),
                }
        return view(request, *args, **kwargs)

    return wrapper


def _take_stash(request) -> tuple[QueryDict | None, bool]:
    stash = request.session.get(STASH_KEY)
    if not stash or stash.get("path") != request.path:
        return None, False
    del request.session[STASH_KEY]
    data = QueryDict(mutable=True)
    for key, values in stash["data"].items():
        data.setlist(key, values)
    return data, stash.get("had_files", False)


def _forms(application, data=None, files=None):
    items = list(application.cycle.standard.items())
    scores = {score.item_id: score for score in application.self_scores.all()}
    item_forms = []
    for item in items:
        score = scores.get(item.pk)
        initial = {"score": score.score, "notes": score.notes} if score else {}
        item_forms.append(ItemScoreForm(data, files, item=item, initial=initial))
    report_form = SelfReportForm(
        data,
        standard=application.cycle.standard,
        initial={
            "self_report": application.self_report,
            "declared_vetoes": list(application.declared_vetoes.values_list("pk", flat=True)),
        },
    )
    return item_forms, report_form


def _files_by_item(request, item_forms) -> dict:
    return {
        form.item: request.FILES.getlist(form.add_prefix("files"))
        for form in item_forms
        if request.FILES.getlist(form.add_prefix("files"))
    }


def _save(request, application, data, files_source=None):
    item_forms, report_form = _forms(application, data, files_source)
    files = _files_by_item(request, item_forms) if files_source is not None else {}
    result = self_assessment.save_draft(
        application=application,
        actor=request.user,
        item_forms=item_forms,
        report_form=report_form,
        files_by_item=files,
    )
    return item_forms, report_form, result


def _submit_saved(request, application) -> bool:
    """Submit what was just saved; on refusal say why (the draft is kept either way)."""
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效，请刷新页面后重试。"))
        return False
    # The save went through a locked copy of the row: read the report it stored, or the
    # completeness check would still see the page's old, empty one.
    application.refresh_from_db()
    try:
        self_assessment.submit(
            application=application,
            actor=request.user,
            expected_status=form.cleaned_data["expected_status"],
        )
    except Refused as error:
        messages.error(request, str(error))
        return False
    return True


@keep_post_across_login
@allowed
def self_assessment_edit(request, pk):
    application = get_application_for(request.user, pk, write=True)
    result = None
    if request.method == "POST":
        item_forms, report_form, result = _save(request, application, request.POST, request.FILES)
        if not result.errors:
            if request.POST.get("then") == "submit" and _submit_saved(request, application):
                messages.success(request, _("评估申请已提交，请等待市安全生产监管局受理。"))
                return redirect("assessments:application_detail", pk=pk)
            messages.success(request, _("草稿已保存。"))
            return redirect("assessments:self_assessment", pk=pk)
        messages.warning(
            request,
            _("已保存填写正确的内容；有%(n)d处需要修改，已在下方标出，您填写的内容都还在。")
            % {"n": result.errors},
        )
    else:
        stashed, had_files = _take_stash(request)
        if stashed is not None:
            item_forms, report_form, result = _save(request, application, stashed)
            messages.info(
                request,
                _("您登录前提交的内容已恢复并保存为草稿。")
                + (_("附件需要重新选择上传。") if had_files else ""),
            )
        else:
            item_forms, report_form = _forms(application)
    evidence_by_item: dict = {}
    for evidence in application.evidence.all():
        evidence_by_item.setdefault(evidence.item_id, []).append(evidence)
    file_errors = result.file_errors if result else {}
    categories = []
    for form in item_forms:
        if not categories or categories[-1]["category"].pk != form.item.category_id:
            categories.append({"category": form.item.category, "forms": []})
        form.evidence = evidence_by_item.get(form.item.pk, [])
        form.file_errors = file_errors.get(form.item.pk, [])
        categories[-1]["forms"].append(form)
    return render(
        request,
        "assessments/self_assessment.html",
        {
            "application": application,
            "categories": categories,
            "report_form": report_form,
            "all_evidence": [e for group in evidence_by_item.values() for e in group],
            "missing": self_assessment.missing_labels(application),
            "missing_texts": self_assessment.message_templates(),
            "total": self_assessment.self_score_total(application),
        },
        status=400 if request.method == "POST" and result.errors else 200,
    )


@allowed
@require_POST
def evidence_delete(request, pk, evidence_pk):
    application = get_application_for(request.user, pk, write=True)
    self_assessment.delete_evidence(application=application, evidence_pk=evidence_pk)
    messages.success(request, _("已删除该证明材料。"))
    return redirect("assessments:self_assessment", pk=pk)


@allowed
def evidence_download(request, pk, evidence_pk):
    application = get_application_for(request.user, pk)
    evidence = evidence_for(request.user, application).filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    return stored_file_response(evidence.file, evidence.original_name, evidence.content_type)
