"""Find the audit entries about a unit: the unit itself and every logged row that belongs to it
(its applications, scores, ratings, certificates, notices, measures, hazards…), whatever name
the entry was written under.

Which rows belong to a unit is read from the models: the shortest chain of foreign keys from a
logged model to ``units.Unit``, not passing through a user (a cycle opened by someone is not
the opener's unit's). A model added to the log later is searchable without a change here.
"""

from functools import cache

from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from portal.name_search import filter_name

MAX_HOPS = 3


def entries_naming(queryset, text: str):
    """Entries whose object name contains ``text``, or about a unit whose name contains it."""
    units = filter_name(apps.get_model("units", "Unit").objects.all(), text).values("pk")
    about_units = Q()
    for model, path in unit_paths().items():
        rows = model._default_manager.filter(**{f"{path}__in": units}).values("pk")
        content_type = ContentType.objects.get_for_model(model)
        about_units |= Q(content_type=content_type, object_id__in=rows)
    return queryset.filter(Q(object_repr__icontains=text) | about_units)


@cache
def unit_paths() -> dict:
    """{logged model: lookup from it to its unit} ("pk" for the unit itself)."""
    unit = apps.get_model("units", "Unit")
    paths = {}
    for model in auditlog.get_models():
        path = "pk" if model is unit else _path_to(model, unit)
        if path:
            paths[model] = path
    return paths


def _path_to(model, target) -> str | None:
    person = get_user_model()
    frontier = [(model, "")]
    for _hop in range(MAX_HOPS):
        following = []
        for current, path in frontier:
            for field in current._meta.concrete_fields:
                related = field.related_model
                if not (field.many_to_one or field.one_to_one) or related in (None, person):
                    continue
                lookup = f"{path}__{field.name}" if path else field.name
                if related is target:
                    return lookup
                following.append((related, lookup))
        frontier = following
    return None
