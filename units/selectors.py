from django.http import Http404

from .models import Unit


def units_for(user):
    return Unit.objects.visible_to(user).select_related(
        "area", "industry", "supervising_department"
    )


def get_unit_for(user, pk: int) -> Unit:
    """The unit if this user may see it; 404 otherwise (its existence is not revealed)."""
    try:
        return units_for(user).get(pk=pk)
    except Unit.DoesNotExist as error:
        raise Http404 from error
