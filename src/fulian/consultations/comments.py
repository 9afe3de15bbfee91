"""Comments on a consultation (意见): a woman's from the portal (her phone proved by a one-time code), from 我的 (her
account's proved phone) or an app through the API (the same code), and those a cadre gathered on a visit. Every
comment waits for the organiser (先审后发): approved, it is shown — under her name or, if she asked, as 匿名;
rejected, it stays with the reason and is never shown. Only within the period, only from the consultation's
audience: for the women of a subtree, a phone of a woman registered under the unit (or a cadre's record of one);
for the executive committee, comments gathered by a cadre of the unit; for the public, any proved phone."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import F
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.otp import otp_check, otp_send
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, OutOfScope, allows, scope_q
from fulian.core.ratelimit import rate_hit
from fulian.core.tree import subtree_q
from fulian.core.writes import write_path
from fulian.people.models import Woman
from fulian.people.services import clean_name

from .drafts import may_organise
from .models import Audience, Comment, CommentChannel, CommentState, Consultation, ConsultationState, Section

MAX_COMMENT = 2000


def _per_phone() -> int:
    return int(getattr(settings, "CONSULTATION_COMMENTS_PER_PHONE", 20))


def _require_open(consultation: Consultation, today: dt.date) -> None:
    if consultation.state == ConsultationState.DRAFT:
        raise ValidationError(_("这个议事协商还没有发布。"), code="not_open")
    if consultation.state != ConsultationState.OPEN or today > consultation.closes_on:
        raise ValidationError(_("征求意见已于%(day)s截止，不能再提意见。") % {"day": consultation.closes_on},
                              code="comment_closed")
    if today < consultation.opens_on:
        raise ValidationError(_("征求意见从%(day)s开始。") % {"day": consultation.opens_on}, code="comment_not_yet")


def _registered_woman(phone: str, consultation: Consultation) -> Woman | None:
    found = list(Woman.objects.filter(subtree_q(consultation.unit_path, "unit_path"), phone=phone,
                                      merged_into__isnull=True)[:2])
    return found[0] if len(found) == 1 else None


def comment_code_send(*, consultation: Consultation, phone: str, now=None) -> None:
    """A one-time code to prove her phone before she comments (core.otp's limits). The answer is the same for
    every number: nothing is looked up by it."""
    now = now or timezone.now()
    _require_open(consultation, timezone.localdate(now))
    if consultation.audience == Audience.COMMITTEE:
        raise ValidationError(_("这个议事协商面向执委会委员，请通过妇联干部提出意见。"), code="committee_only")
    phone = normalize_phone(phone)
    if not (len(phone) == 11 and phone.startswith("1")):
        raise ValidationError(_("请填写手机号。"), code="phone_not_mobile")
    otp_send(phone=phone, now=now)


def _section_of(consultation: Consultation, section_id) -> Section | None:
    if section_id in (None, ""):
        return None
    try:
        section = consultation.sections.filter(pk=int(section_id)).first()
    except (TypeError, ValueError):
        section = None
    if section is None:
        raise ValidationError(_("请选择对哪一条提意见。"), code="section")
    return section


def _replayed(client_token: str | None, consultation: Consultation) -> Comment | None:
    if not client_token:
        return None
    done = Comment.objects.filter(client_token=client_token).first()
    if done is not None and done.consultation_id != consultation.pk:
        raise Conflict(_("这个请求编号已用于另一条意见。"), code="comment_token_reused")
    return done


def comment_submit(*, consultation: Consultation, text: str, channel: str, section_id=None, name: str = "",
                   anonymous: bool = False, phone: str = "", code: str = "", account=None, actor=None, woman=None,
                   client_token: str | None = None, now=None) -> Comment:
    """Her comment, waiting for approval. PORTAL or API: `phone` and the `code` just sent to it; ACCOUNT: her 我的
    `account` (its phone was proved at sign-in); CADRE: `actor` gathered it on a visit, from `woman` of the
    registry or a name."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if channel not in CommentChannel.values:
        raise ValidationError(_("提交方式不正确。"), code="channel")
    done = _replayed(client_token, consultation)
    if done is not None:
        return done
    _require_open(consultation, today)
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("请写下您的意见。"), code="comment_text")
    if len(text) > MAX_COMMENT:
        raise ValidationError(_("意见最多%(n)d个字。") % {"n": MAX_COMMENT}, code="comment_long")
    section = _section_of(consultation, section_id)
    name = clean_name(name) if name else ""
    if channel == CommentChannel.CADRE:
        if actor is None:
            raise OutOfScope("a gathered comment needs the cadre")
        if woman is not None:
            if not allows(actor, Action.EDIT, woman.unit_path):
                raise OutOfScope("not her record")
            if consultation.audience != Audience.PUBLIC and not woman.unit_path.startswith(consultation.unit_path):
                raise ValidationError(_("她不在这个议事协商的征求范围内。"), code="comment_audience")
            name, phone = name or woman.name, woman.phone
        elif not may_organise(actor, consultation.unit_path):
            raise OutOfScope("may not gather comments here")
        elif not name:
            raise ValidationError(_("请填写提意见人的姓名。"), code="comment_name")
    else:
        if consultation.audience == Audience.COMMITTEE:
            raise ValidationError(_("这个议事协商面向执委会委员，请通过妇联干部提出意见。"), code="committee_only")
        if channel == CommentChannel.ACCOUNT:
            if account is None:
                raise ValidationError(_("请先登录。"), code="comment_account")
            phone = account.phone
        phone = normalize_phone(phone)
        if not (len(phone) == 11 and phone.startswith("1")):
            raise ValidationError(_("请填写手机号。"), code="phone_not_mobile")
        if not rate_hit("consultation-comment-phone", phone, limit=_per_phone(), seconds=3600, now=now.timestamp()):
            raise ValidationError(_("提交太频繁，请一小时后再试。"), code="comment_rate")
        if channel != CommentChannel.ACCOUNT:
            try:
                otp_check(phone=phone, code=code, now=now)
            except ValidationError:
                done = _replayed(client_token, consultation)  # its twin, a moment earlier, used the code
                if done is None:
                    raise
                return done
        woman = _registered_woman(phone, consultation)
        if consultation.audience == Audience.SUBTREE and woman is None:
            raise ValidationError(_("这个议事协商面向%(unit)s辖区登记在册的妇女。如果您住在本辖区，请联系所在村(社区)"
                                    "妇联帮您提意见。") % {"unit": consultation.unit.name}, code="comment_audience")
    try:
        with write_path():
            comment = Comment.objects.create(
                consultation=consultation, unit_path=consultation.unit_path, section=section, text=text,
                name=name[:30], anonymous=bool(anonymous), phone=phone or "", channel=channel, woman=woman,
                gathered_by=actor if channel == CommentChannel.CADRE else None, created_at=now,
                client_token=client_token or secrets.token_urlsafe(24))
            Consultation.objects.filter(pk=consultation.pk).update(comments_pending=F("comments_pending") + 1)
            audit_record(actor=actor, action="consultation.comment", obj=consultation, now=now,
                         changes={"channel": channel, "section": section.number if section else None})
    except IntegrityError:
        done = _replayed(client_token, consultation)
        if done is None:
            raise
        return done
    return comment


