"""Supervision's writes: make a team (督导组) with its members and regions (包片), record a visit (督导检查) with
what it checked and found, and close a rectification item (整改事项). A finding is sent to the visited unit on the
dispatch mechanism (kind "rectify"), so its deadline, its state, the daily chase of late items and the roll-up are
the ones tasks use; the Finding keeps the text and the closing note."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.accounts.models import User
from fulian.core.audit import audit_record
from fulian.core.figures import figures_add, period_of
from fulian.core.policy import OutOfScope, has_any_role, may_act_for_unit, may_issue_work
from fulian.core.uploads import PHOTOS, attachment_check
from fulian.core.writes import write_path
from fulian.dispatch.models import Recipient
from fulian.dispatch.services import dispatch_chase, dispatch_send, recipient_complete
from fulian.orgs.models import Unit
from fulian.work.services import KIND as TASK_KIND

from .models import Finding, Team, Visit

KIND = "rectify"
MAX_FINDINGS = 20
MAX_TEXT = 2000
EVIDENCE_KINDS = PHOTOS + ("pdf",)


def rectification_link() -> str:
    """The address of a rectification item with "{recipient}" where its id goes: the link every reminder carries."""
    return reverse("rectification_detail", kwargs={"rectification_id": 0}).replace("/0/", "/{recipient}/")


def deadline_of(day: dt.date) -> dt.datetime:
    """A deadline given as a day means the end of that day (local time)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59)))


def team_create(*, actor, unit: Unit, name: str, members: list[User], regions: list[Unit], now=None) -> Team:
    """督导组 of `unit`: made by a leader of the unit or above; members are cadres of the unit or of units above
    it; regions are units below it."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not form a team here")
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写督导组名称。"))
    if not members:
        raise ValidationError(_("请至少选择一名督导组成员。"))
    for member in members:
        if not has_any_role(member) or member.unit is None or not unit.path.startswith(member.unit.path):
            raise ValidationError(_("成员只能是本单位或上级单位的干部（%(name)s不是）。")
                                  % {"name": member.full_name or member.username})
    if not regions:
        raise ValidationError(_("请至少选择一个包片地区。"))
    for region in regions:
        if not region.path.startswith(unit.path) or region.path == unit.path:
            raise ValidationError(_("包片地区只能是本单位以下的单位（%(name)s不是）。") % {"name": region.name})
    with write_path():
        team = Team.objects.create(unit=unit, unit_path=unit.path, name=name[:100], created_by=actor, created_at=now)
        team.members.set(members)
        team.regions.set(regions)
        audit_record(actor=actor, action="supervision_team.create", obj=team,
                     changes={"members": [m.pk for m in members], "regions": [r.pk for r in regions]}, now=now)
    return team


def may_record_visit(user, team: Team) -> bool:
    """A member of the team, or a leader of its unit or above."""
    return may_issue_work(user, team.unit_path) or (
        has_any_role(user) and team.members.filter(pk=user.pk).exists())


def region_of(team: Team, unit: Unit) -> Unit | None:
    """The team's region that holds `unit` (the region itself or a unit inside it)."""
    for region in team.regions.all():
        if unit.path.startswith(region.path):
            return region
    return None


def _issuer(team: Team, actor):
    """Who sends the rectification items: the recorder if she may issue work at the team's unit, else the leader
    who formed the team (the team acts on her authority)."""
    if may_issue_work(actor, team.unit_path):
        return actor
    if team.created_by is not None and may_issue_work(team.created_by, team.unit_path):
        return team.created_by
    raise ValidationError(_("组建督导组的领导已无权下发整改事项，请由本单位主席或副主席记录。"))


