"""The matching engine: resources for an open goal, women for a resource, offers, and a county's batch matching.

Proposals for a goal keep the resources of a kind the goal asks for (KINDS_FOR), visible where she lives, open on
the day, with places left and whose eligibility (care groups, skills, age) she meets; then order them by distance
in the tree (levels up from her village to the nearest common unit, and down to the resource's place), then by
kilometres where both have coordinates (resources without come after those with), then the least used (the
smallest share of places taken), then the oldest. The database does the ordering: one query per ring of common
ancestry (her village, township, county, city, province, partner provinces), each taking the first `limit` by
(depth of place, km, use) — inside a ring the tree distance grows with the depth of the place alone — and the
rings' heads are merged. So a proposal costs the same few indexed queries with 10 resources or 10,000.

Acceptance takes a place with one `UPDATE … SET remaining = remaining - 1 WHERE remaining > 0` (or a sign-up of
the course, for a seat): of two cadres taking the last place at once one succeeds, the other is told it is gone.
"""

import datetime as dt
import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ExpressionWrapper, F, FloatField, Q, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add, period_of
from fulian.core.hooks import hook_call
from fulian.core.outbox import outbox_put
from fulian.core.policy import Action, require, scope_q
from fulian.core.tree import SEGMENT, subtree_q
from fulian.core.writes import write_path
from fulian.orgs.models import Unit

from . import assign
from .models import (
    BatchState,
    GoalCategory,
    GoalState,
    HelpGoal,
    HelpKind,
    MatchBatch,
    Offer,
    OfferOutcome,
    OfferState,
    PlanState,
    Resource,
    ResourceKind,
    ResourceState,
)
from .plans import goal_close, help_add
from .resources import course_info, is_visible_to, partner_provinces, province_of, visible_q

K = ResourceKind
KINDS_FOR = {
    GoalCategory.EMPLOYMENT: [K.JOB, K.COURSE_SEAT, K.MICRO_LOAN],
    GoalCategory.HARDSHIP: [K.DONATION, K.CHARITY, K.MICRO_LOAN, K.VOLUNTEER],
    GoalCategory.CHILDREN: [K.DONATION, K.CHARITY, K.VOLUNTEER, K.COURSE_SEAT],
    GoalCategory.HEALTH: [K.CHARITY, K.VOLUNTEER, K.DONATION],
    GoalCategory.FAMILY: [K.VOLUNTEER, K.COURSE_SEAT, K.CHARITY],
    GoalCategory.LEGAL: [K.VOLUNTEER],
    GoalCategory.OTHER: list(K.values),
}
HELP_KIND_OF = {K.JOB: HelpKind.JOB, K.COURSE_SEAT: HelpKind.TRAINING, K.MICRO_LOAN: HelpKind.LOAN,
                K.DONATION: HelpKind.GOODS, K.VOLUNTEER: HelpKind.SERVICE, K.CHARITY: HelpKind.OTHER}
OUTCOME_OF = {K.JOB: OfferOutcome.EMPLOYED, K.COURSE_SEAT: OfferOutcome.TRAINED}
FAR = 1e12  # squared-degree stand-in for "no coordinates": after every resource that has them
KM_PER_LEVEL = 10.0  # batch matching: a tree step where either side lacks coordinates counts as 10 km
BATCH_NEAREST = 10  # batch matching weighs each need's 10 nearest jobs (and the one nearest-first gave her)


def depth(path: str) -> int:
    return len(path) // SEGMENT


def common_depth(a: str, b: str) -> int:
    n = 0
    while n < min(depth(a), depth(b)) and a[n * SEGMENT:(n + 1) * SEGMENT] == b[n * SEGMENT:(n + 1) * SEGMENT]:
        n += 1
    return n


def tree_distance(a: str, b: str) -> int:
    """Steps from unit a up to the nearest common unit and down to unit b (across provinces: through the top)."""
    c = common_depth(a, b)
    return depth(a) + depth(b) - 2 * c


def km_between(lat1, lng1, lat2, lng2) -> float | None:
    if None in (lat1, lng1, lat2, lng2):
        return None
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _near(lat, lng, prefix: str = ""):
    """An expression ordering rows by distance from (lat, lng): squared degrees, longitude scaled by cos(lat)."""
    if lat is None:
        return Value(0.0, output_field=FloatField())
    scale = math.cos(math.radians(lat))
    dlat = F(f"{prefix}lat") - Value(lat)
    dlng = (F(f"{prefix}lng") - Value(lng)) * Value(scale)
    return Coalesce(ExpressionWrapper(dlat * dlat + dlng * dlng, output_field=FloatField()),
                    Value(FAR, output_field=FloatField()))


