"""故事传递: linked to an activity of her subtree (the activities module answers through its hooks), or recorded by
name and date and linked later; once per activity; only for awarded families, by cadres inside the campaign."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.activities import services as activities
from fulian.awards import awarding, relay
from fulian.awards.models import StoryRelay
from fulian.core.policy import OutOfScope

from .outsiders_awarding import county_round, notice_over, shortlisted

pytestmark = pytest.mark.django_db


def _activity(chair, unit, title="好家风故事分享会", days=3):
    start = timezone.now() - dt.timedelta(days=days)
    return activities.activity_save(actor=chair, unit=unit, values={"title": title, "kind": "lecture",
                                                                    "address": "村委会二楼"},
                                    sessions=[(start, start + dt.timedelta(hours=2))])


@pytest.fixture
def awarded(campaign, unit, city_chair):
    return awarding.award(actor=city_chair, nomination=shortlisted(notice_over(campaign), unit("恒东社区"),
                                                                   tier="十佳"))


def test_a_relay_at_an_activity_takes_its_title_date_and_unit(awarded, unit, county_chair):
    activity = _activity(county_chair, unit("张家庄村"))
    assert [a["id"] for a in relay.relay_activities(county_chair, q="故事")] == [activity.pk]
    made = relay.relay_create(actor=county_chair, nomination=awarded, activity_id=activity.pk)
    assert (made.title, made.held_on, made.unit_id) == (activity.title, timezone.localdate(activity.starts_at),
                                                       unit("张家庄村").pk)
    assert made.venue == "village"  # guessed from the unit: a 村
    again = relay.relay_create(actor=county_chair, nomination=awarded, activity_id=activity.pk)
    assert again.pk == made.pk and StoryRelay.objects.count() == 1


def test_a_relay_by_name_is_linked_to_its_activity_later(awarded, unit, village_cadre, county_chair):
    made = relay.relay_create(actor=village_cadre, nomination=awarded, venue="school", title="最美家庭进校园",
                              held_on=timezone.localdate())
    assert (made.unit_id, made.activity_id, made.venue) == (unit("恒东社区").pk, None, "school")
    twice = relay.relay_create(actor=village_cadre, nomination=awarded, venue="school", title="最美家庭进校园",
                               held_on=timezone.localdate())
    assert twice.pk == made.pk
    activity = _activity(county_chair, unit("恒东社区"), title="最美家庭故事进校园")
    linked = relay.relay_link_activity(actor=village_cadre, relay=made, activity_id=activity.pk)
    assert (linked.activity_id, linked.title) == (activity.pk, "最美家庭故事进校园")


def test_an_activity_outside_her_subtree_is_refused(awarded, unit, village_cadre, county_chair):
    elsewhere = _activity(county_chair, unit("张家庄村"))
    assert relay.relay_activities(village_cadre) == []
    with pytest.raises(ValidationError, match="找不到这个活动"):
        relay.relay_create(actor=village_cadre, nomination=awarded, activity_id=elsewhere.pk)


def test_an_activity_outside_the_campaign_is_refused(unit, county_chair, province_chair):
    round_ = notice_over(county_round(chair=county_chair, county=unit("正定县")))
    done = awarding.award(actor=county_chair, nomination=shortlisted(round_, unit("恒东社区")))
    provincial = _activity(province_chair, unit("河北省"), title="全省家风讲坛")
    with pytest.raises(ValidationError, match="不在本次评选的范围内"):
        relay.relay_create(actor=province_chair, nomination=done, activity_id=provincial.pk)


def test_only_awarded_families_are_relayed(campaign, unit, county_chair):
    pending = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    with pytest.raises(ValidationError, match="只有已表彰的家庭"):
        relay.relay_create(actor=county_chair, nomination=pending, venue="village", title="故事会",
                           held_on=timezone.localdate())


def test_a_cadre_outside_the_campaign_may_not_relay(unit, county_chair, sibling_county_cadre):
    round_ = notice_over(county_round(chair=county_chair, county=unit("正定县")))
    done = awarding.award(actor=county_chair, nomination=shortlisted(round_, unit("恒东社区")))
    with pytest.raises(OutOfScope):
        relay.relay_create(actor=sibling_county_cadre, nomination=done, venue="village", title="故事会",
                           held_on=timezone.localdate())


def test_a_cadre_of_another_county_in_a_city_campaign_may_relay(awarded, unit, sibling_county_cadre):
    made = relay.relay_create(actor=sibling_county_cadre, nomination=awarded, venue="barracks",
                              title="最美家庭故事进军营", held_on=timezone.localdate())
    assert made.unit_id == unit("行唐县").pk


def test_removing_a_relay(awarded, village_cadre, sibling_county_cadre):
    made = relay.relay_create(actor=village_cadre, nomination=awarded, venue="community", title="故事会",
                              held_on=timezone.localdate())
    with pytest.raises(OutOfScope):
        relay.relay_remove(actor=sibling_county_cadre, relay=made)
    relay.relay_remove(actor=village_cadre, relay=made)
    assert not StoryRelay.objects.exists()
