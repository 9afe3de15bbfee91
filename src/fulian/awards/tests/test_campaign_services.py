"""The campaign services' rules: a launch with the same token is one campaign; changes keep an unchanged past
deadline but refuse a new one in the past, and refuse once a unit decided (merging duplicates is no decision);
cancelling needs a reason and leaves an awarded campaign alone; each write is audited."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.awards.campaigns import campaign_cancel, campaign_launch, campaign_update
from fulian.awards.models import AwardCampaign, CampaignStatus, DecisionKind
from fulian.core.errors import Conflict
from fulian.core.models import AuditEvent
from fulian.core.policy import OutOfScope

from .conftest import day
from .test_campaign_standing import decide, nominate

pytestmark = pytest.mark.django_db


def _values(campaign, **change):
    return {"name": campaign.name, "description": campaign.description, "nominate_until": campaign.nominate_until,
            "review_until": campaign.review_until, "vote_from": campaign.vote_from,
            "vote_until": campaign.vote_until} | change


def test_the_same_token_launches_one_campaign(unit, city_chair):
    values = {"actor": city_chair, "unit": unit("石家庄市"), "kind": "own", "name": "好婆婆", "year": 2026, "level": 3,
              "nominate_until": day(5), "review_until": day(9), "client_token": "t-1"}
    assert campaign_launch(**values).pk == campaign_launch(**values).pk
    assert campaign_launch(**values | {"client_token": "t-2"}).pk != campaign_launch(**values).pk
    assert AwardCampaign.objects.count() == 2


def test_an_unchanged_past_deadline_stays_but_a_new_one_may_not_be_in_the_past(campaign, city_chair):
    later = timezone.now() + dt.timedelta(days=12)
    changed = campaign_update(actor=city_chair, campaign=campaign, now=later, **_values(campaign, name="改名"))
    assert changed.name == "改名" and changed.version == campaign.version + 1
    with pytest.raises(ValidationError, match="不能早于今天"):
        campaign_update(actor=city_chair, campaign=changed, now=later,
                        **_values(changed, nominate_until=day(11)))
    assert AuditEvent.objects.filter(action="award.update", changes__name="改名").exists()


def test_a_merge_is_no_decision_but_a_recommendation_is(campaign, unit, city_chair):
    village = unit("恒东社区")
    decide(nominate(campaign, village), village, DecisionKind.MERGE)
    campaign = campaign_update(actor=city_chair, campaign=campaign, **_values(campaign, description="补充"))
    decide(nominate(campaign, village), village)
    with pytest.raises(ValidationError, match="不能再修改"):
        campaign_update(actor=city_chair, campaign=campaign, **_values(campaign, description="再补充"))


def test_the_county_chair_may_not_change_or_cancel_the_city_campaign(campaign, county_chair):
    with pytest.raises(OutOfScope):
        campaign_update(actor=county_chair, campaign=campaign, **_values(campaign))
    with pytest.raises(OutOfScope):
        campaign_cancel(actor=county_chair, campaign=campaign, reason="x")


def test_cancel_needs_a_reason_a_current_version_and_leaves_an_awarded_campaign(campaign, city_chair):
    with pytest.raises(ValidationError, match="撤销原因"):
        campaign_cancel(actor=city_chair, campaign=campaign, reason=" ")
    with pytest.raises(Conflict):
        campaign_cancel(actor=city_chair, campaign=campaign, reason="x", version=campaign.version + 5)
    AwardCampaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.AWARDED)
    with pytest.raises(ValidationError, match="已表彰"):
        campaign_cancel(actor=city_chair, campaign=campaign, reason="x")


def test_a_round_under_a_cancelled_campaign_is_refused(campaign, unit, city_chair, county_chair):
    campaign_cancel(actor=city_chair, campaign=campaign, reason="重来")
    with pytest.raises(ValidationError, match="已撤销"):
        campaign_launch(actor=county_chair, unit=unit("正定县"), kind="most_beautiful", name="x", year=2026,
                        level=5, nominate_until=day(5), review_until=day(9),
                        parent=AwardCampaign.objects.get(pk=campaign.pk))
    assert AuditEvent.objects.filter(action="award.cancel", changes__reason="重来").exists()


def test_the_chase_reminds_a_late_county_once_a_day_linking_to_its_part(campaign, unit, county_chair):
    from fulian.awards.campaigns import campaigns_chase
    from fulian.core.models import Outbox

    late = timezone.now() + dt.timedelta(days=31)
    assert campaigns_chase(now=late)["chased"] == 2 and campaigns_chase(now=late)["chased"] == 0
    part = campaign.dispatch.recipients.get(unit=unit("正定县"))
    assert Outbox.objects.get(user=county_chair).link == f"/awards/parts/{part.pk}/"


def test_the_chase_command_runs(campaign):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("awards_chase", stdout=out)
    assert out.getvalue().startswith("award campaigns: reminded 0")