def _eligible_q(*, groups_mask: int, skills_mask: int, age: int | None) -> Q:
    q = Q(groups_mask=0) | Q(g_hit__gt=0)
    q &= Q(skills_mask=0) | Q(s_hit__gt=0)
    if age is not None:
        q &= (Q(age_min__isnull=True) | Q(age_min__lte=age)) & (Q(age_max__isnull=True) | Q(age_max__gte=age))
    return q


def _rings(path: str) -> list[tuple[int, Q]]:
    """(common depth, ring): her village, township, county, city, province (deepest first), then outside the
    province — disjoint."""
    rings, inner = [], None
    for c in range(depth(path), 0, -1):
        ring = subtree_q(path[:c * SEGMENT], "place_path")
        rings.append((c, ring & ~inner if inner is not None else ring))
        inner = subtree_q(path[:c * SEGMENT], "place_path")
    rings.append((0, ~inner))
    return rings


def proposals_for_goal(goal: HelpGoal, *, on: dt.date | None = None, limit: int = 10, lat=None, lng=None) -> list:
    """[{"resource", "tree_distance", "km", "used"}] nearest first (see the module's docstring)."""
    on = on or timezone.localdate()
    if lat is None and goal.plan_id:
        lat, lng = goal.plan.lat, goal.plan.lng
    kinds = KINDS_FOR.get(goal.category, list(K.values))
    base = (Resource.objects.filter(kind__in=kinds, state=ResourceState.OPEN, remaining__gt=0, starts_on__lte=on,
                                    ends_on__gte=on)
            .filter(visible_q(goal.unit_path, on))
            .annotate(g_hit=F("groups_mask").bitand(goal.groups_mask), s_hit=F("skills_mask").bitand(goal.skills_mask),
                      near=_near(lat, lng),
                      free=ExpressionWrapper(F("remaining") * Value(1.0) / F("capacity"), output_field=FloatField()))
            .filter(_eligible_q(groups_mask=goal.groups_mask, skills_mask=goal.skills_mask, age=goal.age))
            .select_related("place_unit", "unit"))
    offered = list(Offer.objects.filter(goal=goal, state__in=[OfferState.SENT, OfferState.ACCEPTED])
                   .values_list("resource_id", flat=True))  # a few ids: an uncorrelated NOT IN, costed once
    if offered:
        base = base.exclude(pk__in=offered)
    partners = partner_provinces(province_of(goal.unit_path), on)
    found, here = [], depth(goal.unit_path)
    for c, ring in _rings(goal.unit_path):
        if c == 0:  # outside her province only partner provinces' resources are seen (a range, not a table scan)
            if not partners:
                continue
            ring = Q(province_path__in=partners)
        rows = base.filter(ring)
        if len(found) >= limit:
            # the `limit`-th nearest so far is `worst` steps away: in this ring a place deeper than `worst - here +
            # 2c` is farther still, so the outer rings (most of a province's resources) are read only near the top
            worst = sorted(tree_distance(goal.unit_path, r.place_path) for r in found)[limit - 1]
            deepest = worst - here + 2 * c
            if deepest < c:
                continue
            rows = rows.filter(place_depth__lte=deepest)
        found += list(rows.order_by("place_depth", "near", "-free", "id")[:limit])
    seats = [r.activity_id for r in found if r.kind == K.COURSE_SEAT]
    courses = course_info(seats) if seats else {}
    out = []
    for r in found:
        if r.kind == K.COURSE_SEAT:
            course = courses.get(r.activity_id)
            if not course or not course["open"] or course["confirmed"] >= course["capacity"]:
                continue  # the course filled up (or closed) through its own sign-ups: nothing left to offer
            r.remaining = course["capacity"] - course["confirmed"]
        km = km_between(lat, lng, r.lat, r.lng)
        out.append({"resource": r, "tree_distance": tree_distance(goal.unit_path, r.place_path), "km": km,
                    "used": 1 - r.remaining / r.capacity if r.capacity else 1.0})
    out.sort(key=lambda p: (p["tree_distance"], p["km"] if p["km"] is not None else math.inf, p["used"],
                            p["resource"].pk))
    return out[:limit]


