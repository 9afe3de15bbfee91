"""The service network's writes: intake from every door, triage, handling, referral, escalation, closing.

Each is atomic, writes its timeline entry and audit row, and queues notifications in the outbox in the same
transaction. Time comes in as `now` so tests control the clock.
"""

import datetime as dt
import json
import secrets
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fulian.accounts.models import User
from fulian.core.audit import audit_record
from fulian.core.context import current_origin
from fulian.core.crypto import decrypt, encrypt
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.hooks import hook_call
from fulian.core.outbox import outbox_put
from fulian.core.phone import normalize_phone
from fulian.core.policy import (
    Action,
    actions_of,
    has_leader_role,
    is_leader_of,
    may_handle_case,
    require,
    unit_fits_case,
)
from fulian.core.ratelimit import rate_hit
from fulian.core.writes import key_text, write_first, write_later, write_path
from fulian.orgs.models import Level, Unit

from .models import (
    Case,
    CaseHandler,
    CaseKind,
    CaseStatus,
    DeadlineRule,
    Partner,
    Referral,
    RiskLevel,
    Source,
    TimelineEntry,
    Urgency,
)

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out over the phone without mistakes
REFERRAL_CHASE_HOURS = 24

KIND_FIELDS = {  # the free-text fields each kind of case carries (sealed), shown and edited on its page
    CaseKind.DOMESTIC_VIOLENCE: ["protection_order", "risk_note"],
    CaseKind.MEDIATION: ["parties", "sessions", "agreement"],
    CaseKind.LEGAL_AID: ["matter", "provider", "result"],
    CaseKind.PETITION: ["department", "filed_on", "reply_due", "reply"],
    CaseKind.ASSISTANCE: ["assistance"],
    CaseKind.OTHER: [],
}


RISK_KINDS = {CaseKind.DOMESTIC_VIOLENCE}  # the kinds whose page asks for 风险等级 (a choice, Case.risk_level)
RISK_WORDS = {"低": RiskLevel.LOW, "中": RiskLevel.MEDIUM, "高": RiskLevel.HIGH}  # what older API clients send

FIELD_LABELS = {
    "risk_note": gettext_lazy("风险说明"),
    "protection_order": gettext_lazy("人身安全保护令"),
    "parties": gettext_lazy("当事人"),
    "sessions": gettext_lazy("调解次数"),
    "agreement": gettext_lazy("调解协议"),
    "matter": gettext_lazy("法律事项"),
    "provider": gettext_lazy("援助机构/律师"),
    "result": gettext_lazy("结果"),
    "department": gettext_lazy("信访部门"),
    "filed_on": gettext_lazy("代理提交日期"),
    "reply_due": gettext_lazy("答复期限"),
    "reply": gettext_lazy("答复"),
    "assistance": gettext_lazy("救助内容"),
}
ACTION_LABELS = {
    "created": gettext_lazy("登记"),
    "triaged": gettext_lazy("研判"),
    "assigned": gettext_lazy("指定承办"),
    "note": gettext_lazy("办理"),
    "paused": gettext_lazy("暂缓"),
    "resumed": gettext_lazy("恢复"),
    "closed": gettext_lazy("办结"),
    "rated": gettext_lazy("评价"),
    "referred": gettext_lazy("转介"),
    "referral_ack": gettext_lazy("对方确认接收"),
    "escalated": gettext_lazy("逾期上报"),
    "chased": gettext_lazy("催办转介"),
    "handler_released": gettext_lazy("承办人调离"),
}


class TokenReused(Conflict):
    """The same client token came with a different request: answered 409, never with another woman's case."""

    def __init__(self):
        super().__init__(_("这个提交编号已用于另一条求助。请刷新页面后重新填写提交。"), code="client_token_reused")


class TooManyRequests(ValidationError):
    def __init__(self):
        super().__init__(_("这个网络提交的求助太多了，请稍后再试，或直接拨打12338妇女维权热线。"), code="help_rate")


