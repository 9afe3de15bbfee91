"""议事协商 for the app: a unit's consultations (drafted, changed while a draft, opened for comment, closed), each
section's outcome, the final text published; the comments waiting for review (先审后发), their review and answer,
and a comment a cadre gathered on a visit. The same services and reads as the pages (consultations.drafts,
consultations.comments); a consultation outside your scope is 404, a refusal 400 with its reason, a stale version
or a second review 409."""

from django.core.exceptions import BadRequest
from django.http import Http404
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.consultations import comments, drafts
from fulian.consultations.models import Comment, CommentChannel, CommentState, Consultation, ConsultationState
from fulian.core.paging import count_capped
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id, unit_home_for
from fulian.people.selectors import access_woman_by_id

from .pagination import CappedPagination
from .routers_care_registry import Dressed
from .schemas import ErrorOut
from .schemas_consultations import (
    ConsultationAnswerIn,
    ConsultationCommentOut,
    ConsultationDecisionIn,
    ConsultationDetailOut,
    ConsultationGatheredIn,
    ConsultationIn,
    ConsultationOut,
    ConsultationPublishIn,
    ConsultationReviewIn,
    ConsultationSectionOut,
    ConsultationUpdateIn,
    ConsultationVersionIn,
)

router = Router(tags=["consultations"])
COMMENTS_SHOWN = 500


def one_of(value: str, choices, name: str) -> str:
    if value and value not in choices:
        raise BadRequest(f"{name} must be one of " + ", ".join(choices))
    return value


def consultation_out(c: Consultation) -> dict:
    return {"id": c.pk, "unit_id": c.unit_id, "unit_name": c.unit.name, "kind": c.kind, "title": c.title,
            "intro": c.intro, "audience": c.audience, "opens_on": c.opens_on, "closes_on": c.closes_on,
            "state": c.state, "opened_at": c.opened_at, "closed_at": c.closed_at, "published_at": c.published_at,
            "comments_approved": c.comments_approved, "comments_pending": c.comments_pending, "version": c.version,
            "created_at": c.created_at}


def section_out(s) -> dict:
    return {"id": s.pk, "number": s.number, "heading": s.heading, "text": s.text, "outcome": s.outcome,
            "reason": s.reason, "final_text": s.final_text, "decided_at": s.decided_at}


def _detail(user, consultation_id) -> dict:
    c = drafts.access_consultation_by_id(user, consultation_id)
    return {**consultation_out(c), "sections": [section_out(s) for s in c.sections.all()],
            "final_text": c.final_text, "final_note": c.final_note}


def comment_out(c: Comment) -> dict:
    return {"id": c.pk, "consultation_id": c.consultation_id, "section_id": c.section_id,
            "section_number": c.section.number if c.section_id else None, "text": c.text, "name": c.name,
            "anonymous": c.anonymous, "channel": c.channel, "state": c.state, "review_note": c.review_note,
            "answer": c.answer, "created_at": c.created_at, "reviewed_at": c.reviewed_at}


@router.get("/consultations", response={200: list[ConsultationOut], 400: ErrorOut, 404: ErrorOut})
@paginate(CappedPagination)
def consultations_list(request, state: str = Query("", max_length=8), unit_id: int | None = None):
    """The consultations of your scope (or of `unit_id`'s subtree), newest first; `state`: one of draft, open,
    closed, final."""
    state = one_of(state, ConsultationState.values, "state")
    unit = access_unit_by_id(request.auth, unit_id) if unit_id is not None else None
    rows = drafts.consultations_for(request.auth, unit, state=state)
    request.known_count = count_capped(rows)
    return Dressed(rows, consultation_out)


@router.post("/consultations", response={200: ConsultationDetailOut, 201: ConsultationDetailOut, 400: ErrorOut,
                                         404: ErrorOut})
def consultation_create(request, payload: ConsultationIn):
    """A draft of a unit of your scope (default yours) with its sections in order: seen only in the unit's scope
    until it is opened. The same `client_token` again answers 200 with the first."""
    unit = access_unit_by_id(request.auth, payload.unit_id, need=Action.EDIT) if payload.unit_id \
        else unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    existed = bool(payload.client_token) and Consultation.objects.filter(client_token=payload.client_token,
                                                                         unit=unit).exists()
    consultation = drafts.consultation_create(
        actor=request.auth, unit=unit, kind=payload.kind, title=payload.title, intro=payload.intro,
        audience=payload.audience, opens_on=payload.opens_on, closes_on=payload.closes_on,
        sections=[s.dict() for s in payload.sections], client_token=payload.client_token)
    return Status(200 if existed else 201, _detail(request.auth, consultation.pk))


@router.get("/consultations/{consultation_id}", response={200: ConsultationDetailOut, 404: ErrorOut})
def consultation_get(request, consultation_id: int):
    """A consultation with its sections and, once published, the final text."""
    return _detail(request.auth, consultation_id)


@router.put("/consultations/{consultation_id}", response={200: ConsultationDetailOut, 400: ErrorOut, 404: ErrorOut,
                                                          409: ErrorOut})
def consultation_update(request, consultation_id: int, payload: ConsultationUpdateIn):
    """Change a draft (its sections replaced); once open the text stays as it was put. 409 on a stale version."""
    consultation = drafts.access_consultation_by_id(request.auth, consultation_id, need=Action.EDIT)
    drafts.consultation_update(actor=request.auth, consultation=consultation, version=payload.version,
                               title=payload.title, intro=payload.intro, audience=payload.audience,
                               opens_on=payload.opens_on, closes_on=payload.closes_on,
                               sections=[s.dict() for s in payload.sections])
    return _detail(request.auth, consultation.pk)


