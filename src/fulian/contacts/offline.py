"""Work without a signal: what a cadre's phone queued offline on 今日工作 — a contact, a need marked met, a help
request from a visit — applied when the line is back, in the order it was made, each exactly once.

Each item carries a client token made on the phone. What became of an applied item is kept under its token
(`SyncReceipt`, written in the same transaction as the item), so the same queue sent again — the answer was lost
on a dropping line after the server had committed — gets the same answers and changes nothing. A refused item is
not kept: it stays on the phone with the reason, she corrects it and sends it again under the same token.

Outcomes: applied; applied with a note (she was reassigned or moved meanwhile, her record was merged, the need was
already met by someone else or became a case); refused with the reason (a date in the future or over 30 days old
— the phone's clock is wrong —, a woman not found or out of her reach, an item another account queued on the same
phone). A session that ended is answered for the whole request by the API (401), and the queue stays on the phone.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fulian.core.hooks import hook_call
from fulian.core.outbox import outbox_put
from fulian.core.policy import Action, OutOfScope, allows
from fulian.people.models import Woman

from .models import Channel, Need, NeedStatus, SyncReceipt, SyncState
from .services import contact_log_create, current_cadres, need_resolve, was_linked

MAX_ITEMS = 100  # one request; the phone sends a longer queue in turns, in order
MAX_AGE_DAYS = 30
CLOCK_SLACK = dt.timedelta(minutes=10)
TOKEN = re.compile(r"[A-Za-z0-9_-]{8,40}")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
REFUSED = "refused"
# one answer for a woman who does not exist and one out of reach: a refusal discloses nothing
NOT_YOURS = gettext_lazy("找不到这名妇女，或她不在您的联系名单和管辖范围内。")


class Refused(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def owner_key(user) -> str:
    """The key her phone files her queued items under: another account signed in on the same phone sees and sends
    none of them (and the server refuses them from anyone else). Made of her account's id alone, so that nothing an
    operator rotates (a secret key) can strand a queue on the phones."""
    return f"u{user.pk}"


def sync_apply(*, actor, items: list[dict], now=None) -> list[dict]:
    """Apply a phone's queued items in order; one result per item: {token, state, message, link, code}."""
    if len(items) > MAX_ITEMS:
        raise ValidationError(_("一次最多同步%(n)d条。") % {"n": MAX_ITEMS}, code="sync_too_many")
    now = now or timezone.now()
    tokens = [str(item.get("token") or "") for item in items]
    receipts = {r.token: r for r in SyncReceipt.objects.filter(token__in=[t for t in tokens if TOKEN.fullmatch(t)])}
    return [_apply_one(actor, item, receipts=receipts, now=now) for item in items]


def _apply_one(actor, item: dict, *, receipts: dict, now) -> dict:
    token = str(item.get("token") or "")
    try:
        if not TOKEN.fullmatch(token):
            token = token[:100]  # echoed so that the phone can tell which item it was
            raise Refused(_("这条记录缺少有效的提交编号，请放弃后重新记录。"), "token")
        receipt = receipts.get(token)
        if receipt is not None:
            return _answer_again(actor, receipt)
        if item.get("owner") and item["owner"] != owner_key(actor):
            raise Refused(_("这条记录是本机另一个账号记下的，只能由那个账号登录后同步。"), "other_user")
        kind = item.get("kind")
        apply = _APPLY.get(kind)
        if apply is None:
            raise Refused(_("无法识别的记录类型。"), "kind")
        on, made_at = _dates(item, now)
        try:
            with transaction.atomic():
                state, message, link = apply(actor, item, on=on, made_at=made_at, token=token)
                SyncReceipt.objects.create(token=token, cadre=actor, kind=kind, state=state, message=message[:300],
                                           link=link, made_on=on)
        except IntegrityError:  # the same item in another request at the same moment: that one applied it
            receipt = SyncReceipt.objects.filter(token=token).first()
            if receipt is None:
                raise
            return _answer_again(actor, receipt)
        return {"token": token, "state": state, "message": message, "link": link, "code": ""}
    except Refused as exc:
        return _refused(token, exc.message, exc.code)
    except OutOfScope:
        return _refused(token, str(NOT_YOURS), "out_of_scope")
    except ValidationError as exc:
        return _refused(token, " ".join(exc.messages), getattr(exc, "code", None) or "invalid")


def _refused(token: str, message: str, code: str) -> dict:
    return {"token": token, "state": REFUSED, "message": message, "link": "", "code": code}


