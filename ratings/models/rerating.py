"""整改后重新评级: a unit asks to be rated again after putting things right.

A ``Rerating`` links the published result the unit asked about to the application that runs
the evaluation again (``Application.kind == "rerating"``, same cycle, the one state machine).
One per rating (the OneToOne) and one per unit and cycle (the application's constraint): the
right is used once per cycle, whether the bureau accepts or refuses. When the new result is
published the database marks the old one superseded (trigger of migration 0007) and its
certificate ends; both stay in the archive.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rerating(models.Model):
    rating = models.OneToOneField(
        "ratings.Rating",
        verbose_name=_("申请重新评级的结果"),
        on_delete=models.PROTECT,
        related_name="rerating",
    )
    application = models.OneToOneField(
        "assessments.Application",
        verbose_name=_("重新评级申请"),
        on_delete=models.PROTECT,
        related_name="rerating",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("整改后重新评级")
        verbose_name_plural = _("整改后重新评级")

    def __str__(self):
        return f"{self.rating} · {self.application.get_status_display()}"

    def decision(self):
        """The bureau's accept or refuse record (actor, time, reasons), or None while pending."""
        return (
            self.application.transitions.filter(name__in=("accept", "refuse"))
            .select_related("actor")
            .last()
        )