def _same_request(case: Case, *, kind: str, home_unit, description: str) -> bool:
    return (case.kind == kind and case.home_unit_id == home_unit.pk
            and unseal(case).get("description") == (description or "").strip()[:4000])


class StaleCase(Conflict):
    def __init__(self):
        super().__init__(_("这个个案刚被其他人修改过，您的修改没有保存。请刷新查看最新内容后再改。"), code="stale")


def tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def normalize_tracking(text: str) -> str:
    """What she typed, as stored: case, spaces and dashes ignored (ABCDE-FGHJK = abcde fghjk = ABCDEFGHJK)."""
    return "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())[:12]


def seal(data: dict) -> str:
    return encrypt(json.dumps(data, ensure_ascii=False))


def unseal(case: Case) -> dict:
    text = decrypt(case.sealed)
    return json.loads(text) if text else {}


def default_urgency(kind: str) -> str:
    return Urgency.URGENT if kind == CaseKind.DOMESTIC_VIOLENCE else Urgency.NORMAL


_rules: dict = {"at": None, "rules": {}}
RULES_SECONDS = 60  # another worker sees a changed rule within a minute; this one at once


def _deadline_rules() -> dict:
    """{(kind, urgency): (hours, days)}, read once a minute per process: every intake needs it, it rarely changes."""
    now = time.monotonic()
    if _rules["at"] is None or now - _rules["at"] > RULES_SECONDS:
        _rules["rules"] = {(r.kind, r.urgency): (r.first_action_hours, r.resolve_days)
                           for r in DeadlineRule.objects.all()}
        _rules["at"] = now
    return _rules["rules"]


def _deadlines(kind: str, urgency: str, start) -> tuple:
    hours, days = _deadline_rules().get((kind, urgency), (72, 30))
    return start + dt.timedelta(hours=hours), start + dt.timedelta(days=days)


_ACTIVE_OF_UNIT = (f'SELECT "id", "email", "roles" FROM {User._meta.db_table} '  # noqa: S608
                   f'WHERE "unit_id" = %s AND "is_active"')


def _leaders_of(unit: Unit):
    # a prepared statement, not a queryset: every help request asks it, and compiling it cost more than running it
    roles = User._meta.get_field("roles")
    with connection.cursor() as cursor:
        cursor.execute(_ACTIVE_OF_UNIT, [unit.pk])
        rows = cursor.fetchall()
    users = [User.from_db(connection.alias, ("id", "email", "is_active", "roles"),
                          (pk, email, True, roles.from_db_value(value, None, connection))) for pk, email, value in rows]
    return [u for u in users if has_leader_role(u)]


def _notify(users, subject: str, case: Case, now) -> None:
    link = key_text(case, "/cases/{}/")
    for user in users:
        outbox_put(channel="in_app", user=user, subject=subject, link=link, now=now)
        if user.email:
            outbox_put(channel="email", user=user, subject=subject, link=link, now=now)


def _timeline(case, action: str, *, actor=None, text: str = "", public: bool = False, now=None) -> None:
    write_later(TimelineEntry(
        case=case, at=now or timezone.now(), actor=actor, action=action, text=text, is_public=public
    ))


