"""Reads of the contact network: her worklist, coverage per cadre and per unit (rolled up the tree)."""

import datetime as dt

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Substr
from django.http import Http404

from fulian.accounts import selectors as accounts_selectors
from fulian.accounts.models import User
from fulian.core.policy import Action, allows, scope_q
from fulian.core.tree import SEGMENT, subtree_q
from fulian.orgs.models import Level, PostKind, Unit
from fulian.people.models import Woman

from .models import Assignment, ContactLog, FieldWeek, FieldWeekReminder, Need, NeedCategory, NeedStatus
from .services import quota_for, staff_kind_of, units_missing_field_week, window_before, window_of, window_parse


def recent_since(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=settings.CONTACT_RECENT_DAYS)


def my_women(cadre):
    """The women linked to her, and only while they live in her area (a link left behind shows nothing)."""
    if cadre.unit_id is None:
        return Woman.objects.none()
    return Woman.objects.filter(
        subtree_q(cadre.unit.path, "unit_path"),
        assignments__cadre=cadre, assignments__ended_on__isnull=True, merged_into__isnull=True,
    ).distinct()


def cadre_worklist(cadre, *, today: dt.date) -> dict:
    """"My work today": follow-ups due or overdue, then women not contacted within the recent window."""
    women = my_women(cadre).select_related("home_unit")
    due = list(women.filter(next_follow_up_on__lte=today).order_by("next_follow_up_on", "id")[:100])
    due_ids = {w.pk for w in due}
    stale = [
        w for w in women.filter(Q(last_contact_on__isnull=True) | Q(last_contact_on__lt=recent_since(today)))
        .order_by("last_contact_on", "id")[:100]
        if w.pk not in due_ids
    ]
    return {"follow_ups": due, "overdue_contacts": stale}


def cadre_coverage(cadre, *, today: dt.date) -> dict:
    women = my_women(cadre)
    agg = women.aggregate(
        assigned=Count("id", distinct=True),
        recent=Count("id", filter=Q(last_contact_on__gte=recent_since(today)), distinct=True),
        follow_ups_overdue=Count("id", filter=Q(next_follow_up_on__lt=today), distinct=True),
    )
    needs = Need.objects.filter(contact_log__cadre=cadre)
    kind = staff_kind_of(cadre, today=today)
    return {**agg, "quota": quota_for(cadre, today=today), "staff_kind": kind,
            "staff_kind_label": PostKind(kind).label if kind else "",
            "rate": _rate(agg["recent"], agg["assigned"]), "needs": _needs_by_category(needs)}


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _needs_by_category(needs) -> list[dict]:
    rows = {r["category"]: r for r in needs.values("category").annotate(
        total=Count("id"), met=Count("id", filter=Q(status=NeedStatus.MET)),
        open=Count("id", filter=Q(status=NeedStatus.OPEN)),
    )}
    return [{"category": c.value, "label": c.label, "total": rows.get(c.value, {}).get("total", 0),
             "met": rows.get(c.value, {}).get("met", 0), "open": rows.get(c.value, {}).get("open", 0)}
            for c in NeedCategory]


def unit_coverage(unit, *, today: dt.date) -> dict:
    """Coverage of a unit's subtree, with one row per child unit (one grouped query each)."""
    since = recent_since(today)
    women = Woman.objects.filter(subtree_q(unit.path, "unit_path"), merged_into__isnull=True)
    measures = {
        "women": Count("id"),
        "assigned": Count("id", filter=Q(is_assigned=True)),
        "recent": Count("id", filter=Q(is_assigned=True, last_contact_on__gte=since)),
        "follow_ups_overdue": Count("id", filter=Q(next_follow_up_on__lt=today)),
    }
    total = women.aggregate(**measures)
    prefix_len = len(unit.path) + SEGMENT
    by_child = {
        r["prefix"]: r for r in women.exclude(unit_path=unit.path)
        .annotate(prefix=Substr("unit_path", 1, prefix_len)).values("prefix").annotate(**measures).order_by()
    }
    needs = Need.objects.filter(subtree_q(unit.path, "unit_path"))
    children = []
    for child in unit.children.order_by("code"):
        row = by_child.get(child.path, {k: 0 for k in measures})
        children.append({"unit": child, **{k: row[k] for k in measures}, "rate": _rate(row["recent"], row["assigned"])})
    return {**total, "rate": _rate(total["recent"], total["assigned"]), "children": children,
            "needs": _needs_by_category(needs)}


def cadres_for(user, unit=None):
    """Active cadre accounts she may assign women to: in her scope, of `unit` when given."""
    cadres = accounts_selectors.cadres_for(user)
    if unit is not None:
        cadres = cadres.filter(unit=unit)
    return cadres.order_by("unit__path", "username")


def cadres_by_ids(user, ids) -> list:
    """The cadres named by id, all of her scope, or 404 (one unknown id fails them all)."""
    cadres = list(accounts_selectors.cadres_for(user).filter(pk__in=list(ids)))
    if len(cadres) != len(set(ids)):
        raise Http404("cadre not found")
    return cadres


