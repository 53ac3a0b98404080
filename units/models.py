from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.name_search import bigrams

from .credit_code import validate_credit_code


class Area(models.Model):
    """A township (乡/镇) or street office (街道) of the city."""

    class Kind(models.TextChoices):
        STREET = "street", _("街道")
        TOWN = "town", _("镇")
        TOWNSHIP = "township", _("乡")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("有效"), default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("乡镇街道")
        verbose_name_plural = _("乡镇街道")

    def __str__(self):
        return self.name


class Industry(models.Model):
    name = models.CharField(_("名称"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("行业")
        verbose_name_plural = _("行业")

    def __str__(self):
        # Default reference names are in the catalogue (units/defaults.py marks them); names
        # the bureau adds later are data and show as written.
        return gettext(self.name)


class Department(models.Model):
    """A municipal department. What it does (supervise an industry, receive notices) is data."""

    short_name = models.CharField(_("简称"), max_length=20, unique=True)
    name = models.CharField(_("全称"), max_length=100)
    is_supervising = models.BooleanField(_("行业主管部门"), default=False)
    is_linked = models.BooleanField(_("联动部门"), default=False)
    industries = models.ManyToManyField(
        Industry, verbose_name=_("主管行业"), blank=True, related_name="departments"
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        ordering = ["order", "short_name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        # Default reference names are in the catalogue (units/defaults.py marks them); names
        # the bureau adds later are data and show as written.
        return gettext(self.name)


def unit_scope(user) -> dict[str, object] | None:
    """The one rule for which units a signed-in user sees (SPEC §1: role and object).

    Field values on Unit that select them: ``{}`` for every unit, ``None`` for none.
    ``Unit.objects.visible_to``, ``visible_units_q`` and ``Unit.is_visible_to`` all read it.
    """
    from portal.models import Role

    if user.role in (Role.BUREAU, Role.GOVERNMENT):
        return {}
    if user.role == Role.ENTERPRISE:
        return {"id": user.unit_id}
    if user.role == Role.TOWNSHIP:
        return {"area_id": user.area_id}
    if user.role == Role.SUPERVISOR:
        return {"supervising_department_id": user.department_id}
    return None


def visible_units_q(user, path: str) -> models.Q:
    """A filter for records of the units ``user`` sees, the unit reached through ``path``
    (``"unit"``, ``"application__unit"``): no subquery, so it stays cheap on long lists."""
    scope = unit_scope(user)
    if scope is None:
        return models.Q(pk__in=[])
    return models.Q(**{f"{path}__{field}": value for field, value in scope.items()})


class UnitQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Unit.Status.APPROVED)

    def visible_to(self, user):
        """Units a signed-in user may see (``unit_scope``)."""
        scope = unit_scope(user)
        return self.none() if scope is None else self.filter(**scope)


class Unit(models.Model):
    """A production and business unit (生产经营单位)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    name = models.CharField(_("单位名称"), max_length=200)
    name_bigrams = ArrayField(models.CharField(max_length=2), default=list, editable=False)
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("该统一社会信用代码已登记。")},
    )
    legal_representative = models.CharField(_("法定代表人"), max_length=50)
    address = models.CharField(_("地址"), max_length=200)
    area = models.ForeignKey(Area, verbose_name=_("所属乡镇街道"), on_delete=models.PROTECT)
    industry = models.ForeignKey(Industry, verbose_name=_("行业"), on_delete=models.PROTECT)
    supervising_department = models.ForeignKey(
        Department,
        verbose_name=_("主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_units",
        limit_choices_to={"is_supervising": True},
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    status = models.CharField(
        _("登记状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_note = models.CharField(_("审核意见"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("生产经营单位")
        verbose_name_plural = _("生产经营单位")
        indexes = [
            GinIndex(fields=["name_bigrams"], name="unit_name_bigrams_gin"),
            models.Index(fields=["area", "industry"]),
            # Public search lists by name: a common fragment walks this in order and stops.
            models.Index(fields=["name"], name="unit_name"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_bigrams = bigrams(self.name)
        if kwargs.get("update_fields") and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_bigrams"}
        super().save(*args, **kwargs)

    @property
    def is_approved(self) -> bool:
        """The bureau approved the registration: the unit may take part in the scheme."""
        return self.status == self.Status.APPROVED

    @property
    def awaits_review(self) -> bool:
        """Registered and not yet approved or rejected by the bureau."""
        return self.status == self.Status.PENDING

    def is_visible_to(self, user) -> bool:
        """Whether ``user`` sees this unit (``unit_scope``), without a query."""
        scope = unit_scope(user)
        return scope is not None and all(
            getattr(self, field) == value for field, value in scope.items()
        )
