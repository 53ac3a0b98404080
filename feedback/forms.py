from django import forms
from django.utils.translation import gettext_lazy as _

from portal.text import PlainTextField

SCORES = [
    (5, _("5 分 非常满意")),
    (4, _("4 分 满意")),
    (3, _("3 分 基本满意")),
    (2, _("2 分 不满意")),
    (1, _("1 分 非常不满意")),
]


class RateForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("评价"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    comment = PlainTextField(
        label=_("评价意见"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    answer = PlainTextField(
        label=_("答复内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
