"""Forms of the organiser's consultation pages: the draft (its sections a repeatable set of rows), reviewing,
answering and gathering comments, each section's outcome, the final text. Shape and widgets only; the rules are
consultations.drafts' and consultations.comments'."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fulian.core.forms import DateInput
from fulian.core.forms import errors_to_form as core_errors_to_form

from .comments import MAX_COMMENT
from .drafts import MAX_SECTION_TEXT, MAX_SECTIONS
from .models import Audience, ConsultationState, DraftKind, Outcome

BLANK_ROWS = 3  # empty section rows a new draft starts with, and the number 再加几条 adds
STATES = [("", _("全部状态")), *ConsultationState.choices]

# a service's error code → the field it is about (anything else is shown above the form)
FIELD_OF_CODE = {"kind": "kind", "audience": "audience", "period": "closes_on", "period_order": "closes_on",
                 "period_long": "closes_on", "period_past": "closes_on", "outcome": "outcome",
                 "comment_text": "text", "comment_long": "text", "section": "section", "comment_name": "name",
                 "review_note": "note", "answer": "answer", "answer_unpublished": None}
SECTION_CODES = {"no_sections", "section_text", "too_many_sections"}


def errors_to_form(form, exc, *, sections=None) -> None:
    """A service's ValidationError on the field its code names (when the form has it), the sections' on the rows,
    else above the form."""
    if sections is not None and not hasattr(exc, "error_dict"):
        rows = [e for e in exc.error_list if e.code in SECTION_CODES]
        sections.section_errors += [e.message % (e.params or {}) for e in rows]
        rest = [e for e in exc.error_list if e.code not in SECTION_CODES]
        if not rest:
            return
        exc = ValidationError(rest)
    core_errors_to_form(form, exc, FIELD_OF_CODE)


class ConsultationForm(forms.Form):
    """A draft: kind (on a new one only), title, intro, audience and the period. The sections come in their own
    rows (`section_rows`)."""

    kind = forms.ChoiceField(label=_("草案类型"), choices=DraftKind.choices)
    title = forms.CharField(label=_("标题"), max_length=120,
                            widget=forms.TextInput(attrs={"placeholder": _("如：恒东社区居民公约（修订草案）")}))
    intro = forms.CharField(label=_("说明"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("为什么修订、希望大家重点提哪些意见。"))
    audience = forms.ChoiceField(label=_("征求对象"), choices=Audience.choices, widget=forms.RadioSelect,
                                 initial=Audience.SUBTREE)
    opens_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    closes_on = forms.DateField(label=_("截止日期"), widget=DateInput)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            del self.fields["kind"], self.fields["client_token"]
            self.fields["version"].required = True
        else:
            del self.fields["version"]
            if not self.is_bound:
                self.fields["client_token"].initial = uuid.uuid4().hex

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("截止日期不能早于开始日期。"))
        return data


class SectionRowForm(forms.Form):
    heading = forms.CharField(label=_("条目标题"), max_length=100, required=False,
                              widget=forms.TextInput(attrs={"placeholder": _("如：第一条")}))
    text = forms.CharField(label=_("条目内容"), max_length=MAX_SECTION_TEXT, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class _SectionRows(forms.BaseFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.section_errors: list[str] = []

    def rows(self) -> list[dict]:
        """What was typed in each row, in order (the service drops the empty ones and says what is missing)."""
        return [{"heading": (f["heading"].value() or "").strip(), "text": (f["text"].value() or "").strip()}
                for f in self.forms]


def section_rows(data=None, *, initial=(), blank: int = BLANK_ROWS):
    """The draft's sections as rows of heading + text: its own (`initial`) and `blank` empty ones to fill."""
    rows = list(initial)[:MAX_SECTIONS]
    formset = forms.formset_factory(SectionRowForm, formset=_SectionRows, extra=max(0, min(blank, MAX_SECTIONS -
                                                                                         len(rows))),
                                    max_num=MAX_SECTIONS, absolute_max=MAX_SECTIONS, validate_max=True)
    return formset(data, initial=rows, prefix="s")


class FilterForm(forms.Form):
    state = forms.ChoiceField(label=_("状态"), choices=STATES, required=False)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


class ReviewForm(forms.Form):
    """先审后发: 发布 or 不发布 with the reason."""

    decision = forms.ChoiceField(choices=[("approve", _("发布")), ("reject", _("不发布"))])
    note = forms.CharField(label=_("不发布的原因"), max_length=200, required=False)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 2}))


class GatherForm(forms.Form):
    """A comment a cadre gathered on a visit: from a woman of the registry (picked from a search) or by name."""

    section = forms.ChoiceField(label=_("对哪一条"), required=False)
    text = forms.CharField(label=_("意见"), max_length=MAX_COMMENT, widget=forms.Textarea(attrs={"rows": 3}))
    woman = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    name = forms.CharField(label=_("提意见人姓名"), max_length=30, required=False,
                           help_text=_("从名册中选了人的可以不填。"))
    anonymous = forms.BooleanField(label=_("匿名显示"), required=False)
    client_token = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = section_choices(sections)
        if not self.is_bound:
            self.fields["client_token"].initial = uuid.uuid4().hex


def section_choices(sections) -> list[tuple[str, str]]:
    return [("", _("对草案整体")), *((str(s.pk), s.heading or _("第%(n)d条") % {"n": s.number}) for s in sections)]


class DecideForm(forms.Form):
    """One section's outcome: 采纳, 修改后采纳 with the new text, or 未采纳 with the reason."""

    outcome = forms.ChoiceField(label=_("采纳情况"), widget=forms.RadioSelect,
                                choices=[c for c in Outcome.choices if c[0]])
    reason = forms.CharField(label=_("理由"), max_length=2000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("修改后采纳、未采纳的须写明理由。"))
    final_text = forms.CharField(label=_("修改后的内容"), max_length=MAX_SECTION_TEXT, required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class PublishForm(forms.Form):
    note = forms.CharField(label=_("采纳情况说明"), max_length=5000, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("如：共收到意见12条，采纳8条；未采纳的原因见各条。"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
