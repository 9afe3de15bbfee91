"""Excel downloads of funding, through core's one audited export (text stays text, never a formula; amounts are
numbers of yuan to the fen): a unit's ledger for a year — its own lines, or every line of its subtree — and an
allocation's shares at every level with what was paid and received of each. Both read only what she may see: the
ledger through `ledger.ledger_for`, the shares of an allocation she reached through its access function."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.excel import export_download
from fulian.core.paging import count_capped
from fulian.orgs.models import Level, Unit

from .ledger import ledger_for
from .models import Allocation

EXPORT_MAX_ROWS = 200_000  # as the other exports: a province's subtree for a year is exported a city at a time
CHUNK = 2000


def _yuan(value) -> Decimal | None:
    """Exact yuan to the fen: core.excel writes a Decimal as a number shown with its two places."""
    return Decimal(value).quantize(Decimal("0.01")) if value is not None else None


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _check_size(rows) -> None:
    _n, more = count_capped(rows, EXPORT_MAX_ROWS)
    if more:
        raise ValidationError(_("超过%(n)d行，请按下级单位分别导出。") % {"n": EXPORT_MAX_ROWS},
                              code="funding_export_too_big")


# --- the ledger -------------------------------------------------------------------------------------------------

def ledger_titles() -> list[str]:
    return [_("编号"), _("日期"), _("单位"), _("单位代码"), _("类型"), _("金额(元)"), _("来源"), _("用途"),
            _("对方单位"), _("对方单位代码"), _("付款方"), _("关联"), _("说明"), _("提示"), _("冲销编号"),
            _("更正编号"), _("登记时间")]


def _link(e) -> str:
    return f"{e.get_link_kind_display()}：{e.link_title}" if e.link_kind else ""


def ledger_rows(rows):
    for e in rows.iterator(chunk_size=CHUNK):
        other = e.other_unit
        yield [e.pk, e.on_date, e.unit.name, e.unit.code, e.get_kind_display(), _yuan(e.amount),
               e.get_source_display() if e.source else "", e.get_purpose_display() if e.purpose else "",
               other.name if other else "", other.code if other else "", e.payer, _link(e), e.note, e.warning,
               e.reverses_id, e.replaces_id, _when(e.created_at)]


def ledger_export(*, actor, unit: Unit, year: int, subtree: bool = False):
    """The unit's ledger lines of `year` (with `subtree`, every unit's under it), oldest first, as an audited
    download. A reversal is a line of its own with a negative amount, so the column sums to the balance."""
    rows = ledger_for(actor, unit, year=year, subtree=subtree).order_by("on_date", "pk")
    _check_size(rows)
    label = _("经费台账")
    suffix = _("（含下级）") if subtree else ""
    return export_download(actor=actor, action="funding.export_ledger",
                           filename=f"{label}-{unit.name}{suffix}-{year}.xlsx", titles=ledger_titles(),
                           rows=ledger_rows(rows), sheet_title=label,
                           changes={"unit": unit.code, "year": year, "subtree": subtree})


# --- an allocation's shares -------------------------------------------------------------------------------------

def shares_titles() -> list[str]:
    return [_("层级"), _("单位"), _("单位代码"), _("上级单位"), _("分配金额(元)"), _("本级留用(元)"),
            _("已拨付(元)"), _("已到账(元)"), _("未到账(元)")]


def shares_rows(rows):
    for s in rows.iterator(chunk_size=CHUNK):
        parent = s.parent.unit.name if s.parent_id else ""
        yield [str(Level(s.level).label), s.unit.name, s.unit.code, parent, _yuan(s.amount), _yuan(s.kept),
               _yuan(s.paid), _yuan(s.received), _yuan(s.amount - s.received)]


def shares_export(*, actor, allocation: Allocation):
    """Every share of an allocation (all levels of a cascade), in tree order, with what was paid to it and what
    it confirmed. The caller reached `allocation` through its access function."""
    rows = allocation.shares.select_related("unit", "parent__unit").order_by("unit_path")
    _check_size(rows)
    label = _("经费分配")
    return export_download(actor=actor, action="funding.export_shares",
                           filename=f"{label}-{allocation.unit.name}-{allocation.year}-{allocation.pk}.xlsx",
                           titles=shares_titles(), rows=shares_rows(rows), sheet_title=label,
                           changes={"allocation": allocation.pk})
