import pytest
from django.core.exceptions import ValidationError

from fulian.awards.campaigns import campaign_launch, quota_for, tier_quota
from fulian.core.policy import OutOfScope

from .conftest import day


def test_city_launches_to_its_counties_on_dispatch(campaign, unit):
    assert campaign.dispatch.kind == "award"
    assert campaign.dispatch.recipient_count == 2  # 正定县, 行唐县
    assert quota_for(campaign, 3) == 1 and quota_for(campaign, 2) is None
    assert tier_quota(campaign, "十佳") == 1
    assert [c["label"] for c in campaign.criteria][0] == "家风家教"


def test_county_chair_may_not_launch_for_the_city(unit, county_chair):
    with pytest.raises(OutOfScope):
        campaign_launch(actor=county_chair, unit=unit("石家庄市"), kind="five_good", name="x", year=2026,
                        level=3, nominate_until=day(5), review_until=day(9))


@pytest.mark.parametrize("change, code", [
    ({"quotas": {"2": 3}}, "award_quotas"),  # a quota only for levels below the awarding unit
    ({"review_until": day(1)}, "award_dates"),
    ({"notice_days": 3}, "award_notice"),
    ({"tiers": [{"name": "十佳", "quota": 0}]}, "award_tiers"),
    ({"vote_from": day(1)}, "award_vote"),
    ({"criteria": [{"label": "家风", "max": 500}]}, "award_criteria"),
])
def test_bad_settings_are_refused_with_a_message(unit, city_chair, change, code):
    values = {"kind": "courtyard", "name": "美丽庭院", "year": 2026, "level": 3, "nominate_until": day(5),
              "review_until": day(9)} | change
    with pytest.raises(ValidationError) as refused:
        campaign_launch(actor=city_chair, unit=unit("石家庄市"), **values)
    assert refused.value.code == code
