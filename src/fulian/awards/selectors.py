"""Reads of family awards, scoped by the one policy.

A campaign is seen by the cadres of its unit's subtree (the units it was sent to and below) and of the units above
it; a nomination by the cadres whose subtree holds the family's village (a sibling county: 404). Missing and
forbidden are the same 404."""

from django.db.models import Q
from django.http import Http404

from fulian.core.access import access_by_id
from fulian.core.policy import Action, scope_path, scope_q
from fulian.core.tree import ancestor_paths

from .models import AwardCampaign, Nomination


def campaigns_for(user):
    """Campaigns she may open: launched in her subtree, or by a unit above her (those sent down to her)."""
    path = scope_path(user)
    if path is None:
        return AwardCampaign.objects.none()
    return (AwardCampaign.objects.filter(scope_q(user, field="unit_path") | Q(unit_path__in=ancestor_paths(path)))
            .select_related("unit", "dispatch").order_by("-year", "-created_at"))


def access_campaign_by_id(user, campaign_id, *, need: str = Action.VIEW) -> AwardCampaign:
    """The campaign, for VIEW if she is in its subtree or above it; for EDIT only at its unit or above."""
    if need == Action.VIEW:
        try:
            campaign = campaigns_for(user).filter(pk=int(campaign_id)).first()
        except (TypeError, ValueError, OverflowError):
            campaign = None
        if campaign is None:
            raise Http404("campaign not found")
        return campaign
    return access_by_id(user, AwardCampaign, campaign_id, need=need,
                        queryset=AwardCampaign.objects.select_related("unit", "dispatch"))


def access_nomination_by_id(user, nomination_id, *, need: str = Action.VIEW) -> Nomination:
    """The nomination, if the family's village is in her subtree (for `need`)."""
    return access_by_id(user, Nomination, nomination_id, need=need,
                        queryset=Nomination.objects.select_related("campaign", "unit", "at_unit", "family"))


def nominations_in_scope(user, campaign: AwardCampaign):
    return campaign.nominations.filter(scope_q(user, field="unit_path"))