def case_intake(
    *,
    kind: str,
    home_unit: Unit,
    description: str,
    source: str,
    now=None,
    actor=None,
    urgency: str | None = None,
    contact: dict | None = None,
    anonymous: bool = False,
    woman=None,
    need=None,
    client_token: str | None = None,
    account=None,
    sms_tracking_code: bool = False,
) -> Case:
    """A request enters from any door; it lands in the queue of the unit where the woman lives.
    The same client token twice (double submit, a retried app request) gives the same case.
    `account` shows it in her 我的 (pass it only when she ticked that); `sms_tracking_code` texts her the code
    (only when she ticked that: whoever holds her phone can read it)."""
    now = now or timezone.now()
    if actor is None and not rate_hit("help-request-address", current_origin().ip,
                                      limit=settings.HELP_REQUESTS_PER_HOUR, seconds=3600, now=now.timestamp()):
        raise TooManyRequests()  # one budget per address for the page and the API, in the shared cache
    if kind not in CaseKind.values:
        raise ValidationError(_("请选择求助类别。"), code="case_kind")
    if not (description or "").strip():
        raise ValidationError(_("请简单说明发生了什么、需要什么帮助。"), code="case_description")
    if home_unit.level not in (Level.TOWNSHIP, Level.VILLAGE) or not home_unit.is_geographic:
        raise ValidationError(_("请选择您所在的村(社区)或乡镇(街道)。"), code="case_unit")
    if actor is not None:
        require(actor, Action.EDIT, home_unit.path)
    contact = {k: (v or "").strip()[:200] for k, v in (contact or {}).items()}
    if not anonymous and not (contact.get("phone") or woman is not None):
        raise ValidationError(_("请留下联系电话，或选择匿名求助。"), code="case_contact")
    sms_to = ""
    if sms_tracking_code:
        if anonymous or not contact.get("phone"):
            raise ValidationError(_("短信要发到您留下的电话：请填写电话，或不勾选短信。"), code="case_sms_phone")
        sms_to = normalize_phone(contact["phone"])
    urgency = urgency or default_urgency(kind)
    first_due, resolve_due = _deadlines(kind, urgency, now)
    try:  # a token seen before (a double click, a retried request) fails the unique index: no lookup first
        with write_path():
            case = Case(
                tracking_code=tracking_code(),
                client_token=client_token or None,
                kind=kind,
                urgency=urgency,
                source=source,
                unit=home_unit,
                unit_path=home_unit.path,
                home_unit=home_unit,
                woman=woman,
                need=need,
                account=account,
                is_anonymous=anonymous,
                created_at=now,
                first_action_due=first_due,
                resolve_due=resolve_due,
                sealed=seal(
                    {"description": description.strip()[:4000], **({} if anonymous else contact), "details": {}}
                ),
            )
            write_first(case)  # written with its traces in one statement when the block ends: its key comes then
            if actor is not None:  # the cadre who took the call or the visit handles it unless reassigned
                write_later(CaseHandler(case=case, user=actor, assigned_at=now))
            _timeline(
                case,
                "created",
                actor=actor,
                text=_("已收到求助，已转%(unit)s妇联办理。") % {"unit": home_unit.name},
                public=True,
                now=now,
            )
            _notify(_leaders_of(home_unit), _("新的求助：%(kind)s") % {"kind": case.get_kind_display()}, case, now)
            figures_add([(home_unit.path, period_of(now), "cases_opened", 1)])
            audit_record(actor=actor, action="case.create", obj=case, changes={"source": source, "kind": kind})
            if sms_to:
                outbox_put(channel="sms", address=sms_to, subject=tracking_sms_text(case), now=now)
            if need is not None:
                hook_call("need.became_case", need_id=need.pk)
    except IntegrityError:
        existing = Case.objects.filter(client_token=client_token).first() if client_token else None
        if existing is None:
            raise
        if not _same_request(existing, kind=kind, home_unit=home_unit, description=description):
            raise TokenReused() from None  # the same token for other content: never a stranger's case
        return existing
    return case


def tracking_sms_text(case: Case) -> str:
    """The text that carries her tracking code. It names neither the federation nor a request for help: a phone is
    often shared, and the person she fears may read it."""
    return _("您的查询码：%(code)s。凭此码可在网上查询办理进度，请妥善保管。") % {"code": case.tracking_display}


def case_link_account(*, tracking: str, account, now=None) -> Case:
    """She shows one of her requests in 我的 by typing its tracking code while signed in: a request is linked by
    what only she holds, never by a phone number (numbers are recycled)."""
    now = now or timezone.now()
    if not rate_hit("case-link-account", str(account.pk), limit=10, seconds=3600, now=now.timestamp()):
        raise ValidationError(_("尝试次数太多，请一小时后再试。"), code="case_link_limit")
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(tracking_code=normalize_tracking(tracking)).first()
        if case is None:
            raise ValidationError(_("没有这个查询码，请核对后再输入。"), code="case_link_unknown")
        Case.objects.filter(pk=case.pk).update(account=account)
        case.account = account
        audit_record(actor=None, action="case.account_link", obj=case, changes={"account": account.pk})
    return case


