"""The campaign pages: 发起评选 on a form that keeps what she typed on a refusal and launches once on a double tap;
the list; changing the wording and dates; cancelling; a receiving unit's part (done only once it decided every
nomination waiting at it); a lower unit's own round under a campaign it received."""

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.awards.models import AwardCampaign, CampaignStatus
from fulian.core.policy import Role
from fulian.dispatch.models import DispatchStatus, RecipientState

from .conftest import day
from .test_campaign_standing import decide, nominate

pytestmark = pytest.mark.django_db


def _launch_post(unit, **change):
    data = {"kind": "courtyard", "name": "2026年度美丽庭院", "year": "2026", "description": "干净整洁",
            "nominate_until": day(10).isoformat(), "review_until": day(20).isoformat(), "notice_days": "5",
            "portal_open": "on", "level": "3", "quota_3": "2", "quota_5": "1", "client_token": "tap-1",
            "criteria-TOTAL_FORMS": "2", "criteria-INITIAL_FORMS": "0", "criteria-0-label": "院内整洁",
            "criteria-0-max": "60", "criteria-1-label": "绿化美化", "criteria-1-max": "40",
            "tiers-TOTAL_FORMS": "2", "tiers-INITIAL_FORMS": "0", "tiers-0-name": "十佳", "tiers-0-quota": "10",
            "tiers-1-name": "", "tiers-1-quota": ""}
    data.update(change)
    return data


def test_the_city_chair_launches_from_the_form_and_a_double_tap_launches_once(unit, city_chair, client_for):
    client = client_for(city_chair)
    form = client.get("/awards/new/?kind=courtyard")
    assert form.status_code == 200 and "院内整洁" in form.content.decode()  # the kind's default criteria
    first = client.post("/awards/new/", _launch_post(unit))
    again = client.post("/awards/new/", _launch_post(unit))
    campaign = AwardCampaign.objects.get()
    assert first.status_code == again.status_code == 302 and first["Location"] == f"/awards/{campaign.pk}/"
    assert campaign.quotas == {"3": 2, "5": 1} and campaign.tiers == [{"name": "十佳", "quota": 10}]
    assert [c["label"] for c in campaign.criteria] == ["院内整洁", "绿化美化"]
    assert campaign.dispatch.recipient_count == 2
    page = client.get(f"/awards/{campaign.pk}/").content.decode()
    assert "2026年度美丽庭院" in page and "每个县2个" in page


def test_a_refused_launch_keeps_what_she_typed_with_the_reason(unit, city_chair, client_for):
    answer = client_for(city_chair).post("/awards/new/", _launch_post(
        unit, notice_days="5", nominate_until=day(-3).isoformat(), name="我的评选"))
    text = answer.content.decode()
    assert answer.status_code == 200 and "推荐截止日期不能早于今天" in text and 'value="我的评选"' in text
    assert not AwardCampaign.objects.exists()


def test_picked_units_only_receive_it(unit, city_chair, client_for):
    client_for(city_chair).post("/awards/new/", _launch_post(unit, units=[str(unit("正定县").pk)]))
    assert list(AwardCampaign.objects.get().dispatch.recipients.values_list("unit__name", flat=True)) == ["正定县"]


def test_staff_and_villages_may_not_launch(unit, client_for, village_cadre, township_cadre):
    assert client_for(village_cadre).get("/awards/new/").status_code == 404
    assert client_for(township_cadre).get("/awards/new/").status_code == 404


def test_the_list_shows_received_and_launched(campaign, client_for, county_chair, city_chair, village_cadre):
    assert campaign.name in client_for(county_chair).get("/awards/").content.decode()
    assert campaign.name in client_for(village_cadre).get("/awards/").content.decode()
    mine = client_for(city_chair).get("/awards/").content.decode()
    assert campaign.name in mine and "发起评选" in mine


def test_the_leader_changes_wording_and_dates_until_a_unit_decides(campaign, unit, client_for, city_chair):
    client = client_for(city_chair)
    values = {"name": "2026年度石家庄市最美家庭", "description": "新要求", "nominate_until": day(12).isoformat(),
              "review_until": day(40).isoformat(), "vote_from": "", "vote_until": "", "version": campaign.version}
    assert client.post(f"/awards/{campaign.pk}/edit/", values).status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "2026年度石家庄市最美家庭" and campaign.review_until == day(40)
    assert campaign.dispatch.recipients.first().deadline.date() == day(40)
    stale = client.post(f"/awards/{campaign.pk}/edit/", values | {"name": "又改"})
    assert stale.status_code == 200 and "刚被别人修改过" in stale.content.decode()
    decide(nominate(campaign, unit("恒东社区")), unit("恒东社区"))
    refused = client.post(f"/awards/{campaign.pk}/edit/", values | {"version": campaign.version})
    assert "不能再修改" in refused.content.decode()


