"""项目 (a brand such as 龙妹家政, a campaign's project, a charity project): saved by a unit with partners, budget,
targets and a period, and read back as targets against results.

A target names a figure of the registry (core.figures) and a number. Its results are read two ways, both shown:
the project's own, counted from the records of its activities only (sign-ups, check-ins, completions and outcomes
of activities with project = this one), and the unit's figure over the project's period (everything the unit and
the units under it did, in or out of the project), so a project cannot claim the unit's whole work as its own."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import RATE, figure_get, figure_values, figures_defined, period_of
from fulian.core.policy import OutOfScope, may_act_for_unit, scope_q
from fulian.core.tree import ancestor_paths
from fulian.core.writes import write_path
from fulian.orgs.models import Unit

from .models import ActivityStatus, Attendance, Completion, Outcome, Project, ProjectKind, SignUp, SignUpState

MAX_TARGETS = 12
MAX_PARTNERS = 20
MAX_TEXT = 20000
MAX_BUDGET = Decimal("9999999999.99")
MAX_TARGET = 10**9
MAX_YEARS = 10

# figures a project's own activities can be counted for, and what the count means there
OWN_RESULTS = {
    "activities_held": gettext_lazy("本项目已发布的活动(场)"),
    "activity_signups": gettext_lazy("本项目活动的报名(人次，不含已取消)"),
    "activity_attendances": gettext_lazy("本项目活动的签到(人次)"),
    "women_reached": gettext_lazy("参加本项目活动的人(按手机号去重)"),
    "families_reached": gettext_lazy("参加本项目活动的家庭(去重)"),
    "trainings_completed": gettext_lazy("本项目培训结业(人)"),
    "outcomes_employed": gettext_lazy("本项目培训后实现就业(人)"),
    "outcomes_business": gettext_lazy("本项目培训后自主创业(人)"),
    "outcomes_income": gettext_lazy("本项目培训后收入增加(人)"),
}


def target_choices() -> list[tuple[str, str]]:
    """Figures a target may name (counts, not rates), the project-countable ones first."""
    figures = [f for f in figures_defined() if f.kind != RATE]
    figures.sort(key=lambda f: (f.key not in OWN_RESULTS, f.key))
    return [(f.key, str(f.label)) for f in figures]


def _may(actor, path: str) -> None:
    if not may_act_for_unit(actor, path):
        raise OutOfScope("may not keep projects here")


def _budget(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(_("预算须填写数字（元）。"), code="project_budget") from None
    if not number.is_finite() or number < 0 or number > MAX_BUDGET:
        raise ValidationError(_("预算须为0到99亿之间的金额（元）。"), code="project_budget")
    return number.quantize(Decimal("0.01"))


def _targets(rows) -> list[dict]:
    """[{figure, target, label}]: each figure once, known to the registry, each target a whole number ≥ 1."""
    out, seen = [], set()
    for row in rows or ():
        key = str(row.get("figure") or "").strip()
        raw = row.get("target")
        if not key and raw in (None, ""):
            continue
        figure = figure_get(key)
        if figure is None:
            raise ValidationError(_("目标指标“%(key)s”不存在。") % {"key": key[:60]}, code="project_target_figure")
        if figure.kind == RATE:
            raise ValidationError(_("“%(label)s”是比率，不能作为数量目标。") % {"label": figure.label},
                                  code="project_target_rate")
        if key in seen:
            raise ValidationError(_("目标指标“%(label)s”重复了。") % {"label": figure.label},
                                  code="project_target_twice")
        try:
            target = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ValidationError(_("“%(label)s”的目标须为整数。") % {"label": figure.label},
                                  code="project_target_number") from None
        if not 1 <= target <= MAX_TARGET:
            raise ValidationError(_("“%(label)s”的目标须在1到10亿之间。") % {"label": figure.label},
                                  code="project_target_number")
        seen.add(key)
        out.append({"figure": key, "target": target, "label": str(figure.label)})
    if len(out) > MAX_TARGETS:
        raise ValidationError(_("目标最多%(n)d项。") % {"n": MAX_TARGETS}, code="project_targets_many")
    return out


def _clean(values: dict) -> dict:
    name = (values.get("name") or "").strip()
    if not name:
        raise ValidationError(_("请填写项目名称。"), code="project_name")
    kind = values.get("kind") or ProjectKind.BRAND
    if kind not in ProjectKind.values:
        raise ValidationError(_("项目类别不正确。"), code="project_kind")
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if not isinstance(starts_on, dt.date) or not isinstance(ends_on, dt.date):
        raise ValidationError(_("请填写项目的开始和结束日期。"), code="project_period")
    if ends_on < starts_on:
        raise ValidationError(_("结束日期不能早于开始日期。"), code="project_period_order")
    if (ends_on - starts_on).days > MAX_YEARS * 366:
        raise ValidationError(_("项目周期最长%(n)d年。") % {"n": MAX_YEARS}, code="project_period_long")
    description = (values.get("description") or "").strip()
    if len(description) > MAX_TEXT:
        raise ValidationError(_("项目简介太长。"), code="project_text")
    partners = [p.strip()[:100] for p in values.get("partners") or () if p and p.strip()]
    if len(partners) > MAX_PARTNERS:
        raise ValidationError(_("合作单位太多（最多%(n)d个）。") % {"n": MAX_PARTNERS}, code="project_partners")
    return {"name": name[:100], "kind": kind, "description": description, "partners": list(dict.fromkeys(partners)),
            "budget": _budget(values.get("budget")), "targets": _targets(values.get("targets")),
            "starts_on": starts_on, "ends_on": ends_on}


def project_save(*, actor, unit: Unit, values: dict, project: Project | None = None, version: int | None = None,
                 now=None) -> Project:
    """Create (project=None) or edit a unit's project. `values`: name, kind, description, partners (names), budget
    (yuan or None), targets ([{figure, target}]), starts_on, ends_on. A stale `version` on edit is a Conflict."""
    now = now or timezone.now()
    unit = project.unit if project is not None else unit
    _may(actor, unit.path)
    data = _clean(values)
    with write_path():
        if project is None:
            project = Project.objects.create(unit=unit, unit_path=unit.path, created_at=now, created_by=actor, **data)
            audit_record(actor=actor, action="project.create", obj=project, now=now)
            return project
        current = Project.objects.select_for_update().get(pk=project.pk)
        if version is not None and version != current.version:
            raise Conflict(_("这个项目已被他人修改，请刷新后再试。"), code="project_stale")
        Project.objects.filter(pk=current.pk).update(version=current.version + 1, **data)
        audit_record(actor=actor, action="project.update", obj=current,
                     changes={k: str(v) for k, v in data.items() if getattr(current, k) != v}, now=now)
    return Project.objects.select_related("unit").get(pk=project.pk)


def projects_for(user, *, kind: str | None = None):
    """Projects of units in her scope, newest first."""
    rows = Project.objects.filter(scope_q(user, field="unit_path")).select_related("unit")
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-starts_on", "-pk")


def projects_usable(unit: Unit):
    """Projects an activity of `unit` may belong to: its own unit's and those of the units above it."""
    return Project.objects.filter(unit_path__in=ancestor_paths(unit.path)).select_related("unit").order_by(
        "-starts_on", "-pk")


