"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from a 31-character alphabet (digits and capitals without I, O, S, V, Z):
registration authority, entity type, six-digit administrative division, nine-character
organisation code, and a check character computed from the first seventeen.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]
FORBIDDEN = set("IOSVZ")
LENGTH = 18


def check_character(first17: str) -> str:
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


def normalize(raw: str) -> str:
    """What users type: surrounding spaces and lower case are forgiven."""
    return "".join(raw.split()).upper()


def validate_credit_code(code: str) -> None:
    """Raise ValidationError with a message naming what is wrong."""
    if len(code) != LENGTH:
        raise ValidationError(
            _("统一社会信用代码应为18位，当前为%(n)d位。") % {"n": len(code)}, code="length"
        )
    if code != code.upper():
        raise ValidationError(_("统一社会信用代码中的字母应为大写。"), code="lowercase")
    forbidden = sorted(set(code) & FORBIDDEN)
    if forbidden:
        raise ValidationError(
            _("统一社会信用代码不使用字母 I、O、S、V、Z，发现：%(chars)s。")
            % {"chars": "、".join(forbidden)},
            code="forbidden_letter",
        )
    invalid = sorted({char for char in code if char not in ALPHABET})
    if invalid:
        raise ValidationError(
            _("统一社会信用代码含有非法字符：%(chars)s。") % {"chars": "、".join(invalid)},
            code="invalid_character",
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("统一社会信用代码第3至8位应为行政区划代码（数字）。"), code="division"
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("统一社会信用代码校验位错误：末位应为 %(expected)s，而不是 %(actual)s。")
            % {"expected": expected, "actual": code[17]},
            code="check_character",
        )


def is_valid(code: str) -> bool:
    try:
        validate_credit_code(code)
    except ValidationError:
        return False
    return True


def make_credit_code(serial: int, division: str = "410184", prefix: str = "91") -> str:
    """A valid code for demo and test data; ``serial`` picks the organisation code."""
    body = ""
    n = serial
    for _position in range(9):
        body = ALPHABET[n % 31] + body
        n //= 31
    first17 = f"{prefix}{division}{body}"
    return first17 + check_character(first17)