@router.post("/consultations/{consultation_id}/open", response={200: ConsultationDetailOut, 400: ErrorOut,
                                                                404: ErrorOut, 409: ErrorOut})
def consultation_open(request, consultation_id: int, payload: ConsultationVersionIn):
    """发布征求意见: on the portal for the women of the subtree or the public (a committee's never is). 409 once
    open (or when `version` is stale); send `{}` to open whatever the version."""
    consultation = drafts.access_consultation_by_id(request.auth, consultation_id, need=Action.EDIT)
    drafts.consultation_open(actor=request.auth, consultation=consultation,
                             version=payload.version)
    return _detail(request.auth, consultation.pk)


@router.post("/consultations/{consultation_id}/close", response={200: ConsultationDetailOut, 400: ErrorOut,
                                                                 404: ErrorOut, 409: ErrorOut})
def consultation_close(request, consultation_id: int):
    """结束征求意见 before its closing day: no comment is taken after it; 409 unless open."""
    consultation = drafts.access_consultation_by_id(request.auth, consultation_id, need=Action.EDIT)
    drafts.consultation_close(actor=request.auth, consultation=consultation)
    return _detail(request.auth, consultation.pk)


@router.post("/consultations/{consultation_id}/publish", response={200: ConsultationDetailOut, 400: ErrorOut,
                                                                   404: ErrorOut, 409: ErrorOut})
def consultation_publish(request, consultation_id: int, payload: ConsultationPublishIn):
    """公布定稿: every section decided (400 names those that are not); the final text is the adopted sections'."""
    consultation = drafts.access_consultation_by_id(request.auth, consultation_id, need=Action.EDIT)
    drafts.consultation_publish(actor=request.auth, consultation=consultation, note=payload.note,
                                version=payload.version)
    return _detail(request.auth, consultation.pk)


@router.post("/consultations/sections/{section_id}/decision", response={200: ConsultationSectionOut,
                                                                        400: ErrorOut, 404: ErrorOut})
def consultation_section_decide(request, section_id: int, payload: ConsultationDecisionIn):
    """A section's outcome (adopted, changed with its final text, not adopted with the reason), recorded once
    the consultation is open and changed until the final text is published."""
    section = drafts.access_section_by_id(request.auth, section_id)
    return section_out(drafts.section_decide(actor=request.auth, section=section, outcome=payload.outcome,
                                             reason=payload.reason, final_text=payload.final_text))


@router.get("/consultations/{consultation_id}/comments",
            response={200: list[ConsultationCommentOut], 400: ErrorOut, 404: ErrorOut})
def consultation_comments_list(request, consultation_id: int, state: str = Query("pending", max_length=8)):
    """Its comments of one state, oldest first (the first 500): pending (default: waiting for review), approved,
    rejected."""
    state = one_of(state, CommentState.values, "state") or CommentState.PENDING
    consultation = drafts.access_consultation_by_id(request.auth, consultation_id, need=Action.EDIT)
    if state == CommentState.PENDING:
        rows = comments.comments_waiting(consultation)
    elif state == CommentState.APPROVED:
        rows = comments.comments_shown(consultation)
    else:
        rows = consultation.comments.filter(state=state).select_related("section").order_by("created_at", "pk")
    return [comment_out(c) for c in rows[:COMMENTS_SHOWN]]


@router.post("/consultations/{consultation_id}/comments",
             response={200: ConsultationCommentOut, 201: ConsultationCommentOut, 400: ErrorOut, 404: ErrorOut,
                       409: ErrorOut})
def consultation_comment_gather(request, consultation_id: int, payload: ConsultationGatheredIn):
    """A comment you gathered on a visit — from a woman of the registry (`woman_id`) or a name — waiting for
    review like any other. Within the period only. The same `client_token` again answers 200 with the first."""
    consultation = drafts.access_consultation_by_id(request.auth, consultation_id)
    woman = access_woman_by_id(request.auth, payload.woman_id, need=Action.EDIT) if payload.woman_id else None
    existed = bool(payload.client_token) and Comment.objects.filter(client_token=payload.client_token,
                                                                    consultation=consultation).exists()
    comment = comments.comment_submit(
        consultation=consultation, text=payload.text, channel=CommentChannel.CADRE, section_id=payload.section_id,
        name=payload.name, anonymous=payload.anonymous, actor=request.auth, woman=woman,
        client_token=payload.client_token)
    return Status(200 if existed else 201, comment_out(comment))


@router.post("/consultations/comments/{comment_id}/review", response={200: ConsultationCommentOut, 400: ErrorOut,
                                                                      404: ErrorOut, 409: ErrorOut})
def consultation_comment_review(request, comment_id: int, payload: ConsultationReviewIn):
    """先审后发: approve (shown from now on) or reject with the reason (never shown). 409 once reviewed."""
    comment = comments.access_comment_by_id(request.auth, comment_id)
    return comment_out(comments.comment_review(actor=request.auth, comment=comment, approve=payload.approve,
                                               note=payload.note))


@router.post("/consultations/comments/{comment_id}/answer", response={200: ConsultationCommentOut, 400: ErrorOut,
                                                                      404: ErrorOut})
def consultation_comment_answer(request, comment_id: int, payload: ConsultationAnswerIn):
    """The organiser's answer to a published comment (shown under it on the portal)."""
    comment = comments.access_comment_by_id(request.auth, comment_id)
    return comment_out(comments.comment_answer(actor=request.auth, comment=comment, answer=payload.answer))
