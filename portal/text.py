"""Text that ends up in e-mail headers, file names and spreadsheets: no control characters.

A unit name with a newline once made every e-mail whose subject held it raise (Django refuses
header injection), and with it the whole batch beside it. Names refuse control characters when
they are typed or imported; anything written into a subject is flattened once more.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def has_control_characters(value: str) -> bool:
    return any(unicodedata.category(character) == "Cc" for character in value)


def refuse_control_characters(value: str) -> None:
    """Field validator: NUL, newlines, tabs and the other C0/C1 controls are refused."""
    if value and has_control_characters(value):
        raise ValidationError(_("不能包含换行、制表符等控制字符。"), code="control_characters")


def single_line(value: str) -> str:
    """``value`` on one line: every run of control characters becomes one space."""
    out, pending_space = [], False
    for character in value:
        if unicodedata.category(character) == "Cc":
            pending_space = True
            continue
        if pending_space and out:
            out.append(" ")
        pending_space = False
        out.append(character)
    return "".join(out)
