"""Completion (结业), certificates and the outcomes that follow a training: who finished, what it led to.

A confirmed participant of a training (Activity.is_training) completes it when she attended at least
COMPLETION_SHARE of its sessions — two thirds, the common rule of 培训班 (缺课超过总课时三分之一不予结业); for a class
of one or two sittings that means all of them. A cadre of the activity's unit (or above) records it; the completion
carries a numbered core Certificate that anyone checks at /verify/<code>/. Outcomes (employed, started a business,
income up by a monthly amount, other) are recorded later by the training's unit or by the cadres of her village, from
her page or through a contact log (the contacts app calls the hook "training.outcome"; see activities.apps). Each
completion counts once in trainings_completed and each outcome of a kind once in outcomes_<kind> (core.figures).
"""

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.certificates import certificate_issue
from fulian.core.figures import figures_add, period_of
from fulian.core.policy import Action, OutOfScope, allows, may_act_for_unit
from fulian.core.writes import write_path

from .models import (
    Activity,
    ActivityStatus,
    Attendance,
    Completion,
    Outcome,
    OutcomeKind,
    SignUp,
    SignUpState,
)

COMPLETION_SHARE = Fraction(2, 3)
CERTIFICATE_KIND = "training"
COUNTED_KINDS = (OutcomeKind.EMPLOYED, OutcomeKind.BUSINESS, OutcomeKind.INCOME)  # the figures outcomes_<kind>
MAX_AMOUNT = Decimal("1000000")
MAX_NOTE = 300


def sessions_needed(total: int) -> int:
    """Sittings she must attend of `total` to complete (at least one)."""
    return max(1, math.ceil(total * COMPLETION_SHARE))


def sessions_attended(signup: SignUp) -> int:
    """Distinct sessions of her activity she checked in to: by her sign-up, or by its phone on that activity (a
    check-in before her sign-up was linked)."""
    return (Attendance.objects.filter(activity_id=signup.activity_id)
            .filter(Q(signup_id=signup.pk) | Q(phone=signup.phone)).values("session_id").distinct().count())


def may_follow_up(actor, completion: Completion) -> bool:
    """The training's unit (or above), or the cadres of her village when she is in the registry."""
    if may_act_for_unit(actor, completion.unit_path):
        return True
    return completion.woman is not None and allows(actor, Action.EDIT, completion.woman.unit_path)


# ---- reads -------------------------------------------------------------------------------------------------------

def access_completion_by_id(user, completion_id, *, need: str = Action.VIEW) -> Completion:
    """A completion she may `need`: at the training's unit, or at the registered woman's (404 otherwise)."""
    try:
        completion = (Completion.objects.select_related("activity", "activity__unit", "signup", "woman",
                                                        "certificate").filter(pk=int(completion_id)).first())
    except (TypeError, ValueError, OverflowError):
        completion = None
    if completion is None or not (allows(user, need, completion.unit_path) or (
            completion.woman is not None and allows(user, need, completion.woman.unit_path))):
        raise Http404("completion not found")
    return completion


def access_outcome_by_id(user, outcome_id, *, need: str = Action.VIEW) -> Outcome:
    try:
        outcome = Outcome.objects.filter(pk=int(outcome_id)).select_related("completion").first()
    except (TypeError, ValueError, OverflowError):
        outcome = None
    if outcome is None:
        raise Http404("outcome not found")
    access_completion_by_id(user, outcome.completion_id, need=need)
    return outcome


def participants_for_completion(activity: Activity) -> list[dict]:
    """Confirmed participants of a training with the sessions each attended, what completion needs, and her
    completion (with its outcomes) if recorded: the page and API of 结业."""
    total = activity.sessions.count()
    needed = sessions_needed(total)
    signups = list(activity.signups.filter(state=SignUpState.CONFIRMED).select_related("woman").order_by("name", "pk"))
    by_signup: dict[int, set] = {}
    by_phone: dict[str, set] = {}
    for signup_id, phone, session_id in Attendance.objects.filter(activity=activity).values_list(
            "signup_id", "phone", "session_id"):
        by_phone.setdefault(phone, set()).add(session_id)
        if signup_id is not None:
            by_signup.setdefault(signup_id, set()).add(session_id)
    completions = {c.signup_id: c for c in Completion.objects.filter(activity=activity)
                   .select_related("certificate").prefetch_related("outcomes")}
    rows = []
    for signup in signups:
        attended = len(by_signup.get(signup.pk, set()) | by_phone.get(signup.phone, set()))
        rows.append({"signup": signup, "attended": attended, "needed": needed, "total": total,
                     "eligible": attended >= needed, "completion": completions.get(signup.pk)})
    return rows


