"""Full-width punctuation that joins values, in the reader's language.

``f"{label}：{value}"`` would leave a Chinese colon on the English pages; write
``f"{label}{punct('：')}{value}"`` (or ``{% punct "：" %}`` in a template) and English readers
get ": " instead. Official documents (PDFs) are Chinese in either language and keep their own.
"""

from django.utils.translation import get_language

ENGLISH = {"：": ": ", "（": " (", "）": ")", "、": ", ", "；": "; ", "。": ". ", "，": ", "}


def punct(mark: str) -> str:
    if (get_language() or "zh-hans").startswith("zh"):
        return mark
    return ENGLISH[mark]


def joined(mark: str, parts) -> str:
    """``mark.join(parts)`` with the mark in the reader's language."""
    return punct(mark).join(str(part) for part in parts)