def case_unlink_account(*, account, case_id=None, tracking: str = "") -> None:
    """She takes a request out of 我的 (by its id on the page, by its code in the app); the request itself stays
    with the federation."""
    with transaction.atomic():
        mine = Case.objects.filter(account=account)
        case = (mine.filter(pk=case_id) if case_id is not None
                else mine.filter(tracking_code=normalize_tracking(tracking))).first()
        if case is None:
            return
        Case.objects.filter(pk=case.pk).update(account=None)
        audit_record(actor=None, action="case.account_unlink", obj=case, changes={"account": account.pk})


def handler_fits(user, case: Case) -> bool:
    """A handler belongs to the case's unit, a unit above it or a unit below it — checked on every access, so a
    cadre moved elsewhere loses her cases even if a handler row were left behind."""
    return unit_fits_case(user, case.unit_path)


def may_handle(user, case: Case) -> bool:
    """Need-to-know (core.policy.may_handle_case): her handlers, and the chairs and vice-chairs of its unit and
    every unit above it."""
    if is_leader_of(user, case.unit_path):
        return True
    is_handler = bool(getattr(user, "pk", None)) and CaseHandler.objects.filter(case=case, user_id=user.pk).exists()
    return may_handle_case(user, case.unit_path, is_handler=is_handler)


def is_on_time(case: Case) -> bool:
    """First action within the deadline of the unit it came to; an escalated case was late by definition."""
    return case.first_action_at is not None and case.escalations == 0 and case.first_action_at <= case.first_action_due


def _act(case: Case, *, actor, now, version: int | None) -> Case:
    """Common to every handling action (called inside the action's transaction): need-to-know, then the case row
    locked so concurrent actions run one after the other on its current state (the first-action figure is counted
    once, a closed case stays closed), then the optimistic check of `version` when the caller sent one."""
    if not may_handle(actor, case):
        raise ValidationError(_("您不是这个个案的承办人或上级领导。"), code="not_handler")
    current = Case.objects.select_for_update().get(pk=case.pk)
    if version is not None and current.version != version:
        raise StaleCase()
    if current.status == CaseStatus.CLOSED:
        raise ValidationError(_("个案已办结。"), code="case_closed")
    changes = {"version": F("version") + 1}
    first = current.first_action_at is None
    if first:
        changes["first_action_at"] = now
    if current.status == CaseStatus.NEW:
        changes["status"] = CaseStatus.IN_PROGRESS
    Case.objects.filter(pk=case.pk).update(**changes)
    case.refresh_from_db()
    if first:  # counted where she lives, in the month the case came in
        path, period = case.home_unit.path, period_of(case.created_at)
        figures_add([(path, period, "cases_acted", 1), (path, period, "cases_acted_on_time", int(is_on_time(case)))])
    return case


def case_triage(*, actor, case: Case, urgency: str, version: int | None = None, now=None) -> Case:
    now = now or timezone.now()
    if urgency not in Urgency.values:
        raise ValidationError(_("紧急程度不正确。"))
    with transaction.atomic():
        case = _act(case, actor=actor, now=now, version=version)
        first_due, resolve_due = _deadlines(case.kind, urgency, case.created_at)
        Case.objects.filter(pk=case.pk).update(urgency=urgency, resolve_due=resolve_due)
        case.refresh_from_db()
        _timeline(case, "triaged", actor=actor, text=case.get_urgency_display(), now=now)
        audit_record(actor=actor, action="case.triage", obj=case, changes={"urgency": urgency})
    return case