def completions_of_woman(woman) -> list[Completion]:
    return list(Completion.objects.filter(woman=woman).select_related("activity", "signup", "certificate")
                .prefetch_related("outcomes").order_by("-completed_at"))


# ---- writes ------------------------------------------------------------------------------------------------------

def completion_record(*, actor, signup: SignUp, now=None) -> Completion:
    """结业: her completion of a training with its certificate ("完成《…》培训", in the name of the activity's unit).
    Recording it again returns the same completion; a participant short of COMPLETION_SHARE is refused."""
    now = now or timezone.now()
    activity = Activity.objects.select_related("unit").get(pk=signup.activity_id)
    if not may_act_for_unit(actor, activity.unit_path):
        raise OutOfScope("may not record completions here")
    done = Completion.objects.filter(signup_id=signup.pk).first()
    if done is not None:
        return done
    if not activity.is_training:
        raise ValidationError(_("只有培训班和讲习所课堂记录结业。"), code="completion_not_training")
    if activity.status != ActivityStatus.PUBLISHED:
        raise ValidationError(_("活动未发布或已取消，不能记录结业。"), code="completion_activity_state")
    try:
        with write_path():
            current = SignUp.objects.select_for_update().get(pk=signup.pk)
            done = Completion.objects.filter(signup_id=current.pk).first()
            if done is not None:
                return done
            if current.state != SignUpState.CONFIRMED:
                raise ValidationError(_("%(name)s没有确认报名（候补或已取消），不能结业。") % {"name": current.name},
                                      code="completion_not_confirmed")
            total = activity.sessions.count()
            needed, attended = sessions_needed(total), sessions_attended(current)
            if attended < needed:
                raise ValidationError(
                    _("%(name)s签到%(attended)d次，结业需要至少%(needed)d次（共%(total)d次）。") % {
                        "name": current.name, "attended": attended, "needed": needed, "total": total},
                    code="completion_attendance")
            certificate = certificate_issue(
                actor=actor, kind=CERTIFICATE_KIND, subject_key=f"signup:{current.pk}", holder=current.name,
                title=_("完成《%(title)s》培训") % {"title": activity.title}, unit=activity.unit, now=now)
            completion = Completion.objects.create(
                activity=activity, signup=current, unit_path=activity.unit_path, woman_id=current.woman_id,
                certificate=certificate, completed_at=now, completed_by=actor)
            figures_add([(activity.unit_path, period_of(now), "trainings_completed", 1)])
            audit_record(actor=actor, action="activity.completion", obj=completion,
                         changes={"activity": activity.pk, "signup": current.pk, "certificate": certificate.number},
                         now=now)
    except IntegrityError:  # recorded at the same moment by a double click
        done = Completion.objects.filter(signup_id=signup.pk).first()
        if done is None:
            raise
        return done
    return completion


def _clean_amount(kind: str, amount) -> Decimal | None:
    if amount in (None, ""):
        if kind == OutcomeKind.INCOME:
            raise ValidationError(_("收入增加请填写每月增加的金额(元)。"), code="outcome_amount_missing")
        return None
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("金额请填写数字。"), code="outcome_amount_format") from None
    if not value.is_finite() or value <= 0 or value >= MAX_AMOUNT:
        raise ValidationError(_("金额须大于0、小于100万元。"), code="outcome_amount_range")
    return value


