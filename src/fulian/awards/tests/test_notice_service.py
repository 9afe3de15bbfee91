"""公示: starting it (working days across a holiday), objections and what they block, the finding."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.awards import notice
from fulian.awards.models import CampaignStatus, Decision, DecisionKind, Nomination, NominationState, Objection
from fulian.awards.tests.outsiders_notice import shortlisted_family
from fulian.core.errors import Conflict
from fulian.core.figures import figures_read, period_of
from fulian.core.models import Holiday
from fulian.core.policy import OutOfScope
from fulian.evaluation.recount import recount

# Monday 2026-09-28; 10-01..10-07 are days off (国庆), Sunday 10-11 a working day (调休)
MONDAY = timezone.make_aware(dt.datetime(2026, 9, 28, 9))


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def national_day(db):
    """The calendar of those weeks as a sysadmin keeps it (whatever the shipped calendar says)."""
    Holiday.objects.filter(day__range=(dt.date(2026, 9, 20), dt.date(2026, 10, 20))).delete()
    for i in range(1, 8):
        Holiday.objects.create(day=dt.date(2026, 10, i), name="国庆节", is_workday=False)
    Holiday.objects.create(day=dt.date(2026, 10, 11), name="国庆节调休", is_workday=True)


@pytest.fixture
def shortlist(campaign, unit):
    return shortlisted_family(campaign, unit("恒东社区"), tier="十佳")


@pytest.fixture
def in_notice(campaign, shortlist, city_chair):
    return notice.notice_start(actor=city_chair, campaign=campaign, now=MONDAY)


def test_a_notice_period_counts_working_days_across_a_holiday(campaign, shortlist, city_chair, national_day):
    started = notice.notice_start(actor=city_chair, campaign=campaign, now=MONDAY)

    # Mon 28, Tue 29, Wed 30 — then the holiday — Thu 10-08, Fri 10-09: five working days
    assert (started.status, started.notice_from, started.notice_until) == (
        CampaignStatus.NOTICE, dt.date(2026, 9, 28), dt.date(2026, 10, 9))


def test_a_notice_started_on_a_day_off_begins_on_the_next_working_day(campaign, shortlist, city_chair,
                                                                       national_day):
    started = notice.notice_start(actor=city_chair, campaign=campaign, now=at(dt.date(2026, 10, 3)))

    # Thu 10-08, Fri 10-09, Sun 10-11 (调休), Mon 10-12, Tue 10-13
    assert (started.notice_from, started.notice_until) == (dt.date(2026, 10, 8), dt.date(2026, 10, 13))


def test_only_a_leader_of_the_awarding_unit_starts_the_notice(campaign, shortlist, county_chair, unit):
    from fulian.accounts.tests.factories import UserFactory
    from fulian.core.policy import Role

    staff = UserFactory(username="city-staff", unit=unit("石家庄市"), roles=[Role.STAFF])
    for user in (county_chair, staff):
        with pytest.raises(OutOfScope):
            notice.notice_start(actor=user, campaign=campaign, now=MONDAY)


def test_the_notice_waits_for_the_awarding_units_decisions(campaign, shortlist, city_chair, unit):
    Nomination.objects.create(campaign=campaign, unit=unit("张家庄村"), unit_path=unit("张家庄村").path,
                              at_unit=campaign.unit, at_path=campaign.unit_path, level_reached=2,
                              family_name="赵家", story="…", channel="org", created_at=MONDAY, updated_at=MONDAY)

    with pytest.raises(ValidationError, match="等待评审"):
        notice.notice_start(actor=city_chair, campaign=campaign, now=MONDAY)


def test_no_notice_without_a_shortlist(campaign, city_chair):
    with pytest.raises(ValidationError, match="还没有确定入围"):
        notice.notice_start(actor=city_chair, campaign=campaign, now=MONDAY)


def test_starting_the_notice_twice_is_a_conflict(in_notice, city_chair):
    with pytest.raises(Conflict):
        notice.notice_start(actor=city_chair, campaign=in_notice, now=MONDAY)


def test_nothing_is_awarded_before_the_notice_is_over(campaign, shortlist, in_notice):
    shortlist.refresh_from_db()
    assert notice.award_blockers(shortlist, now=MONDAY)[0].startswith("公示期尚未结束")
    after = at(in_notice.notice_until + dt.timedelta(days=1))
    assert notice.award_blockers(shortlist, now=after) == []


def test_nothing_is_awarded_before_the_notice_starts(campaign, shortlist):
    assert any("还没有进入公示" in m for m in notice.award_blockers(shortlist, now=MONDAY))


def test_an_objection_blocks_the_award_until_the_finding(campaign, shortlist, in_notice, city_chair):
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="这家婆媳关系并不好。",
                                       contact="13900000000", now=MONDAY)
    after = at(in_notice.notice_until + dt.timedelta(days=1))

    assert notice.award_blockers(shortlist, now=after) == ["有异议尚未核查（1件），记录核查结论后才能表彰。"]

    notice.objection_find(actor=city_chair, objection=objection, outcome="dismissed", finding="经走访，反映不属实。",
                          now=after)
    shortlist.refresh_from_db()
    assert notice.award_blockers(shortlist, now=after) == []


def test_an_upheld_objection_declines_the_family_with_a_neutral_reason(campaign, shortlist, in_notice,
                                                                       city_chair):
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="有违法行为。",
                                       now=MONDAY)

    found = notice.objection_find(actor=city_chair, objection=objection, outcome="upheld", finding="属实。",
                                  now=MONDAY)

    shortlist.refresh_from_db()
    assert (found.outcome, found.found_by) == ("upheld", city_chair)
    assert (shortlist.state, shortlist.reason) == (NominationState.DECLINED, "经公示核查，不予表彰。")
    assert Decision.objects.filter(nomination=shortlist, kind=DecisionKind.DECLINE).count() == 1
    assert notice.award_blockers(shortlist, now=at(in_notice.notice_until + dt.timedelta(days=1)))


def test_a_finding_needs_its_text_and_is_recorded_once(shortlist, in_notice, city_chair):
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", now=MONDAY)
    with pytest.raises(ValidationError, match="核查情况"):
        notice.objection_find(actor=city_chair, objection=objection, outcome="dismissed", finding=" ", now=MONDAY)
    notice.objection_find(actor=city_chair, objection=objection, outcome="dismissed", finding="不属实", now=MONDAY)
    with pytest.raises(Conflict):
        notice.objection_find(actor=city_chair, objection=objection, outcome="upheld", finding="属实", now=MONDAY)


def test_the_county_that_recommended_the_family_records_the_finding(shortlist, in_notice, county_chair,
                                                                   sibling_county_cadre):
    """The objection goes to the unit that reviewed the family and recommended it to the city (正定县): it records
    the finding; the county next door may not."""
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", now=MONDAY)
    assert objection.unit_path == county_chair.unit.path
    with pytest.raises(OutOfScope):
        notice.objection_find(actor=sibling_county_cadre, objection=objection, outcome="upheld", finding="属实",
                              now=MONDAY)
    notice.objection_find(actor=county_chair, objection=objection, outcome="dismissed", finding="不属实", now=MONDAY)


def test_objections_are_seen_by_the_reviewing_county_and_above_only(shortlist, in_notice, city_chair,
                                                                    province_chair, county_chair,
                                                                    sibling_county_cadre):
    notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", now=MONDAY)
    assert notice.objections_for(city_chair, in_notice).count() == 1
    assert notice.objections_for(province_chair, in_notice).count() == 1
    assert notice.objections_for(county_chair, in_notice).count() == 1
    assert notice.objections_for(sibling_county_cadre, in_notice).count() == 0


def test_an_objection_outside_the_period_is_refused(shortlist, in_notice):
    after = at(in_notice.notice_until + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="不在公示期内"):
        notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", now=after)


def test_an_objection_before_the_notice_is_refused(campaign, shortlist):
    with pytest.raises(ValidationError, match="不在公示期内"):
        notice.objection_lodge(campaign=campaign, nomination_id=shortlist.pk, text="…", now=MONDAY)


def test_an_objection_names_a_shortlisted_family_of_the_campaign(in_notice, campaign, unit):
    other = shortlisted_family(campaign, unit("张家庄村"), name="赵家")
    Nomination.objects.filter(pk=other.pk).update(state=NominationState.DECLINED)
    for bad in (other.pk, 10**9, "x", None):
        with pytest.raises(ValidationError, match="请选择"):
            notice.objection_lodge(campaign=in_notice, nomination_id=bad, text="…", now=MONDAY)


def test_a_double_submit_gives_one_objection(shortlist, in_notice):
    first = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", client_token="t-1",
                                   now=MONDAY)
    again = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", client_token="t-1",
                                   now=MONDAY)
    assert first.pk == again.pk
    assert Objection.objects.count() == 1


def test_an_anonymous_objection_keeps_no_name_or_contact(shortlist, in_notice):
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", name="李红",
                                       contact="13900000000", anonymous=True, now=MONDAY)
    objection.refresh_from_db()
    assert (objection.anonymous, objection.name, objection.contact) == (True, "", "")


def test_objections_per_address_are_limited(shortlist, in_notice, settings):
    settings.AWARD_OBJECTIONS_PER_ADDRESS = 2
    for _i in range(2):
        notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", now=MONDAY)
    with pytest.raises(notice.TooManyObjections):
        notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", now=MONDAY)


def test_objection_figures_equal_the_recount(shortlist, in_notice, city_chair):
    objection = notice.objection_lodge(campaign=in_notice, nomination_id=shortlist.pk, text="…", now=MONDAY)
    notice.objection_find(actor=city_chair, objection=objection, outcome="upheld", finding="属实", now=MONDAY)

    city, month = in_notice.unit_id, period_of(MONDAY)
    figures = figures_read([city], [month])[city][month]
    assert (figures["award_objections"], figures["award_reviewed"]) == (1, 1)  # the decline after 公示
    assert [d for d in recount().differences if d[2].startswith("award_")] == []