def project_own_results(project: Project) -> dict[str, int]:
    """What the project's own activities did, counted from their records (see OWN_RESULTS)."""
    of_project = Q(activity__project=project)
    held = project.activities.filter(status=ActivityStatus.PUBLISHED).count()
    signups = SignUp.objects.filter(of_project).exclude(state=SignUpState.CANCELLED).count()
    attended = Attendance.objects.filter(of_project).aggregate(
        n=Count("id"), people=Count("phone", distinct=True), families=Count("family", distinct=True))
    completed = Completion.objects.filter(of_project).count()
    outcomes = dict(Outcome.objects.filter(completion__activity__project=project).values_list("kind").annotate(
        n=Count("completion", distinct=True)).order_by())
    return {"activities_held": held, "activity_signups": signups, "activity_attendances": attended["n"],
            "women_reached": attended["people"], "families_reached": attended["families"],
            "trainings_completed": completed, "outcomes_employed": outcomes.get("employed", 0),
            "outcomes_business": outcomes.get("business", 0), "outcomes_income": outcomes.get("income", 0)}


def _percent(value, target):
    if not isinstance(value, int | float) or not target:
        return None
    return round(100 * value / target)


def project_report(project: Project) -> list[dict]:
    """One row per target: the figure, the target, the project's own result (None where the figure is not counted
    per project) with its share of the target, and the unit's figure over the project's period."""
    keys = [t["figure"] for t in project.targets]
    unit_values = figure_values([project.unit_id], keys, start=period_of(project.starts_on),
                                end=period_of(project.ends_on)).get(project.unit_id, {}) if keys else {}
    own = project_own_results(project) if any(k in OWN_RESULTS for k in keys) else {}
    rows = []
    for target in project.targets:
        key = target["figure"]
        figure = figure_get(key)
        value = own.get(key) if key in OWN_RESULTS else None
        rows.append({"figure": key, "label": str(figure.label) if figure else target.get("label", key),
                     "target": target["target"], "own": value, "own_label": OWN_RESULTS.get(key, ""),
                     "own_percent": _percent(value, target["target"]), "unit_value": unit_values.get(key),
                     "unit_percent": _percent(unit_values.get(key), target["target"])})
    return rows
