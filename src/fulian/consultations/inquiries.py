"""征求基层意见: a unit puts a question to the units below through the dispatch mechanism (kind "inquiry"); each
answers once with its stance and its view (its copy is then done), and the asking unit writes the summary — so
asking the grassroots is recorded, not only done."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.policy import Action, OutOfScope, may_act_for_unit, may_issue_work, scope_q
from fulian.core.writes import write_path
from fulian.dispatch.models import Recipient
from fulian.dispatch.services import dispatch_send, recipient_complete
from fulian.orgs.models import Unit

from .models import Consultation, Inquiry, InquiryAnswer, Stance

KIND = "inquiry"


def inquiry_send(*, actor, unit: Unit, question: str, deadline: dt.datetime, level: int | None = None,
                 units: list[Unit] | None = None, consultation: Consultation | None = None,
                 client_token: str | None = None, now=None) -> Inquiry:
    """Put `question` to every unit of `level` below `unit` (or the picked `units`); a leader sends it. The same
    `client_token` again (a double tap, a retried call) gives the first inquiry; `created` on the result says
    whether this call sent it."""
    now = now or timezone.now()
    if not may_issue_work(actor, unit.path):
        raise OutOfScope("may not ask here")
    if client_token:
        done = Inquiry.objects.filter(client_token=client_token, unit=unit).first()
        if done is not None:
            done.created = False
            return done
    question = (question or "").strip()
    if not question:
        raise ValidationError(_("请填写要征求意见的问题。"), code="question")
    if len(question) > 2000:
        raise ValidationError(_("问题最多2000字。"), code="question_long")
    if consultation is not None and consultation.unit_id != unit.pk:
        raise ValidationError(_("只能就本单位的议事协商征求意见。"), code="inquiry_consultation")
    try:
        with write_path():
            dispatch = dispatch_send(actor=actor, kind=KIND, unit=unit, title=question[:200], deadline=deadline,
                                     level=level, units=units, now=now)
            inquiry = Inquiry.objects.create(dispatch=dispatch, unit=unit, unit_path=unit.path, question=question,
                                             consultation=consultation, created_by=actor, created_at=now,
                                             client_token=client_token or None)
            figures_add([(unit.path, period_of(now), "inquiries_sent", 1)])
            audit_record(actor=actor, action="inquiry.send", obj=inquiry, now=now,
                         changes={"units": dispatch.recipient_count})
    except IntegrityError:
        done = Inquiry.objects.filter(client_token=client_token, unit=unit).first() if client_token else None
        if done is None:
            raise
        done.created = False
        return done
    inquiry.created = True
    return inquiry


def inquiry_answer(*, actor, recipient: Recipient, stance: str, text: str = "", now=None) -> InquiryAnswer:
    """A unit's answer (once): its stance and what it says; its copy of the inquiry is then done."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, recipient.unit_path):
        raise OutOfScope("not her unit's inquiry")
    if stance not in Stance.values:
        raise ValidationError(_("请选择意见。"), code="stance")
    text = (text or "").strip()
    if stance in (Stance.AGREE_WITH_CHANGES, Stance.DISAGREE) and not text:
        raise ValidationError(_("请写明具体意见。"), code="answer_text")
    if len(text) > 5000:
        raise ValidationError(_("意见最多5000字。"), code="answer_long")
    inquiry = Inquiry.objects.get(dispatch_id=recipient.dispatch_id)
    try:
        with write_path():
            answer = InquiryAnswer.objects.create(inquiry=inquiry, unit_id=recipient.unit_id,
                                                  unit_path=recipient.unit_path, stance=stance, text=text,
                                                  answered_by=actor, answered_at=now)
            recipient_complete(actor=actor, recipient=recipient, now=now)
            figures_add([(recipient.unit_path, period_of(now), "inquiry_answers", 1)])
            audit_record(actor=actor, action="inquiry.answer", obj=inquiry, now=now, changes={"stance": stance})
    except IntegrityError:
        raise Conflict(_("本单位已经反馈过意见了。"), code="already_answered") from None
    return answer


def inquiry_summarise(*, actor, inquiry: Inquiry, summary: str, now=None) -> Inquiry:
    """The asking unit's summary of what came back (it may be rewritten as answers arrive)."""
    now = now or timezone.now()
    if not may_issue_work(actor, inquiry.unit_path):
        raise OutOfScope("may not summarise here")
    summary = (summary or "").strip()
    if not summary or len(summary) > 10000:
        raise ValidationError(_("请填写意见汇总(最多10000字)。"), code="summary")
    with write_path():
        Inquiry.objects.filter(pk=inquiry.pk).update(summary=summary, summarised_at=now)
        audit_record(actor=actor, action="inquiry.summarise", obj=inquiry, now=now)
    inquiry.refresh_from_db()
    return inquiry


def inquiry_tally(inquiry: Inquiry) -> dict:
    """{stance: answers} and how many units were asked and answered."""
    counts = {s: 0 for s in Stance.values}
    for row in inquiry.answers.values("stance").annotate(n=Count("id")).order_by():
        counts[row["stance"]] = row["n"]
    answered = sum(counts.values())
    return {"stances": counts, "asked": inquiry.dispatch.recipient_count, "answered": answered}


def access_inquiry_by_id(user, inquiry_id, *, need: str = Action.VIEW) -> Inquiry:
    row = Inquiry.objects.select_related("dispatch", "unit", "consultation").filter(pk=inquiry_id).filter(
        scope_q(user, field="unit_path", action=need)).first() if str(inquiry_id).isdigit() else None
    if row is None:
        raise Http404("inquiry not found")
    return row


def access_inquiry_copy_by_id(user, recipient_id, *, need: str = Action.VIEW) -> Recipient:
    """A unit's copy of an inquiry (its dispatch recipient) in her scope."""
    row = Recipient.objects.select_related("dispatch", "unit").filter(
        pk=recipient_id, dispatch__kind=KIND).filter(scope_q(user, field="unit_path", action=need)).first() if str(
        recipient_id).isdigit() else None
    if row is None:
        raise Http404("inquiry copy not found")
    return row


def inquiries_sent(user, unit: Unit):
    """The inquiries `unit` sent, newest first, within her scope."""
    return Inquiry.objects.filter(scope_q(user, field="unit_path")).filter(unit=unit).select_related(
        "dispatch", "consultation").order_by("-created_at", "-pk")


def inquiries_received(user, unit: Unit):
    """The inquiries sent to her unit (its copies), newest first."""
    return Recipient.objects.filter(unit=unit, dispatch__kind=KIND).select_related("dispatch").order_by(
        "-dispatch__created_at")
