"""The issue's end-to-end journey: a village cadre records a poor single mother's employment need on a visit; the
county's training places and a partner province's job are proposed, nearest first; she accepts; the place is
taken; the outcome closes the need; the figures change and equal the recount from the records."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.care import matching, plans, registry, resources
from fulian.care.models import CareGroup, GoalState, OfferOutcome, Resource, Visibility
from fulian.contacts.models import Need
from fulian.contacts.services import assignment_create, contact_log_create
from fulian.core.figures import figure_values
from fulian.core.policy import Role
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold


def _period(day):
    return day.year * 100 + day.month


@pytest.mark.django_db
def test_a_poor_single_mothers_employment_need_from_visit_to_job(unit, beijing, village_cadre, county_staff, mother,
                                                                  mother_family, province_chair, course):
    today = timezone.localdate()
    assignment_create(actor=village_cadre, woman=mother, cadre=village_cadre, today=today)
    for group, extra in ((CareGroup.SINGLE_MOTHER, {}), (CareGroup.LOW_INCOME, {"low_income_kind": "dibao"})):
        registry.membership_add(actor=village_cadre, woman=mother, group=group, today=today,
                                start_on=today - dt.timedelta(days=400), **extra)

    # the county publishes training places (its own subtree); Beijing's federation a job for partner provinces
    beijing_chair = UserFactory(username="bj-chair", unit=beijing["北京市"], roles=[Role.CHAIR])
    resources.agreement_create(actor=province_chair, name="京津冀妇女发展协作",
                               provinces=[unit("河北省"), beijing["北京市"]], starts_on=today - dt.timedelta(days=30))
    training = resources.resource_create(
        actor=county_staff, unit=unit("正定县"), kind="course_seat", title="家政培训名额", provider="正定县妇联",
        provider_kind="federation", activity_id=course.pk, starts_on=today, ends_on=today + dt.timedelta(days=3),
        groups=[CareGroup.LOW_INCOME, CareGroup.SINGLE_MOTHER])
    assert (training.capacity, training.remaining) == (3, 3)  # the course's own places
    job = resources.resource_create(
        actor=beijing_chair, unit=beijing["朝阳区"], kind="job", title="家政服务员", provider="北京某家政公司",
        provider_kind="enterprise", capacity=2, starts_on=today, ends_on=today + dt.timedelta(days=90),
        visibility=Visibility.PARTNERS, lat=39.92, lng=116.44)
    county_job = resources.resource_create(
        actor=county_staff, unit=unit("正定县"), kind="job", title="手工编织车间", provider="正定县巾帼扶贫车间",
        provider_kind="enterprise", capacity=1, starts_on=today, ends_on=today + dt.timedelta(days=90))

    # the visit: an employment need
    log = contact_log_create(actor=village_cadre, woman=mother, contacted_on=today, channel="home_visit",
                             today=today, views="想找份离家近的工作", needs=[("employment", "希望就近就业")])
    need = Need.objects.get(contact_log=log)
    goal = plans.plan_from_need(actor=village_cadre, need_id=need.pk, today=today)
    assert goal.plan.woman == mother and goal.plan.family == mother_family
    assert plans.plan_from_need(actor=village_cadre, need_id=need.pk, today=today) == goal  # a double tap

    # proposals: the county's first (2 steps up from her village), then Beijing's job (across the province line)
    proposed = matching.proposals_for_goal(goal, on=today)
    titles = [p["resource"].title for p in proposed]
    assert titles == ["家政培训名额", "手工编织车间", "家政服务员"]
    assert [p["tree_distance"] for p in proposed] == [2, 2, 8]

    offer = matching.offer_send(actor=village_cadre, goal=goal, resource=training, today=today)
    matching.offer_answer(actor=village_cadre, offer=offer, accept=True)
    course.refresh_from_db()
    assert course.signups_confirmed == 1  # she is signed up on the course itself: the seat is counted there, once
    assert Resource.objects.get(pk=training.pk).remaining == 2
    assert [p["resource"].title for p in matching.proposals_for_goal(goal, on=today)] == ["手工编织车间", "家政服务员"]

    matching.offer_outcome(actor=village_cadre, offer=offer, outcome=OfferOutcome.TRAINED, on=today, today=today)
    goal.refresh_from_db()
    need.refresh_from_db()
    assert goal.state == GoalState.MET and need.status == "met"
    assert goal.plan.help.count() == 1  # the help given is recorded once, from the outcome

    figures_fold()
    county = unit("正定县")
    values = figure_values([county.pk], ["care_needs_matched", "care_outcomes", "care_in_single_mother",
                                         "care_women", "care_plans_live", "needs_met"],
                           start=_period(today), end=_period(today))[county.pk]
    assert values == {"care_needs_matched": 1, "care_outcomes": 1, "care_in_single_mother": 1, "care_women": 1,
                      "care_plans_live": 1, "needs_met": 1}
    assert recount().differences == []
    del job, county_job