def case_assign(*, actor, case: Case, handler, version: int | None = None, now=None) -> Case:
    now = now or timezone.now()
    if not handler_fits(handler, case):
        raise ValidationError(_("承办人应是本组织或上下级组织的干部。"), code="handler_unit")
    with transaction.atomic():
        case = _act(case, actor=actor, now=now, version=version)
        CaseHandler.objects.get_or_create(case=case, user=handler, defaults={"assigned_at": now})
        _timeline(case, "assigned", actor=actor, text=str(handler), now=now)
        _notify([handler], _("您被指定承办：%(kind)s") % {"kind": case.get_kind_display()}, case, now)
        audit_record(actor=actor, action="case.assign", obj=case, changes={"handler": handler.username})
    return case


def risk_level_of(value: str) -> str:
    """The choice for what was sent (low/medium/high, or 低/中/高); "" clears it; anything else is refused."""
    value = (value or "").strip()
    level = RISK_WORDS.get(value, value.lower())
    if level and level not in RiskLevel.values:
        raise ValidationError(_("风险等级只能是低、中、高。"), code="risk_level")
    return level


def case_note(
    *,
    actor,
    case: Case,
    text: str,
    public: bool = False,
    details: dict | None = None,
    version: int | None = None,
    now=None,
) -> Case:
    """A handling step: a note on the timeline, and (optionally) the kind's own fields — 风险等级 (`risk_level` in
    `details`) is a choice kept on the case, the others are sealed text."""
    now = now or timezone.now()
    details = dict(details or {})
    if not (text or "").strip() and not details:
        raise ValidationError(_("请写明办理情况。"), code="note_blank")
    risk = risk_level_of(details.pop("risk_level")) if "risk_level" in details else None
    with transaction.atomic():
        case = _act(case, actor=actor, now=now, version=version)
        changes = {}
        if details:
            allowed = set(KIND_FIELDS.get(case.kind, []))
            data = unseal(case)
            data["details"] = {
                **data.get("details", {}),
                **{k: str(v)[:500] for k, v in details.items() if k in allowed},
            }
            Case.objects.filter(pk=case.pk).update(sealed=seal(data))
        entry = (text or "").strip()[:2000]
        if risk is not None and case.kind in RISK_KINDS and risk != case.risk_level:
            changes["risk_level"] = [case.risk_level, risk]
            Case.objects.filter(pk=case.pk).update(risk_level=risk)
            case.refresh_from_db()
            shown = case.get_risk_level_display() if risk else _("未评估")
            # an entry of its own, never shown to her even when the note beside it is
            _timeline(case, "note", actor=actor, text=_("风险等级：%(level)s") % {"level": shown}, now=now)
        if entry or not changes:
            _timeline(case, "note", actor=actor, text=entry, public=public, now=now)
        audit_record(actor=actor, action="case.note", obj=case, changes=changes or None)
    return case


def case_pause(*, actor, case: Case, reason: str, version: int | None = None, now=None) -> Case:
    now = now or timezone.now()
    if not (reason or "").strip():
        raise ValidationError(_("暂缓需要写明原因。"), code="pause_reason")
    with transaction.atomic():
        case = _act(case, actor=actor, now=now, version=version)
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.PAUSED, paused_at=now)
        case.refresh_from_db()
        _timeline(case, "paused", actor=actor, text=reason.strip()[:500], now=now)
        # the reason is a case note, sealed on the timeline: the audit row, which is not, says only that one was given
        audit_record(actor=actor, action="case.pause", obj=case)
    return case


def case_resume(*, actor, case: Case, version: int | None = None, now=None) -> Case:
    now = now or timezone.now()
    with transaction.atomic():
        case = _act(case, actor=actor, now=now, version=version)
        held = now - case.paused_at if case.paused_at else dt.timedelta(0)
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.IN_PROGRESS, paused_at=None, resolve_due=F("resolve_due") + held
        )
        case.refresh_from_db()
        _timeline(case, "resumed", actor=actor, now=now)
        audit_record(actor=actor, action="case.resume", obj=case)
    return case


