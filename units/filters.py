import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.name_search import filter_name
from portal.widgets import bootstrap

from .models import Area, Industry, Unit


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("名称或信用代码"), method="search")
    area = django_filters.ModelChoiceFilter(queryset=Area.objects.all(), label=_("乡镇街道"))
    industry = django_filters.ModelChoiceFilter(queryset=Industry.objects.all(), label=_("行业"))
    status = django_filters.ChoiceFilter(choices=Unit.Status.choices, label=_("登记状态"))

    class Meta:
        model = Unit
        fields = ["q", "area", "industry", "status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if len(value) == 18 and value.isalnum():
            return queryset.filter(Q(credit_code=value.upper()))
        return filter_name(queryset, value)

    @property
    def form(self):
        return bootstrap(super().form)
