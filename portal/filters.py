import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from portal.audit_display import ACTION_CHOICES
from portal.audit_search import entries_naming
from portal.models import Role, User
from portal.widgets import DateInput, bootstrap


class AuditFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(
        queryset=User.objects.filter(role__in=[Role.BUREAU, Role.EXPERT, Role.GOVERNMENT]),
        label=_("操作人"),
    )
    content_type = django_filters.ModelChoiceFilter(
        queryset=ContentType.objects.filter(
            app_label__in=["portal", "units", "assessments", "ratings", "linkage"]
        ),
        label=_("对象类型"),
    )
    action = django_filters.ChoiceFilter(choices=ACTION_CHOICES, label=_("操作"))
    text = django_filters.CharFilter(
        method="filter_text",
        label=_("对象或单位名称"),
    )
    since = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__gte",
        label=_("起始日期"),
        widget=DateInput(),
    )
    until = django_filters.DateFilter(
        field_name="timestamp",
        lookup_expr="date__lte",
        label=_("截止日期"),
        widget=DateInput(),
    )

    class Meta:
        model = LogEntry
        fields = ["actor", "content_type", "action", "text", "since", "until"]

    def filter_text(self, queryset, name, value):
        return entries_naming(queryset, value.strip()) if value.strip() else queryset

    @property
    def form(self):
        return bootstrap(super().form)
