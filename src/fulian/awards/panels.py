"""Family awards' sections on pages it does not own (core.panels): 家庭评选 on the woman's page and on the family's
page — the nominations and awards of her families, each state as the viewer may see it (eligibility.state_label),
with the certificate — and 表彰与故事传递 on a nomination's page (awarding, certificate, relays)."""

from django.utils import timezone

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows, scope_q

from .awarding import award_blockers, may_award
from .eligibility import reason_shown, state_label, state_shown
from .models import Nomination, NominationState
from .relay import may_relay, relays_of

PANEL_ROWS = 20
GONE = (NominationState.MERGED, NominationState.WITHDRAWN)


def nominations_of_families(user, family_ids) -> list[Nomination]:
    """Nominations of these registry families that she may see (merged and withdrawn ones left out), newest
    campaign first."""
    return list(Nomination.objects.filter(scope_q(user, field="unit_path"), family_id__in=list(family_ids))
                .exclude(state__in=GONE).select_related("campaign", "campaign__unit", "certificate", "family")
                .order_by("-campaign__year", "-created_at", "-pk")[:PANEL_ROWS])


def dressed(user, nominations) -> list[dict]:
    """Each nomination with the state and reason she may see."""
    rows = []
    for n in nominations:
        state = state_shown(user, n)
        looks_declined = state in (NominationState.DECLINED, NominationState.HELD)
        rows.append({"nomination": n, "state": state, "label": state_label(user, n),
                     "reason": reason_shown(user, n) if looks_declined else "",
                     "awarded": n.state == NominationState.AWARDED})
    return rows


def woman_nominations(user, woman) -> list[dict]:
    family_ids = woman.family_links.values_list("family_id", flat=True)
    return dressed(user, nominations_of_families(user, family_ids))


def woman_sections(request, woman):
    if not allows(request.user, Action.VIEW, woman.unit_path):
        return None
    rows = woman_nominations(request.user, woman)
    if not rows:
        return None
    return {"woman": woman, "rows": rows}


def family_sections(request, family):
    if not allows(request.user, Action.VIEW, family.unit_path):
        return None
    rows = dressed(request.user, nominations_of_families(request.user, [family.pk]))
    if not rows:
        return None
    return {"family": family, "rows": rows}


def nomination_sections(request, nomination):
    """表彰与故事传递 on the nomination's page: once shortlisted at the awarding unit — what still blocks the award and
    the 表彰 button for its leaders; once awarded — the certificate and the story relays."""
    campaign = nomination.campaign
    if not allows(request.user, Action.VIEW, nomination.unit_path):
        return None
    at_top = nomination.at_path == campaign.unit_path
    if nomination.state == NominationState.SHORTLISTED and at_top:
        can_award = may_award(request.user, campaign)
        return {"nomination": nomination, "awarded": False, "can_award": can_award,
                "blockers": award_blockers(nomination, now=timezone.now())}
    if nomination.state != NominationState.AWARDED:
        return None
    return {"nomination": nomination, "awarded": True, "relays": relays_of(nomination),
            "can_relay": may_relay(request.user, campaign)}


panel_register("woman.sections", order=60, template="awards/_woman_awards.html", context=woman_sections)
panel_register("family.sections", order=60, template="awards/award_family_panel.html", context=family_sections)
panel_register("award_nomination.sections", order=10, template="awards/award_nomination_panel.html",
               context=nomination_sections)
