"""议事协商 for the app and mini-program (no login): the consultations on the portal, one with its sections and
its published comments, a one-time code to her phone, her comment with the code (waiting for the organiser's
approval: 先审后发), and the adopted proposals made public. The same services and reads as the portal's pages
(consultations.drafts, consultations.comments, consultations.proposals), within the portal pages' budgets per
address (consultations.views_public: one for reads, one for codes and comments)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from fulian.consultations import comments, drafts, proposals
from fulian.consultations.models import Comment, CommentChannel, Consultation, ConsultationState
from fulian.core.context import client_ip
from fulian.core.ratelimit import rate_hit

from .schemas import ErrorOut
from .schemas_consultations import (
    ConsultationCodeIn,
    ConsultationCommentIn,
    ConsultationCommentReceivedOut,
    ConsultationPublicDetailOut,
    ConsultationPublicOut,
    ProposalPublicOut,
)

public_router = Router(tags=["consultations"])
PAGE_LIMIT = "consult-page"  # the portal's consultation pages' budget per address (consultations.views_public)
POST_LIMIT = "consult-post"  # and its codes and comments' budget per address
RATE_CODES = ("otp_rate", "comment_rate")
BUSY = {"detail": "too many requests; wait a minute"}
ROWS = 30
COMMENTS_SHOWN = 500


def _busy(request) -> bool:
    limit = int(getattr(settings, "CONSULT_VIEWS_PER_MINUTE", 300))
    return not rate_hit(PAGE_LIMIT, client_ip(request), limit=limit, seconds=60)


def _posting_too_much(request) -> bool:
    limit = int(getattr(settings, "CONSULT_POSTS_PER_HOUR", 60))
    return not rate_hit(POST_LIMIT, client_ip(request), limit=limit, seconds=3600)


def _refused(exc: ValidationError):
    """A refusal: 429 for a rate limit, 400 with the reason otherwise."""
    return Status(429 if exc.code in RATE_CODES else 400, {"detail": " ".join(exc.messages)})


def public_out(c: Consultation, *, today) -> dict:
    return {"id": c.pk, "unit_name": c.unit.federation_name, "kind": c.kind, "title": c.title, "intro": c.intro,
            "audience": c.audience, "opens_on": c.opens_on, "closes_on": c.closes_on, "state": c.state,
            "taking_comments": c.is_open_on(today), "comments_approved": c.comments_approved}


def _section(s, final: bool) -> dict:
    return {"id": s.pk, "number": s.number, "heading": s.heading, "text": s.text,
            "outcome": s.outcome if final else "", "reason": s.reason if final else "",
            "final_text": s.final_text if final else ""}


def _comment(c) -> dict:
    return {"id": c.pk, "section_id": c.section_id, "section_number": c.section.number if c.section_id else None,
            "name": str(c.shown_name), "text": c.text, "answer": c.answer, "created_at": c.created_at}


@public_router.get("/public/consultations", response={200: list[ConsultationPublicOut], 400: ErrorOut,
                                                      429: ErrorOut}, auth=None)
def public_consultations_list(request, state: str = Query("", pattern="^(|open|closed|final)$"),
                              page: int = Query(1, ge=1, le=1000)):
    """Consultations on the portal (for a subtree's women or the public; never a draft nor a committee's), the
    latest opened first; `state`: open, closed or final. 30 a page."""
    if _busy(request):
        return Status(429, BUSY)
    rows = drafts.public_consultations()
    if state:
        rows = rows.filter(state=state)
    rows = rows.order_by("-opened_at", "-pk")
    start = (page - 1) * ROWS
    today = timezone.localdate()
    return [public_out(c, today=today) for c in rows[start:start + ROWS]]


@public_router.get("/public/consultations/{consultation_id}",
                   response={200: ConsultationPublicDetailOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def public_consultation_get(request, consultation_id: int):
    """One consultation with its sections and its published comments (names as she chose: 匿名 or hers); each
    section's outcome once the final text is published."""
    if _busy(request):
        return Status(429, BUSY)
    c = drafts.public_consultation(consultation_id)
    final = c.state == ConsultationState.FINAL
    return {**public_out(c, today=timezone.localdate()),
            "sections": [_section(s, final) for s in c.sections.all()],
            "comments": [_comment(x) for x in comments.comments_shown(c)[:COMMENTS_SHOWN]],
            "final_text": c.final_text if final else "", "final_note": c.final_note if final else "",
            "published_at": c.published_at}


@public_router.post("/public/consultations/{consultation_id}/code",
                    response={204: None, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def public_consultation_code(request, consultation_id: int, payload: ConsultationCodeIn):
    """Send a one-time code to her phone (SMS, through the outbox) to comment with; the same answer for every
    number. 400 outside the period."""
    if _posting_too_much(request):
        return Status(429, BUSY)
    try:
        comments.comment_code_send(consultation=drafts.public_consultation(consultation_id), phone=payload.phone)
    except ValidationError as exc:
        return _refused(exc)
    return Status(204, None)


@public_router.post("/public/consultations/{consultation_id}/comments",
                    response={200: ConsultationCommentReceivedOut, 201: ConsultationCommentReceivedOut,
                              400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 429: ErrorOut}, auth=None)
def public_consultation_comment(request, consultation_id: int, payload: ConsultationCommentIn):
    """Her comment with her phone and the code just sent (201): shown only once the organiser approves it. Within
    the period only; for a subtree's consultation, her phone must be registered under the unit. The same
    `client_token` again answers 200 with the first."""
    if _posting_too_much(request):
        return Status(429, BUSY)
    consultation = drafts.public_consultation(consultation_id)
    existed = bool(payload.client_token) and Comment.objects.filter(client_token=payload.client_token,
                                                                    consultation=consultation).exists()
    try:
        comment = comments.comment_submit(
            consultation=consultation, text=payload.text, channel=CommentChannel.API, section_id=payload.section_id,
            name=payload.name, anonymous=payload.anonymous, phone=payload.phone, code=payload.code,
            client_token=payload.client_token)
    except ValidationError as exc:
        if exc.code == "comment_token_reused":
            raise
        return _refused(exc)
    return Status(200 if existed else 201, {"id": comment.pk, "state": comment.state,
                                            "message": _("您的意见已收到，经审核后公开。谢谢您！")})


@public_router.get("/public/proposals", response={200: list[ProposalPublicOut], 429: ErrorOut}, auth=None)
def public_proposals_list(request, page: int = Query(1, ge=1, le=1000)):
    """代表妇女发声: the federation's proposals adopted (or partly) and made public, latest reply first. 30 a page."""
    if _busy(request):
        return Status(429, BUSY)
    start = (page - 1) * ROWS
    return [{"id": p.pk, "unit_name": p.unit.federation_name, "kind": p.kind, "addressee": p.addressee,
             "addressee_name": p.addressee_name, "subject": p.subject, "submitted_on": p.submitted_on,
             "text": p.text, "reply": p.reply, "replied_on": p.replied_on, "outcome": p.outcome}
            for p in proposals.public_proposals()[start:start + ROWS]]
