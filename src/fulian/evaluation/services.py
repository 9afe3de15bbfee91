"""Surveys and their answers. Submitting or deleting an answer moves the live figures in the same transaction."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.context import current_origin
from fulian.core.crypto import keyed_hash
from fulian.core.otp import otp_check, otp_send
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, require
from fulian.core.ratelimit import rate_hit
from fulian.orgs.models import Level

from .models import Answer, Question, Response, Survey
from .standard import STANDARD_QUESTIONS
from .tallies import period_of, tally_add


def survey_create(
    *,
    actor,
    unit,
    title: str,
    starts_on: dt.date,
    ends_on: dt.date,
    questions: list[dict] | None = None,
    standard: bool = False,
) -> Survey:
    """A survey of `unit`'s subtree for a period: the standard four-rate questionnaire or custom questions."""
    require(actor, Action.EDIT, unit.path)
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="survey_dates")
    if not (title or "").strip():
        raise ValidationError(_("请填写标题。"), code="survey_title")
    specs = STANDARD_QUESTIONS if standard else (questions or [])
    if not specs:
        raise ValidationError(_("问卷至少要有一道题。"), code="survey_empty")
    cleaned = [_clean_question(spec, n) for n, spec in enumerate(specs, start=1)]
    with transaction.atomic():
        survey = Survey.objects.create(
            unit=unit,
            unit_path=unit.path,
            title=title.strip()[:120],
            starts_on=starts_on,
            ends_on=ends_on,
            is_standard=standard,
            created_by=actor,
            public_token=secrets.token_urlsafe(12),
        )
        Question.objects.bulk_create([Question(survey=survey, position=n, **q) for n, q in enumerate(cleaned, 1)])
        audit_record(actor=actor, action="survey.create", obj=survey)
    return survey


def _clean_question(spec: dict, n: int) -> dict:
    text = (spec.get("text") or "").strip()
    kind = spec.get("kind")
    choices = [str(c).strip() for c in spec.get("choices") or [] if str(c).strip()]
    rate = spec.get("rate") or ""
    positive = [int(p) for p in spec.get("positive") or []]
    if not text:
        raise ValidationError(_("第%(n)d题没有题目。") % {"n": n}, code="question_text")
    if kind not in Question.Kind.values:
        raise ValidationError(_("第%(n)d题的题型不正确。") % {"n": n}, code="question_kind")
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE) and len(choices) < 2:
        raise ValidationError(_("第%(n)d题至少要有两个选项。") % {"n": n}, code="question_choices")
    if rate:
        if kind == Question.Kind.TEXT:
            raise ValidationError(_("第%(n)d题是文字题，不能计入四率。") % {"n": n}, code="question_rate_text")
        if kind == Question.Kind.SCALE and not (len(positive) == 1 and 1 <= positive[0] <= 5):
            raise ValidationError(_("第%(n)d题要写明几分以上算满意（1–5）。") % {"n": n}, code="question_positive")
        if kind != Question.Kind.SCALE and (not positive or any(p < 0 or p >= len(choices) for p in positive)):
            raise ValidationError(_("第%(n)d题要选出哪些选项算肯定回答。") % {"n": n}, code="question_positive")
    return {
        "text": text[:300],
        "kind": kind,
        "choices": choices,
        "rate": rate,
        "positive": positive if rate else [],
        "required": bool(spec.get("required", True)),
    }


def survey_set_status(*, actor, survey: Survey, status: str) -> Survey:
    require(actor, Action.EDIT, survey.unit_path)
    if status not in Survey.Status.values:
        raise ValidationError(_("状态不正确。"))
    with transaction.atomic():
        Survey.objects.filter(pk=survey.pk).update(status=status)
        survey.status = status
        audit_record(actor=actor, action=f"survey.{status}", obj=survey)
    return survey


def respondent_key(*, phone: str = "", woman=None) -> str:
    """One answer per person: keyed by her phone when known (the portal asks for it), else by her record."""
    if phone:
        return keyed_hash("phone:" + phone)
    if woman is not None:
        return hashlib.sha256(f"woman:{woman.pk}".encode()).hexdigest()
    raise ValidationError(_("请填写手机号。"), code="respondent_missing")


