"""Recording meetings and their decisions, and issuing a decision's tasks.

The committees' rule (执委会、常委会), as the federations' committee rules put it: 须有半数以上委员到会方能召开，
决定须经应到会委员过半数同意. The members entitled to attend (应到会) are the members of the unit's body of that kind
(orgs.Body, 组织建设) whose term covers the meeting's date. A meeting without a quorum is recorded (it happened)
but records no decision; a decision passes with more than half of the entitled members voting for it, otherwise it
is recorded as not passed and issues no task. Both shares are settings: MEETING_QUORUM and MEETING_MAJORITY, each
"more_than_half" (default, 过半数), "half" (半数及以上) or "two_thirds" (三分之二及以上)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fulian.consultations.models import Audience, ConsultationState
from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.policy import Action, OutOfScope, may_issue_work, require
from fulian.core.writes import write_path
from fulian.orgs.models import Body, BodyMember, Unit
from fulian.work.models import ReportTemplate, Task
from fulian.work.services import task_issue

from .models import (
    COMMITTEE_BODY,
    Attendance,
    AttendeeRole,
    Decision,
    DecisionTask,
    Meeting,
    MeetingKind,
    Vote,
    VoteChoice,
)

RULES = {
    "more_than_half": lambda n, total: 2 * n > total,
    "half": lambda n, total: 2 * n >= total,
    "two_thirds": lambda n, total: 3 * n >= 2 * total,
}
MAX_NAMES = 200
MAX_TEXT = 50000


# how each rule is said in a message (须%(share)s委员到会)
RULE_WORDS = {
    "more_than_half": gettext_lazy("过半数"),
    "half": gettext_lazy("半数及以上"),
    "two_thirds": gettext_lazy("三分之二及以上"),
}


def _rule(name: str):
    # settings.py refuses to start with any other value (envchoice), so a missing key here is a programming error
    return RULES[settings.MEETING_QUORUM if name == "MEETING_QUORUM" else settings.MEETING_MAJORITY]


def rule_words(name: str) -> str:
    """The share a setting asks for, in words: 过半数, 半数及以上, 三分之二及以上."""
    return str(RULE_WORDS[getattr(settings, name)])


def quorum_met(present: int, entitled: int) -> bool:
    """须有半数以上委员到会 (MEETING_QUORUM): enough of the entitled members present to hold the meeting."""
    return entitled > 0 and _rule("MEETING_QUORUM")(present, entitled)


def majority_met(votes_for: int, entitled: int) -> bool:
    """决定须经应到会委员过半数同意 (MEETING_MAJORITY): counted against the entitled members, not those present."""
    return entitled > 0 and _rule("MEETING_MAJORITY")(votes_for, entitled)


def committee_body(unit: Unit, kind: str, on: dt.date) -> Body:
    """The unit's executive or standing committee whose term covers `on`, with its members; a clear refusal
    naming 组织建设 when there is none."""
    body = (Body.objects.filter(unit=unit, kind=COMMITTEE_BODY[kind], term_start__lte=on, term_end__gte=on)
            .order_by("-term_start").first())
    if body is None or not BodyMember.objects.filter(body=body).exists():
        label = MeetingKind(kind).label
        raise ValidationError(_("%(unit)s没有%(date)s在任的%(kind)s委员名单，无法核对到会人数。请先在“组织建设”中设置"
                                "本届领导机构及其成员。") % {"unit": unit.name, "date": on.isoformat(), "kind": label},
                              code="no_body")
    return body


def _names(values, *, limit: int = MAX_NAMES) -> list[str]:
    out = []
    for value in values or ():
        name = str(value or "").strip()[:100]
        if name and name not in out:
            out.append(name)
    if len(out) > limit:
        raise ValidationError(_("名单太长（最多%(n)d个）。") % {"n": limit})
    return out


def _text(value, label: str, limit: int = MAX_TEXT) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        raise ValidationError(_("“%(label)s”太长。") % {"label": label})
    return text


def meeting_record(*, actor, unit: Unit, kind: str, held_at: dt.datetime, place: str = "", chair_name: str = "",
                   present_member_ids=(), absence_reasons: dict | None = None, attendees=(), absentees=(),
                   observers=(), organisations=(), agenda: str = "", minutes: str = "",
                   client_token: str | None = None, now=None) -> Meeting:
    """Record a meeting of `unit`. A committee ticks `present_member_ids` from its body (the others are absent, with
    `absence_reasons` {member id: reason}); others list `attendees` by name and `absentees` as (name, reason);
    `observers` (列席) and, for a joint meeting, the outside `organisations` by name. The same client token twice
    (a double tap) records it once."""
    now = now or timezone.now()
    if client_token:
        done = Meeting.objects.filter(client_token=client_token, created_by=actor).first()
        if done is not None:
            return done
    require(actor, Action.EDIT, unit.path)
    if kind not in MeetingKind.values:
        raise ValidationError(_("会议类型不正确。"), code="meeting_kind")
    if held_at is None:
        raise ValidationError(_("请填写召开时间。"), code="meeting_time")
    organisations = _names(organisations)
    if kind == MeetingKind.JOINT and not organisations:
        raise ValidationError(_("联席会议请填写参会的单位或组织（至少一个）。"), code="joint_organisations")
    if kind != MeetingKind.JOINT:
        organisations = []
    absence_reasons = {int(k): str(v or "").strip()[:100] for k, v in (absence_reasons or {}).items()}
    rows, body = [], None
    if kind in COMMITTEE_BODY:
        body = committee_body(unit, kind, timezone.localtime(held_at).date())
        members = list(BodyMember.objects.filter(body=body).order_by("pk"))
        ticked = {int(i) for i in present_member_ids}
        unknown = ticked - {m.pk for m in members}
        if unknown:
            raise ValidationError(_("到会委员须从本届%(kind)s的委员名单中勾选。") % {"kind": MeetingKind(kind).label},
                                  code="not_member")
        for m in members:
            rows.append(Attendance(member=m, name=m.name[:30], role=AttendeeRole.MEMBER, present=m.pk in ticked,
                                   reason="" if m.pk in ticked else absence_reasons.get(m.pk, "")))
        entitled, present = len(members), len(ticked)
        has_quorum = quorum_met(present, entitled)
    else:
        if present_member_ids:
            raise ValidationError(_("只有执委会、常委会按委员名单勾选到会人员。"), code="not_committee")
        names = _names(attendees)
        if not names:
            raise ValidationError(_("请填写参会人员。"), code="no_attendees")
        away = [(str(n or "").strip()[:30], str(r or "").strip()[:100]) for n, r in absentees or () if str(n).strip()]
        rows += [Attendance(name=n[:30], role=AttendeeRole.ATTENDEE) for n in names]
        rows += [Attendance(name=n, role=AttendeeRole.ATTENDEE, present=False, reason=r) for n, r in away]
        entitled, present, has_quorum = len(names) + len(away), len(names), True
    rows += [Attendance(name=n[:30], role=AttendeeRole.OBSERVER) for n in _names(observers)]
    try:
        with write_path():
            meeting = Meeting.objects.create(
                unit=unit, unit_path=unit.path, kind=kind, held_at=held_at, place=_text(place, _("地点"), 200),
                chair_name=_text(chair_name, _("主持人"), 30), body=body, entitled=entitled, present=present,
                has_quorum=has_quorum, organisations=organisations, agenda=_text(agenda, _("议题")),
                minutes=_text(minutes, _("会议纪要")), client_token=client_token or None, created_by=actor,
                created_at=now, updated_at=now)
            for row in rows:
                row.meeting = meeting
            Attendance.objects.bulk_create(rows)
            period = period_of(held_at)
            figures_add([(unit.path, period, "meetings_held", 1), (unit.path, period, f"meetings_{kind}", 1)])
            audit_record(actor=actor, action="meeting.record", obj=meeting, now=now,
                         changes={"kind": kind, "entitled": entitled, "present": present, "quorum": has_quorum})
    except IntegrityError:
        if client_token:  # the same token won a race in another request: that save is the one
            return Meeting.objects.get(client_token=client_token)
        raise
    return meeting


EDITABLE = ("place", "chair_name", "agenda", "minutes", "organisations")


def meeting_update(*, actor, meeting: Meeting, version: int | None, values: dict, now=None) -> Meeting:
    """Change the place, chair, agenda, minutes or (joint meeting) organisations. The time and attendance stay as
    recorded: the quorum was judged on them. A stale `version` (someone saved in between) is a Conflict."""
    now = now or timezone.now()
    require(actor, Action.EDIT, meeting.unit_path)
    changes = {}
    for key in EDITABLE:
        if key not in values or values[key] is None:
            continue
        if key == "organisations":
            value = _names(values[key]) if meeting.kind == MeetingKind.JOINT else []
            if meeting.kind == MeetingKind.JOINT and not value:
                raise ValidationError(_("联席会议请填写参会的单位或组织（至少一个）。"), code="joint_organisations")
        else:
            limit = {"place": 200, "chair_name": 30}.get(key, MAX_TEXT)
            value = _text(values[key], str(Meeting._meta.get_field(key).verbose_name), limit)
        changes[key] = value
    with write_path():
        current = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if version is not None and current.version != version:
            raise Conflict(_("这份会议记录已被他人修改（现在是第%(v)d版），请刷新页面后再改。")
                           % {"v": current.version}, code="stale_meeting")
        changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
        if changed:
            Meeting.objects.filter(pk=meeting.pk).update(**changed, version=F("version") + 1, updated_at=now)
            audit_record(actor=actor, action="meeting.update", obj=current, now=now,
                         changes={k: (v if k != "minutes" else f"{len(v)} chars") for k, v in changed.items()})
    meeting.refresh_from_db()
    return meeting


def _consultation_for_vote(meeting: Meeting, consultation) -> None:
    """A consultation put to this meeting's vote: the unit's own, for its executive committee, out of draft, and
    voted on in a committee meeting."""
    if consultation.unit_id != meeting.unit_id or consultation.audience != Audience.COMMITTEE:
        raise ValidationError(_("只能表决本单位面向执委会的议事协商。"), code="vote_consultation")
    if consultation.state == ConsultationState.DRAFT:
        raise ValidationError(_("议事协商还没有发布，不能表决。"), code="vote_consultation_draft")
    if not meeting.is_committee:
        raise ValidationError(_("议事协商须在执委会、常委会上表决。"), code="vote_consultation_meeting")


def decision_record(*, actor, meeting: Meeting, title: str, text: str = "", votes: dict | None = None,
                    votes_by_name: dict | None = None, consultation=None, client_token: str | None = None,
                    now=None) -> Decision:
    """决定事项 of a meeting, with its vote as counts `votes` {"for", "against", "abstain"} or, for a committee, by
    name `votes_by_name` {member id: "for" | "against" | "abstain"} (present members only). A committee meeting
    without a quorum records no decision. A decision whose vote falls short is recorded as not passed."""
    now = now or timezone.now()
    if client_token:
        done = Decision.objects.filter(client_token=client_token, created_by=actor).first()
        if done is not None:
            return done
    require(actor, Action.EDIT, meeting.unit_path)
    title = _text(title, _("决定事项"), 200)
    if not title:
        raise ValidationError(_("请填写决定事项。"), code="decision_title")
    if meeting.is_committee and not meeting.has_quorum:
        raise ValidationError(
            _("本次%(kind)s应到会委员%(entitled)d人，实到%(present)d人，未达到法定人数（须%(share)s委员到会），"
              "不能作出决定。可以记录会议情况，决定事项须另行开会表决。")
            % {"kind": meeting.get_kind_display(), "entitled": meeting.entitled, "present": meeting.present,
               "share": rule_words("MEETING_QUORUM")},
            code="no_quorum")
    if consultation is not None:
        _consultation_for_vote(meeting, consultation)
        if Decision.objects.filter(consultation=consultation, passed=True).exists():
            raise Conflict(_("这个议事协商已经表决通过了。"), code="vote_consultation_done")
    ballots = []
    if votes_by_name:
        if not meeting.is_committee:
            raise ValidationError(_("只有执委会、常委会按委员记名表决；其他会议请填写票数。"), code="by_name")
        present = {a.member_id: a for a in meeting.attendance.filter(role=AttendeeRole.MEMBER, present=True)}
        for member_id, choice in votes_by_name.items():
            if choice not in VoteChoice.values:
                raise ValidationError(_("表决意见须为赞成、反对或弃权。"), code="vote_choice")
            attendee = present.get(int(member_id))
            if attendee is None:
                raise ValidationError(_("只有到会的委员才能表决。"), code="vote_absent")
            ballots.append(Vote(member_id=attendee.member_id, name=attendee.name, choice=choice))
        counts = {c: sum(1 for b in ballots if b.choice == c) for c in VoteChoice.values}
    elif votes and any(votes.get(c) not in (None, "") for c in VoteChoice.values):
        try:
            counts = {c: int(votes.get(c) or 0) for c in VoteChoice.values}
        except (TypeError, ValueError):
            raise ValidationError(_("票数须为整数。"), code="vote_count") from None
        if min(counts.values()) < 0:
            raise ValidationError(_("票数不能是负数。"), code="vote_count")
        if sum(counts.values()) > meeting.present:
            raise ValidationError(_("赞成、反对、弃权合计%(n)d票，多于到会的%(present)d人。")
                                  % {"n": sum(counts.values()), "present": meeting.present}, code="vote_count")
    else:
        counts = None
    if meeting.is_committee and counts is None:
        raise ValidationError(_("执委会、常委会的决定须记录表决结果（赞成、反对、弃权）。"), code="vote_missing")
    if counts is None:
        passed = True  # decided without a vote (会议议定)
    elif meeting.is_committee:
        passed = majority_met(counts["for"], meeting.entitled)
    else:
        passed = majority_met(counts["for"], meeting.present)
    try:
        with write_path():
            decision = Decision.objects.create(
                meeting=meeting, unit_path=meeting.unit_path, title=title, text=_text(text, _("内容")),
                votes_for=counts and counts["for"], votes_against=counts and counts["against"],
                votes_abstain=counts and counts["abstain"], by_name=bool(ballots),
                entitled=meeting.entitled if meeting.is_committee else meeting.present, passed=passed,
                consultation=consultation, client_token=client_token or None, created_by=actor, created_at=now)
            for ballot in ballots:
                ballot.decision = decision
            Vote.objects.bulk_create(ballots)
            figures_add([(meeting.unit_path, period_of(meeting.held_at), "decisions_made", 1)])
            audit_record(actor=actor, action="decision.record", obj=decision, now=now,
                         changes={"meeting": meeting.pk, "passed": passed, **({"votes": counts} if counts else {})})
    except IntegrityError:
        if client_token:
            return Decision.objects.get(client_token=client_token)
        raise
    return decision


def decision_task_issue(*, actor, decision: Decision, title: str, body: str, deadline: dt.datetime,
                        period_start: int, period_end: int, template: ReportTemplate | None = None,
                        level: int | None = None, units: list[Unit] | None = None, client_token: str | None = None,
                        now=None) -> Task:
    """A passed decision issues a task from the meeting's unit (work.services.task_issue: its leaders only); the
    decision keeps the link and shows the task's completion. The same client token twice issues it once."""
    now = now or timezone.now()
    if client_token:
        done = DecisionTask.objects.filter(client_token=client_token, decision=decision).select_related("task").first()
        if done is not None:
            return done.task
    meeting = decision.meeting
    if not may_issue_work(actor, meeting.unit_path):
        raise OutOfScope("may not issue work here")
    if not decision.passed:
        raise ValidationError(_("这项决定未获通过，不能据此下发任务。"), code="not_passed")
    first = not DecisionTask.objects.filter(decision=decision).exists()
    try:
        with write_path():
            task = task_issue(actor=actor, unit=meeting.unit, title=title or decision.title,
                              body=body if body is not None else decision.text, deadline=deadline,
                              period_start=period_start, period_end=period_end, template=template, level=level,
                              units=units, now=now)
            DecisionTask.objects.create(decision=decision, task=task, client_token=client_token or None,
                                        created_at=now)
            if first:
                figures_add([(meeting.unit_path, period_of(meeting.held_at), "decisions_tasked", 1)])
            audit_record(actor=actor, action="decision.task_issue", obj=decision, now=now,
                         changes={"task": task.pk, "recipients": task.dispatch.recipient_count})
    except IntegrityError:
        if client_token:
            return DecisionTask.objects.select_related("task").get(client_token=client_token).task
        raise
    return task
