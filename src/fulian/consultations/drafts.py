"""A consultation's life: drafted by a unit, opened for comment for a period, each section's outcome recorded,
the final text published (议事协商). Drafts are seen only in the unit's scope; once open, a consultation for the
women of the subtree or the public is on the portal (one for the executive committee never is)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.policy import Action, OutOfScope, allows, scope_q
from fulian.core.writes import write_path
from fulian.orgs.models import Unit

from .models import Audience, Consultation, ConsultationState, DraftKind, Outcome, Section

MAX_SECTIONS = 200
MAX_SECTION_TEXT = 5000
MAX_DAYS = 366


def may_organise(user, path: str) -> bool:
    """Draft, open, review comments of, answer and decide a consultation of the unit at `path`: a cadre who may
    edit there."""
    return allows(user, Action.EDIT, path)


def text_clean(value, label: str, limit: int, *, required: bool = True) -> str:
    """Typed text, stripped: required unless said otherwise, at most `limit` characters."""
    text = (value or "").strip()
    if required and not text:
        raise ValidationError(_("请填写%(label)s。") % {"label": label}, code="required")
    if len(text) > limit:
        raise ValidationError(_("%(label)s最多%(n)d个字。") % {"label": label, "n": limit}, code="too_long")
    return text


def _sections_clean(sections) -> list[dict]:
    rows = []
    for item in sections or []:
        heading = text_clean(item.get("heading"), _("条目标题"), 100, required=False)
        text = text_clean(item.get("text"), _("条目内容"), MAX_SECTION_TEXT, required=False)
        if not text and not heading:
            continue
        if not text:
            raise ValidationError(_("第%(n)d条没有内容。") % {"n": len(rows) + 1}, code="section_text")
        rows.append({"heading": heading, "text": text})
    if not rows:
        raise ValidationError(_("请至少写一条草案内容。"), code="no_sections")
    if len(rows) > MAX_SECTIONS:
        raise ValidationError(_("草案最多%(n)d条。") % {"n": MAX_SECTIONS}, code="too_many_sections")
    return rows


def _period_clean(opens_on: dt.date, closes_on: dt.date) -> None:
    if not isinstance(opens_on, dt.date) or not isinstance(closes_on, dt.date):
        raise ValidationError(_("请填写征求意见的起止日期。"), code="period")
    if closes_on < opens_on:
        raise ValidationError(_("截止日期不能早于开始日期。"), code="period_order")
    if (closes_on - opens_on).days > MAX_DAYS:
        raise ValidationError(_("征求意见期最长一年。"), code="period_long")


def consultation_create(*, actor, unit: Unit, kind: str, title: str, audience: str, opens_on: dt.date,
                        closes_on: dt.date, sections: list[dict], intro: str = "", client_token: str | None = None,
                        now=None) -> Consultation:
    """A draft (not yet seen outside the unit's scope) with its sections in order."""
    now = now or timezone.now()
    if not may_organise(actor, unit.path):
        raise OutOfScope("may not consult here")
    if client_token:
        done = Consultation.objects.filter(client_token=client_token, unit=unit).first()
        if done is not None:
            return done
    if kind not in DraftKind.values:
        raise ValidationError(_("请选择草案类型。"), code="kind")
    if audience not in Audience.values:
        raise ValidationError(_("请选择征求对象。"), code="audience")
    title = text_clean(title, _("标题"), 120)
    intro = text_clean(intro, _("说明"), 2000, required=False)
    _period_clean(opens_on, closes_on)
    if closes_on < timezone.localdate(now):
        raise ValidationError(_("截止日期已经过了。"), code="period_past")
    rows = _sections_clean(sections)
    try:
        with write_path():
            consultation = Consultation.objects.create(
                unit=unit, unit_path=unit.path, kind=kind, title=title, intro=intro, audience=audience,
                opens_on=opens_on, closes_on=closes_on, created_by=actor, created_at=now,
                client_token=client_token or None)
            Section.objects.bulk_create([Section(consultation=consultation, number=i, **row)
                                         for i, row in enumerate(rows, start=1)])
            audit_record(actor=actor, action="consultation.create", obj=consultation, now=now,
                         changes={"sections": len(rows), "audience": audience})
    except IntegrityError:
        done = Consultation.objects.filter(client_token=client_token, unit=unit).first() if client_token else None
        if done is None:
            raise
        return done
    return consultation


def _check_version(consultation: Consultation, version) -> None:
    if version is not None and int(version) != consultation.version:
        raise Conflict(_("这个议事协商刚被别人修改过，请刷新后再改。"), code="consultation_version")


def consultation_update(*, actor, consultation: Consultation, version: int, title: str, intro: str, audience: str,
                        opens_on: dt.date, closes_on: dt.date, sections: list[dict], now=None) -> Consultation:
    """Change a draft (its sections replaced). Once open, the text stays as it was put to the women."""
    now = now or timezone.now()
    if not may_organise(actor, consultation.unit_path):
        raise OutOfScope("may not consult here")
    if audience not in Audience.values:
        raise ValidationError(_("请选择征求对象。"), code="audience")
    title = text_clean(title, _("标题"), 120)
    _period_clean(opens_on, closes_on)
    rows = _sections_clean(sections)
    with write_path():
        current = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _check_version(current, version)
        if current.state != ConsultationState.DRAFT:
            raise ValidationError(_("已发布的草案不能再修改。"), code="not_draft")
        Consultation.objects.filter(pk=current.pk).update(
            title=title, intro=text_clean(intro, _("说明"), 2000, required=False), audience=audience, opens_on=opens_on,
            closes_on=closes_on, version=F("version") + 1)
        current.sections.all().delete()
        Section.objects.bulk_create([Section(consultation=current, number=i, **row)
                                     for i, row in enumerate(rows, start=1)])
        audit_record(actor=actor, action="consultation.update", obj=current, now=now,
                     changes={"sections": len(rows)})
    consultation.refresh_from_db()
    return consultation


def consultation_open(*, actor, consultation: Consultation, version: int | None = None,
                      now=None) -> Consultation:
    """发布征求意见: the draft goes out — on the portal for the women of the subtree or the public."""
    now = now or timezone.now()
    if not may_organise(actor, consultation.unit_path):
        raise OutOfScope("may not consult here")
    with write_path():
        current = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _check_version(current, version)
        if current.state != ConsultationState.DRAFT:
            raise Conflict(_("这个议事协商已经发布了。"), code="already_open")
        if current.closes_on < timezone.localdate(now):
            raise ValidationError(_("截止日期已经过了，请先修改日期。"), code="period_past")
        Consultation.objects.filter(pk=current.pk).update(state=ConsultationState.OPEN, opened_at=now,
                                                          version=F("version") + 1)
        figures_add([(current.unit_path, period_of(now), "consultations_opened", 1)])
        audit_record(actor=actor, action="consultation.open", obj=current, now=now)
    consultation.refresh_from_db()
    return consultation


def consultation_close(*, actor, consultation: Consultation, now=None) -> Consultation:
    """结束征求意见 (also true of itself once the period is over: no comment is taken after it)."""
    now = now or timezone.now()
    if not may_organise(actor, consultation.unit_path):
        raise OutOfScope("may not consult here")
    with write_path():
        changed = Consultation.objects.filter(pk=consultation.pk, state=ConsultationState.OPEN).update(
            state=ConsultationState.CLOSED, closed_at=now, version=F("version") + 1)
        if not changed:
            raise Conflict(_("这个议事协商不在征求意见中。"), code="not_open")
        audit_record(actor=actor, action="consultation.close", obj=consultation, now=now)
    consultation.refresh_from_db()
    return consultation


def section_decide(*, actor, section: Section, outcome: str, reason: str = "", final_text: str = "",
                   now=None) -> Section:
    """A section's outcome: adopted (its text stands), adopted with changes (the changed text), not adopted (with
    the reason). Recorded once comments are in (open or closed), changed until the final text is published."""
    now = now or timezone.now()
    consultation = section.consultation
    if not may_organise(actor, consultation.unit_path):
        raise OutOfScope("may not consult here")
    if consultation.state not in (ConsultationState.OPEN, ConsultationState.CLOSED):
        raise ValidationError(_("只有发布后、定稿前可以记录采纳情况。"), code="not_deciding")
    if outcome not in (Outcome.ADOPTED, Outcome.CHANGED, Outcome.NOT_ADOPTED):
        raise ValidationError(_("请选择采纳情况。"), code="outcome")
    reason = text_clean(reason, _("理由"), 2000, required=outcome != Outcome.ADOPTED)
    if outcome == Outcome.CHANGED:
        final = text_clean(final_text, _("修改后的内容"), MAX_SECTION_TEXT)
    elif outcome == Outcome.ADOPTED:
        final = section.text
    else:
        final = ""
    with write_path():
        current = Section.objects.select_for_update().get(pk=section.pk)
        first = not current.decided_at
        Section.objects.filter(pk=current.pk).update(outcome=outcome, reason=reason, final_text=final,
                                                     decided_at=current.decided_at or now)
        deltas = []
        was_adopted = current.outcome in (Outcome.ADOPTED, Outcome.CHANGED)
        now_adopted = outcome in (Outcome.ADOPTED, Outcome.CHANGED)
        period = period_of(current.decided_at or now)
        if first:
            deltas.append((consultation.unit_path, period, "consultation_sections_decided", 1))
        if now_adopted != (was_adopted and not first):
            deltas.append((consultation.unit_path, period, "consultation_sections_adopted", 1 if now_adopted else -1))
        figures_add(deltas)
        audit_record(actor=actor, action="consultation.decide", obj=consultation, now=now,
                     changes={"section": current.number, "outcome": outcome})
    section.refresh_from_db()
    return section


def consultation_publish(*, actor, consultation: Consultation, note: str = "", version: int | None = None,
                         now=None) -> Consultation:
    """公布定稿: every section decided; the final text is the sections' final texts in order (those not adopted
    left out), published with a note on what was adopted."""
    now = now or timezone.now()
    if not may_organise(actor, consultation.unit_path):
        raise OutOfScope("may not consult here")
    note = text_clean(note, _("采纳情况说明"), 5000, required=False)
    with write_path():
        current = Consultation.objects.select_for_update().get(pk=consultation.pk)
        _check_version(current, version)
        if current.state not in (ConsultationState.OPEN, ConsultationState.CLOSED):
            raise Conflict(_("只有征求意见后的草案可以公布定稿。"), code="not_publishable")
        sections = list(current.sections.all())
        undecided = [s.number for s in sections if not s.outcome]
        if undecided:
            raise ValidationError(_("还有第%(numbers)s条没有记录采纳情况。")
                                  % {"numbers": "、".join(str(n) for n in undecided[:10])}, code="undecided")
        text = "\n\n".join(f"{s.heading}\n{s.final_text}".strip() for s in sections if s.final_text)
        Consultation.objects.filter(pk=current.pk).update(
            state=ConsultationState.FINAL, final_text=text, final_note=note, published_at=now,
            closed_at=current.closed_at or now, version=F("version") + 1)
        audit_record(actor=actor, action="consultation.publish", obj=current, now=now)
    consultation.refresh_from_db()
    return consultation


def access_consultation_by_id(user, consultation_id, *, need: str = Action.VIEW) -> Consultation:
    row = Consultation.objects.select_related("unit").filter(pk=consultation_id).filter(
        scope_q(user, field="unit_path", action=need)).first() if str(consultation_id).isdigit() else None
    if row is None:
        raise Http404("consultation not found")
    return row


def access_section_by_id(user, section_id, *, need: str = Action.EDIT) -> Section:
    row = Section.objects.select_related("consultation", "consultation__unit").filter(pk=section_id).filter(
        scope_q(user, field="consultation__unit_path", action=need)).first() if str(section_id).isdigit() else None
    if row is None:
        raise Http404("section not found")
    return row


PORTAL_STATES = (ConsultationState.OPEN, ConsultationState.CLOSED, ConsultationState.FINAL)
PORTAL_AUDIENCES = (Audience.SUBTREE, Audience.PUBLIC)


def public_consultations():
    """What the portal shows: consultations out of draft, for the women of a subtree or the public."""
    return Consultation.objects.filter(state__in=PORTAL_STATES, audience__in=PORTAL_AUDIENCES).select_related(
        "unit").order_by("-opened_at", "-pk")


def public_consultation(consultation_id) -> Consultation:
    """One of them, or 404 (a draft, a committee's, or none)."""
    row = public_consultations().filter(pk=consultation_id).first() if str(consultation_id).isdigit() else None
    if row is None:
        raise Http404("consultation not found")
    return row


def consultations_for(user, unit: Unit | None = None, *, state: str = ""):
    """The consultations of her scope (or of `unit`'s subtree), newest first."""
    rows = Consultation.objects.filter(scope_q(user, field="unit_path")).select_related("unit")
    if unit is not None:
        from fulian.core.tree import subtree_q

        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    if state:
        rows = rows.filter(state=state)
    return rows.order_by("-created_at")