def case_close(*, actor, case: Case, outcome: str, outcome_public: str = "", version: int | None = None,
               now=None) -> Case:
    """Close a case. `outcome` is the internal record; `outcome_public` is what the handler chooses to tell her: it
    is shown with her tracking code (blank: she sees only 已办结)."""
    now = now or timezone.now()
    if not (outcome or "").strip():
        raise ValidationError(_("办结需要写明办理结果。"), code="close_outcome")
    shared = (outcome_public or "").strip()[:2000]
    with transaction.atomic():
        case = _act(case, actor=actor, now=now, version=version)
        Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=now, outcome=outcome.strip(),
                                               outcome_public=shared)
        case.refresh_from_db()
        figures_add([(case.home_unit.path, period_of(now), "cases_closed", 1)])
        told = _("已办结。办理结果：%(outcome)s") % {"outcome": shared} if shared else _("已办结")
        _timeline(case, "closed", actor=actor, text=told, public=True, now=now)
        audit_record(actor=actor, action="case.close", obj=case, changes={"shared_outcome": bool(shared)})
    return case


def case_rate(*, tracking: str, score: int, now=None) -> Case:
    """The woman rates how her case was handled, with her tracking code, once it is closed."""
    case = Case.objects.filter(tracking_code=normalize_tracking(tracking)).first()
    if case is None:
        raise ValidationError(_("没有这个查询码。"), code="tracking_unknown")
    if case.status != CaseStatus.CLOSED:
        raise ValidationError(_("个案办结后才能评价。"), code="rate_open")
    if not 1 <= int(score) <= 5:
        raise ValidationError(_("请打1到5分。"), code="rate_score")
    with transaction.atomic():
        if not Case.objects.filter(pk=case.pk, satisfaction__isnull=True).update(satisfaction=int(score)):
            raise ValidationError(_("您已经评价过了。"), code="rate_twice")
        period = period_of(case.closed_at)  # her rating belongs to the month her case was closed
        figures_add(
            [
                (case.home_unit.path, period, "cases_rated", 1),
                (case.home_unit.path, period, "cases_satisfied", int(int(score) >= 4)),
            ]
        )
        _timeline(case, "rated", text=str(score), now=now)
    case.refresh_from_db()
    return case


def referral_create(
    *, actor, case: Case, partner: Partner, note: str = "", version: int | None = None, now=None
) -> Referral:
    """Refer the case to a partner; it counts as received only when the partner confirms with its code."""
    now = now or timezone.now()
    if not case.unit_path.startswith(partner.unit_path) and not partner.unit_path.startswith(case.unit_path):
        raise ValidationError(_("只能转介给本地或上级的合作单位。"), code="partner_area")
    with transaction.atomic():
        case = _act(case, actor=actor, now=now, version=version)
        referral = Referral.objects.create(
            case=case,
            partner=partner,
            ack_code=secrets.token_urlsafe(12),
            sent_at=now,
            chase_at=now + dt.timedelta(hours=REFERRAL_CHASE_HOURS),
        )
        _timeline(case, "referred", actor=actor, text=f"{partner.name} {note}".strip(), public=True, now=now)
        if partner.email:
            outbox_put(
                channel="email",
                address=partner.email,
                subject=_("妇联转介个案，请确认接收"),
                body=_("请打开链接确认接收："),
                link=f"/referrals/{referral.ack_code}/",
                now=now,
            )
        if partner.phone:
            outbox_put(
                channel="sms",
                address=partner.phone,
                subject=_("妇联转介个案，请确认接收"),
                link=f"/referrals/{referral.ack_code}/",
                now=now,
            )
        audit_record(actor=actor, action="case.refer", obj=case, changes={"partner": partner.name})
    return referral


