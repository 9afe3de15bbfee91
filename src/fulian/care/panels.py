"""Care's sections on pages it does not own (core.panels): 关爱帮扶 on the woman's page (her care groups, plans, open
goals and offers, with 纳入关爱 and 建立帮扶台账), 关爱儿童 on the family's page (the children to those with
need-to-know — each shown is logged — and only how many to anyone else), and 妇联为我对接的资源 on her 我的 page
(the portal passes her WomanAccount), where she answers an offer herself."""

from django.utils import timezone

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows

from . import registry
from .matching import offers_for
from .models import GoalState, HelpGoal, PlanState
from .plans import plans_for
from .selectors import offers_for_account

PANEL_ROWS = 20


def woman_sections(request, woman):
    user = request.user
    if not allows(user, Action.VIEW, woman.unit_path):
        return None
    can_edit = allows(user, Action.EDIT, woman.unit_path) and woman.merged_into_id is None
    memberships = list(registry.memberships_of(woman))
    plans = list(plans_for(user, woman=woman)[:PANEL_ROWS])
    goals = list(HelpGoal.objects.filter(woman=woman, state=GoalState.OPEN, plan__state=PlanState.OPEN)
                 .select_related("plan").order_by("-created_at")[:PANEL_ROWS]) if plans else []
    offers = list(offers_for(user, woman=woman)[:PANEL_ROWS])
    if not (memberships or plans or offers or can_edit):
        return None
    return {"woman": woman, "memberships": memberships, "plans": plans, "goals": goals, "offers": offers,
            "can_edit": can_edit, "has_open_plan": any(p.state == PlanState.OPEN for p in plans)}


def family_sections(request, family):
    """The children of the family: listed (and each read logged) for need-to-know; a count for everyone else."""
    user = request.user
    if not allows(user, Action.VIEW, family.unit_path):
        return None
    count = registry.family_children_count(family)
    can_register = allows(user, Action.EDIT, family.unit_path)
    children = []
    if registry.may_know_family_children(user, family):
        children = registry.children_for(user, family=family)
        registry.children_read(user, children, purpose="care.family_page")
    if not (count or children or can_register):
        return None
    return {"family": family, "count": count, "children": children, "can_register": can_register,
            "hidden": count and not children}


def me_offers(request, account):
    if account is None:
        return None
    rows = offers_for_account(account, now=timezone.now())
    if not rows:
        return None
    return {"rows": rows}


panel_register("woman.sections", order=45, template="care/_woman_care.html", context=woman_sections)
panel_register("family.sections", order=20, template="care/_family_children.html", context=family_sections)
panel_register("portal.me", order=15, template="care/_me_offers.html", context=me_offers)