def outcome_record(*, actor, completion: Completion, kind: str, amount=None, note: str = "",
                   recorded_on: dt.date, contact_log_id: int | None = None, today: dt.date | None = None) -> Outcome:
    """A follow-up outcome of her training. `amount`: the monthly income increase in yuan (required for income,
    optional otherwise, e.g. a monthly wage). Each of employed / business / income is counted once per completion:
    the same outcome sent twice (a double click) gives the one record; a second, different one of a counted kind is
    refused (correct it by removing the first)."""
    today = today or timezone.localdate()
    completion = Completion.objects.select_related("woman").get(pk=completion.pk)
    if not may_follow_up(actor, completion):
        raise OutOfScope("may not record outcomes here")
    if kind not in OutcomeKind.values:
        raise ValidationError(_("成效类别不正确。"), code="outcome_kind")
    value = _clean_amount(kind, amount)
    note = " ".join((note or "").split())
    if len(note) > MAX_NOTE:
        raise ValidationError(_("说明太长（最多300字）。"), code="outcome_note")
    if kind == OutcomeKind.OTHER and not note:
        raise ValidationError(_("“其他”成效请写明是什么。"), code="outcome_note_missing")
    if not isinstance(recorded_on, dt.date) or recorded_on > today:
        raise ValidationError(_("记录日期不能晚于今天。"), code="outcome_date_future")
    if recorded_on < timezone.localdate(completion.completed_at):
        raise ValidationError(_("记录日期不能早于结业日期。"), code="outcome_date_early")
    if contact_log_id is not None and (not isinstance(contact_log_id, int) or contact_log_id < 1):
        raise ValidationError(_("联系记录不正确。"), code="outcome_contact_log")
    now = timezone.now()
    with write_path():
        Completion.objects.select_for_update().filter(pk=completion.pk).first()  # one outcome writer at a time
        same = Outcome.objects.filter(completion=completion, kind=kind)
        for earlier in same:
            if (earlier.amount, earlier.note, earlier.recorded_on) == (value, note, recorded_on):
                return earlier
        if kind in COUNTED_KINDS and same.exists():
            first = same.order_by("recorded_on").first()
            raise ValidationError(
                _("“%(kind)s”已于%(day)s记录过；如需更正，请先删除原记录。") % {
                    "kind": first.get_kind_display(), "day": first.recorded_on.isoformat()},
                code="outcome_twice")
        outcome = Outcome.objects.create(
            completion=completion, unit_path=completion.unit_path, kind=kind, amount=value, note=note,
            recorded_on=recorded_on, contact_log_id=contact_log_id, recorded_by=actor, created_at=now)
        if kind in COUNTED_KINDS:
            figures_add([(completion.unit_path, period_of(recorded_on), f"outcomes_{kind}", 1)])
        audit_record(actor=actor, action="activity.outcome", obj=outcome,
                     changes={"completion": completion.pk, "kind": kind, "contact_log": contact_log_id}, now=now)
    return outcome


def outcome_remove(*, actor, outcome: Outcome) -> None:
    """Remove an outcome recorded by mistake; its figure goes down with it."""
    completion = Completion.objects.select_related("woman").get(pk=outcome.completion_id)
    if not may_follow_up(actor, completion):
        raise OutOfScope("may not remove outcomes here")
    now = timezone.now()
    with write_path():
        gone, _rows = Outcome.objects.filter(pk=outcome.pk).delete()
        if not gone:
            return
        if outcome.kind in COUNTED_KINDS:
            figures_add([(outcome.unit_path, period_of(outcome.recorded_on), f"outcomes_{outcome.kind}", -1)])
        audit_record(actor=actor, action="activity.outcome_remove", obj=completion,
                     changes={"outcome": outcome.pk, "kind": outcome.kind,
                              "recorded_on": outcome.recorded_on.isoformat()}, now=now)


def outcome_from_contact_log(*, actor, woman, completion_id: int, kind: str, amount=None, note: str = "",
                             recorded_on: dt.date, contact_log_id: int, **_ignored) -> Outcome:
    """The hook "training.outcome": a contact log (contacts, a sibling app) that records what her training led to.
    The completion must be hers."""
    completion = Completion.objects.filter(pk=completion_id, woman=woman).first()
    if completion is None:
        raise ValidationError(_("这位妇女没有这次培训的结业记录。"), code="outcome_completion")
    return outcome_record(actor=actor, completion=completion, kind=kind, amount=amount, note=note,
                          recorded_on=recorded_on, contact_log_id=contact_log_id)


def outcome_choices_for_contact_log(*, actor, woman) -> dict:
    """The hook "training.outcome_choices": what a contact-log form offers to record an outcome — her completed
    trainings the cadre may follow up ({"completions": [(id, label)], "kinds": [(value, label)]}; no completions:
    nothing to offer)."""
    rows = Completion.objects.filter(woman=woman).select_related("activity", "woman").order_by("-completed_at")[:20]
    return {"completions": [(c.pk, f"{c.activity.title}（{timezone.localdate(c.completed_at):%Y-%m-%d}）")
                            for c in rows if may_follow_up(actor, c)],
            "kinds": list(OutcomeKind.choices)}


def activity_records_merged(*, source, target) -> dict:
    """The hook "woman.merged": her sign-ups, check-ins and completions follow her surviving record, so her page
    (matched by these links, never by phone) keeps showing them."""
    return {
        "activity_signups": SignUp.objects.filter(woman=source).update(woman=target),
        "activity_attendances": Attendance.objects.filter(woman=source).update(woman=target),
        "activity_completions": Completion.objects.filter(woman=source).update(woman=target),
    }