def women_for_resource(resource: Resource, *, on: dt.date | None = None, limit: int = 20,
                       within: str | None = None) -> list:
    """[{"goal", "tree_distance", "km"}]: open goals the resource fits, nearest its place first; `within`: only
    goals under that path (the asking cadre's scope)."""
    on = on or timezone.localdate()
    categories = [c for c, kinds in KINDS_FOR.items() if resource.kind in kinds]
    goals = HelpGoal.objects.filter(state=GoalState.OPEN, category__in=categories, plan__state=PlanState.OPEN)
    if resource.visibility == "subtree":
        goals = goals.filter(subtree_q(resource.unit_path, "unit_path"))
    else:
        provinces = [resource.province_path]
        if resource.visibility == "partners":
            provinces += partner_provinces(resource.province_path, on)
        q = Q()
        for p in provinces:
            q |= subtree_q(p, "unit_path")
        goals = goals.filter(q)
    if resource.groups_mask:
        goals = goals.annotate(g_hit=F("groups_mask").bitand(resource.groups_mask)).filter(g_hit__gt=0)
    if resource.skills_mask:
        goals = goals.annotate(s_hit=F("skills_mask").bitand(resource.skills_mask)).filter(s_hit__gt=0)
    if resource.age_min is not None:
        goals = goals.filter(Q(age__isnull=True) | Q(age__gte=resource.age_min))
    if resource.age_max is not None:
        goals = goals.filter(Q(age__isnull=True) | Q(age__lte=resource.age_max))
    if within:
        goals = goals.filter(subtree_q(within, "unit_path"))
    goals = goals.exclude(offers__resource=resource, offers__state__in=[OfferState.SENT, OfferState.ACCEPTED])
    goals = goals.annotate(near=_near(resource.lat, resource.lng, "plan__")).select_related("woman", "plan")
    found = []
    place = resource.place_path
    for c in range(depth(place), -1, -1):
        ring = subtree_q(place[:c * SEGMENT], "unit_path") if c else Q()
        if c < depth(place):
            ring &= ~subtree_q(place[:(c + 1) * SEGMENT], "unit_path")
        found += list(goals.filter(ring).order_by("near", "id")[:limit])
    out = [{"goal": g, "tree_distance": tree_distance(g.unit_path, place),
            "km": km_between(g.plan.lat, g.plan.lng, resource.lat, resource.lng)} for g in found]
    out.sort(key=lambda p: (p["tree_distance"], p["km"] if p["km"] is not None else math.inf, p["goal"].pk))
    return out[:limit]


# --- offers -----------------------------------------------------------------------------------------------------

UNFIT = {
    "closed": _lazy("这条资源现在不开放。"),
    "full": _lazy("这条资源的名额已满。"),
    "kind": _lazy("这类资源不对应这个帮扶目标。"),
    "place": _lazy("这条资源不对她所在的地方开放。"),
    "groups": _lazy("她不在这条资源面向的关爱类别中。"),
    "skills": _lazy("她没有这条资源要求的技能。"),
    "age": _lazy("她的年龄不符合这条资源的要求。"),
}


def _unfit(goal: HelpGoal, resource: Resource, on: dt.date, visible=None) -> str | None:
    """Why the resource cannot be offered for the goal (a key of UNFIT), or None. `visible`: the answer of
    is_visible_to, when the caller knows it."""
    if resource.state != ResourceState.OPEN or not (resource.starts_on <= on <= resource.ends_on):
        return "closed"
    if resource.remaining <= 0:
        return "full"
    if resource.kind not in KINDS_FOR.get(goal.category, []):
        return "kind"
    if not (is_visible_to(resource, goal.unit_path, on) if visible is None else visible):
        return "place"
    if resource.groups_mask and not resource.groups_mask & goal.groups_mask:
        return "groups"
    if resource.skills_mask and not resource.skills_mask & goal.skills_mask:
        return "skills"
    if goal.age is not None and ((resource.age_min is not None and goal.age < resource.age_min)
                                 or (resource.age_max is not None and goal.age > resource.age_max)):
        return "age"
    return None


def _fits(goal: HelpGoal, resource: Resource, on: dt.date) -> str | None:
    """Why the resource cannot be offered for the goal, in words, or None."""
    why = _unfit(goal, resource, on)
    return str(UNFIT[why]) if why else None


