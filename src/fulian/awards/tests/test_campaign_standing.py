"""The standing page (评选进展): per child unit of the unit looked at, counted from the records in one grouped query
per kind of row whatever the number of children; a held nomination counts as declined; open objections only for
those who see the awarding unit; drill-down stays inside her scope and under the awarding unit (else 404)."""

import pytest
from django.utils import timezone

from fulian.awards.models import Decision, DecisionKind, Nomination, Objection
from fulian.awards.standing import campaign_standing, stage_of

pytestmark = pytest.mark.django_db


def nominate(campaign, village, *, state="pending", channel="org", at=None, level_reached=None, name="王家"):
    """A nomination row as the nominating and review parts leave it (written directly: they are other modules)."""
    now = timezone.now()
    at = at or village
    return Nomination.objects.create(
        campaign=campaign, unit=village, unit_path=village.path, at_unit=at, at_path=at.path,
        level_reached=level_reached or at.level, family_name=name, story="孝老爱亲", channel=channel, state=state,
        created_at=now, updated_at=now)


def decide(nomination, unit, kind=DecisionKind.RECOMMEND, *, undone=False):
    now = timezone.now()
    return Decision.objects.create(nomination=nomination, campaign=nomination.campaign, unit=unit,
                                   unit_path=unit.path, level=unit.level, kind=kind, decided_at=now,
                                   undone_at=now if undone else None)


@pytest.fixture
def spread(campaign, unit):
    """正定县: two waiting at 恒东社区 (one from the portal), one held, one the county recommended to the city (and one
    it took back), one kept at 正定镇, one shortlisted at the city with an open objection; 行唐县: one media one
    waiting at 南关村."""
    city, county, township = unit("石家庄市"), unit("正定县"), unit("正定镇")
    village, other = unit("恒东社区"), unit("南关村")
    nominate(campaign, village)
    nominate(campaign, village, channel="self")
    nominate(campaign, village, state="held")
    up = nominate(campaign, village, at=city)
    decide(up, village), decide(up, township), decide(up, county)
    taken_back = nominate(campaign, unit("张家庄村"), at=township)
    decide(taken_back, county, undone=True)
    nominate(campaign, unit("西柏棠村"), state="kept", at=township)
    short = nominate(campaign, village, state="shortlisted", at=city, name="李家")
    Objection.objects.create(nomination=short, campaign=campaign, unit_path=city.path, text="不实",
                             lodged_at=timezone.now())
    nominate(campaign, village, state="merged")  # merged into another: not counted
    nominate(campaign, other, channel="media")
    return campaign


def _row(standing, name):
    return next(r for r in standing["rows"] if r["unit"].name == name)


def test_the_city_sees_each_county_with_its_quota_and_receiving_state(spread, unit):
    standing = campaign_standing(spread, at=unit("石家庄市"), objections=True)
    zhengding, xingtang = _row(standing, "正定县"), _row(standing, "行唐县")
    assert (zhengding["total"], zhengding["org"], zhengding["self"], zhengding["media"]) == (7, 6, 1, 0)
    assert zhengding["waiting"] == 3  # two at 恒东社区 and one at 正定镇; the held one is not waiting
    assert zhengding["passed"] == 2  # recommended to the city, and the shortlisted one
    assert (zhengding["kept"], zhengding["declined"], zhengding["shortlisted"]) == (1, 1, 1)
    assert zhengding["recommended"] == 1 and zhengding["quota"] == 1  # the one taken back is not counted
    assert zhengding["objections"] == 1
    assert (zhengding["total_units"], zhengding["done_units"]) == (1, 0)
    assert (xingtang["total"], xingtang["media"], xingtang["waiting"]) == (1, 1, 1)
    assert standing["totals"]["total"] == 8 and standing["mine"] is None
    assert [t["used"] for t in standing["tiers"]] == [0, 0]  # shortlisted without a tier yet


def test_the_county_drills_down_to_its_townships_and_villages(spread, unit):
    county = campaign_standing(spread, at=unit("正定县"))
    assert {r["unit"].name for r in county["rows"]} == {"正定镇", "新安镇"}
    assert county["mine"] == {"recommended": 1, "quota": 1}
    town = _row(county, "正定镇")
    assert town["recommended"] == 1 and town["quota"] == 2
    village = _row(campaign_standing(spread, at=unit("正定镇")), "恒东社区")
    assert (village["total"], village["waiting"], village["declined"]) == (5, 2, 1)
    assert village["objections"] == 0  # not asked for: the county does not see the city's objections
    own = campaign_standing(spread, at=unit("恒东社区"))
    assert own["rows"] == [] and own["own"]["total"] == 5 and own["own"]["waiting"] == 2
    assert own["own"]["passed"] == 2


def test_the_standing_costs_the_same_queries_however_many_children(spread, unit, django_assert_max_num_queries):
    for name in ("石家庄市", "正定县", "正定镇", "恒东社区"):
        with django_assert_max_num_queries(7):
            campaign_standing(spread, at=unit(name), objections=True)


def test_a_held_nomination_is_counted_as_declined_on_the_page(spread, unit, client_for, city_chair):
    page = client_for(city_chair).get(f"/awards/{spread.pk}/?unit={unit('恒东社区').pk}")
    assert page.status_code == 200
    assert "待核查" not in page.content.decode()


def test_the_stage_in_words(campaign):
    today = timezone.localdate()
    assert stage_of(campaign, today) == "网络投票中"
    campaign.vote_from = campaign.vote_until = None
    assert stage_of(campaign, today) == "推荐中"
    assert stage_of(campaign, campaign.nominate_until + timezone.timedelta(days=1)) == "评审中"


def test_the_page_drills_down_and_shows_objections_only_to_the_awarding_unit(spread, unit, client_for, city_chair,
                                                                             county_chair):
    city = client_for(city_chair).get(f"/awards/{spread.pk}/")
    assert city.status_code == 200
    text = city.content.decode()
    assert "正定县" in text and "行唐县" in text and "未核查的异议" in text
    county = client_for(county_chair).get(f"/awards/{spread.pk}/")
    text = county.content.decode()
    assert county.status_code == 200 and "正定镇" in text and "未核查的异议" not in text
    assert client_for(county_chair).get(f"/awards/{spread.pk}/?unit={unit('正定镇').pk}").status_code == 200


def test_the_next_county_cannot_drill_into_zhengding(spread, unit, client_for, api_for, sibling_county_cadre):
    zhengding = unit("正定县").pk
    assert client_for(sibling_county_cadre).get(f"/awards/{spread.pk}/?unit={zhengding}").status_code == 404
    api = api_for(sibling_county_cadre)
    assert api.get(f"/api/v1/awards/campaigns/{spread.pk}/standing?unit_id={zhengding}").status_code == 404
    mine = api.get(f"/api/v1/awards/campaigns/{spread.pk}/standing").json()
    assert mine["unit_name"] == "行唐县" and mine["totals"]["total"] == 1 and mine["totals"]["objections"] is None


def test_a_unit_above_the_campaign_is_not_a_place_to_look_from(spread, unit, client_for, province_chair):
    client = client_for(province_chair)
    assert client.get(f"/awards/{spread.pk}/?unit={unit('河北省').pk}").status_code == 404
    assert client.get(f"/awards/{spread.pk}/?unit=abc").status_code == 400
