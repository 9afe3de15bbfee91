"""征求基层意见 and 提案建议 for the app, and the Excel downloads of consultations: a question a leader puts to the
units below (the tally by stance, every answer, the units not answered yet, the summary), a unit's copies received
and its answer; proposals to the congress, the government and the CPPCC with their evidence (registry figures
only) and the reply. The same services and reads as the pages (consultations.inquiries, consultations.proposals,
consultations.exports); a record outside your scope is 404, a refusal 400, a stale version or a second answer 409."""

from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.consultations import exports, inquiries, proposals
from fulian.consultations.drafts import access_consultation_by_id
from fulian.consultations.models import (
    Addressee,
    ConsultationState,
    Inquiry,
    InquiryAnswer,
    Proposal,
    ProposalKind,
    ProposalOutcome,
    Stance,
)
from fulian.consultations.views_inquiries import inquiries_sent, inquiry_send_once
from fulian.core.paging import count_capped
from fulian.core.policy import Action
from fulian.dispatch.models import RecipientState
from fulian.orgs.models import Unit
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from .openapi import download
from .pagination import CappedPagination
from .routers_care_registry import Dressed
from .routers_consultations import one_of
from .schemas import ErrorOut
from .schemas_consultations import (
    InquiryAnswerIn,
    InquiryCopyOut,
    InquiryDetailOut,
    InquiryIn,
    InquiryOut,
    InquirySummaryIn,
    ProposalIn,
    ProposalOut,
    ProposalReplyIn,
)

router = Router(tags=["consultations"])
ANSWERS_SHOWN = 500
WAITING_SHOWN = 200
WAITING = "waiting"


def _unit_or_home(user, unit_id, *, need=Action.VIEW) -> Unit:
    unit = access_unit_by_id(user, unit_id, need=need) if unit_id else unit_home_for(user)
    if unit is None:
        raise Http404("unit")
    return unit


# --- inquiries ----------------------------------------------------------------------------------------------------

def inquiry_out(i: Inquiry) -> dict:
    return {"id": i.pk, "unit_id": i.unit_id, "unit_name": i.unit.name, "question": i.question,
            "consultation_id": i.consultation_id, "deadline": i.dispatch.deadline,
            "recipient_count": i.dispatch.recipient_count, "summary": i.summary, "summarised_at": i.summarised_at,
            "created_at": i.created_at}


def answer_out(a) -> dict:
    return {"unit_id": a.unit_id, "unit_name": a.unit.name, "stance": a.stance, "text": a.text,
            "answered_at": a.answered_at}


def _inquiry_detail(user, inquiry_id) -> dict:
    inquiry = inquiries.access_inquiry_by_id(user, inquiry_id)
    tally = inquiries.inquiry_tally(inquiry)
    answers = inquiry.answers.select_related("unit").order_by("unit_path")[:ANSWERS_SHOWN]
    waiting = inquiry.dispatch.recipients.exclude(state=RecipientState.DONE).select_related("unit").order_by(
        "unit_path")[:WAITING_SHOWN]
    return {**inquiry_out(inquiry),
            "tally": {"asked": tally["asked"], "answered": tally["answered"],
                      "stances": [{"stance": value, "label": str(label), "count": tally["stances"].get(value, 0)}
                                  for value, label in Stance.choices]},
            "answers": [answer_out(a) for a in answers],
            "waiting": [{"unit_id": r.unit_id, "unit_name": r.unit.name} for r in waiting]}


class _Copies:
    """A slice of a unit's copies, each with its inquiry and its answer (three queries a page)."""

    def __init__(self, rows):
        self.rows = rows

    def __getitem__(self, item):
        copies = list(self.rows[item])
        by_dispatch = {i.dispatch_id: i for i in Inquiry.objects.filter(
            dispatch_id__in=[c.dispatch_id for c in copies]).select_related("unit")}
        answered = {(a.inquiry_id, a.unit_id): a for a in InquiryAnswer.objects.filter(
            inquiry__in=by_dispatch.values(), unit_id__in={c.unit_id for c in copies}).select_related("unit")}
        return [copy_out(c, by_dispatch[c.dispatch_id], answered) for c in copies if c.dispatch_id in by_dispatch]


def copy_out(copy, inquiry: Inquiry, answered: dict) -> dict:
    answer = answered.get((inquiry.pk, copy.unit_id))
    return {"id": copy.pk, "unit_id": copy.unit_id, "unit_name": copy.unit.name,
            "asking_unit_name": inquiry.unit.name, "question": inquiry.question, "deadline": copy.deadline,
            "state": copy.state, "answer": answer_out(answer) if answer else None}


def _copy(user, inquiry_copy_id, *, need=Action.VIEW) -> dict:
    copy = inquiries.access_inquiry_copy_by_id(user, inquiry_copy_id, need=need)
    return _Copies([copy])[0:1][0]


