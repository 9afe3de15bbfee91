"""Forms of the meeting pages: they parse what was typed (names one per line, ISO date-times, vote counts); the rules
(quorum, majority, who may record) are the services' (meetings.services), whose ValidationError the view shows."""

import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fulian.work.forms import DATETIME_LOCAL, DateTimeLocalInput, TaskForm

from .models import MeetingKind, VoteChoice

_SEPARATORS = re.compile(r"[\n\r,，、;；]+")
_NAME_REASON = re.compile(r"^\s*([^:：\s]+)\s*[:：\s]?\s*(.*)$")


def split_names(text: str) -> list[str]:
    return [t.strip() for t in _SEPARATORS.split(text or "") if t.strip()]


def split_absentees(text: str) -> list[tuple[str, str]]:
    """One per line: "姓名 原因" or "姓名：原因"."""
    out = []
    for line in (text or "").splitlines():
        match = _NAME_REASON.match(line)
        if match and match.group(1).strip():
            out.append((match.group(1).strip(), match.group(2).strip()))
    return out


class TokenForm(forms.Form):
    """A hidden one-time token: the same form posted twice (a double tap) saves once."""

    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_token"].initial = uuid.uuid4().hex


class MeetingForm(TokenForm):
    held_at = forms.DateTimeField(label=_("召开时间"), widget=DateTimeLocalInput(),
                                  input_formats=[DATETIME_LOCAL, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    chair_name = forms.CharField(label=_("主持人"), max_length=30, required=False)
    agenda = forms.CharField(label=_("议题"), required=False, max_length=50000,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一个议题。"))
    minutes = forms.CharField(label=_("会议纪要"), required=False, max_length=50000,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, kind: str, members=(), organisation_names=(), now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind, self.members = kind, list(members)
        self.fields["held_at"].initial = timezone.localtime(now).replace(second=0, microsecond=0)
        if kind in (MeetingKind.EXECUTIVE, MeetingKind.STANDING):
            self.fields["present"] = forms.MultipleChoiceField(
                label=_("到会委员"), required=False, widget=forms.CheckboxSelectMultiple,
                choices=[(str(m.pk), f"{m.name}（{m.get_role_display()}）") for m in self.members])
            for m in self.members:
                label = _("%(name)s缺席原因") % {"name": m.name}
                self.fields[f"reason_{m.pk}"] = forms.CharField(
                    label=label, max_length=100, required=False,
                    widget=forms.TextInput(attrs={"placeholder": _("缺席原因"), "aria-label": label}))
        else:
            self.fields["attendees"] = forms.CharField(label=_("参会人员"), max_length=10000,
                                                       widget=forms.Textarea(attrs={"rows": 3}),
                                                       help_text=_("每行一个姓名，或用顿号隔开。"))
            self.fields["absentees"] = forms.CharField(label=_("缺席人员及原因"), required=False, max_length=10000,
                                                       widget=forms.Textarea(attrs={"rows": 2}),
                                                       help_text=_("每行一人：姓名 原因，例如“王芳 出差”。"))
        self.fields["observers"] = forms.CharField(label=_("列席人员"), required=False, max_length=10000,
                                                   widget=forms.Textarea(attrs={"rows": 2}),
                                                   help_text=_("可选，每行一个姓名。"))
        if kind == MeetingKind.JOINT:
            self.fields["organisations_known"] = forms.MultipleChoiceField(
                label=_("参会单位（从本单位联系的社会组织、合作单位中选）"), required=False,
                widget=forms.CheckboxSelectMultiple, choices=[(n, n) for n in organisation_names])
            self.fields["organisations"] = forms.CharField(label=_("其他参会单位"), required=False, max_length=10000,
                                                           widget=forms.Textarea(attrs={"rows": 2}),
                                                           help_text=_("每行一个单位名称。"))
        order = ["held_at", "place", "chair_name", "present", *[f"reason_{m.pk}" for m in self.members],
                 "attendees", "absentees", "observers", "organisations_known", "organisations", "agenda", "minutes",
                 "client_token"]
        self.order_fields(order)

    def member_rows(self) -> list[dict]:
        """A committee's members, one row each: ticked present (or not) with the reason beside."""
        if "present" not in self.fields:
            return []
        ticked = {str(v) for v in (self["present"].value() or [])}
        return [{"member": m, "checked": str(m.pk) in ticked, "reason": self[f"reason_{m.pk}"]}
                for m in self.members]

    def other_fields(self) -> list:
        return [f for f in self if f.name != "present" and not f.name.startswith("reason_")]

    def service_args(self) -> dict:
        data = self.cleaned_data
        args = {"held_at": data["held_at"], "place": data["place"], "chair_name": data["chair_name"],
                "agenda": data["agenda"], "minutes": data["minutes"], "observers": split_names(data["observers"]),
                "client_token": data.get("client_token") or None}
        if "present" in self.fields:
            args["present_member_ids"] = [int(i) for i in data["present"]]
            args["absence_reasons"] = {m.pk: data.get(f"reason_{m.pk}", "") for m in self.members}
        else:
            args["attendees"] = split_names(data["attendees"])
            args["absentees"] = split_absentees(data["absentees"])
        if "organisations" in self.fields:
            args["organisations"] = list(data["organisations_known"]) + split_names(data["organisations"])
        return args


class MeetingEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    chair_name = forms.CharField(label=_("主持人"), max_length=30, required=False)
    organisations = forms.CharField(label=_("参会单位"), required=False, max_length=10000,
                                    widget=forms.Textarea(attrs={"rows": 2}), help_text=_("每行一个单位名称。"))
    agenda = forms.CharField(label=_("议题"), required=False, max_length=50000,
                             widget=forms.Textarea(attrs={"rows": 3}), help_text=_("每行一个议题。"))
    minutes = forms.CharField(label=_("会议纪要"), required=False, max_length=50000,
                              widget=forms.Textarea(attrs={"rows": 10}))

    def __init__(self, *args, meeting, **kwargs):
        kwargs.setdefault("initial", {"version": meeting.version, "place": meeting.place,
                                      "chair_name": meeting.chair_name, "agenda": meeting.agenda,
                                      "minutes": meeting.minutes, "organisations": "\n".join(meeting.organisations)})
        super().__init__(*args, **kwargs)
        if meeting.kind != MeetingKind.JOINT:
            del self.fields["organisations"]

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version")
        if "organisations" in data:
            data["organisations"] = split_names(data["organisations"])
        return data


VOTE_CHOICES = [("", _("未表决"))] + list(VoteChoice.choices)


class DecisionForm(TokenForm):
    title = forms.CharField(label=_("决定事项"), max_length=200)
    text = forms.CharField(label=_("内容"), required=False, max_length=50000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    votes_for = forms.IntegerField(label=_("赞成"), required=False, min_value=0, max_value=10000)
    votes_against = forms.IntegerField(label=_("反对"), required=False, min_value=0, max_value=10000)
    votes_abstain = forms.IntegerField(label=_("弃权"), required=False, min_value=0, max_value=10000)
    # a committee consultation (议事协商) this decision is the vote on, when opened from its page
    consultation = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, voters=(), **kwargs):
        """`voters`: the present committee members (Attendance rows), each of whom may be voted by name."""
        super().__init__(*args, **kwargs)
        self.voters = list(voters)
        for a in self.voters:
            self.fields[f"vote_{a.member_id}"] = forms.ChoiceField(label=_("%(name)s的表决") % {"name": a.name},
                                                                   choices=VOTE_CHOICES,
                                                                   required=False)

    def service_args(self) -> dict:
        data = self.cleaned_data
        by_name = {a.member_id: data[f"vote_{a.member_id}"] for a in self.voters if data.get(f"vote_{a.member_id}")}
        counts = {"for": data["votes_for"], "against": data["votes_against"], "abstain": data["votes_abstain"]}
        return {"title": data["title"], "text": data["text"], "votes_by_name": by_name or None,
                "votes": None if by_name else counts, "client_token": data.get("client_token") or None}


class DecisionTaskForm(TaskForm):
    """The task form (work.forms.TaskForm) opened with the decision's title and content; no attachments here
    (they are added on the task's own page)."""

    client_token = forms.CharField(widget=forms.HiddenInput, max_length=40, required=False)

    def __init__(self, *args, decision, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["attachments"]
        self.fields["title"].initial = decision.title
        self.fields["body"].initial = decision.text
        self.fields["client_token"].initial = uuid.uuid4().hex
