"""Text that ends up in e-mail headers, file names and spreadsheets: no control characters.

A unit name with a newline once made every e-mail whose subject held it raise (Django refuses
header injection), and with it the whole batch beside it. Names refuse control characters when
they are typed or imported; anything written into a subject is flattened once more. A paragraph
(``PlainTextField``) keeps its line ends and tabs but refuses the other controls and the
bidirectional overrides that make a reader see words in another order than they are stored.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

PARAGRAPH_CONTROLS = {"\n", "\r", "\t"}
BIDI_OVERRIDES = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


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


def refuse_control_characters_in_paragraph(value: str) -> None:
    """Field validator for typed paragraphs: line ends and tabs pass, NUL, escape sequences,
    the other C0/C1 controls and bidirectional overrides are refused."""
    if value and any(
        character in BIDI_OVERRIDES
        or (unicodedata.category(character) == "Cc" and character not in PARAGRAPH_CONTROLS)
        for character in value
    ):
        raise ValidationError(
            _("含有控制字符，请只使用普通文字、标点和换行。"), code="control_characters"
        )


class PlainTextField(forms.CharField):
    """A paragraph a person types (a statement, a reason, a comment): one clear message for
    every control character, NUL included, in place of Django's own for NUL alone."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            validator
            for validator in self.validators
            if not isinstance(validator, ProhibitNullCharactersValidator)
        ]
        self.validators.append(refuse_control_characters_in_paragraph)
