"""List filters of the assessments stage: the acceptance queue and the grade review."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from assessments.models import Application, Status
from portal.name_search import filter_name
from portal.widgets import DateInput, bootstrap
from units.models import Area, Industry

# --- acceptance queue ----------------------------------------------------------------------------


class AcceptanceFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("状态"),
        choices=[
            (Status.SUBMITTED.value, _("待受理")),
            (Status.RETURNED.value, _("已退回补正")),
            (Status.ACCEPTED.value, _("已受理")),
        ],
        empty_label=_("待受理（默认）"),
        method="filter_status",
    )
    area = django_filters.ModelChoiceFilter(
        field_name="unit__area", queryset=Area.objects.all(), label=_("乡镇街道")
    )
    industry = django_filters.ModelChoiceFilter(
        field_name="unit__industry", queryset=Industry.objects.all(), label=_("行业")
    )
    submitted_from = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__gte",
        label=_("提交日期自"),
        widget=DateInput(),
    )
    submitted_to = django_filters.DateFilter(
        field_name="submitted_at",
        lookup_expr="date__lte",
        label=_("提交日期至"),
        widget=DateInput(),
    )
    handler = django_filters.ChoiceFilter(
        label=_("经办人"),
        choices=[("unassigned", _("未分配")), ("mine", _("我经办的"))],
        empty_label=_("全部"),
        method="filter_handler",
    )

    class Meta:
        model = Application
        fields = ["status", "area", "industry", "submitted_from", "submitted_to", "handler"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def filter_handler(self, queryset, name, value):
        if value == "unassigned":
            return queryset.filter(handler__isnull=True)
        if value == "mine":
            return queryset.filter(handler=self.request.user)
        return queryset

    @property
    def qs(self):
        queryset = super().qs
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=Status.SUBMITTED)
        return queryset

    @property
    def form(self):
        return bootstrap(super().form)


# --- grade review --------------------------------------------------------------------------------


REVIEW_STATES = [
    (Status.EVALUATED.value, Status.EVALUATED.label),
    (Status.GOVERNMENT_RETURNED.value, Status.GOVERNMENT_RETURNED.label),
    (Status.GRADED.value, Status.GRADED.label),
]


class ReviewFilter(django_filters.FilterSet):
    """The grade review's batch view: evaluated applications by area, industry and flag."""

    q = django_filters.CharFilter(label=_("单位名称"), method="search")
    area = django_filters.ModelChoiceFilter(
        field_name="unit__area", queryset=Area.objects.all(), label=_("乡镇街道")
    )
    industry = django_filters.ModelChoiceFilter(
        field_name="unit__industry", queryset=Industry.objects.all(), label=_("行业")
    )
    flag = django_filters.ChoiceFilter(
        label=_("预警"),
        method="by_flag",
        choices=[
            ("any", _("有预警")),
            ("gap", _("自评与初评差距过大")),
            ("veto_missed", _("自查漏报否决项")),
            ("none", _("无预警")),
        ],
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=REVIEW_STATES, empty_label=_("待考评（含市政府退回）")
    )

    class Meta:
        model = Application
        fields = ["q", "area", "industry", "flag", "status"]

    def search(self, queryset, name, value):
        return filter_name(queryset, value.strip(), field="unit__name")

    def by_flag(self, queryset, name, value):
        flagged = Q(gap_flagged=True) | Q(veto_missed_flagged=True)
        return {
            "any": queryset.filter(flagged),
            "gap": queryset.filter(gap_flagged=True),
            "veto_missed": queryset.filter(veto_missed_flagged=True),
            "none": queryset.exclude(flagged),
        }[value]

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=[Status.EVALUATED, Status.GOVERNMENT_RETURNED])
        return super().filter_queryset(queryset)

    @property
    def form(self):
        return bootstrap(super().form)