def offer_send(*, actor, goal: HelpGoal, resource: Resource, today: dt.date, batch: MatchBatch | None = None,
               client_token: str | None = None, now=None) -> Offer:
    require(actor, Action.EDIT, goal.unit_path)
    if client_token:
        done = Offer.objects.filter(client_token=client_token, goal=goal).first()
        if done is not None:
            return done
    if goal.state != GoalState.OPEN:
        raise ValidationError(_("这个目标已经处理过了。"), code="care_goal_closed")
    why = _fits(goal, resource, today)
    if why:
        raise ValidationError(why, code="care_offer_unfit")
    now = now or timezone.now()
    try:
        with write_path():
            offer = Offer.objects.create(resource=resource, goal=goal, woman_id=goal.woman_id,
                                         unit_path=goal.unit_path, sent_at=now, sent_by=actor, batch=batch,
                                         client_token=client_token or None)
            figures_add([(goal.unit_path, period_of(now), "care_offers", 1)])
            audit_record(actor=actor, action="care.offer_send", obj=offer.goal.plan, now=now,
                         changes={"offer": offer.pk, "resource": resource.pk})
            phone = goal.woman.phone
            if len(phone) == 11 and phone.startswith("1"):
                outbox_put(channel="sms", address=phone, now=now,
                           subject=_("妇联为您对接了“%(title)s”(%(provider)s)，请告诉联系您的妇联干部是否接受，"
                                     "或登录“我的”答复。") % {"title": resource.title[:40],
                                                          "provider": resource.provider[:40]})
    except IntegrityError:
        done = Offer.objects.filter(client_token=client_token).first() if client_token else None
        if done is not None:
            return done
        raise Conflict(_("这条资源已经推荐给她了。"), code="care_offer_twice") from None
    return offer


def access_offer_by_id(user, offer_id, *, need: str = Action.VIEW) -> Offer:
    offer = Offer.objects.select_related("resource", "goal", "goal__plan", "woman").filter(pk=offer_id).filter(
        scope_q(user, field="unit_path", action=need)).first()
    if offer is None:
        raise Http404("offer not found")
    return offer


def offers_for(user, *, state: str = "", woman=None, resource=None):
    rows = Offer.objects.filter(scope_q(user, field="unit_path")).select_related("resource", "woman", "goal")
    if state:
        rows = rows.filter(state=state)
    if woman is not None:
        rows = rows.filter(woman=woman)
    if resource is not None:
        rows = rows.filter(resource=resource)
    return rows.order_by("-sent_at", "-id")


def _take_place(actor, offer: Offer, resource: Resource) -> int | None:
    """Take one place (inside the caller's transaction); returns the course sign-up's id for a seat."""
    if resource.kind == K.COURSE_SEAT:
        signup_id = None
        for result in hook_call("course.seat_take", actor=actor, woman=offer.woman, activity_id=resource.activity_id):
            signup_id = result["signup_id"]
            Resource.objects.filter(pk=resource.pk).update(capacity=result["capacity"],
                                                           remaining=max(result["capacity"] - result["confirmed"], 0))
        return signup_id
    taken = Resource.objects.filter(pk=resource.pk, state=ResourceState.OPEN, remaining__gt=0).update(
        remaining=F("remaining") - 1)
    if not taken:
        raise Conflict(_("名额刚刚被别人占用了，这条资源已没有名额。请为她另选一条。"), code="care_no_place")
    return None


def offer_answer(*, actor, offer: Offer, accept: bool, by_self: bool = False, now=None) -> Offer:
    """She accepts (a place is taken at once) or declines. By her cadre (who may edit at her unit), or by herself
    in 我的 (`by_self`: the caller checked the account is hers)."""
    if not by_self:
        require(actor, Action.EDIT, offer.unit_path)
    now = now or timezone.now()
    with transaction.atomic():
        current = Offer.objects.select_for_update().select_related("resource", "woman", "goal").get(pk=offer.pk)
        if current.state != OfferState.SENT:
            if current.state == (OfferState.ACCEPTED if accept else OfferState.DECLINED):
                return current  # the same answer twice (a double tap): it stands
            raise Conflict(_("这条对接已经答复过了。"), code="care_offer_answered")
        with write_path():
            if accept:
                current.signup_id = _take_place(current.sent_by if by_self else actor, current, current.resource)
                figures_add([(current.unit_path, period_of(now), "care_needs_matched", 1)])
            current.state = OfferState.ACCEPTED if accept else OfferState.DECLINED
            current.answered_at, current.answered_by_self = now, by_self
            Offer.objects.filter(pk=current.pk).update(state=current.state, answered_at=now,
                                                       answered_by_self=by_self, signup_id=current.signup_id)
            audit_record(actor=actor if not by_self else None, action="care.offer_answer", obj=current.goal.plan,
                         now=now, changes={"offer": current.pk, "accept": accept, "by_self": by_self})
    return current


