"""Campaigns sent down the tree: a chair launches one to a level below (staff may not); the receiving unit sees it on
今日工作, holds activities under it and may mark its part done only once it held them; the campaign's page rolls
up per child unit, counted from the records in one grouped query per kind — not one per child; tasks' figures
(完成上级任务) do not move."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from fulian.activities import campaigns, services
from fulian.activities.checkin import attendance_record
from fulian.activities.models import Campaign
from fulian.core.figures import figure_values, period_of
from fulian.core.panels import panels_for
from fulian.core.policy import OutOfScope
from fulian.dispatch.models import Recipient, RecipientState

from .conftest import at

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def campaign(province_chair, unit):
    """河北省 asks every county to hold two 家风讲坛 within the month."""
    return campaigns.campaign_launch(actor=province_chair, unit=unit("河北省"), title="家风讲坛进万家",
                                     body="每县至少两场", kind="lecture", starts_on=TODAY - dt.timedelta(days=5),
                                     ends_on=TODAY + dt.timedelta(days=25), deadline=TODAY + dt.timedelta(days=25),
                                     level=3, activities_each=2)


def _lecture(actor, unit, campaign, day, title="家风讲坛"):
    made = services.activity_save(actor=actor, unit=unit, values={
        "title": title, "kind": "lecture", "address": "文化礼堂", "campaign": campaign},
        sessions=[(at(day), at(day, 11))])
    return services.activity_publish(actor=actor, activity=made)


def test_a_chair_launches_to_every_unit_of_the_level_and_staff_may_not(campaign, unit, village_cadre):
    assert campaign.dispatch.kind == "campaign" and campaign.dispatch.recipient_count == 2
    assert set(campaign.dispatch.recipients.values_list("unit__name", flat=True)) == {"正定县", "行唐县"}
    with pytest.raises(OutOfScope):
        campaigns.campaign_launch(actor=village_cadre, unit=unit("恒东社区"), title="x", starts_on=TODAY,
                                  ends_on=TODAY, deadline=TODAY, level=5)


@pytest.mark.parametrize("change,message", [
    ({"ends_on": TODAY - dt.timedelta(days=10)}, "结束日期"),
    ({"deadline": TODAY - dt.timedelta(days=10)}, "完成期限"),
    ({"kind": "dance"}, "活动类型"),
    ({"activities_each": -1}, "场次"),
])
def test_bad_launch_input_sends_nothing(province_chair, unit, change, message):
    values = {"title": "巾帼建功", "starts_on": TODAY - dt.timedelta(days=5), "ends_on": TODAY,
              "deadline": TODAY, "level": 3, **change}
    with pytest.raises(ValidationError, match=message):
        campaigns.campaign_launch(actor=province_chair, unit=unit("河北省"), **values)
    assert not Campaign.objects.exists()


def test_the_receiving_county_sees_it_on_todays_work(campaign, county_chair, sibling_county_cadre):
    request = RequestFactory().get("/")
    request.user = county_chair
    html = "".join(panels_for("today", request, None))
    assert "家风讲坛进万家" in html and "已开展 0/2 场" in html
    request.user = sibling_county_cadre
    assert "家风讲坛进万家" in "".join(panels_for("today", request, None))


def test_the_part_is_done_only_once_the_activities_were_held(campaign, county_chair, unit):
    mine = campaigns.recipient_of(campaign, unit("正定县"))
    _lecture(county_chair, unit("正定县"), campaign, -1)
    with pytest.raises(ValidationError, match="已开展1场"):
        campaigns.campaign_part_done(actor=county_chair, recipient=mine)
    _lecture(county_chair, unit("正定县"), campaign, 3)  # published, not held yet
    with pytest.raises(ValidationError, match="已开展1场"):
        campaigns.campaign_part_done(actor=county_chair, recipient=mine)
    done = campaigns.campaign_part_done(actor=county_chair, recipient=mine, now=at(3, 12))
    assert done.state == RecipientState.DONE


def test_a_village_under_the_county_holds_activities_under_it(campaign, village_cadre, county_chair, unit):
    assert campaign in campaigns.campaigns_usable(unit("恒东社区"))
    _lecture(village_cadre, unit("恒东社区"), campaign, -2)
    _lecture(village_cadre, unit("恒东社区"), campaign, -1)
    mine = campaigns.recipient_of(campaign, unit("正定县"))
    assert campaigns.campaign_part_done(actor=county_chair, recipient=mine).is_done


def test_the_roll_up_counts_each_child_from_its_records_in_a_few_queries(campaign, county_chair, unit,
                                                                        sibling_county_cadre,
                                                                        django_assert_max_num_queries):
    for day in (-3, -2):
        held = _lecture(county_chair, unit("正定县"), campaign, day)
    _lecture(sibling_county_cadre, unit("行唐县"), campaign, 4)
    session = held.sessions.get()
    for phone in ("13812345678", "13900001111"):
        attendance_record(session=session, name="村民", phone=phone, method="walk_in", actor=county_chair,
                          now=session.starts_at)
    campaigns.campaign_part_done(actor=county_chair, recipient=campaigns.recipient_of(campaign, unit("正定县")))
    province = unit("河北省")
    with django_assert_max_num_queries(6):
        rollup = campaigns.campaign_rollup(campaign, at=province)
    (city,) = rollup["rows"]
    assert (city["unit"].name, city["total"], city["done"], city["held"], city["planned"]) == ("石家庄市", 2, 1, 2, 3)
    assert (city["attendances"], city["people"]) == (2, 2)
    counties = {r["unit"].name: r for r in campaigns.campaign_rollup(campaign, at=unit("石家庄市"))["rows"]}
    assert counties["正定县"]["recipient"].is_done and counties["正定县"]["held"] == 2
    assert counties["行唐县"]["held"] == 0 and counties["行唐县"]["planned"] == 1


def test_a_campaign_is_not_a_task_in_the_figures(campaign, county_chair, unit):
    _lecture(county_chair, unit("正定县"), campaign, -2)
    _lecture(county_chair, unit("正定县"), campaign, -1)
    campaigns.campaign_part_done(actor=county_chair, recipient=campaigns.recipient_of(campaign, unit("正定县")))
    values = figure_values([unit("正定县").pk], ["tasks_done"], start=period_of(TODAY), end=period_of(TODAY))
    assert values[unit("正定县").pk]["tasks_done"] == 0


def test_the_campaign_page_launch_form_roll_up_and_done_button(client_for, province_chair, county_chair, unit):
    client = client_for(province_chair)
    assert 'name="_entry"' in client.get("/activities/campaigns/new/").content.decode()
    answer = client.post("/activities/campaigns/new/", {
        "title": "听党话跟党走", "body": "", "kind": "", "starts_on": TODAY.isoformat(),
        "ends_on": (TODAY + dt.timedelta(days=20)).isoformat(),
        "deadline": (TODAY + dt.timedelta(days=20)).isoformat(), "level": "3", "activities_each": "1"})
    campaign = Campaign.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/activities/campaigns/{campaign.pk}/"
    page = client.get(answer["Location"]).content.decode()
    assert "石家庄市" in page and "催办未完成的单位" in page
    county = client_for(county_chair)
    mine = county.get(f"/activities/campaigns/{campaign.pk}/").content.decode()
    assert "本单位已完成" in mine and f"/activities/new/?campaign={campaign.pk}" in mine
    form = county.get(f"/activities/new/?campaign={campaign.pk}").content.decode()
    assert f'<option value="{campaign.pk}" selected>' in form
    county.post(f"/activities/campaigns/{campaign.pk}/done/")
    assert not Recipient.objects.get(dispatch_id=campaign.pk, unit=unit("正定县")).is_done


def test_a_unit_outside_the_campaign_gets_404(client_for, unit, county_chair):
    campaign = campaigns.campaign_launch(actor=county_chair, unit=unit("正定县"), title="巾帼志愿服务月",
                                         starts_on=TODAY, ends_on=TODAY + dt.timedelta(days=9),
                                         deadline=TODAY + dt.timedelta(days=9), level=5)
    from fulian.accounts.tests.factories import UserFactory
    from fulian.core.policy import Role

    outsider = client_for(UserFactory(username="xt", unit=unit("行唐县"), roles=[Role.CHAIR]))
    for path in ("", f"units/{unit('正定县').pk}/"):
        assert outsider.get(f"/activities/campaigns/{campaign.pk}/{path}").status_code == 404
    for path in ("done/", "remind/", "close/"):
        assert outsider.post(f"/activities/campaigns/{campaign.pk}/{path}").status_code == 404
    assert campaign.dispatch.is_open


def test_a_late_part_is_chased_once_a_day_with_a_link_that_opens_the_campaign(campaign, client_for, county_chair,
                                                                             unit):
    from fulian.core.models import Outbox

    # 10 a.m. local, 26 days on: an hour later is the same day whatever time the suite runs (at 23:xx it was not)
    late = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=26), dt.time(10, 0)))
    assert campaigns.campaigns_chase(now=late) == {"chased": 2, "overdue": 2}
    assert campaigns.campaigns_chase(now=late + dt.timedelta(hours=1))["chased"] == 0
    link = Outbox.objects.filter(user=county_chair).get().link
    mine = campaigns.recipient_of(campaign, unit("正定县"))
    assert link == f"/activities/campaigns/parts/{mine.pk}/"
    assert client_for(county_chair).get(link)["Location"] == f"/activities/campaigns/{campaign.pk}/"
    values = figure_values([unit("正定县").pk], ["tasks_overdue"], start=period_of(TODAY),
                           end=period_of(late))
    assert values[unit("正定县").pk]["tasks_overdue"] == 0


def test_an_activity_under_a_closed_campaign_can_still_be_edited(client_for, campaign, county_chair, province_chair,
                                                                 unit):
    lecture = _lecture(county_chair, unit("正定县"), campaign, 3)
    campaigns.campaign_close(actor=province_chair, campaign=campaign)
    client = client_for(county_chair)
    form = client.get(f"/activities/{lecture.pk}/edit/").context["form"]
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data.update({"title": "家风讲坛（改期）", "session-TOTAL_FORMS": "1", "session-INITIAL_FORMS": "1",
                 "session-0-starts_at": timezone.localtime(at(4)).strftime("%Y-%m-%dT%H:%M"),
                 "session-0-ends_at": timezone.localtime(at(4, 11)).strftime("%Y-%m-%dT%H:%M")})
    assert client.post(f"/activities/{lecture.pk}/edit/", data).status_code == 302
    lecture.refresh_from_db()
    assert lecture.title == "家风讲坛（改期）" and lecture.campaign_id == campaign.pk
