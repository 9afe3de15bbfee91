"""Reading teams, visits and rectification items, scoped: the team's side (its unit and the units above it)
sees its teams, visits and items; a visited unit (and the units between it and the team) sees its own visits and
items; a sibling county sees nothing: 404."""

from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from fulian.core.access import access_by_id
from fulian.core.policy import Action, allows, scope_q
from fulian.core.tree import subtree_q
from fulian.dispatch.models import DispatchStatus, Recipient, RecipientState
from fulian.orgs.models import Unit
from fulian.work.models import Report
from fulian.work.services import KIND as TASK_KIND

from .models import Team, Visit
from .services import KIND, region_of

REGION_TASKS = 60


def _id(value):
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def access_team_by_id(user, team_id, *, need: str = Action.VIEW) -> Team:
    return access_by_id(user, Team, team_id, need=need, queryset=Team.objects.select_related("unit", "created_by"))


def access_visit_by_id(user, visit_id) -> Visit:
    """A visit of a team in her scope, or to a unit in her scope."""
    pk = _id(visit_id)
    visit = Visit.objects.select_related("team", "unit", "created_by").filter(pk=pk).first() if pk else None
    if visit is None or not (allows(user, Action.VIEW, visit.team_path) or allows(user, Action.VIEW, visit.unit_path)):
        raise Http404("visit not found")
    return visit


def access_rectification_by_id(user, rectification_id, *, need: str = Action.VIEW) -> Recipient:
    """A rectification item (the visited unit's copy): to the team's side, or to whoever may `need` at the unit."""
    pk = _id(rectification_id)
    rows = Recipient.objects.select_related("dispatch", "dispatch__unit", "dispatch__finding",
                                            "dispatch__finding__visit", "dispatch__finding__team", "unit", "done_by")
    item = rows.filter(pk=pk, dispatch__kind=KIND).first() if pk else None
    if item is None:
        raise Http404("item not found")
    if allows(user, need, item.unit_path) or (need == Action.VIEW and allows(user, need, item.dispatch.unit_path)):
        return item
    raise Http404("item not found")


def teams_for(user):
    """Teams of units in her scope, and the teams she is a member of."""
    mine = Q(members=user) if getattr(user, "is_authenticated", False) else Q(pk__in=[])
    ids = Team.objects.filter(scope_q(user, field="unit_path") | mine).values("pk")
    return Team.objects.filter(pk__in=ids).select_related("unit").order_by("-created_at", "-pk")


def visits_of(team: Team):
    return (Visit.objects.filter(team=team).select_related("unit", "created_by")
            .order_by("-visited_on", "-pk"))


def visits_to(user):
    """Visits to units in her scope by teams of other units (what her side was visited for)."""
    return (Visit.objects.filter(scope_q(user, field="unit_path")).select_related("team", "unit")
            .order_by("-visited_on", "-pk"))


def items_of_visit(visit: Visit):
    return (Recipient.objects.filter(dispatch__finding__visit=visit, dispatch__kind=KIND)
            .select_related("dispatch", "dispatch__finding", "unit").order_by("pk"))


def rectifications_to_do(user):
    """Her unit's rectification items still open (今日工作, 工作台), soonest deadline first."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return Recipient.objects.none()
    return (Recipient.objects.filter(unit_id=unit_id, dispatch__kind=KIND, dispatch__status=DispatchStatus.OPEN)
            .exclude(state=RecipientState.DONE).select_related("dispatch", "dispatch__unit", "dispatch__finding")
            .order_by("deadline", "pk"))


def rectifications_of_unit(user):
    """Every rectification item of her unit, newest first."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return Recipient.objects.none()
    return (Recipient.objects.filter(unit_id=unit_id, dispatch__kind=KIND)
            .select_related("dispatch", "dispatch__unit", "dispatch__finding").order_by("-dispatch__created_at", "-pk"))


def items_by_region(team: Team, *, now=None) -> list[dict]:
    """Per region of the team: its rectification items with open / late / done counts (late: open past the
    deadline, or done after it)."""
    now = now or timezone.now()
    items = list(Recipient.objects.filter(dispatch__finding__team=team, dispatch__kind=KIND)
                 .select_related("dispatch", "dispatch__finding", "dispatch__finding__visit", "unit")
                 .order_by("deadline", "pk"))
    out = []
    for region in team.regions.order_by("code"):
        rows = [{"item": r, "late": r.is_late(now)} for r in items if r.unit_path.startswith(region.path)]
        out.append({"region": region, "rows": rows,
                    "open": sum(1 for row in rows if not row["item"].is_done),
                    "late": sum(1 for row in rows if not row["item"].is_done and row["late"]),
                    "done": sum(1 for row in rows if row["item"].is_done)})
    return out


def region_tasks(unit: Unit, *, now=None, limit: int = REGION_TASKS) -> list[dict]:
    """The work tasks units of the region received (open tasks first, late ones first among them), with their
    state, lateness and whether a report was submitted: what a visit checks."""
    now = now or timezone.now()
    rows = (Recipient.objects.filter(subtree_q(unit.path, "unit_path"), dispatch__kind=TASK_KIND,
                                     dispatch__status=DispatchStatus.OPEN)
            .annotate(reported=Exists(Report.objects.filter(recipient=OuterRef("pk"))))
            .select_related("dispatch", "unit")
            .order_by(F("done_at").asc(nulls_first=True), "deadline", "unit_path")[:limit])
    return [{"recipient": r, "late": r.is_late(now), "reported": r.reported} for r in rows]


def checked_of(visit: Visit):
    return visit.checked.select_related("dispatch", "unit").order_by("unit_path", "pk")


def region_unit(team: Team, unit_id: int | None) -> Unit | None:
    """The unit of that id if a visit of the team may go there (a region or any unit inside one), else None."""
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    return unit if unit is not None and region_of(team, unit) is not None else None


def region_units(team: Team, *, under: Unit | None = None) -> list[Unit]:
    """Units to pick a visit's place from: each region and the units directly under it, or (`under`, a unit inside
    a region) that unit and its children; a child with units under it has `go_down`, so the page can go a level
    further down."""
    heads = [under] if under is not None else list(team.regions.order_by("code"))
    children = list(Unit.objects.filter(parent__in=heads).order_by("code").annotate(child_count=Count("children")))
    out = []
    for head in heads:
        head.go_down = False
        out.append(head)
        for child in children:
            if child.parent_id == head.pk:
                child.go_down = child.child_count > 0
                out.append(child)
    return out


def cadres_for_team(unit: Unit):
    """Who may be a member of a team of `unit`: active cadres of the unit and of the units above it."""
    from fulian.accounts.models import User
    from fulian.core.tree import ancestor_paths

    return (User.objects.filter(unit__path__in=ancestor_paths(unit.path), is_active=True).exclude(roles=[])
            .select_related("unit").order_by("unit__path", "username"))


def region_choices(unit: Unit):
    """Regions a team of `unit` is offered on its page: the units directly under it."""
    return Unit.objects.filter(parent=unit).order_by("code")
