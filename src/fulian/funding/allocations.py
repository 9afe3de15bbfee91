"""Allocation rules and the cascade down the tree (分配规则、逐级下达).

A unit splits an amount for a year among the units below it by a rule (`Rule`): the weight of each unit is its
registered women (the registry, live), its population (entered per unit; a unit without an entry counts the sum of
its units below), its village federations, or 1 (equal); a fixed amount per village federation makes the amount
itself; women in a care group can count extra (`care_weight`: a woman in care counts 1 + weight); a floor per
village is given first (a unit's floor is the floor times its villages) and the rest is split by weight (split.py:
exact fen, largest remainder, documented there). The split goes to the units of `target_level`: to the children,
or through several levels at once, each unit in between keeping its level's percentage (`level_keep`, rounded
down to the fen: the odd fen goes on down) and splitting the rest among its own children by the same rule.

A unit allocated a share may split it again with a rule of its own (`from_share`), keeping a part. Every share
carries its `reach`: the fraction of the cascade root's money in it that no level above kept. The root's rule may
set a minimum share that must reach village level (`min_village_share`); a cascade whose plan leaves less — at
its own target, and every later split of it — is refused with the numbers. `allocation_preview` computes the
whole plan without writing; `allocation_confirm` writes it (the allocation, its shares level by level, and one
dispatch of kind "funding" to the units at its target level) in one transaction.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.hooks import hook_call
from fulian.core.policy import Action, OutOfScope, allows, may_allocate_funds, scope_q
from fulian.core.tree import SEGMENT, subtree_q
from fulian.core.writes import write_path
from fulian.dispatch.services import dispatch_send
from fulian.orgs.models import Kind, Level, SourceStatus, Unit
from fulian.people.models import Woman

from .models import Allocation, Basis, Share
from .split import SplitError, percent_of, split_fen, to_fen, to_yuan

KIND = "funding"
MAX_AMOUNT = Decimal("100000000000")  # 1,000 亿元: more than any federation's budget line
PER_HEAD_BASES = (Basis.WOMEN, Basis.POPULATION)


# what a number may look like when typed: ASCII digits only (Decimal would also take "1_000" and other scripts'
# digits, which core.params refuses everywhere else), an optional sign, point and exponent
NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _typed_number(text) -> Decimal:
    text = str(text).strip()
    if not NUMBER.fullmatch(text):
        raise InvalidOperation(text)
    return Decimal(text)


def amount_clean(value, *, label: str, allow_zero: bool = False) -> Decimal:
    """A money amount as typed: exact decimal yuan, at most two places (fen), not negative, below MAX_AMOUNT."""
    if isinstance(value, float):
        value = repr(value)
    try:
        number = _typed_number(str(value).strip().replace(",", "").replace("，", ""))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("%(label)s要是数字(元，最多两位小数)。") % {"label": label},
                              code="amount_number") from None
    if not number.is_finite():
        raise ValidationError(_("%(label)s要是数字(元，最多两位小数)。") % {"label": label}, code="amount_number")
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError(_("%(label)s要大于零。") % {"label": label}, code="amount_negative")
    if number >= MAX_AMOUNT:  # before quantize: a number of more digits than the context's precision raises there
        raise ValidationError(_("%(label)s太大了。") % {"label": label}, code="amount_too_big")
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s最多精确到分(两位小数)。") % {"label": label}, code="amount_precision")
    return number.quantize(Decimal("0.01"))


def _percent(value, label: str) -> Decimal:
    try:
        number = _typed_number(str(value).strip().rstrip("%"))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError(_("%(label)s要是0到100之间的数。") % {"label": label}, code="percent") from None
    if not number.is_finite() or not 0 <= number < 100 or number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("%(label)s要是0到100之间的数(最多两位小数)。") % {"label": label}, code="percent")
    return number


@dataclass
class Rule:
    basis: str
    target_level: int
    per_village: Decimal | None = None
    floor_per_village: Decimal = Decimal(0)
    care_weight: Decimal = Decimal(0)
    level_keep: dict[int, Decimal] = field(default_factory=dict)
    min_village_share: Decimal | None = None

    def as_fields(self) -> dict:
        return {"basis": self.basis, "target_level": self.target_level, "per_village": self.per_village,
                "floor_per_village": self.floor_per_village, "care_weight": self.care_weight,
                "level_keep": {str(k): str(v) for k, v in sorted(self.level_keep.items())},
                "min_village_share": self.min_village_share}


def rule_clean(unit: Unit, *, basis: str, target_level=None, per_village=None, floor_per_village=None,
               care_weight=None, level_keep=None, min_village_share=None) -> Rule:
    """The rule as typed, checked against the unit it splits from; every mistake is a ValidationError that says
    what to change."""
    if basis not in Basis.values:
        raise ValidationError(_("请选择分配依据。"), code="basis")
    try:
        target = int(target_level) if target_level not in (None, "") else unit.level + 1
    except (TypeError, ValueError):
        raise ValidationError(_("请选择分配到哪一级。"), code="target_level") from None
    if not unit.level < target <= Level.VILLAGE:
        raise ValidationError(_("只能分配到本级以下的层级。"), code="target_level")
    rule = Rule(basis=basis, target_level=target)
    if basis == Basis.FIXED:
        if per_village in (None, ""):
            raise ValidationError(_("按定额分配时请填写每个村(社区)妇联的金额。"), code="per_village")
        rule.per_village = amount_clean(per_village, label=_("每村定额"))
    if floor_per_village not in (None, ""):
        rule.floor_per_village = amount_clean(floor_per_village, label=_("每村保底"), allow_zero=True)
    if care_weight not in (None, ""):
        try:
            weight = _typed_number(care_weight)
        except (InvalidOperation, ValueError):
            weight = Decimal(-1)
        if not weight.is_finite() or not 0 <= weight <= 100 or weight != weight.quantize(Decimal("0.01")):
            raise ValidationError(_("关爱对象加权要是0到100之间的数。"), code="care_weight")
        if weight and basis not in PER_HEAD_BASES:
            raise ValidationError(_("关爱对象加权只用于按人数分配。"), code="care_weight")
        rule.care_weight = weight
    for level, percent in (level_keep or {}).items():
        try:
            level = int(level)
        except (TypeError, ValueError):
            raise ValidationError(_("留用比例的层级不正确。"), code="level_keep") from None
        if not unit.level < level < target:
            raise ValidationError(_("只有本级和目标层级之间的各级可以设留用比例。"), code="level_keep")
        if percent not in (None, ""):
            rule.level_keep[level] = _percent(percent, _("%(level)s级留用比例") % {"level": Level(level).label})
    if min_village_share not in (None, ""):
        rule.min_village_share = _percent(min_village_share, _("到村最低比例"))
    return rule


@dataclass
class Node:
    unit_id: int
    path: str
    level: int
    name: str
    parent: "Node | None" = None
    children: list = field(default_factory=list)
    villages: int = 0
    weight: Fraction = Fraction(0)
    amount: int = 0  # fen
    kept: int = 0
    reach: Fraction = Fraction(1)


@dataclass
class Plan:
    unit: Unit
    year: int
    rule: Rule
    amount: Decimal  # what is split
    kept: Decimal  # what the splitting unit keeps of its share (0 for a root)
    nodes: list  # every unit of the plan, parents before children, in path order
    top: list
    base: Decimal  # the money this split started from: the amount (root) or the share split
    reach_in: Fraction
    village_share: Fraction | None  # of the cascade root's money, the part this plan brings to village level

    @property
    def leaves(self) -> list:
        return [n for n in self.nodes if n.level == self.rule.target_level]

    def amount_of(self, node: Node) -> Decimal:
        return to_yuan(node.amount)


def _nodes(unit: Unit, target: int) -> list[Node]:
    """The geographic units from below `unit` to `target` level, parents first, each under its parent."""
    rows = (Unit.objects.filter(subtree_q(unit.path, include_self=False), level__lte=target, kind=Kind.GEOGRAPHIC)
            .exclude(source_status=SourceStatus.REMOVED).order_by("path").values_list("id", "path", "level", "name"))
    by_path: dict[str, Node] = {}
    nodes = []
    for unit_id, path, level, name in rows.iterator(chunk_size=5000):
        parent_path = path[:-SEGMENT]
        parent = by_path.get(parent_path)
        if parent is None and parent_path != unit.path:
            continue  # under a unit left out (another kind, or removed): no way down to it
        node = Node(unit_id, path, level, name, parent)
        if parent is not None:
            parent.children.append(node)
        by_path[path] = node
        nodes.append(node)
    return nodes


def _attribute(counts: dict[str, int], by_path: dict[str, Node], top_len: int, deepest_len: int) -> dict:
    """{node path: count} of rows counted per unit path: each counted at its deepest node above it (or itself)."""
    out: dict[str, int] = {}
    for path, n in counts.items():
        for length in range(min(len(path), deepest_len), top_len - 1, -SEGMENT):
            if path[:length] in by_path:
                key = path[:length]
                out[key] = out.get(key, 0) + n
                break
    return out


def _weigh(unit: Unit, nodes: list[Node], rule: Rule, year: int, today: dt.date) -> None:
    by_path = {n.path: n for n in nodes}
    top_len, deepest_len = len(unit.path) + SEGMENT, len(unit.path) + SEGMENT * (rule.target_level - unit.level)
    villages = (Unit.objects.filter(subtree_q(unit.path, include_self=False), level=Level.VILLAGE,
                                    kind=Kind.GEOGRAPHIC).exclude(source_status=SourceStatus.REMOVED)
                .values_list("path", flat=True))
    counted = _attribute({p: 1 for p in villages.iterator(chunk_size=5000)}, by_path, top_len, deepest_len)
    own: dict[str, Fraction] = {}
    if rule.basis == Basis.WOMEN:
        women = (Woman.objects.filter(subtree_q(unit.path, "unit_path"), merged_into__isnull=True)
                 .values("unit_path").annotate(n=Count("id")).order_by())
        heads = _attribute({r["unit_path"]: r["n"] for r in women.iterator(chunk_size=5000)}, by_path, top_len,
                           deepest_len)
        own = {p: Fraction(n) for p, n in heads.items()}
    if rule.basis == Basis.POPULATION:
        from .models import Population

        entered = dict(Population.objects.filter(subtree_q(unit.path, "unit_path"), year=year)
                       .values_list("unit_path", "population"))
        deeper = {p: n for p, n in entered.items() if len(p) > deepest_len}
        own = {p: Fraction(n) for p, n in _attribute(deeper, by_path, top_len, deepest_len).items()}
        exact = {p: Fraction(n) for p, n in entered.items() if p in by_path}
    if rule.care_weight and rule.basis in PER_HEAD_BASES:
        in_care: dict[str, int] = {}
        for result in hook_call("care.women_by_unit", path=unit.path, on=today):
            for path, n in result.items():
                in_care[path] = in_care.get(path, 0) + n
        for path, n in _attribute(in_care, by_path, top_len, deepest_len).items():
            own[path] = own.get(path, Fraction(0)) + Fraction(rule.care_weight) * n
    for node in reversed(nodes):  # children before parents
        node.villages = counted.get(node.path, 0) + sum(c.villages for c in node.children)
        if rule.basis in (Basis.VILLAGES, Basis.FIXED):
            node.weight = Fraction(node.villages)
        elif rule.basis == Basis.EQUAL:
            node.weight = Fraction(1)
        elif rule.basis == Basis.POPULATION and node.path in exact:
            node.weight = exact[node.path] + (own.get(node.path, 0) if rule.care_weight else 0)
        else:
            node.weight = own.get(node.path, Fraction(0)) + sum(c.weight for c in node.children)


def _split(parts: list[Node], amount: int, rule: Rule, reach: Fraction, where: str) -> None:
    """Give `amount` fen among `parts` (siblings), then on down through each one's children."""
    floor = to_fen(rule.floor_per_village)
    try:
        if rule.basis == Basis.FIXED:
            per = to_fen(rule.per_village)
            shares = [per * n.villages for n in parts]
            if sum(shares) != amount:
                shares = split_fen(amount, [n.villages for n in parts])
        else:
            shares = split_fen(amount, [n.weight for n in parts], [floor * n.villages for n in parts])
    except SplitError:
        raise ValidationError(_("%(where)s的经费不够每个村(社区)妇联的保底金额。") % {"where": where},
                              code="floor_too_high") from None
    for node, fen in zip(parts, shares, strict=True):
        node.amount, node.reach = fen, reach
        if node.level == rule.target_level:
            continue
        if not node.children:
            node.kept = fen  # nothing below it to pass on to
            continue
        node.kept = percent_of(fen, rule.level_keep.get(node.level, Decimal(0)))
        floors = floor * sum(c.villages for c in node.children)
        if fen - node.kept < floors:
            node.kept = max(0, fen - floors)
        passed = fen - node.kept
        _split(node.children, passed, rule, reach * Fraction(passed, fen) if fen else reach, node.name)