@router.get("/inquiries", response={200: list[InquiryOut], 404: ErrorOut})
@paginate(CappedPagination)
def inquiries_sent_list(request, unit_id: int | None = None):
    """The inquiries your unit (or `unit_id` of your scope) sent, newest first."""
    rows = inquiries_sent(request.auth, _unit_or_home(request.auth, unit_id)).select_related("unit")
    request.known_count = count_capped(rows)
    return Dressed(rows, inquiry_out)


@router.post("/inquiries", response={200: InquiryDetailOut, 201: InquiryDetailOut, 400: ErrorOut, 404: ErrorOut,
                                     409: ErrorOut})
def inquiry_send(request, payload: InquiryIn):
    """征求基层意见: a chair or vice-chair puts `question` to every unit of `level` below the asking unit, or to
    `unit_ids` below it, to answer by `deadline`. The same `client_token` again answers 200 with the first."""
    user = request.auth
    unit = _unit_or_home(user, payload.unit_id, need=Action.EDIT)
    picked = None
    if payload.unit_ids:
        picked = list(Unit.objects.filter(pk__in=set(payload.unit_ids)))
        if len(picked) != len(set(payload.unit_ids)):
            raise ValidationError(_("接收单位不正确。"), code="inquiry_units")
    consultation = access_consultation_by_id(user, payload.consultation_id) if payload.consultation_id else None
    inquiry, created = inquiry_send_once(
        client_token=payload.client_token, actor=user, unit=unit, question=payload.question,
        deadline=payload.deadline, level=None if picked else payload.level, units=picked, consultation=consultation)
    return Status(201 if created else 200, _inquiry_detail(user, inquiry.pk))


@router.get("/inquiries/received", response={200: list[InquiryCopyOut], 404: ErrorOut})
@paginate(CappedPagination)
def inquiries_received_list(request, unit_id: int | None = None):
    """The inquiries sent to your unit (or `unit_id` of your scope), newest first, each with its answer if given."""
    rows = inquiries.inquiries_received(request.auth, _unit_or_home(request.auth, unit_id)).select_related("unit")
    request.known_count = count_capped(rows)
    return _Copies(rows)


@router.get("/inquiries/received/{inquiry_copy_id}", response={200: InquiryCopyOut, 404: ErrorOut})
def inquiry_copy_get(request, inquiry_copy_id: int):
    """A unit's copy: the question, who asks and by when, and its answer."""
    return _copy(request.auth, inquiry_copy_id)


@router.post("/inquiries/received/{inquiry_copy_id}/answer", response={200: InquiryCopyOut, 400: ErrorOut,
                                                                       404: ErrorOut, 409: ErrorOut})
def inquiry_answer(request, inquiry_copy_id: int, payload: InquiryAnswerIn):
    """The unit's answer, once (409 the second time): its stance, and its view (required for changes and
    disagree)."""
    copy = inquiries.access_inquiry_copy_by_id(request.auth, inquiry_copy_id, need=Action.EDIT)
    inquiries.inquiry_answer(actor=request.auth, recipient=copy, stance=payload.stance, text=payload.text)
    return _copy(request.auth, copy.pk)


@router.get("/inquiries/{inquiry_id}", response={200: InquiryDetailOut, 404: ErrorOut})
def inquiry_get(request, inquiry_id: int):
    """The asking unit's view: the tally by stance, every answer, the units not answered yet, the summary."""
    return _inquiry_detail(request.auth, inquiry_id)


@router.post("/inquiries/{inquiry_id}/summary", response={200: InquiryDetailOut, 400: ErrorOut, 404: ErrorOut})
def inquiry_summarise(request, inquiry_id: int, payload: InquirySummaryIn):
    """意见汇总 by a leader of the asking unit (rewritten as answers arrive)."""
    inquiry = inquiries.access_inquiry_by_id(request.auth, inquiry_id, need=Action.EDIT)
    inquiries.inquiry_summarise(actor=request.auth, inquiry=inquiry, summary=payload.summary)
    return _inquiry_detail(request.auth, inquiry.pk)


# --- proposals ----------------------------------------------------------------------------------------------------

def proposal_out(p: Proposal) -> dict:
    return {"id": p.pk, "unit_id": p.unit_id, "unit_name": p.unit.name, "kind": p.kind, "addressee": p.addressee,
            "addressee_name": p.addressee_name, "subject": p.subject, "submitted_on": p.submitted_on,
            "text": p.text, "evidence": p.evidence or [], "consultation_id": p.consultation_id, "reply": p.reply,
            "replied_on": p.replied_on, "outcome": p.outcome, "public": p.public, "version": p.version,
            "created_at": p.created_at}


def _outcome(value: str) -> str | None:
    value = one_of(value, [WAITING, *(v for v in ProposalOutcome.values if v)], "outcome")
    if not value:
        return None
    return "" if value == WAITING else value