def contact_logs_for(user, *, woman=None):
    logs = ContactLog.objects.filter(scope_q(user, field="unit_path")).select_related("cadre", "woman")
    if woman is not None:
        logs = logs.filter(woman=woman)
    return logs.order_by("-contacted_on", "-id")


def needs_for(user, *, status: str = "", woman=None):
    needs = Need.objects.filter(scope_q(user, field="unit_path")).select_related("woman", "contact_log")
    if status:
        needs = needs.filter(status=status)
    if woman is not None:
        needs = needs.filter(woman=woman)
    return needs.order_by("-id")


def access_need_by_id(user, need_id: int, *, need: str = Action.VIEW) -> Need:
    obj = Need.objects.select_related("woman").filter(pk=need_id).first()
    if obj is None or not allows(user, need, obj.unit_path):
        raise Http404("need not found")
    return obj


def field_weeks_for(user):
    return FieldWeek.objects.filter(scope_q(user, field="unit_path")).select_related("unit").order_by("-starts_on")


def access_field_week_by_id(user, week_id: int, *, need: str = Action.VIEW) -> FieldWeek:
    week = FieldWeek.objects.select_related("unit").filter(pk=week_id).first()
    if week is None or not allows(user, need, week.unit_path):
        raise Http404("field week not found")
    return week


def field_week_report(week: FieldWeek) -> dict:
    logs = week.contact_logs.select_related("cadre", "woman").order_by("contacted_on", "id")
    took_part = User.objects.filter(contact_logs__field_week=week).annotate(visits=Count("contact_logs")).distinct()
    return {"logs": logs, "took_part": took_part, "planned": week.participants.all(),
            "needs": Need.objects.filter(contact_log__field_week=week).count()}


def access_assignment_by_id(user, assignment_id: int) -> Assignment:
    obj = Assignment.objects.select_related("woman", "cadre").filter(pk=assignment_id).first()
    if obj is None or not allows(user, Action.VIEW, obj.woman.unit_path):
        raise Http404("assignment not found")
    return obj


def field_week_check_params(user, *, level=None, window: str = "", today: dt.date) -> dict:
    """The check's choices for her: the units she looks under (her own unit; the first province for a superuser
    without one), the level (default the one below hers) and the window (default the last completed one); a bad
    level or window is a ValidationError."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from fulian.orgs.selectors import unit_home_for

    under = unit_home_for(user)
    if under is None:
        raise Http404("no unit")
    levels = [lv for lv in Level if lv >= under.level]
    if level in (None, ""):
        level = min(under.level + 1, Level.VILLAGE)
    try:
        level = int(level)
    except (TypeError, ValueError):
        raise ValidationError(_("层级不正确。"), code="level") from None
    if level not in [lv.value for lv in levels]:
        raise ValidationError(_("层级不正确。"), code="level")
    start, end = window_parse(window) if window else window_before(today)
    current = window_of(today)
    return {"under": under, "level": level, "levels": levels, "start": start, "end": end,
            "is_current": start == current[0], "current": current[0], "previous": window_before(today)[0]}


def units_without_field_week(user, *, under: Unit, level: int, start: dt.date, end: dt.date):
    """The units of `level` under `under` (in her scope) that held no field week overlapping the window — one
    anti-join however many units — each with `reminded` (already reminded for this window) and `last_week_on`
    (the end of its latest field week, if any)."""
    units = Unit.objects.filter(scope_q(user)).filter(path__startswith=under.path, level=level)
    reminded = FieldWeekReminder.objects.filter(unit_id=OuterRef("pk"), window_start=start)
    latest = FieldWeek.objects.filter(unit_id=OuterRef("pk")).order_by("-ends_on").values("ends_on")[:1]
    return (units_missing_field_week(units, start=start, end=end)
            .annotate(reminded=Exists(reminded), last_week_on=Subquery(latest))
            .select_related("parent").order_by("path"))


OFFLINE_WOMEN = 300  # more than any level's quota (a village cadre keeps in touch with 100)


def cadre_offline_women(cadre, *, today: dt.date, first=()) -> list:
    """Her women for 今日工作 on a phone that may lose its signal: name, village, phone, last contact, follow-up
    and the categories of her open needs (never an ID number, never a need's text or a case). `first`: women shown
    in the sections above, left out here."""
    shown = {w.pk for w in first}
    women = [w for w in my_women(cadre).select_related("home_unit").order_by("home_unit__name", "name", "id")
             [:OFFLINE_WOMEN] if w.pk not in shown]
    offline_needs_attach(women, cadre)
    return women


def offline_needs_attach(women, cadre) -> None:
    """Each woman's open needs (category and the day raised) as `open_needs`, and whether the cadre may mark them
    met and register a help request for her (`can_edit`): one query for all of them."""
    by_woman: dict[int, list] = {}
    needs = (Need.objects.filter(woman_id__in=[w.pk for w in women], status=NeedStatus.OPEN)
             .select_related("contact_log").only("id", "woman_id", "category", "contact_log__contacted_on")
             .order_by("id"))
    for need in needs:
        by_woman.setdefault(need.woman_id, []).append(need)
    for woman in women:
        woman.open_needs = by_woman.get(woman.pk, [])
        woman.can_edit = allows(cadre, Action.EDIT, woman.unit_path)
