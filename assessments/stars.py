"""The star rules of the scheme (seed §六), in one place.

五星级 S ≥ 95; 四星级 85 ≤ S < 95; 三星级 75 ≤ S < 85; below 75 or any veto item: no star,
and the unit is listed as a key monitoring unit for accident hazards. "以上" includes the
number, "以下" excludes it. Scores are Decimal with one place, rounded half up.
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

ONE_PLACE = Decimal("0.1")
FIVE_STAR_MIN = Decimal("95")
FOUR_STAR_MIN = Decimal("85")
THREE_STAR_MIN = Decimal("75")


class Star(models.IntegerChoices):
    NONE = 0, _("无星级（事故隐患重点监控单位）")
    THREE = 3, _("三星级")
    FOUR = 4, _("四星级")
    FIVE = 5, _("五星级")


def round_score(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError("scores are Decimal, never float")
    return value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def mean_score(scores: list[Decimal]) -> Decimal:
    if not scores:
        raise ValueError("no scores to average")
    return round_score(sum(scores, Decimal(0)) / Decimal(len(scores)))


def star_for(score: Decimal, has_veto: bool) -> Star:
    if has_veto:
        return Star.NONE
    score = round_score(score)
    if score >= FIVE_STAR_MIN:
        return Star.FIVE
    if score >= FOUR_STAR_MIN:
        return Star.FOUR
    if score >= THREE_STAR_MIN:
        return Star.THREE
    return Star.NONE