def referral_acknowledge(*, code: str, now=None) -> Referral:
    now = now or timezone.now()
    with transaction.atomic():
        referral = Referral.objects.select_for_update(of=("self",)).filter(ack_code=code).select_related("case").first()
        if referral is None:
            raise ValidationError(_("确认码无效。"), code="ack_unknown")
        if referral.status == Referral.Status.SENT:
            referral.status, referral.received_at = Referral.Status.RECEIVED, now
            referral.save(update_fields=["status", "received_at"])
            _timeline(referral.case, "referral_ack", text=referral.partner.name, public=True, now=now)
    return referral


def case_escalate_overdue(*, now=None) -> dict:
    """Periodic: a case whose first action is overdue goes up to the parent unit, and keeps going up while
    nobody acts; an unconfirmed referral is chased. Each case is escalated in its own transaction after
    re-reading it under a lock, so a run killed half-way and started again escalates nothing twice."""
    now = now or timezone.now()
    counts = {"escalated": 0, "chased": 0}
    overdue = Case.objects.filter(status=CaseStatus.NEW, first_action_at__isnull=True, first_action_due__lt=now)
    for case_id in list(overdue.values_list("id", flat=True)):
        with transaction.atomic():
            case = (
                Case.objects.select_for_update(of=("self",))
                .filter(pk=case_id, status=CaseStatus.NEW, first_action_at__isnull=True, first_action_due__lt=now)
                .select_related("unit", "unit__parent")
                .first()
            )
            if case is None or case.unit.parent is None:
                continue
            parent = case.unit.parent
            first_due, _resolve = _deadlines(case.kind, case.urgency, now)
            Case.objects.filter(pk=case.pk).update(
                unit=parent,
                unit_path=parent.path,
                first_action_due=first_due,
                escalations=F("escalations") + 1,
                version=F("version") + 1,
            )
            _timeline(
                case,
                "escalated",
                text=_("逾期未处理，已上报%(unit)s妇联。") % {"unit": parent.name},
                public=True,
                now=now,
            )
            subject = _("逾期上报：%(kind)s") % {"kind": case.get_kind_display()}
            _notify(_leaders_of(parent) + _leaders_of(case.unit), subject, case, now)
            audit_record(
                actor=None, action="case.escalate", obj=case, changes={"from": case.unit.code, "to": parent.code}
            )
            counts["escalated"] += 1
    for referral_id in list(
        Referral.objects.filter(status=Referral.Status.SENT, chase_at__lt=now).values_list("id", flat=True)
    ):
        with transaction.atomic():
            referral = (
                Referral.objects.select_for_update(of=("self",))
                .filter(pk=referral_id, status=Referral.Status.SENT, chase_at__lt=now)
                .select_related("case", "partner")
                .first()
            )
            if referral is None:
                continue
            Referral.objects.filter(pk=referral.pk).update(
                chase_at=now + dt.timedelta(hours=REFERRAL_CHASE_HOURS), chases=F("chases") + 1
            )
            _timeline(referral.case, "chased", text=referral.partner.name, now=now)
            handlers = list(referral.case.handlers.all()) or _leaders_of(referral.case.unit)
            _notify(handlers, _("转介未确认：%(partner)s") % {"partner": referral.partner.name}, referral.case, now)
            counts["chased"] += 1
    return counts


def case_handlers_release(*, actor, user, now=None) -> int:
    """Her account moves to another unit: she stops handling every case (the leaders of each case's unit are
    told, so someone takes it over)."""
    now = now or timezone.now()
    rows = list(CaseHandler.objects.filter(user=user).select_related("case", "case__unit"))
    for row in rows:
        _timeline(row.case, "handler_released", actor=actor, text=str(user), now=now)
        if row.case.is_open:
            _notify(_leaders_of(row.case.unit), _("承办人已调离，请重新指定：%(kind)s") % {
                "kind": row.case.get_kind_display()}, row.case, now)
    CaseHandler.objects.filter(pk__in=[r.pk for r in rows]).delete()
    if rows:
        audit_record(actor=actor, action="case.handlers_release", obj=user,
                     changes={"cases": [r.case_id for r in rows]})
    return len(rows)