@router.get("/proposals", response={200: list[ProposalOut], 400: ErrorOut})
@paginate(CappedPagination)
def proposals_list(request, q: str = Query("", max_length=100), kind: str = Query("", max_length=14),
                   addressee: str = Query("", max_length=10), outcome: str = Query("", max_length=12)):
    """Your scope's proposals, newest first: `q` in the subject and text; `kind`, `addressee`; `outcome` one of
    waiting (no reply yet), adopted, partly, studying, not_adopted."""
    rows = proposals.proposals_for(request.auth, q=q.strip(), kind=one_of(kind, ProposalKind.values, "kind"),
                                   addressee=one_of(addressee, Addressee.values, "addressee"),
                                   outcome=_outcome(outcome))
    request.known_count = count_capped(rows)
    return Dressed(rows, proposal_out)


@router.post("/proposals", response={200: ProposalOut, 201: ProposalOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut})
def proposal_create(request, payload: ProposalIn):
    """A proposal of a unit of your scope (default yours) with its evidence: registry figures of units in your
    scope over months, read now — numbers only (an item with any other key is 422). The same `client_token` again
    answers 200 with the first."""
    user = request.auth
    unit = _unit_or_home(user, payload.unit_id, need=Action.EDIT)
    consultation = access_consultation_by_id(user, payload.consultation_id) if payload.consultation_id else None
    existed = bool(payload.client_token) and Proposal.objects.filter(client_token=payload.client_token,
                                                                     unit=unit).exists()
    proposal = proposals.proposal_create(
        actor=user, unit=unit, kind=payload.kind, addressee=payload.addressee, addressee_name=payload.addressee_name,
        subject=payload.subject, submitted_on=payload.submitted_on, text=payload.text,
        evidence=[e.dict() for e in payload.evidence], consultation=consultation, client_token=payload.client_token)
    return Status(200 if existed else 201, proposal_out(proposals.access_proposal_by_id(user, proposal.pk)))


@router.get("/proposals/{proposal_id}", response={200: ProposalOut, 404: ErrorOut})
def proposal_get(request, proposal_id: int):
    return proposal_out(proposals.access_proposal_by_id(request.auth, proposal_id))


@router.post("/proposals/{proposal_id}/reply", response={200: ProposalOut, 400: ErrorOut, 404: ErrorOut,
                                                         409: ErrorOut})
def proposal_reply(request, proposal_id: int, payload: ProposalReplyIn):
    """The body's reply and its outcome (corrected later with the version you saw: 409 if stale); `public` shows an
    adopted or partly adopted one on the portal."""
    proposal = proposals.access_proposal_by_id(request.auth, proposal_id, need=Action.EDIT)
    proposal = proposals.proposal_reply(actor=request.auth, proposal=proposal, version=payload.version,
                                        reply=payload.reply, replied_on=payload.replied_on, outcome=payload.outcome,
                                        public=payload.public)
    return proposal_out(proposal)


# --- Excel ---------------------------------------------------------------------------------------------------------

def _download(make):
    try:
        return make()
    except ValidationError as exc:
        raise BadRequest(" ".join(exc.messages)) from exc


@router.get("/consultations/exports/consultations.xlsx", response={400: ErrorOut, 404: ErrorOut},
            openapi_extra=download(description="议事协商: a row per section with its outcome and comments counted"))
def consultation_export_consultations(request, state: str = Query("", max_length=8), unit_id: int | None = None):
    """Your scope's consultations (or `unit_id`'s subtree's; one `state`), a row per section. Audited."""
    unit = access_unit_by_id(request.auth, unit_id) if unit_id is not None else None
    state = one_of(state, ConsultationState.values, "state")
    return _download(lambda: exports.consultations_export(actor=request.auth, unit=unit, state=state))


@router.get("/consultations/exports/comments.xlsx", response={400: ErrorOut, 404: ErrorOut},
            openapi_extra=download(description="意见: the reviewed comments, never a phone number"))
def consultation_export_comments(request, unit_id: int | None = None, consultation_id: int | None = None):
    """The published and not published comments of your scope (`unit_id`'s subtree, or one consultation)."""
    unit = access_unit_by_id(request.auth, unit_id) if unit_id is not None else None
    consultation = access_consultation_by_id(request.auth, consultation_id) if consultation_id is not None else None
    return _download(lambda: exports.comments_export(actor=request.auth, unit=unit, consultation=consultation))


@router.get("/consultations/exports/proposals.xlsx", response={400: ErrorOut},
            openapi_extra=download(description="提案建议: with the evidence summarised in one column"))
def consultation_export_proposals(request, q: str = Query("", max_length=100), kind: str = Query("", max_length=14),
                                  addressee: str = Query("", max_length=10), outcome: str = Query("", max_length=12)):
    return _download(lambda: exports.proposals_export(
        actor=request.auth, q=q.strip(), kind=one_of(kind, ProposalKind.values, "kind"),
        addressee=one_of(addressee, Addressee.values, "addressee"), outcome=_outcome(outcome)))
