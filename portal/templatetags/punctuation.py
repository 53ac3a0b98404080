"""Full-width punctuation that joins template variables, in the reader's language.

``{{ label }}：{{ value }}`` would leave a Chinese colon on the English pages; write
``{{ label }}{% punct "：" %}{{ value }}`` and English readers get ": " instead.
"""

from django import template
from django.utils.translation import get_language

register = template.Library()

ENGLISH = {"：": ": ", "（": " (", "）": ")", "、": ", ", "；": "; ", "。": ". ", "，": ", "}


@register.simple_tag
def punct(mark: str) -> str:
    if (get_language() or "zh-hans").startswith("zh"):
        return mark
    return ENGLISH[mark]