def access_share_by_id(user, share_id, *, need: str = Action.VIEW) -> Share:
    share = Share.objects.select_related("allocation", "unit").filter(pk=share_id).filter(
        scope_q(user, field="unit_path", action=need)).first() if str(share_id).isdigit() else None
    if share is None:
        raise Http404("share not found")
    return share


def access_allocation_by_id(user, allocation_id, *, need: str = Action.VIEW) -> Allocation:
    allocation = Allocation.objects.select_related("unit", "from_share", "root", "dispatch").filter(
        pk=allocation_id).filter(scope_q(user, field="unit_path", action=need)).first() if str(
        allocation_id).isdigit() else None
    if allocation is None:
        raise Http404("allocation not found")
    return allocation


def allocation_preview(*, actor, unit: Unit, year: int, rule: Rule, amount=None, from_share: Share | None = None,
                       kept=None, today: dt.date | None = None) -> Plan:
    """The whole plan, nothing written: every unit's share, what each level keeps, the part reaching villages.
    A split of `from_share` (a share allocated to `unit`) splits its amount less `kept`."""
    today = today or timezone.localdate()
    if not allows(actor, Action.EDIT, unit.path):
        raise OutOfScope("may not allocate here")
    if not 2000 <= int(year) <= today.year + 1:
        raise ValidationError(_("年度不正确。"), code="year")
    reach_in, root_min = Fraction(1), rule.min_village_share
    if from_share is not None:
        if from_share.unit_id != unit.pk:
            raise ValidationError(_("只能分配本单位的份额。"), code="share_unit")
        if Share.objects.filter(parent=from_share).exists():
            raise ValidationError(_("这笔经费已经按上级的规则分到下级了。"), code="share_cascaded")
        if Allocation.objects.filter(from_share=from_share).exists():
            raise ValidationError(_("这笔份额已经分配过了。"), code="share_split")
        kept_value = amount_clean(kept or 0, label=_("本级留用"), allow_zero=True)
        if kept_value > from_share.amount:
            raise ValidationError(_("留用金额不能超过分到的金额。"), code="kept_too_much")
        base = from_share.amount
        total = from_share.amount - kept_value
        if total <= 0:
            raise ValidationError(_("全部留用时不用再往下分配。"), code="nothing_to_split")
        reach_in = Fraction(from_share.reach) * Fraction(total) / Fraction(base)
        root = from_share.allocation.root or from_share.allocation
        root_min = root.min_village_share
        year = from_share.allocation.year
    else:
        kept_value = Decimal(0)
        total = amount_clean(amount, label=_("分配金额")) if rule.basis != Basis.FIXED or amount not in (None, "") \
            else None
        base = total
    nodes = _nodes(unit, rule.target_level)
    top = [n for n in nodes if n.parent is None]
    if not top:
        raise ValidationError(_("本单位以下没有可以分配的单位。"), code="no_units")
    _weigh(unit, nodes, rule, int(year), today)
    if rule.basis == Basis.FIXED and total is None:
        total = to_yuan(to_fen(rule.per_village) * sum(n.villages for n in top))
        base = total
        if not total:
            raise ValidationError(_("本单位以下没有村(社区)妇联。"), code="no_villages")
    if total >= MAX_AMOUNT:
        raise ValidationError(_("分配金额太大了。"), code="amount_too_big")
    _split(top, to_fen(total), rule, reach_in, unit.name)
    leaves_fen = sum(n.amount for n in nodes if n.level == rule.target_level)
    share = Fraction(from_share.reach) * Fraction(to_yuan(leaves_fen)) / Fraction(base) if from_share is not None \
        else Fraction(leaves_fen, to_fen(total))
    plan = Plan(unit=unit, year=int(year), rule=rule, amount=total, kept=kept_value, nodes=nodes, top=top, base=base,
                reach_in=reach_in, village_share=share)
    if root_min is not None and share * 100 < Fraction(root_min):
        raise ValidationError(
            _("按这个方案，到达村(社区)一级的经费只占总额的%(share).1f%%，低于规定的最低%(min)s%%，请减少各级留用。")
            % {"share": float(share * 100), "min": f"{float(root_min):g}"}, code="village_share_too_low")
    return plan


