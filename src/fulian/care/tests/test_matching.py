"""The matching engine: what is proposed and in which order, who sees a resource, and the last place taken once."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.care import assign, matching, plans, resources
from fulian.care.models import CareGroup, Offer, OfferState, Resource, Visibility
from fulian.core.errors import Conflict
from fulian.core.policy import Role
from fulian.people.services import WomanData, woman_create


def _job(actor, unit, title, *, capacity=3, place=None, lat=None, lng=None, visibility=Visibility.SUBTREE, **kw):
    today = timezone.localdate()
    return resources.resource_create(actor=actor, unit=unit, kind="job", title=title, provider="某企业",
                                     provider_kind="enterprise", capacity=capacity, place_unit=place, lat=lat,
                                     lng=lng, visibility=visibility, starts_on=today,
                                     ends_on=today + dt.timedelta(days=30), **kw)


def _goal(actor, woman, *, lat=None, lng=None, skills=()):
    today = timezone.localdate()
    plan = plans.plan_open(actor=actor, woman=woman, title="就业帮扶", responsible=actor, today=today,
                           review_on=today + dt.timedelta(days=30), lat=lat, lng=lng,
                           goals=[{"category": "employment", "text": "就近就业", "skills": skills}])
    return plan.goals.get()


@pytest.mark.django_db
def test_proposals_come_by_tree_distance_then_km_then_least_used(unit, village_cadre, county_chair, mother):
    goal = _goal(village_cadre, mother, lat=38.15, lng=114.57)
    county, township = unit("正定县"), unit("正定镇")
    far_village = _job(county_chair, county, "西柏棠村岗位", place=unit("西柏棠村"))  # 4 steps: via the county
    county_far = _job(county_chair, county, "县城远处", lat=38.40, lng=114.90)       # 2 steps, ~40 km
    county_near = _job(county_chair, county, "县城近处", lat=38.16, lng=114.58)      # 2 steps, ~1.4 km
    county_none = _job(county_chair, county, "县里无坐标")                            # 2 steps, no coordinates
    busy = _job(county_chair, township, "镇上岗位(已用)", capacity=4)                 # 1 step
    fresh = _job(county_chair, township, "镇上岗位(未用)", capacity=4)                # 1 step
    Resource.objects.filter(pk=busy.pk).update(remaining=1)
    order = [p["resource"].pk for p in matching.proposals_for_goal(goal)]
    assert order == [fresh.pk, busy.pk, county_near.pk, county_far.pk, county_none.pk, far_village.pk]
    first = matching.proposals_for_goal(goal)[2]
    assert first["tree_distance"] == 2 and 1 < first["km"] < 2


@pytest.mark.django_db
def test_a_resource_limited_to_its_subtree_is_not_proposed_outside_it(unit, county_chair, sibling_county_cadre,
                                                                      village_cadre, mother):
    _job(county_chair, unit("新安镇"), "新安镇岗位")  # 新安镇's own subtree only; she lives in 正定镇
    _job(sibling_county_cadre, unit("行唐县"), "行唐县岗位")
    _job(sibling_county_cadre, unit("行唐县"), "行唐县全省岗位", visibility=Visibility.PROVINCE)
    goal = _goal(village_cadre, mother)
    assert [p["resource"].title for p in matching.proposals_for_goal(goal)] == ["行唐县全省岗位"]
    hidden = Resource.objects.get(title="新安镇岗位")
    with pytest.raises(ValidationError) as unfit:
        matching.offer_send(actor=village_cadre, goal=goal, resource=hidden, today=timezone.localdate())
    assert unfit.value.code == "care_offer_unfit"
    assert [g["goal"].pk for g in matching.women_for_resource(hidden)] == []
    assert [g["goal"].pk for g in matching.women_for_resource(Resource.objects.get(title="行唐县全省岗位"))] == [
        goal.pk]


@pytest.mark.django_db
def test_a_partner_provinces_resource_needs_a_running_agreement(unit, beijing, province_chair, village_cadre,
                                                                mother):
    bj = UserFactory(username="bj-chair", unit=beijing["北京市"], roles=[Role.CHAIR])
    _job(bj, beijing["朝阳区"], "北京岗位", visibility=Visibility.PARTNERS)
    _job(bj, beijing["朝阳区"], "北京本市岗位", visibility=Visibility.PROVINCE)
    goal = _goal(village_cadre, mother)
    assert matching.proposals_for_goal(goal) == []
    today = timezone.localdate()
    resources.agreement_create(actor=province_chair, name="京津冀", provinces=[unit("河北省"), beijing["北京市"]],
                               starts_on=today - dt.timedelta(days=1))
    assert [p["resource"].title for p in matching.proposals_for_goal(goal)] == ["北京岗位"]


@pytest.mark.django_db
def test_eligibility_groups_skills_and_age(unit, county_chair, village_cadre, mother):
    from fulian.care import registry

    today = timezone.localdate()
    _job(county_chair, unit("正定县"), "单亲母亲专岗", groups=[CareGroup.SINGLE_MOTHER])
    _job(county_chair, unit("正定县"), "家政岗", skills=["domestic"])
    _job(county_chair, unit("正定县"), "青年岗", age_min=18, age_max=35)
    goal = _goal(village_cadre, mother, skills=["handicraft"])
    # not in the group, without the skill; her age is unknown, so an age limit does not keep it from her
    assert [p["resource"].title for p in matching.proposals_for_goal(goal)] == ["青年岗"]
    registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.SINGLE_MOTHER, start_on=today,
                            today=today)
    goal2 = _goal(village_cadre, mother, skills=["domestic"])
    titles = {p["resource"].title for p in matching.proposals_for_goal(goal2)}
    assert {"单亲母亲专岗", "家政岗"} <= titles


@pytest.mark.django_db
def test_the_last_place_is_taken_once_and_the_other_cadre_is_told(unit, county_chair, village_cadre, mother):
    other_cadre = UserFactory(username="hd-other", unit=unit("恒东社区"), roles=[Role.STAFF])
    sister = woman_create(actor=village_cadre, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                              phone="13803110009"))
    last = _job(county_chair, unit("正定县"), "最后一个岗位", capacity=1)
    today = timezone.localdate()
    one = matching.offer_send(actor=village_cadre, goal=_goal(village_cadre, mother), resource=last, today=today)
    two = matching.offer_send(actor=other_cadre, goal=_goal(other_cadre, sister), resource=last, today=today)
    matching.offer_answer(actor=village_cadre, offer=one, accept=True)
    with pytest.raises(Conflict) as gone:
        matching.offer_answer(actor=other_cadre, offer=two, accept=True)
    assert gone.value.code == "care_no_place" and "名额" in gone.value.messages[0]
    assert Offer.objects.get(pk=two.pk).state == OfferState.SENT  # nothing lost: she may be offered another
    assert Resource.objects.get(pk=last.pk).remaining == 0
    assert matching.offer_answer(actor=village_cadre, offer=one, accept=True).state == OfferState.ACCEPTED  # again


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks between connections")
@pytest.mark.django_db(transaction=True)
def test_two_cadres_accept_the_last_place_at_the_same_moment(tree, unit, county_chair, village_cadre):
    other_cadre = UserFactory(username="hd-other", unit=unit("恒东社区"), roles=[Role.STAFF])
    women = [woman_create(actor=village_cadre, data=WomanData(name=n, home_unit=unit("恒东社区"), phone=p))
             for n, p in (("王秀梅", "13803110001"), ("王秀兰", "13803110009"))]
    last = _job(county_chair, unit("正定县"), "最后一个岗位", capacity=1)
    today = timezone.localdate()
    offers = [matching.offer_send(actor=c, goal=_goal(c, w), resource=last, today=today)
              for c, w in zip((village_cadre, other_cadre), women, strict=True)]
    start = threading.Barrier(2, timeout=10)
    outcomes = []

    def accept(cadre, offer):
        try:
            start.wait()
            matching.offer_answer(actor=cadre, offer=offer, accept=True)
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=pair) for pair in zip((village_cadre, other_cadre), offers,
                                                                           strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert sorted(outcomes) == ["care_no_place", "ok"]
    assert Resource.objects.get(pk=last.pk).remaining == 0


@pytest.mark.django_db
def test_batch_matching_matches_at_least_as_many_as_nearest_first_and_approval_sends_offers(unit, county_chair,
                                                                                           village_cadre):
    today = timezone.localdate()
    people = []
    for i, village in enumerate(("恒东社区", "恒东社区", "张家庄村", "西柏棠村")):
        w = woman_create(actor=county_chair, data=WomanData(name=f"求职{i}", home_unit=unit(village),
                                                            phone=f"1380311010{i}"))
        people.append(_goal(county_chair, w))
    _job(county_chair, unit("正定镇"), "镇上岗位", capacity=2)
    _job(county_chair, unit("新安镇"), "新安岗位", capacity=1)
    _job(county_chair, unit("正定县"), "县里岗位", capacity=1)
    batch = matching.batch_propose(actor=county_chair, unit=unit("正定县"), today=today)
    assert batch.matched >= batch.greedy_matched and batch.matched == 4
    if batch.matched == batch.greedy_matched:
        assert batch.mean_distance <= batch.greedy_mean_distance
    assert {p[0] for p in batch.pairs} == {g.pk for g in people}
    sent = matching.batch_decide(actor=county_chair, batch=batch, approve=True, today=today)
    assert sent == {"sent": 4, "skipped": 0}
    with pytest.raises(Conflict):
        matching.batch_decide(actor=county_chair, batch=batch, approve=True, today=today)
    # the batch's own quality numbers are the algorithm's on the same input
    goals, jobs = matching.batch_inputs(unit("正定县"), today)
    demands, _class_of, capacity = matching.batch_compute(goals, jobs, today)
    assert assign.assignment_quality(assign.assign_min_cost(demands, capacity), demands)[0] == 4


@pytest.mark.django_db
def test_outer_rings_are_read_only_as_deep_as_can_still_beat_what_is_found(unit, village_cadre, county_chair,
                                                                            province_chair, mother):
    goal = _goal(village_cadre, mother, lat=38.15, lng=114.57)
    township = _job(county_chair, unit("正定镇"), "本镇")                                     # 1 step
    other_village = _job(county_chair, unit("正定镇"), "邻村", place=unit("张家庄村"))         # 2 steps, no km
    county = _job(county_chair, unit("正定县"), "县里", lat=38.16, lng=114.58)                # 2 steps, ~1.4 km
    city = _job(province_chair, unit("石家庄市"), "市里", visibility=Visibility.PROVINCE)     # 3 steps
    _job(province_chair, unit("河北省"), "省里", visibility=Visibility.PROVINCE)              # 4 steps
    far = _job(province_chair, unit("行唐县"), "行唐", place=unit("南关村"), visibility=Visibility.PROVINCE)  # 6
    pick = lambda n: [p["resource"].pk for p in matching.proposals_for_goal(goal, limit=n)]  # noqa: E731
    # at 2 steps the county's job (with coordinates) comes before the other village's, though found in an outer ring
    assert pick(2) == [township.pk, county.pk]
    assert pick(4) == [township.pk, county.pk, other_village.pk, city.pk]
    assert pick(10)[-1] == far.pk and len(pick(10)) == 6