def visit_record(*, actor, team: Team, unit: Unit, visited_on: dt.date, places: str = "", summary: str = "",
                 checked: list[Recipient] = (), findings: list[tuple[str, dt.date]] = (),
                 client_token: str | None = None, today: dt.date | None = None, now=None) -> Visit:
    """督导检查: the visit, the tasks it checked and one rectification item per finding (text, deadline day), sent
    to the visited unit. The same client token twice (a double tap on "save") records it once."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if client_token:
        done = Visit.objects.filter(client_token=client_token, created_by=actor).first()
        if done is not None:
            return done
    if not may_record_visit(actor, team):
        raise OutOfScope("not a member of the team")
    if region_of(team, unit) is None:
        raise ValidationError(_("只能督导本组包片地区内的单位。"))
    if visited_on > today:
        raise ValidationError(_("督导日期不能在今天之后。"))
    if visited_on < today - dt.timedelta(days=366):
        raise ValidationError(_("督导日期不能早于一年前。"))
    checked = list(checked)
    for recipient in checked:
        if recipient.dispatch.kind != TASK_KIND or not recipient.unit_path.startswith(unit.path):
            raise ValidationError(_("检查的任务只能是被督导单位收到的工作任务。"))
    findings = [((text or "").strip(), due) for text, due in findings if (text or "").strip()]
    if len(findings) > MAX_FINDINGS:
        raise ValidationError(_("一次最多记录%(n)d个问题。") % {"n": MAX_FINDINGS})
    for text, due in findings:
        if due is None:
            raise ValidationError(_("请为每个问题填写整改期限。"))
        if due < today:
            raise ValidationError(_("整改期限不能早于今天。"))
        if len(text) > MAX_TEXT:
            raise ValidationError(_("问题描述太长（最多%(n)d字）。") % {"n": MAX_TEXT})
    issuer = _issuer(team, actor) if findings else None
    try:
        with write_path():
            visit = Visit.objects.create(team=team, team_path=team.unit_path, unit=unit, unit_path=unit.path,
                                         visited_on=visited_on, places=(places or "").strip()[:MAX_TEXT],
                                         summary=(summary or "").strip()[:MAX_TEXT], created_by=actor,
                                         created_at=now, client_token=client_token or None)
            visit.checked.set(checked)
            for text, due in findings:
                dispatch = dispatch_send(actor=issuer, kind=KIND, unit=team.unit, title=text[:200],
                                         deadline=deadline_of(due), units=[unit], now=now)
                Finding.objects.create(dispatch=dispatch, unit_path=team.unit_path, visit=visit, team=team,
                                       text=text)
            figures_add([(unit.path, period_of(visited_on), "supervision_visits", 1)])
            if findings:
                figures_add([(unit.path, period_of(now), "rectifications_opened", len(findings))])
            audit_record(actor=actor, action="supervision_visit.record", obj=visit,
                         changes={"unit": unit.pk, "on": str(visited_on), "checked": len(checked),
                                  "findings": len(findings)}, now=now)
    except IntegrityError:
        if client_token:  # the same token won a race in another request: that save is the one
            return Visit.objects.get(client_token=client_token)
        raise
    return visit


def rectification_close(*, actor, recipient: Recipient, note: str, evidence=None, version: int | None = None,
                        now=None) -> Recipient:
    """整改完成: the visited unit closes its item with a note (what was done); a photo or PDF may go with it, never
    required. A second close answers Conflict."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, recipient.unit_path):
        raise OutOfScope("not her unit's item")
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("请填写整改情况。"))
    if len(note) > MAX_TEXT:
        raise ValidationError(_("整改情况太长（最多%(n)d字）。") % {"n": MAX_TEXT})
    content_type = attachment_check(evidence, kinds=EVIDENCE_KINDS) if evidence is not None else ""

    def keep_note(locked: Recipient) -> None:
        finding = Finding.objects.get(pk=locked.dispatch_id)
        finding.note = note
        fields = ["note"]
        if evidence is not None:
            finding.evidence = evidence
            finding.evidence_name = evidence.name[:200]
            finding.evidence_type = content_type
            fields += ["evidence", "evidence_name", "evidence_type"]
        finding.save(update_fields=fields)
        figures_add([(locked.unit_path, period_of(now), "rectifications_done", 1)])

    with write_path():
        recipient = recipient_complete(actor=actor, recipient=recipient, version=version, now=now,
                                       before_done=keep_note)
        audit_record(actor=actor, action="rectification.close", obj=recipient,
                     changes={"evidence": evidence is not None}, now=now)
    return recipient


def rectifications_chase(*, now=None) -> dict:
    """Periodic: every visited unit whose item is late is reminded once a day, linking to the item."""
    return dispatch_chase(kind=KIND, now=now, link=rectification_link())