def allocation_confirm(*, actor, unit: Unit, year: int, title: str, rule: Rule, pay_by: dt.date, amount=None,
                       from_share: Share | None = None, kept=None, client_token: str | None = None,
                       now=None) -> Allocation:
    """Write the plan: the allocation, every share (level by level, each under its parent) and the dispatch to the
    units of its target level. A leader of the unit confirms (staff may preview)."""
    now = now or timezone.now()
    if not may_allocate_funds(actor, unit.path):
        raise OutOfScope("may not allocate here")
    if client_token:
        done = Allocation.objects.filter(client_token=client_token, unit=unit).first()
        if done is not None:
            return done
    title = (title or "").strip()
    if not title:
        raise ValidationError(_("请填写名称。"), code="title")
    today = timezone.localdate(now)
    if pay_by < today:
        raise ValidationError(_("拨付期限不能早于今天。"), code="pay_by")
    plan = allocation_preview(actor=actor, unit=unit, year=year, rule=rule, amount=amount, from_share=from_share,
                              kept=kept, today=today)
    deadline = timezone.make_aware(dt.datetime.combine(pay_by, dt.time(23, 59)))
    root = None
    if from_share is not None:
        root = from_share.allocation.root or from_share.allocation
        rule.min_village_share = root.min_village_share
    try:
        with write_path():
            dispatch = dispatch_send(actor=actor, kind=KIND, unit=unit, title=title[:100], deadline=deadline,
                                     level=rule.target_level, now=now)
            allocation = Allocation.objects.create(
                unit=unit, unit_path=unit.path, dispatch=dispatch, year=plan.year, title=title[:100],
                amount=plan.amount, kept=plan.kept, root=root, from_share=from_share, created_by=actor,
                created_at=now, client_token=client_token or None,
                village_share=Decimal(plan.village_share.numerator) / Decimal(plan.village_share.denominator),
                **{k: v for k, v in rule.as_fields().items() if k != "per_village"},
                per_village=rule.per_village)
            _shares_write(allocation, plan)
            audit_record(actor=actor, action="funding.allocate", obj=allocation, now=now,
                         changes={"amount": str(plan.amount), "basis": rule.basis, "to_level": rule.target_level,
                                  "shares": len(plan.nodes), "village_share": f"{float(plan.village_share):.4f}"})
    except IntegrityError:
        done = Allocation.objects.filter(client_token=client_token, unit=unit).first() if client_token else None
        if done is None:
            raise ValidationError(_("这笔份额已经分配过了。"), code="share_split") from None
        return done
    return allocation


def _shares_write(allocation: Allocation, plan: Plan) -> None:
    """The shares, one level at a time (a level's rows need their parents' keys): one bulk INSERT per level."""
    ids: dict[str, int] = {}
    for level in range(plan.unit.level + 1, plan.rule.target_level + 1):
        rows = [Share(allocation=allocation, unit_id=n.unit_id, unit_path=n.path, level=n.level,
                      parent_id=ids[n.parent.path] if n.parent is not None else None, amount=to_yuan(n.amount),
                      kept=to_yuan(n.kept), weight=Decimal(n.weight.numerator) / Decimal(n.weight.denominator)
                      if n.weight.denominator == 1 else _decimal(n.weight, 2),
                      reach=_decimal(n.reach, 6))
                for n in plan.nodes if n.level == level]
        made = Share.objects.bulk_create(rows, batch_size=2000)
        if level < plan.rule.target_level:
            ids.update({s.unit_path: s.pk for s in made})


def _decimal(value: Fraction, places: int) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal(1).scaleb(-places))