def _answer_again(actor, receipt: SyncReceipt) -> dict:
    if receipt.cadre_id != actor.pk:
        return _refused(receipt.token, _("提交编号与另一条记录重复，请放弃后重新记录。"), "token_reused")
    return {"token": receipt.token, "state": receipt.state, "message": receipt.message, "link": receipt.link,
            "code": ""}


def _date(value, *, label: str, required: bool = True) -> dt.date | None:
    if value in (None, "") and not required:
        return None
    try:
        text = str(value or "")
        if not DAY.fullmatch(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Refused(_("%(label)s不是有效的日期。") % {"label": label}, "date") from None


def _dates(item: dict, now) -> tuple[dt.date, dt.datetime]:
    """The day it happened and the moment the phone recorded it, both by the phone's clock: a day after today or
    over 30 days ago is refused (the phone's date is wrong, or the record is too old to be trusted)."""
    today = timezone.localdate(now)
    on = _date(item.get("on"), label=_("日期"))
    try:
        made_at = parse_datetime(str(item.get("made_at") or "")[:40]) if item.get("made_at") else None
    except ValueError:
        made_at = None
    if made_at is not None and timezone.is_naive(made_at):
        made_at = timezone.make_aware(made_at)
    if on > today or (made_at is not None and made_at > now + CLOCK_SLACK):
        raise Refused(_("日期在今天之后：请检查手机的日期和时间，改正这条记录的日期后再同步。"), "device_future")
    oldest = today - dt.timedelta(days=MAX_AGE_DAYS)
    if on < oldest or (made_at is not None and made_at < now - dt.timedelta(days=MAX_AGE_DAYS)):
        raise Refused(_("这条记录的日期早于%(days)d天前：请核对手机的日期；确实是%(days)d天前的走访，"
                        "请在妇女档案中补录。") % {"days": MAX_AGE_DAYS}, "device_old")
    if made_at is None or timezone.localdate(made_at) != on:  # no time from the phone: midday, never after now
        made_at = min(timezone.make_aware(dt.datetime.combine(on, dt.time(12))), now)
    return on, made_at


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _text(item: dict, key: str, limit: int, label: str) -> str:
    """A text as she typed it; one longer than the form allows is refused (never cut short without her knowing)."""
    value = item.get(key)
    text = str(value).strip() if value not in (None, "") else ""
    if len(text) > limit:
        raise Refused(_("%(label)s太长（最多%(n)d字），请改短后再同步。") % {"label": label, "n": limit}, "too_long")
    return text


def _woman(actor, item: dict, *, on: dt.date) -> tuple[Woman, list[str], bool]:
    """The woman an item is about, following a merge of her record; notes on what changed since the phone
    cached her; and whether she was the cadre's that day but is no longer. Refused — with one message, so a refusal
    discloses nothing — when she does not exist or the cadre has no reach to her now nor had a link that day."""
    woman = Woman.objects.select_related("home_unit").filter(pk=_int(item.get("woman")) or 0).first()
    notes = []
    hops = 0
    while woman is not None and woman.merged_into_id and hops < 5:
        woman, hops = Woman.objects.select_related("home_unit").filter(pk=woman.merged_into_id).first(), hops + 1
        notes = [_("她的档案已与另一份档案合并，记录已存入合并后的档案。")]
    if woman is None:
        raise OutOfScope("no such woman")
    in_reach = allows(actor, Action.EDIT, woman.unit_path)
    if not in_reach and not was_linked(actor, woman, on=on):
        raise OutOfScope("not hers")
    left = not was_linked(actor, woman) and was_linked(actor, woman, on=on)
    if left:
        notes.append(_("她已不在您的联系名单（已改由其他干部联系或已迁出），这条记录仍按当天记入。"))
    unit = _int(item.get("unit"))
    if unit and unit != woman.home_unit_id:
        notes.append(_("她已迁至%(village)s。") % {"village": woman.home_unit.name} if allows(
            actor, Action.VIEW, woman.unit_path) else _("她已迁出您的管辖范围。"))
    return woman, notes, left


def _state(message: str, notes: list[str]) -> tuple[str, str]:
    return (SyncState.NOTED, " ".join([message, *notes])) if notes else (SyncState.APPLIED, message)


def _apply_contact(actor, item: dict, *, on, made_at, token) -> tuple[str, str, str]:
    woman, notes, left = _woman(actor, item, on=on)
    channel = item.get("channel")
    if channel not in Channel.values:
        raise Refused(_("请选择联系方式。"), "channel")
    categories = item.get("needs") or []
    if not isinstance(categories, list):
        raise Refused(_("需求类别不正确。"), "need_category")
    categories = list(dict.fromkeys(str(c) for c in categories))  # a category ticked twice is one need
    description = _text(item, "need_description", 300, _("需求说明"))
    follow_up = _date(item.get("follow_up_on"), label=_("回访日期"), required=False)
    contact_log_create(
        actor=actor, woman=woman, contacted_on=on, channel=channel, today=timezone.localdate(), linked_that_day=True,
        views=_text(item, "views", 2000, _("思想动态")), help_given=_text(item, "help_given", 2000, _("提供的帮助")),
        follow_up_on=follow_up,
        needs=[(c, description) for c in categories], client_token=token,
    )
    if left:
        _tell_current_cadres(actor, woman, on)
    state, message = _state(_("已记录与%(name)s的联系（%(on)s）。") % {"name": woman.name, "on": on}, notes)
    return state, message, reverse("woman_detail", kwargs={"woman_id": woman.pk}) if allows(
        actor, Action.VIEW, woman.unit_path) else ""


def _tell_current_cadres(actor, woman: Woman, on: dt.date) -> None:
    """A visit her former cadre recorded offline, synced after the link ended: the cadres linked to her now learn of
    it (it may move her follow-up date)."""
    for cadre in current_cadres(woman):
        if cadre.pk != actor.pk:
            outbox_put(channel="in_app", user=cadre, link=reverse("woman_detail", kwargs={"woman_id": woman.pk}),
                       subject=_("原联系干部%(cadre)s补录了%(on)s与%(name)s的一次联系。") % {
                           "cadre": actor.get_full_name() or actor.username, "on": on, "name": woman.name})


def _apply_need_met(actor, item: dict, *, on, made_at, token) -> tuple[str, str, str]:
    need = Need.objects.select_related("woman").filter(pk=_int(item.get("need")) or 0).first()
    if need is None or not allows(actor, Action.VIEW, need.unit_path):
        raise Refused(_("找不到这项需求，或它不在您的管辖范围内。"), "need_not_found")
    if not allows(actor, Action.EDIT, need.unit_path):
        raise Refused(_("您不能标记这项需求已解决：请告诉本村(社区)妇联的干部。"), "need_not_yours")
    link = reverse("woman_detail", kwargs={"woman_id": need.woman_id})
    if need.status == NeedStatus.MET:
        when = need.resolved_on.isoformat() if need.resolved_on else ""
        return SyncState.NOTED, _("这项需求已由他人于%(on)s标记为已解决，无需重复。") % {"on": when}, link
    if need.status == NeedStatus.CASE:
        return SyncState.NOTED, _("这项需求已转为服务个案，由个案承办人跟进。"), link
    try:
        need_resolve(actor=actor, need=need, resolution=_text(item, "resolution", 300, _("解决情况")), today=on)
    except ValidationError as exc:
        if exc.code != "need_closed":
            raise
        return SyncState.NOTED, _("这项需求刚由他人标记为已解决，无需重复。"), link
    return SyncState.APPLIED, _("已标记%(name)s的“%(need)s”需求已解决（%(on)s）。") % {
        "name": need.woman.name, "need": need.get_category_display(), "on": on}, link


def _apply_help(actor, item: dict, *, on, made_at, token) -> tuple[str, str, str]:
    woman, notes, _left = _woman(actor, item, on=on)
    if not allows(actor, Action.EDIT, woman.unit_path):
        raise Refused(_("她已不在您的管辖范围：求助请转告她所在地妇联，或请她拨打12338妇女维权热线。"),
                      "help_out_of_scope")
    try:
        answers = hook_call("visit.help_request", actor=actor, woman=woman, kind=str(item.get("case_kind") or ""),
                            urgency=str(item.get("urgency") or ""), made_at=made_at, client_token=token)
    except ValidationError as exc:
        if getattr(exc, "code", None) == "case_unit":  # the public form's words make no sense to a cadre
            raise Refused(_("她登记的所在地不是村(社区)或乡镇(街道)：请在有网络时从她的档案登记求助。"),
                          "help_unit") from None
        raise
    if not answers:
        raise Refused(_("现在无法登记求助，请稍后再试。"), "help_unavailable")
    case = answers[0]
    state, message = _state(_("已为%(name)s登记求助，查询码%(code)s。请打开个案补充详细情况。") % {
        "name": woman.name, "code": case["tracking"]}, notes)
    return state, message, reverse("case_detail", kwargs={"case_id": case["id"]})


_APPLY = {"contact": _apply_contact, "need_met": _apply_need_met, "help": _apply_help}