def deadline_rule_set(*, actor, kind: str, urgency: str, first_action_hours: int, resolve_days: int) -> DeadlineRule:
    """Deadlines apply to every unit: only the platform's superusers change them (core.policy MANAGE_SETTINGS)."""
    if Action.MANAGE_SETTINGS not in actions_of(actor):
        raise PermissionError("settings for every unit change only at the top")
    if first_action_hours < 1 or resolve_days < 1:
        raise ValidationError(_("时限必须大于零。"), code="deadline_positive")
    with transaction.atomic():
        rule, _created = DeadlineRule.objects.update_or_create(
            kind=kind, urgency=urgency,
            defaults={"first_action_hours": first_action_hours, "resolve_days": resolve_days})
        _rules["at"] = None
        audit_record(actor=actor, action="deadline_rule.set", obj=rule,
                     changes={"first_action_hours": first_action_hours, "resolve_days": resolve_days})
    return rule


def partner_create(*, actor, unit: Unit, name: str, kind: str, phone: str = "", email: str = "") -> Partner:
    require(actor, Action.EDIT, unit.path)
    if Partner.objects.filter(unit=unit, name=name.strip(), is_active=True).exists():
        raise ValidationError(_("已有同名合作单位。"), code="partner_duplicate")
    with transaction.atomic():
        partner = Partner.objects.create(unit=unit, unit_path=unit.path, name=name.strip(), kind=kind,
                                         phone=normalize_phone(phone) if phone else "", email=email)
        audit_record(actor=actor, action="partner.create", obj=partner)
    return partner


def partner_retire(*, actor, partner: Partner) -> None:
    require(actor, Action.EDIT, partner.unit_path)
    with transaction.atomic():
        Partner.objects.filter(pk=partner.pk).update(is_active=False)
        audit_record(actor=actor, action="partner.retire", obj=partner)


# what family awards (a sibling app) may learn through core.hooks: never a case's content


FAMILY_CASE_KINDS = (CaseKind.DOMESTIC_VIOLENCE, CaseKind.MEDIATION)


def open_family_cases(*, woman_ids=()) -> list[tuple[int, str]]:
    """(case id, unit path) of the open domestic-violence and family-dispute cases of these registry women: what
    holds a family award until someone with need-to-know decides. Nothing else about a case leaves this app."""
    woman_ids = [w for w in woman_ids if w]
    if not woman_ids:
        return []
    return list(Case.objects.filter(woman_id__in=woman_ids, kind__in=FAMILY_CASE_KINDS)
                .exclude(status=CaseStatus.CLOSED).values_list("pk", "unit_path").order_by("pk"))


def may_know_case(*, user, case_id: int) -> bool:
    """Need-to-know of one case (its handlers and the leaders of its unit and above), for a sibling app's check."""
    case = Case.objects.filter(pk=case_id).only("pk", "unit_path").first()
    return case is not None and may_handle(user, case)


def case_from_visit(*, actor, woman, kind: str, urgency: str, made_at, client_token: str) -> dict:
    """A help request a cadre registered on a visit, offline (the hook "visit.help_request"): only its kind and
    urgency travelled on her phone — the story is taken when she is back online, as a note on the case. It lands in
    the queue of the village where the woman lives, with the deadlines running from when it was made."""
    if kind not in CaseKind.values:
        raise ValidationError(_("请选择求助类别。"), code="case_kind")
    if urgency and urgency not in Urgency.values:
        raise ValidationError(_("请选择紧急程度。"), code="case_urgency")
    case = case_intake(  # no urgency chosen: the kind's (domestic violence is urgent)
        kind=kind, home_unit=woman.home_unit, urgency=urgency or None, source=Source.CONTACT, now=made_at, actor=actor,
        woman=woman, client_token=client_token,
        description=_("走访中登记的求助（%(on)s，在手机上离线记录），详细情况待联系干部补充。") % {
            "on": timezone.localtime(made_at).strftime("%Y-%m-%d %H:%M")},
    )
    return {"id": case.pk, "tracking": case.tracking_display}