def _score(question: Question, raw) -> tuple[object, bool | None]:
    """Validate one answer; returns the stored value and whether it counts as positive for its rate."""
    kind = question.kind
    if raw in (None, "", []):
        if question.required:
            raise ValidationError(_("请回答：%(q)s") % {"q": question.text}, code="answer_missing")
        return None, None
    if kind == Question.Kind.SINGLE:
        index = _choice_index(question, raw)
        return index, (index in question.positive) if question.rate else None
    if kind == Question.Kind.MULTIPLE:
        values = raw if isinstance(raw, list) else [raw]
        indexes = sorted({_choice_index(question, v) for v in values})
        return indexes, bool(set(indexes) & set(question.positive)) if question.rate else None
    if kind == Question.Kind.SCALE:
        try:
            score = int(raw)
        except (TypeError, ValueError):
            score = 0
        if not 1 <= score <= 5:
            raise ValidationError(_("“%(q)s”请打1到5分。") % {"q": question.text}, code="answer_scale")
        return score, (score >= question.positive[0]) if question.rate else None
    text = str(raw).strip()[:1000]
    return text, None


def _choice_index(question: Question, raw) -> int:
    try:
        index = int(raw)
    except (TypeError, ValueError):
        index = question.choices.index(raw) if raw in question.choices else -1
    if not 0 <= index < len(question.choices):
        raise ValidationError(_("“%(q)s”的选项不正确。") % {"q": question.text}, code="answer_choice")
    return index


def survey_code_send(*, phone: str, now=None) -> None:
    """A one-time code to prove her phone, so that her answer counts in the rates (core.otp)."""
    otp_send(phone=normalize_phone(phone), now=now)


def response_submit(
    *, survey: Survey, unit, answers: dict, channel: str, phone: str = "", woman=None, entered_by=None, now=None,
    code: str = "", verified: bool = False,
) -> Response:
    """Record one person's answers. The same person twice is refused; the figures move in this transaction.

    The answer counts in the rates when a cadre entered it, when `code` is the one-time code just sent to `phone`
    (core.otp), or when the caller has already proved the phone (`verified`, for data loaders); otherwise it is
    kept as unverified and counted apart. Answers not entered by a cadre are limited per address."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if survey.status != Survey.Status.OPEN or not survey.starts_on <= today <= survey.ends_on:
        raise ValidationError(_("这份问卷现在不接受填写。"), code="survey_closed")
    if not unit.path.startswith(survey.unit_path) or unit.level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise ValidationError(_("所在村(社区)不在这份问卷的范围内。"), code="survey_unit")
    if entered_by is not None:
        require(entered_by, Action.EDIT, unit.path)
    phone = normalize_phone(phone) if phone else (woman.phone if woman is not None else "")
    key = respondent_key(phone=phone, woman=woman)
    if Response.objects.filter(survey=survey, respondent_key=key).exists():  # before a code is used up
        raise ValidationError(_("您已经填写过这份问卷了，每人只能填写一次。"), code="already_answered")
    if entered_by is not None:
        verified = True
    elif not verified:
        if not rate_hit("survey-answer-address", current_origin().ip, limit=settings.SURVEY_ANSWERS_PER_ADDRESS,
                        seconds=3600, now=now.timestamp()):
            raise ValidationError(_("这个网络地址提交的答卷太多，请一小时后再试。"), code="survey_rate")
        if (code or "").strip():
            otp_check(phone=phone, code=code, now=now)
            verified = True
    questions = list(survey.questions.all())
    scored = [(q, *_score(q, answers.get(str(q.pk), answers.get(q.pk)))) for q in questions]
    period = period_of(now)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                respondent_key=key,
                woman=woman,
                unit=unit,
                unit_path=unit.path,
                channel=channel,
                entered_by=entered_by,
                submitted_at=now,
                period=period,
                is_verified=verified,
            )
            Answer.objects.bulk_create(
                [
                    Answer(response=response, question=q, value=value, is_positive=positive)
                    for q, value, positive in scored
                    if value is not None
                ]
            )
            tally_add(_deltas(response.unit_path, period, scored, +1, verified=verified))
    except IntegrityError:
        raise ValidationError(_("您已经填写过这份问卷了，每人只能填写一次。"), code="already_answered") from None
    return response


def _deltas(path: str, period: int, scored, sign: int, *, verified: bool):
    if not verified:
        yield path, period, "responses_unverified", sign
        return
    yield path, period, "responses", sign
    for question, value, positive in scored:
        if question.rate and value is not None:
            yield path, period, f"{question.rate}_answered", sign
            if positive:
                yield path, period, f"{question.rate}_positive", sign


def response_delete(*, actor, response: Response) -> None:
    """Withdraw an answer sheet (e.g. entered for the wrong woman); its counts leave the figures with it."""
    require(actor, Action.EDIT, response.unit_path)
    with transaction.atomic():
        answers = list(response.answers.select_related("question"))
        scored = [(a.question, a.value, a.is_positive) for a in answers]
        tally_add(_deltas(response.unit_path, response.period, scored, -1, verified=response.is_verified))
        audit_record(
            actor=actor, action="survey.response_delete", obj=response.survey, changes={"response": response.pk}
        )
        response.delete()