def offer_withdraw(*, actor, offer: Offer, now=None) -> Offer:
    require(actor, Action.EDIT, offer.unit_path)
    with write_path():
        if not Offer.objects.filter(pk=offer.pk, state=OfferState.SENT).update(state=OfferState.WITHDRAWN,
                                                                              answered_at=now or timezone.now()):
            raise Conflict(_("这条对接已经答复过了，不能撤回。"), code="care_offer_answered")
        audit_record(actor=actor, action="care.offer_withdraw", obj=offer.goal.plan, now=now,
                     changes={"offer": offer.pk})
    offer.state = OfferState.WITHDRAWN
    return offer


def offer_outcome(*, actor, offer: Offer, outcome: str, on: dt.date, today: dt.date, note: str = "",
                  now=None) -> Offer:
    """What came of an accepted offer. Employed, trained or received: the goal is met (its contact log's need
    closes) and the help is recorded in the plan; not taken: a place that is not a course seat is given back."""
    require(actor, Action.EDIT, offer.unit_path)
    if outcome not in OfferOutcome.values:
        raise ValidationError(_("请选择落实情况。"), code="care_offer_outcome")
    if on > today:
        raise ValidationError(_("日期不能在今天之后。"), code="care_outcome_future")
    now = now or timezone.now()
    with transaction.atomic():
        current = Offer.objects.select_for_update().select_related("resource", "goal", "goal__plan").get(pk=offer.pk)
        if current.state != OfferState.ACCEPTED:
            raise ValidationError(_("只有已接受的对接才能填写落实情况。"), code="care_offer_not_accepted")
        if current.outcome:
            raise Conflict(_("这条对接已经填写过落实情况。"), code="care_offer_outcome_done")
        resource, goal = current.resource, current.goal
        with write_path():
            Offer.objects.filter(pk=current.pk).update(outcome=outcome, outcome_on=on, outcome_note=note[:300])
            current.outcome, current.outcome_on, current.outcome_note = outcome, on, note[:300]
            if outcome == OfferOutcome.NOT_TAKEN:
                if resource.kind != K.COURSE_SEAT:
                    Resource.objects.filter(pk=resource.pk, remaining__lt=F("capacity")).update(
                        remaining=F("remaining") + 1)
            else:
                figures_add([(current.unit_path, period_of(on), "care_outcomes", 1)])
            audit_record(actor=actor, action="care.offer_outcome", obj=goal.plan, now=now,
                         changes={"offer": current.pk, "outcome": outcome})
        if outcome != OfferOutcome.NOT_TAKEN:
            if goal.state == GoalState.OPEN:
                goal_close(actor=actor, goal=goal, state=GoalState.MET, today=today, now=now,
                           resolution=_("%(outcome)s：%(title)s") % {"outcome": OfferOutcome(outcome).label,
                                                                  "title": resource.title})
            if goal.plan.state == PlanState.OPEN and on >= goal.plan.opened_on:
                help_add(actor=actor, plan=goal.plan, given_on=on, kind=HELP_KIND_OF[resource.kind],
                         provider=resource.provider, today=today, amount=resource.amount, offer=current,
                         note=resource.title, now=now)
    return current


# --- batch matching ---------------------------------------------------------------------------------------------

def _pair_cost(goal: HelpGoal, resource: Resource) -> float:
    km = km_between(goal.plan.lat, goal.plan.lng, resource.lat, resource.lng)
    return km if km is not None else KM_PER_LEVEL * tree_distance(goal.unit_path, resource.place_path)


def batch_inputs(unit: Unit, on: dt.date):
    """Open employment goals under `unit` and the open job places they may be offered."""
    goals = list(HelpGoal.objects.filter(subtree_q(unit.path, "unit_path"), state=GoalState.OPEN,
                                         category=GoalCategory.EMPLOYMENT, plan__state=PlanState.OPEN)
                 .select_related("plan").only("id", "unit_path", "category", "groups_mask", "skills_mask", "age",
                                              "plan__lat", "plan__lng", "plan__id"))
    jobs = Resource.objects.filter(kind=K.JOB, state=ResourceState.OPEN, remaining__gt=0, starts_on__lte=on,
                                   ends_on__gte=on)
    visible = Q(visibility="subtree") & (subtree_q(unit.path, "unit_path") | Q(unit_path__in=[
        unit.path[:c * SEGMENT] for c in range(1, depth(unit.path))]))
    visible |= visible_q(unit.path, on) & ~Q(visibility="subtree")
    resources = list(jobs.filter(visible).order_by("id"))  # greedy's ties break the same way on every database
    return goals, resources


