"""Excel downloads of care, through core's one audited export (text stays text, never a formula): the care
memberships of her scope (all, or those in their group on a day), the help plans with their goals and the help
given, the resources her subtree publishes and the offers of her scope. ID numbers are masked, as in the registry's
export.

Children are never in a bulk file without a reason (PIPL arts. 28, 31): their export takes one, holds only the
children she has need-to-know of (registry.children_for) and writes one read-log row per child with the reason.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.excel import export_download
from fulian.core.paging import count_capped
from fulian.orgs.models import Unit

from . import matching, plans, registry, resources
from .models import CareGroup, DisabilityGrade, PlanState

EXPORT_MAX_ROWS = 200_000  # as the registry's export: a province-wide list is filtered first
CHUNK = 2000
REASON_MAX = 150


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _yuan(value) -> float | None:
    return float(value) if value is not None else None


def _check_size(rows) -> None:
    _n, more = count_capped(rows, EXPORT_MAX_ROWS)
    if more:
        raise ValidationError(_("超过%(n)d行，请先按地区或条件筛选再导出。") % {"n": EXPORT_MAX_ROWS},
                              code="care_export_too_big")


# --- memberships ------------------------------------------------------------------------------------------------

def memberships_titles() -> list[str]:
    return [_("姓名"), _("身份证号(脱敏)"), _("手机号"), _("村(社区)"), _("村(社区)代码"), _("关爱类别"),
            _("低收入类别"), _("残疾等级"), _("纳入日期"), _("退出日期"), _("退出原因"), _("说明")]


def memberships_rows(rows):
    for m in rows.select_related("woman__home_unit").iterator(chunk_size=CHUNK):
        w = m.woman
        yield [w.name, w.id_masked, w.phone, w.home_unit.name, w.home_unit.code, m.get_group_display(),
               m.get_low_income_kind_display() if m.low_income_kind else "",
               str(DisabilityGrade(m.disability_grade).label) if m.disability_grade else "", m.start_on, m.end_on,
               m.get_end_reason_display() if m.end_reason else "", m.note]


def memberships_export(*, actor, on: dt.date | None = None, group: str = "", unit: Unit | None = None):
    """Her scope's memberships (under `unit`; in their group on `on`; of one group), as an audited download."""
    rows = registry.memberships_for(actor, group=group, on=on, under=unit.path if unit else None)
    _check_size(rows)
    label = _("关爱对象")
    suffix = f"-{on:%Y%m%d}" if on else ""
    return export_download(actor=actor, action="care.export_memberships", filename=f"{label}{suffix}.xlsx",
                           titles=memberships_titles(), rows=memberships_rows(rows), sheet_title=label,
                           changes={"on": str(on or ""), "group": group, "unit": getattr(unit, "code", "")})


# --- help plans -------------------------------------------------------------------------------------------------

def plans_titles() -> list[str]:
    return [_("编号"), _("姓名"), _("身份证号(脱敏)"), _("村(社区)"), _("帮扶事项"), _("责任干部"), _("状态"),
            _("建档日期"), _("复核日期"), _("结案日期"), _("结案情况"), _("结案说明"), _("帮扶目标"),
            _("目标达成"), _("帮扶次数"), _("帮扶金额(元)"), _("帮扶时长(小时)"), _("帮扶记录")]


def _goal_text(goal) -> str:
    return f"{goal.get_category_display()}：{goal.text}（{goal.get_state_display()}）"


def _help_text(h) -> str:
    parts = [str(h.given_on), str(h.get_kind_display())]
    if h.amount is not None:
        parts.append(_("%(n)s元") % {"n": h.amount})
    if h.hours is not None:
        parts.append(_("%(n)s小时") % {"n": h.hours})
    parts.append(h.provider)
    return " ".join(parts)


def plans_rows(rows):
    rows = rows.select_related("woman__home_unit", "responsible").prefetch_related("goals", "help")
    for p in rows.iterator(chunk_size=CHUNK):
        goals = sorted(p.goals.all(), key=lambda g: (g.created_at, g.pk))
        help_given = sorted(p.help.all(), key=lambda h: (h.given_on, h.pk))
        yield [p.pk, p.woman.name, p.woman.id_masked, p.woman.home_unit.name, p.title,
               p.responsible.full_name or p.responsible.username, p.get_state_display(), p.opened_on, p.review_on,
               p.closed_on, p.get_outcome_display() if p.outcome else "", p.outcome_note,
               "；".join(_goal_text(g) for g in goals), sum(1 for g in goals if g.state == "met"), len(help_given),
               _yuan(sum((h.amount for h in help_given if h.amount is not None), start=0)),
               _yuan(sum((h.hours for h in help_given if h.hours is not None), start=0)),
               "；".join(_help_text(h) for h in help_given)]


def plans_export(*, actor, state: str = ""):
    """Her scope's help plans (open, closed or all), one row each with its goals and help given."""
    rows = plans.plans_for(actor, state=state)
    _check_size(rows)
    label = _("帮扶台账")
    suffix = f"-{PlanState(state).label}" if state else ""
    return export_download(actor=actor, action="care.export_plans", filename=f"{label}{suffix}.xlsx",
                           titles=plans_titles(), rows=plans_rows(rows), sheet_title=label,
                           changes={"state": state})