def comment_review(*, actor, comment: Comment, approve: bool, note: str = "", now=None) -> Comment:
    """先审后发: the organiser approves (shown from now on) or rejects (never shown; the reason kept)."""
    now = now or timezone.now()
    if not may_organise(actor, comment.unit_path):
        raise OutOfScope("may not review here")
    note = (note or "").strip()[:200]
    if not approve and not note:
        raise ValidationError(_("请写明不发布的原因。"), code="review_note")
    with write_path():
        changed = Comment.objects.filter(pk=comment.pk, state=CommentState.PENDING).update(
            state=CommentState.APPROVED if approve else CommentState.REJECTED, reviewed_by=actor, reviewed_at=now,
            review_note="" if approve else note)
        if not changed:
            raise Conflict(_("这条意见已经审核过了。"), code="already_reviewed")
        Consultation.objects.filter(pk=comment.consultation_id).update(
            comments_pending=F("comments_pending") - 1,
            comments_approved=F("comments_approved") + int(bool(approve)))
        if approve:
            figures_add([(comment.unit_path, period_of(now), "consultation_comments", 1)])
        audit_record(actor=actor, action="consultation.comment_review", obj=comment, now=now,
                     changes={"approved": bool(approve)})
    comment.refresh_from_db()
    return comment


def comment_answer(*, actor, comment: Comment, answer: str, now=None) -> Comment:
    """The organiser's answer to a published comment (shown under it)."""
    now = now or timezone.now()
    if not may_organise(actor, comment.unit_path):
        raise OutOfScope("may not answer here")
    answer = (answer or "").strip()
    if not answer or len(answer) > MAX_COMMENT:
        raise ValidationError(_("请填写答复(最多%(n)d字)。") % {"n": MAX_COMMENT}, code="answer")
    if comment.state != CommentState.APPROVED:
        raise ValidationError(_("只能答复已发布的意见。"), code="answer_unpublished")
    with write_path():
        Comment.objects.filter(pk=comment.pk).update(answer=answer)
        audit_record(actor=actor, action="consultation.comment_answer", obj=comment, now=now)
    comment.refresh_from_db()
    return comment


def access_comment_by_id(user, comment_id, *, need: str = Action.EDIT) -> Comment:
    row = Comment.objects.select_related("consultation", "section").filter(pk=comment_id).filter(
        scope_q(user, field="unit_path", action=need)).first() if str(comment_id).isdigit() else None
    if row is None:
        raise Http404("comment not found")
    return row


def comments_shown(consultation: Consultation):
    """Published comments, oldest first (what the portal shows)."""
    return consultation.comments.filter(state=CommentState.APPROVED).select_related("section").order_by(
        "created_at", "pk")


def comments_waiting(consultation: Consultation):
    return consultation.comments.filter(state=CommentState.PENDING).select_related("section").order_by(
        "created_at", "pk")
