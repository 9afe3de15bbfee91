"""The demo's family awards: last year's 美丽庭院 of 正定县 awarded with certificates and relays, this year's 最美家庭
of 石家庄市 in 公示 with an objection open, every channel used; figures equal the recount; a second run adds nothing."""

import pytest

from fulian.activities.demo_organise import demo_organise
from fulian.awards.demo import demo_awards
from fulian.awards.models import AwardCampaign, CampaignStatus, Channel, Nomination, NominationState, Objection
from fulian.core.models import Certificate
from fulian.evaluation.recount import recount
from fulian.people.demo_families import demo_families
from fulian.people.services import WomanData, woman_create

pytestmark = pytest.mark.django_db


def test_the_demo_fills_a_finished_and_a_running_campaign_once(unit, county_chair, province_chair, city_chair,
                                                               township_cadre, village_cadre):
    for n, name in enumerate(["王秀兰", "李桂英", "张玉梅", "刘淑珍", "陈丽娟", "杨春燕"]):
        woman_create(actor=county_chair, data=WomanData(name=name, home_unit=unit("恒东社区"),
                                                       phone=f"1380311{n:04d}"))
    users = {"hb-county": county_chair, "hb-province": province_chair, "hb-city": city_chair,
             "hb-township": township_cadre, "hb-village": village_cadre}
    demo_families(users=users)
    demo_organise(users=users)
    made = demo_awards(users=users)
    assert made["created"] and demo_awards(users=users) == {"created": False}
    courtyard = AwardCampaign.objects.get(kind="courtyard")
    assert courtyard.status == CampaignStatus.AWARDED and made["courtyard"]["awarded"] == 3
    assert Certificate.objects.filter(kind="family_award").count() == 3
    assert made["courtyard"]["relays"] == 2
    current = AwardCampaign.objects.get(kind="most_beautiful")
    assert current.status == CampaignStatus.NOTICE
    assert set(Nomination.objects.filter(campaign=current).values_list("channel", flat=True)) == set(Channel.values)
    assert Nomination.objects.filter(campaign=current, state=NominationState.SHORTLISTED).count() == 3
    assert Nomination.objects.filter(campaign=current, state=NominationState.KEPT).exists()
    assert Objection.objects.get().outcome == ""
    assert [d for d in recount().differences if d[2].startswith("award_")] == []