# --- resources and offers ---------------------------------------------------------------------------------------

def resources_titles() -> list[str]:
    return [_("编号"), _("名称"), _("资源类别"), _("提供方"), _("提供方类别"), _("发布单位"), _("所在地"), _("地址"),
            _("名额"), _("剩余"), _("每份金额(元)"), _("面向关爱类别"), _("技能要求"), _("年龄"), _("开始日期"),
            _("结束日期"), _("可见范围"), _("状态")]


def _labels(values: list[str], choices) -> str:
    names = dict(choices)
    return "、".join(str(names[v]) for v in values)


def _ages(r) -> str:
    if r.age_min is None and r.age_max is None:
        return ""
    return f"{r.age_min if r.age_min is not None else ''}–{r.age_max if r.age_max is not None else ''}"


def resources_rows(rows):
    from .models import Skill

    for r in rows.iterator(chunk_size=CHUNK):
        yield [r.pk, r.title, r.get_kind_display(), r.provider, r.get_provider_kind_display(), r.unit.name,
               r.place_unit.name, r.address, r.capacity, r.remaining, _yuan(r.amount),
               _labels(resources.groups_of(r.groups_mask), CareGroup.choices),
               _labels(plans.skills_of(r.skills_mask), Skill.choices), _ages(r), r.starts_on, r.ends_on,
               r.get_visibility_display(), r.get_state_display()]


def resources_export(*, actor):
    """The resources her subtree publishes, open and closed."""
    rows = resources.resources_for(actor, state="", own=True)
    _check_size(rows)
    label = _("帮扶资源")
    return export_download(actor=actor, action="care.export_resources", filename=f"{label}.xlsx",
                           titles=resources_titles(), rows=resources_rows(rows), sheet_title=label)


def offers_titles() -> list[str]:
    return [_("编号"), _("姓名"), _("村(社区)"), _("资源"), _("资源类别"), _("提供方"), _("帮扶目标"), _("状态"),
            _("推荐时间"), _("答复时间"), _("答复人"), _("落实情况"), _("落实日期"), _("说明")]


def offers_rows(rows):
    for o in rows.select_related("woman__home_unit").iterator(chunk_size=CHUNK):
        answered = "" if o.answered_at is None else (_("本人") if o.answered_by_self else _("妇联干部"))
        yield [o.pk, o.woman.name, o.woman.home_unit.name, o.resource.title, o.resource.get_kind_display(),
               o.resource.provider, o.goal.text, o.get_state_display(), _when(o.sent_at), _when(o.answered_at),
               answered, o.get_outcome_display() if o.outcome else "", o.outcome_on, o.outcome_note]


def offers_export(*, actor, state: str = ""):
    """Her scope's offers (of one state, or all)."""
    rows = matching.offers_for(actor, state=state)
    _check_size(rows)
    label = _("资源对接")
    return export_download(actor=actor, action="care.export_offers", filename=f"{label}.xlsx",
                           titles=offers_titles(), rows=offers_rows(rows), sheet_title=label,
                           changes={"state": state})


# --- children: need-to-know, a reason, a read-log row each ------------------------------------------------------

def children_titles() -> list[str]:
    return [_("姓名"), _("性别"), _("出生日期"), _("儿童类别"), _("情况说明"), _("学校和年级"), _("家庭"),
            _("村(社区)"), _("监护人"), _("与儿童关系"), _("监护人电话"), _("同意人"), _("监护人同意日期"),
            _("同意方式"), _("不再关爱日期")]


def clean_reason(reason) -> str:
    reason = " ".join(str(reason or "").split())
    if not reason:
        raise ValidationError(_("儿童信息是敏感个人信息：导出前请写明用途，例如“寒假走访慰问名单”。"),
                              code="care_children_reason")
    return reason[:REASON_MAX]


def children_export(*, actor, reason: str, situation: str = "", now=None):
    """The children she has need-to-know of, with the reason she gave: one read-log row per child exported."""
    reason = clean_reason(reason)
    children = registry.children_for(actor, situation=situation, limit=None)
    units = dict(Unit.objects.filter(path__in={c.unit_path for c in children}).values_list("path", "name"))
    rows = [[c.name, c.get_sex_display(), c.birth_date, c.get_situation_display(), c.situation_note, c.school,
             c.family.name, units.get(c.unit_path, ""), c.guardian_name, c.guardian_relation, c.guardian_phone,
             c.consent_by, c.consent_on, c.consent_note, c.ended_on] for c in children]
    registry.children_read(actor, children, purpose=_("导出：%(reason)s") % {"reason": reason}, now=now)
    label = _("关爱儿童")
    return export_download(actor=actor, action="care.export_children", filename=f"{label}.xlsx",
                           titles=children_titles(), rows=rows, sheet_title=label,
                           changes={"reason": reason, "situation": situation, "children": len(children)})