def test_only_a_leader_of_the_awarding_unit_edits_or_cancels(campaign, client_for, county_chair, unit):
    staff = UserFactory(username="city-staff", unit=unit("石家庄市"), roles=[Role.STAFF])
    for user in (county_chair, staff):
        assert client_for(user).get(f"/awards/{campaign.pk}/edit/").status_code == 404
        assert client_for(user).post(f"/awards/{campaign.pk}/cancel/", {"reason": "x"}).status_code == 404


def test_cancelling_stops_the_campaign_and_closes_its_dispatch(campaign, client_for, city_chair):
    client = client_for(city_chair)
    client.post(f"/awards/{campaign.pk}/cancel/", {"reason": ""})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN  # a reason is needed
    client.post(f"/awards/{campaign.pk}/cancel/", {"reason": "合并到全省评选", "version": campaign.version})
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CANCELLED and campaign.dispatch.status == DispatchStatus.CLOSED
    again = client.post(f"/awards/{campaign.pk}/cancel/", {"reason": "再撤"}, follow=True)
    assert "已经撤销" in again.content.decode()


def test_the_county_marks_its_part_done_only_when_nothing_waits_at_it(campaign, unit, client_for, county_chair):
    client = client_for(county_chair)
    waiting = nominate(campaign, unit("恒东社区"), at=unit("正定县"))
    nominate(campaign, unit("恒东社区"), at=unit("正定县"), state="held")  # waits for need-to-know, not for her
    part = campaign.dispatch.recipients.get(unit=unit("正定县"))
    assert client.get(f"/awards/parts/{part.pk}/")["Location"] == f"/awards/{campaign.pk}/"
    page = client.get(f"/awards/{campaign.pk}/").content.decode()
    assert "等待本单位评审的推荐：1个" in page
    refused = client.post(f"/awards/{campaign.pk}/done/", {"version": part.version}, follow=True)
    assert "还有1个推荐等待评审" in refused.content.decode()
    waiting.state = "kept"
    waiting.save(update_fields=["state"])
    client.post(f"/awards/{campaign.pk}/done/", {"version": part.version})
    part.refresh_from_db()
    assert part.state == RecipientState.DONE


def test_a_village_has_no_part_to_mark_done(campaign, client_for, village_cadre):
    assert client_for(village_cadre).post(f"/awards/{campaign.pk}/done/").status_code == 404


def test_the_county_runs_its_own_round_under_the_city_campaign(campaign, unit, client_for, county_chair):
    client = client_for(county_chair)
    assert "发起本级评选" in client.get(f"/awards/{campaign.pk}/").content.decode()
    form = client.get(f"/awards/new/?parent={campaign.pk}").content.decode()
    assert "最美家庭" in form and "家风家教" in form and "正定县" in form
    post = _launch_post(unit, kind="most_beautiful", name="正定县最美家庭", level="5", quota_3="", quota_5="1",
                        client_token="round-1")
    post.pop("quota_3")
    answer = client.post(f"/awards/new/?parent={campaign.pk}", post)
    assert answer.status_code == 302
    round_ = AwardCampaign.objects.get(parent=campaign)
    assert round_.unit == unit("正定县") and round_.dispatch.recipient_count == 3
    assert "正定县最美家庭" in client.get(f"/awards/{campaign.pk}/").content.decode()


def test_the_next_county_cannot_launch_under_a_round_it_cannot_see(campaign, unit, client_for, county_chair,
                                                                  sibling_county_cadre):
    client_for(county_chair).post(f"/awards/new/?parent={campaign.pk}", _launch_post(
        unit, kind="most_beautiful", name="正定县最美家庭", level="5", quota_3="", client_token="r"))
    round_ = AwardCampaign.objects.get(parent=campaign)
    assert client_for(sibling_county_cadre).get(f"/awards/new/?parent={round_.pk}").status_code == 404


def test_every_campaign_page_of_zhengding_is_404_to_the_next_county(unit, county_chair, client_for,
                                                                    sibling_county_cadre):
    from fulian.awards.tests.outsiders_campaigns import records

    ids = records(county=unit("正定县"), village=unit("恒东社区"), chair=county_chair, cadre=None)
    client = client_for(sibling_county_cadre)
    campaign_id, part_id = ids["award_campaign_id"], ids["award_recipient_id"]
    for url in (f"/awards/{campaign_id}/", f"/awards/{campaign_id}/edit/", f"/awards/parts/{part_id}/",
                f"/awards/new/?parent={campaign_id}"):
        assert client.get(url).status_code == 404, url
    for url in (f"/awards/{campaign_id}/cancel/", f"/awards/{campaign_id}/done/"):
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    assert timezone.now()