def batch_compute(goals: list, resources: list, on: dt.date):
    """The classes of interchangeable goals, each with its allowed jobs and costs; and the capacities."""
    fits: dict[tuple, list] = {}
    seen: dict[str, list[bool]] = {}  # where a resource may be offered depends on her unit alone
    needs = []
    for goal in goals:
        key = (goal.unit_path, goal.plan.lat, goal.plan.lng, goal.groups_mask, goal.skills_mask, goal.age)
        if key not in fits:
            if goal.unit_path not in seen:
                seen[goal.unit_path] = [is_visible_to(r, goal.unit_path, on) for r in resources]
            fits[key] = {r.pk: _pair_cost(goal, r) for r, visible in zip(resources, seen[goal.unit_path], strict=True)
                         if _unfit(goal, r, on, visible) is None}
        needs.append((goal.pk, fits[key]))
    demands, class_of = assign.classes_of(needs)
    capacity = {r.pk: r.remaining for r in resources}
    return demands, class_of, capacity


def batch_propose(*, actor, unit: Unit, today: dt.date, now=None) -> MatchBatch:
    """Propose an assignment of the open employment goals under `unit` to open job places: as many as can be
    matched, at the least total distance, among each goal's nearest jobs (assign.assign_near) — never fewer, nor
    farther at an equal count, than nearest-first."""
    require(actor, Action.EDIT, unit.path)
    goals, resources = batch_inputs(unit, today)
    demands, class_of, capacity = batch_compute(goals, resources, today)
    best, greedy = assign.assign_near(demands, capacity, nearest=BATCH_NEAREST)
    matched, mean = assign.assignment_quality(best, demands)
    g_matched, g_mean = assign.assignment_quality(greedy, demands)
    cost = {d[0]: d[2] for d in demands}
    pairs = [[g, r, round(cost[class_of[g]][r], 1)] for g, r in assign.expand(best, assign.members_of(class_of))]
    now = now or timezone.now()
    with write_path():
        batch = MatchBatch.objects.create(
            unit=unit, unit_path=unit.path, pairs=pairs, needs=len(goals), places=sum(capacity.values()),
            matched=matched, mean_distance=round(mean, 2) if matched else None, greedy_matched=g_matched,
            greedy_mean_distance=round(g_mean, 2) if g_matched else None, created_at=now, created_by=actor)
        audit_record(actor=actor, action="care.batch_propose", obj=batch, now=now,
                     changes={"matched": matched, "greedy": g_matched})
    return batch


def access_batch_by_id(user, batch_id, *, need: str = Action.VIEW) -> MatchBatch:
    batch = MatchBatch.objects.filter(pk=batch_id).filter(scope_q(user, field="unit_path", action=need)).first()
    if batch is None:
        raise Http404("batch not found")
    return batch


def batches_for(user):
    return MatchBatch.objects.filter(scope_q(user, field="unit_path")).order_by("-created_at", "-id")


def batch_decide(*, actor, batch: MatchBatch, approve: bool, today: dt.date, now=None) -> dict:
    """Approve (the offers are sent, one per pair still possible) or discard a proposed batch."""
    require(actor, Action.EDIT, batch.unit_path)
    now = now or timezone.now()
    if not MatchBatch.objects.filter(pk=batch.pk, state=BatchState.PROPOSED).update(
            state=BatchState.APPROVED if approve else BatchState.DISCARDED, decided_at=now):
        raise Conflict(_("这批对接已经审批过了。"), code="care_batch_decided")
    sent = skipped = 0
    if approve:
        goals = HelpGoal.objects.in_bulk([p[0] for p in batch.pairs])
        resources = Resource.objects.in_bulk([p[1] for p in batch.pairs])
        for goal_id, resource_id, _km in batch.pairs:
            goal, resource = goals.get(goal_id), resources.get(resource_id)
            try:
                if goal is None or resource is None:
                    raise ValidationError("gone")
                offer_send(actor=actor, goal=goal, resource=resource, today=today, batch=batch, now=now)
                sent += 1
            except ValidationError:
                skipped += 1  # the goal was met or the job filled since the proposal
    audit_record(actor=actor, action="care.batch_decide", obj=batch, now=now,
                 changes={"approve": approve, "sent": sent, "skipped": skipped})
    return {"sent": sent, "skipped": skipped}

