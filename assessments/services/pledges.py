"""Signing the annual pledge (承诺书) and routing it to those who receive it."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Cycle, Pledge
from portal.models import Role, User
from portal.notifications import notify


def receivers(unit) -> list[User]:
    """The township/street office of the unit's area, its supervising department, the bureau."""
    wanted = Q(role=Role.BUREAU) | Q(role=Role.TOWNSHIP, area_id=unit.area_id)
    if unit.supervising_department_id is not None:
        wanted |= Q(role=Role.SUPERVISOR, department_id=unit.supervising_department_id)
    return list(User.objects.filter(wanted, is_active=True))


def sign_pledge(*, cycle: Cycle, unit, actor, signatory: str, signatory_title: str) -> Pledge:
    """Record the signed pledge with the text of the cycle's template as it reads today.

    A pledge signed online is signed the day it is submitted (China Standard Time): the date
    under the signature and the platform's record of the signing are one date."""
    try:
        with transaction.atomic():
            pledge = Pledge.objects.create(
                cycle=cycle,
                unit=unit,
                text=cycle.pledge_text,
                signatory=signatory,
                signatory_title=signatory_title,
                signed_on=timezone.localdate(),
                submitted_by=actor,
            )
            # Township and supervising department act as liaison: they are told, not asked.
            liaison = [user for user in receivers(unit) if user.role != Role.BUREAU]
            notify(
                liaison,
                _("%(unit)s 已签署%(cycle)s安全生产诚信建设承诺书")
                % {"unit": unit, "cycle": cycle},
                link=reverse("assessments:pledge_detail", args=[pledge.pk]),
            )
    except IntegrityError as error:
        raise ValidationError(_("本单位已签署本年度承诺书，无需重复签署。")) from error
    return pledge
