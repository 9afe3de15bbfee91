"""A unit's ledger (收入、拨付、支出): every line posted once and never edited.

`receipt_post` records money received — from the federation above (a disbursement it confirms, or typed by hand
when the unit above keeps no ledger here), the same-level government, Party-building funds, donations and projects,
or other. `disbursement_post` records money passed on to a unit below (for a share it was allocated, or not);
`shares_pay` pays in one action every share the unit has to pass on of an allocation. `receipt_confirm` is the
receiving unit saying the money arrived: the amount is the disbursement's, nobody types it twice. `expense_post`
records money spent with its purpose, an optional receipt file and a link to an activity, project or help plan.
Spending (or passing on) more than the unit has received is recorded with a warning, not refused: the money may
have come from outside the ledger, and the warning shows where to look. `entry_correct` reverses a line (the
same line negated, dated as the original so its month is put right) and, when given the right values, posts
them as a new line.

Every line adds its fen to the live figures (figures.py) in the same transaction and is audited.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import F, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add
from fulian.core.hooks import hook_call
from fulian.core.policy import Action, OutOfScope, allows, may_keep_funds, scope_q
from fulian.core.tree import subtree_q
from fulian.core.uploads import DOCUMENTS, attachment_check
from fulian.core.writes import write_path
from fulian.dispatch.models import Recipient, RecipientState
from fulian.dispatch.services import recipient_complete
from fulian.orgs.models import Kind, Unit

from .allocations import amount_clean
from .figures import entry_deltas, reached_delta
from .models import Allocation, Entry, EntryKind, LinkKind, Purpose, Share, Source

OLDEST = dt.date(2000, 1, 1)


def access_entry_by_id(user, entry_id, *, need: str = Action.VIEW) -> Entry:
    entry = Entry.objects.select_related("unit", "other_unit", "share").filter(pk=entry_id).filter(
        scope_q(user, field="unit_path", action=need)).first() if str(entry_id).isdigit() else None
    if entry is None:
        raise Http404("entry not found")
    return entry


def access_disbursement_by_id(user, entry_id, *, need: str = Action.VIEW) -> Entry:
    """A disbursement as its receiving unit sees it (to confirm it): scoped by the unit it was passed on to."""
    entry = Entry.objects.select_related("unit", "other_unit", "share").filter(
        pk=entry_id, kind=EntryKind.DISBURSEMENT).filter(
        scope_q(user, field="other_unit__path", action=need)).first() if str(entry_id).isdigit() else None
    if entry is None:
        raise Http404("disbursement not found")
    return entry


def balance_of(unit: Unit) -> Decimal:
    """What the unit has received less what it passed on and spent, over its whole ledger."""
    rows = dict(Entry.objects.filter(unit=unit).values("kind").annotate(total=Sum("amount")).order_by()
                .values_list("kind", "total"))
    zero = Decimal("0.00")
    return ((rows.get(EntryKind.RECEIPT) or zero) - (rows.get(EntryKind.DISBURSEMENT) or zero) - (
        rows.get(EntryKind.EXPENSE) or zero)).quantize(zero)


def _check_date(on_date: dt.date, today: dt.date) -> None:
    if not isinstance(on_date, dt.date) or on_date > today:
        raise ValidationError(_("日期不能在今天之后。"), code="date_future")
    if on_date < OLDEST:
        raise ValidationError(_("日期太早了。"), code="date_past")


def _idempotent(client_token: str | None, unit: Unit) -> Entry | None:
    return Entry.objects.filter(client_token=client_token, unit=unit).first() if client_token else None


def _typed_line(actor, unit: Unit, *, on_date, amount, client_token, now) -> tuple[Entry | None, Decimal | None]:
    """What every hand-typed line checks first: her unit's ledger, the same request again (the line it posted,
    returned as it is), the date, the amount. Returns (the line posted before, None) or (None, the clean amount)."""
    if not may_keep_funds(actor, unit.path):
        raise OutOfScope("not her unit's ledger")
    done = _idempotent(client_token, unit)
    if done is not None:
        return done, None
    _check_date(on_date, timezone.localdate(now))
    return None, amount_clean(amount, label=_("金额"))


def _post(*, actor, entry: Entry, now, changes: dict, after=None) -> Entry:
    try:
        with write_path():
            entry.save()
            reached = reached_delta(entry) if entry.kind == EntryKind.RECEIPT else []
            figures_add(entry_deltas(entry) + reached)
            if after is not None:
                after(entry)
            audit_record(actor=actor, action=f"funding.{entry.kind}", obj=entry, now=now, changes=changes)
    except IntegrityError:
        done = Entry.objects.filter(client_token=entry.client_token, unit_id=entry.unit_id).first() \
            if entry.client_token else None
        if done is None:
            raise Conflict(_("这笔账刚被别人登记过，请刷新后再看。"), code="entry_taken") from None
        return done
    return entry


def _overdrawn(unit: Unit, amount: Decimal) -> str:
    balance = balance_of(unit)
    if amount > balance:
        return _("超出已到账经费：到账余额%(balance)s元，本笔%(amount)s元。") % {"balance": balance, "amount": amount}
    return ""


def _base(unit: Unit, *, kind: str, on_date, amount, actor, now, note, client_token) -> Entry:
    return Entry(unit=unit, unit_path=unit.path, level=unit.level if unit.kind == Kind.GEOGRAPHIC else 0,
                 kind=kind, on_date=on_date, amount=amount, note=(note or "").strip()[:300], created_by=actor,
                 created_at=now, client_token=client_token or None)


def receipt_post(*, actor, unit: Unit, on_date: dt.date, amount, source: str, payer: str = "", note: str = "",
                 share: Share | None = None, client_token: str | None = None, now=None) -> Entry:
    """Money received, typed at the receiving unit. From the federation above (`source` parent) the payer is the
    parent unit, and `share` the allocated share it pays, if any."""
    now = now or timezone.now()
    done, amount = _typed_line(actor, unit, on_date=on_date, amount=amount, client_token=client_token, now=now)
    if done is not None:
        return done
    if source not in Source.values:
        raise ValidationError(_("请选择经费来源。"), code="source")
    entry = _base(unit, kind=EntryKind.RECEIPT, on_date=on_date, amount=amount, actor=actor, now=now, note=note,
                  client_token=client_token)
    entry.source = source
    if source == Source.PARENT:
        if unit.parent_id is None:
            raise ValidationError(_("本单位没有上级妇联。"), code="no_parent")
        entry.other_unit_id = unit.parent_id
    else:
        entry.payer = (payer or "").strip()[:100]
    if share is not None:
        if share.unit_id != unit.pk or source != Source.PARENT:
            raise ValidationError(_("这笔分配不是本单位的。"), code="share_unit")
        entry.share, entry.root_id = share, share.allocation.root_id_or_self
        entry.root_level = share.allocation.root.unit.level if share.allocation.root_id else \
            share.allocation.unit.level
    return _post(actor=actor, entry=entry, now=now, changes={"amount": str(amount), "source": source},
                 after=lambda e: _share_received(actor, e, now))


def _share_received(actor, entry: Entry, now) -> None:
    """A receipt against a share: the share's received grows, and once in full the unit's copy of the allocation's
    dispatch is done."""
    if entry.share_id is None:
        return
    Share.objects.filter(pk=entry.share_id).update(received=F("received") + entry.amount)
    share = Share.objects.select_related("allocation").get(pk=entry.share_id)
    if share.received >= share.amount:
        recipient = Recipient.objects.filter(dispatch_id=share.allocation.dispatch_id, unit_path=share.unit_path,
                                             parent=None).exclude(state=RecipientState.DONE).first()
        if recipient is not None:
            recipient_complete(actor=actor, recipient=recipient, now=now)


def _payer_of(share: Share) -> Unit:
    """Who passes a share on: the allocating unit for its children, the unit in between for the ones below it."""
    return share.parent.unit if share.parent_id else share.allocation.unit


def disbursement_post(*, actor, unit: Unit, to_unit: Unit, on_date: dt.date, amount, note: str = "",
                      share: Share | None = None, client_token: str | None = None, now=None) -> Entry:
    """Money passed on to a unit below (for one of its shares, or not)."""
    now = now or timezone.now()
    done, amount = _typed_line(actor, unit, on_date=on_date, amount=amount, client_token=client_token, now=now)
    if done is not None:
        return done
    if not to_unit.path.startswith(unit.path) or to_unit.pk == unit.pk:
        raise ValidationError(_("只能拨付给本单位以下的单位。"), code="to_unit")
    if share is not None:
        if share.unit_id != to_unit.pk or _payer_of(share).pk != unit.pk:
            raise ValidationError(_("这笔分配不由本单位拨付。"), code="share_payer")
        if share.paid + amount > share.amount:
            raise ValidationError(_("超过了分配给对方的金额：已拨%(paid)s元，分配%(amount)s元。")
                                  % {"paid": share.paid, "amount": share.amount}, code="share_overpaid")
    entry = _base(unit, kind=EntryKind.DISBURSEMENT, on_date=on_date, amount=amount, actor=actor, now=now,
                  note=note, client_token=client_token)
    entry.other_unit = to_unit
    if share is not None:
        entry.share, entry.root_id = share, share.allocation.root_id_or_self
    entry.warning = _overdrawn(unit, amount)

    def paid(e):
        if e.share_id is not None:
            changed = Share.objects.filter(pk=e.share_id, paid__lte=F("amount") - e.amount).update(
                paid=F("paid") + e.amount)
            if not changed:
                raise Conflict(_("这笔分配刚被别人拨付过，请刷新后再看。"), code="share_paid")

    return _post(actor=actor, entry=entry, now=now, changes={"amount": str(amount), "to": to_unit.pk,
                                                             "warning": entry.warning}, after=paid)


def shares_to_pay(unit: Unit, allocation: Allocation):
    """The shares of `allocation` that `unit` passes on, with something still to pay."""
    rows = Share.objects.filter(allocation=allocation, amount__gt=F("paid")).select_related("unit")
    if unit.pk == allocation.unit_id:
        return rows.filter(parent__isnull=True)
    mine = Share.objects.filter(allocation=allocation, unit=unit).first()
    return rows.filter(parent=mine) if mine is not None else rows.none()


def shares_pay(*, actor, unit: Unit, allocation: Allocation, on_date: dt.date, now=None) -> int:
    """按分配拨付: pass on in one action what is left to pay of every share of `allocation` the unit passes on.
    Returns how many lines were posted (0 when everything was paid: a second click pays nothing twice)."""
    now = now or timezone.now()
    if not may_keep_funds(actor, unit.path):
        raise OutOfScope("not her unit's ledger")
    _check_date(on_date, timezone.localdate(now))
    count = 0
    with write_path():
        due = list(shares_to_pay(unit, allocation).select_for_update(of=("self",)))
        total = sum((s.amount - s.paid for s in due), Decimal(0))
        warning = _overdrawn(unit, total) if due else ""
        root_id = allocation.root_id_or_self
        rows, deltas = [], []
        for share in due:
            entry = _base(unit, kind=EntryKind.DISBURSEMENT, on_date=on_date, amount=share.amount - share.paid,
                          actor=actor, now=now, note=allocation.title, client_token=None)
            entry.other_unit_id, entry.share, entry.root_id, entry.warning = share.unit_id, share, root_id, warning
            rows.append(entry)
            deltas += entry_deltas(entry)
        Entry.objects.bulk_create(rows, batch_size=2000)
        Share.objects.filter(pk__in=[s.pk for s in due]).update(paid=F("amount"))
        figures_add(deltas)
        count = len(rows)
        audit_record(actor=actor, action="funding.pay", obj=allocation, now=now,
                     changes={"unit": unit.pk, "lines": count, "amount": str(total), "warning": warning})
    return count


def receipts_to_confirm(unit: Unit):
    """Disbursements to the unit that it has not confirmed yet (待确认到账)."""
    return Entry.objects.filter(kind=EntryKind.DISBURSEMENT, other_unit=unit, confirmed_by__isnull=True,
                                reverses__isnull=True, reversed_by__isnull=True).select_related("unit", "share")


def receipt_confirm(*, actor, disbursement: Entry, on_date: dt.date, note: str = "", now=None) -> Entry:
    """确认到账: the receiving unit says the money passed on to it arrived; the receipt takes its amount."""
    now = now or timezone.now()
    unit = disbursement.other_unit
    if disbursement.kind != EntryKind.DISBURSEMENT or unit is None:
        raise ValidationError(_("这不是一笔拨付。"), code="not_disbursement")
    if not may_keep_funds(actor, unit.path):
        raise OutOfScope("not her unit's ledger")
    if Entry.objects.filter(disbursement=disbursement).exists():
        raise Conflict(_("这笔拨付已经确认到账了。"), code="already_confirmed")
    if Entry.objects.filter(reverses=disbursement).exists():
        raise ValidationError(_("这笔拨付已被冲销。"), code="reversed")
    _check_date(on_date, timezone.localdate(now))
    if on_date < disbursement.on_date:
        raise ValidationError(_("到账日期不能早于拨付日期。"), code="date_before_paid")
    entry = _base(unit, kind=EntryKind.RECEIPT, on_date=on_date, amount=disbursement.amount, actor=actor, now=now,
                  note=note, client_token=None)
    entry.source, entry.other_unit_id, entry.disbursement = Source.PARENT, disbursement.unit_id, disbursement
    if disbursement.share_id is not None:
        share = disbursement.share
        entry.share, entry.root_id = share, disbursement.root_id
        entry.root_level = Allocation.objects.select_related("unit").get(pk=disbursement.root_id).unit.level
    return _post(actor=actor, entry=entry, now=now,
                 changes={"amount": str(entry.amount), "disbursement": disbursement.pk},
                 after=lambda e: _share_received(actor, e, now))


def _link(actor, link_kind: str, link_id) -> str:
    if not link_kind:
        return ""
    if link_kind not in LinkKind.values:
        raise ValidationError(_("关联的类型不正确。"), code="link_kind")
    try:
        link_id = int(link_id)
    except (TypeError, ValueError):
        raise ValidationError(_("请选择关联的活动、项目或帮扶台账。"), code="link_id") from None
    for title in hook_call("funding.link", user=actor, kind=link_kind, link_id=link_id):
        if title:
            return title[:200]
    raise ValidationError(_("找不到可以关联的%(kind)s。") % {"kind": LinkKind(link_kind).label}, code="link_id")


def expense_post(*, actor, unit: Unit, on_date: dt.date, amount, purpose: str, note: str = "", file=None,
                 link_kind: str = "", link_id=None, client_token: str | None = None, now=None) -> Entry:
    """Money spent. A receipt file (pdf or a photo, checked by its first bytes) and a link are optional."""
    now = now or timezone.now()
    done, amount = _typed_line(actor, unit, on_date=on_date, amount=amount, client_token=client_token, now=now)
    if done is not None:
        return done
    if purpose not in Purpose.values:
        raise ValidationError(_("请选择支出用途。"), code="purpose")
    note = (note or "").strip()
    if purpose == Purpose.OTHER and not note:
        raise ValidationError(_("用途为“其他”时请写明说明。"), code="note_required")
    entry = _base(unit, kind=EntryKind.EXPENSE, on_date=on_date, amount=amount, actor=actor, now=now, note=note,
                  client_token=client_token)
    entry.purpose = purpose
    if file is not None:
        entry.file_type = attachment_check(file, kinds=DOCUMENTS)
        entry.file = file
    title = _link(actor, link_kind, link_id)
    if title:
        entry.link_kind, entry.link_id, entry.link_title = link_kind, int(link_id), title
    entry.warning = _overdrawn(unit, amount)
    return _post(actor=actor, entry=entry, now=now, changes={"amount": str(amount), "purpose": purpose,
                                                             "warning": entry.warning})


def entry_correct(*, actor, entry: Entry, reason: str, amount=None, on_date: dt.date | None = None,
                  now=None) -> tuple[Entry, Entry | None]:
    """更正: a posted line is never edited. Its reversal (the same line negated, dated as the original) is posted;
    with `amount` (and `on_date`) the right line is posted anew beside it. Returns (reversal, new line or None).
    A line reversed already, a reversal itself, or a disbursement its receiver confirmed cannot be corrected."""
    now = now or timezone.now()
    if not may_keep_funds(actor, entry.unit_path):
        raise OutOfScope("not her unit's ledger")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请写明更正原因。"), code="reason_required")
    if entry.reverses_id is not None:
        raise ValidationError(_("冲销记录不能再更正。"), code="reversal")
    if Entry.objects.filter(reverses=entry).exists():
        raise Conflict(_("这笔账已经更正过了。"), code="already_corrected")
    if entry.kind == EntryKind.DISBURSEMENT and Entry.objects.filter(disbursement=entry).exists():
        raise ValidationError(_("对方已确认到账，请对方先更正到账记录。"), code="confirmed")
    new_amount = amount_clean(amount, label=_("金额")) if amount not in (None, "") else None
    if on_date is not None:
        _check_date(on_date, timezone.localdate(now))
    reversal = Entry(
        unit_id=entry.unit_id, unit_path=entry.unit_path, level=entry.level, kind=entry.kind, on_date=entry.on_date,
        amount=-entry.amount, source=entry.source, purpose=entry.purpose, other_unit_id=entry.other_unit_id,
        payer=entry.payer, share_id=entry.share_id, root_id=entry.root_id, root_level=entry.root_level,
        reverses=entry, note=reason[:300], created_by=actor, created_at=now)
    replacement = None
    if new_amount is not None:
        replacement = Entry(
            unit_id=entry.unit_id, unit_path=entry.unit_path, level=entry.level, kind=entry.kind,
            on_date=on_date or entry.on_date, amount=new_amount, source=entry.source, purpose=entry.purpose,
            other_unit_id=entry.other_unit_id, payer=entry.payer, share_id=entry.share_id, root_id=entry.root_id,
            root_level=entry.root_level, replaces=entry, link_kind=entry.link_kind, link_id=entry.link_id,
            link_title=entry.link_title, file=entry.file, file_type=entry.file_type, note=entry.note,
            created_by=actor, created_at=now)
    try:
        with write_path():
            reversal.save()
            deltas = entry_deltas(reversal) + (reached_delta(reversal) if entry.kind == EntryKind.RECEIPT else [])
            if replacement is not None:
                replacement.save()
                deltas += entry_deltas(replacement) + (
                    reached_delta(replacement) if entry.kind == EntryKind.RECEIPT else [])
            figures_add(deltas)
            change = (replacement.amount if replacement is not None else 0) - entry.amount
            if entry.share_id is not None and change:
                field = "received" if entry.kind == EntryKind.RECEIPT else "paid"
                Share.objects.filter(pk=entry.share_id).update(**{field: F(field) + change})
            audit_record(actor=actor, action="funding.correct", obj=entry, now=now,
                         changes={"reason": reason[:100], "amount": str(entry.amount),
                                  "new_amount": str(new_amount) if new_amount is not None else ""})
    except IntegrityError:
        raise Conflict(_("这笔账已经更正过了。"), code="already_corrected") from None
    return reversal, replacement


def ledger_for(user, unit: Unit, *, kind: str = "", year: int | None = None, subtree: bool = False):
    """The ledger lines of a unit (or its whole subtree) she may see, newest first."""
    if not allows(user, Action.VIEW, unit.path):
        raise OutOfScope("not in her scope")
    rows = Entry.objects.filter(subtree_q(unit.path, "unit_path") if subtree else Q(unit=unit))
    if kind:
        rows = rows.filter(kind=kind)
    if year:
        rows = rows.filter(on_date__gte=dt.date(year, 1, 1), on_date__lte=dt.date(year, 12, 31))
    return rows.select_related("unit", "other_unit").order_by("-on_date", "-pk")

