"""Bureau and enterprise pages of the public-comment stage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.models import Cycle
from portal.downloads import stored_file_response
from portal.punctuation import joined, punct
from portal.refusals import Refused

from ..forms import AnswerForm, BatchForm, GradeForm, ObjectionForm, ReplyForm, SubmitForm
from ..models import Comment
from ..selectors import (
    batch_items,
    batches_for_bureau,
    get_batch_for,
    get_comment_for,
    get_item_for,
    graded_awaiting_publicity,
    items_for,
)
from ..services import confirmation, objections, publicity
from .access import allowed


def _graded_applications():
    return graded_awaiting_publicity(Cycle.objects.current()).select_related("unit")


@allowed
def batch_list(request):
    return render(
        request,
        "ratings/batch_list.html",
        {"batches": batches_for_bureau(), "graded_count": _graded_applications().count()},
    )


@allowed
def batch_create(request):
    cycle = Cycle.objects.current()
    applications = _graded_applications().order_by("-star", "unit__name")
    form = BatchForm(
        request.POST or None,
        applications=applications,
        initial={
            "title": _("%(cycle)s安全生产诚信等级评定结果公示") % {"cycle": cycle} if cycle else "",
            "applications": applications,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = publicity.open_batch(
                cycle=cycle,
                applications=list(form.cleaned_data["applications"]),
                title=form.cleaned_data["title"],
                starts_at=form.cleaned_data["starts_at"],
                ends_at=form.cleaned_data["ends_at"],
                actor=request.user,
            )
        except Refused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("公示已开启。"))
            return redirect("ratings:batch_detail", pk=batch.pk)
    return render(request, "ratings/batch_form.html", {"form": form, "cycle": cycle})


@allowed
def batch_detail(request, pk):
    batch = get_batch_for(request.user, pk)
    rows = [(item, confirmation.blockers(item)) for item in batch_items(batch)]
    return render(
        request,
        "ratings/batch_detail.html",
        {"batch": batch, "rows": rows, "submit_form": SubmitForm()},
    )


@allowed
@require_POST
def batch_submit(request, pk):
    batch = get_batch_for(request.user, pk)
    chosen = batch.items.filter(pk__in=request.POST.getlist("items")).select_related("application")
    form = SubmitForm(request.POST)
    form.is_valid()
    try:
        submission = confirmation.submit_to_government(
            batch=batch,
            items=list(chosen),
            note=form.cleaned_data.get("note", ""),
            actor=request.user,
        )
    except Refused as error:
        messages.error(request, str(error))
        return redirect("ratings:batch_detail", pk=batch.pk)
    messages.success(request, _("已报送市政府确认。"))
    return redirect("ratings:submission_detail", pk=submission.pk)


@allowed
def my_items(request):
    items = items_for(request.user).order_by("-batch__starts_at")
    return render(request, "ratings/my_items.html", {"items": items})


@allowed
def item_detail(request, pk):
    return _item_page(request, get_item_for(request.user, pk))


def _item_page(request, item, refused=None):
    """The item's page; ``refused`` is a form the user sent back with errors (and, for the
    per-comment forms, ``refused_for``: its comment), shown again with what they typed."""
    comments = list(item.comments.select_related("answered_by").order_by("created_at"))
    is_bureau = request.user.is_bureau
    context = {
        "item": item,
        "application": item.application,
        "public_comments": [c for c in comments if c.kind == Comment.Kind.PUBLIC],
        "objections": [c for c in comments if c.kind == Comment.Kind.OBJECTION],
        "is_bureau": is_bureau,
        "window_open": item.batch.is_open and item.application.is_in_publicity,
        "grade_changes": item.application.grade_changes.select_related("comment", "changed_by"),
    }
    if is_bureau:
        context["answer_form"] = AnswerForm()
        context["grade_form"] = GradeForm(
            comments=item.comments.all(),
            initial={
                "new_score": item.application.comprehensive_score,
                "has_veto": item.application.has_veto,
            },
        )
        context["can_answer"] = item.application.is_in_publicity
        # An objection is decided only by an officer who took no part (the service checks it).
        context["may_decide"] = objections.may_decide(request.user, item.application)
    else:
        context["reply_form"] = ReplyForm()
        context["objection_form"] = ObjectionForm()
    if refused:
        form = refused["form"]
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}{punct('：')}{joined('；', errors)}")
        context.update(refused)
    return render(request, "ratings/item_detail.html", context, status=400 if refused else 200)


@allowed
@require_POST
def comment_answer(request, pk):
    comment = get_comment_for(request.user, pk)
    # Only an officer who took no part decides an objection (the service checks it too).
    if comment.kind == Comment.Kind.OBJECTION and not objections.may_decide(
        request.user, comment.item.application
    ):
        raise PermissionDenied
    form = AnswerForm(request.POST)
    if not form.is_valid():
        refused = {"form": form, "answer_refused": form, "refused_for": comment.pk}
        return _item_page(request, comment.item, refused)
    try:
        publicity.answer(
            comment=comment,
            decision=form.cleaned_data["decision"],
            text=form.cleaned_data["answer"],
            actor=request.user,
        )
        messages.success(request, _("已答复。"))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("ratings:item_detail", pk=comment.item_id)


@allowed
@require_POST
def item_grade(request, pk):
    item = get_item_for(request.user, pk)
    form = GradeForm(request.POST, comments=item.comments.all())
    if not form.is_valid():
        return _item_page(request, item, {"form": form, "grade_form": form})
    try:
        change = publicity.change_grade(
            application=item.application,
            new_score=form.cleaned_data["new_score"],
            has_veto=form.cleaned_data["has_veto"],
            reason=form.cleaned_data["reason"],
            comment=form.cleaned_data.get("comment"),
            actor=request.user,
        )
        messages.success(
            request,
            _("等级已调整为%(star)s。") % {"star": change.get_new_star_display()},
        )
    except Refused as error:
        messages.error(request, str(error))
    return redirect("ratings:item_detail", pk=item.pk)


@allowed
@require_POST
def comment_reply(request, pk):
    comment = get_comment_for(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        refused = {"form": form, "reply_refused": form, "refused_for": comment.pk}
        return _item_page(request, comment.item, refused)
    try:
        publicity.reply(comment=comment, text=form.cleaned_data["reply"], actor=request.user)
        messages.success(request, _("回复已提交。"))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("ratings:item_detail", pk=comment.item_id)


@allowed
@require_POST
def item_object(request, pk):
    item = get_item_for(request.user, pk)
    form = ObjectionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _item_page(request, item, {"form": form, "objection_form": form})
    try:
        publicity.object_to_grade(
            item=item,
            reasons=form.cleaned_data["reasons"],
            evidence=form.cleaned_data.get("evidence"),
            evidence_type=form.evidence_type,
            actor=request.user,
        )
        messages.success(request, _("异议已提交，监管局将逐项答复。"))
    except Refused as error:
        messages.error(request, str(error))
    return redirect("ratings:item_detail", pk=item.pk)


@allowed
def objection_evidence(request, pk):
    comment = get_comment_for(request.user, pk)
    if not comment.evidence:
        raise Http404
    return stored_file_response(
        comment.evidence,
        comment.evidence_name or "evidence",
        comment.evidence_type or "application/octet-stream",
    )
