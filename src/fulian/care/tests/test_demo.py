"""The demo's care and matching in 正定县: women in care groups with dates (a past date counts differently), children
with their mothers' consent, help plans (one from a visit's need), resources from the county to a Beijing partner,
offers answered every way and a proposed batch; figures equal the recount; a second run adds nothing."""

import datetime as dt

import pytest
from django.http import Http404
from django.utils import timezone

from fulian.activities.demo_organise import demo_organise
from fulian.care import registry
from fulian.care.demo import demo_care
from fulian.care.models import (
    CareMembership,
    Child,
    HelpGiven,
    HelpGoal,
    HelpPlan,
    MatchBatch,
    Offer,
    OfferOutcome,
    OfferState,
    PlanState,
    Resource,
    Visibility,
)
from fulian.contacts.models import Need
from fulian.contacts.services import assignment_create
from fulian.demo.management.commands.demo_setup import _care_need
from fulian.evaluation.recount import recount
from fulian.orgs.models import Unit
from fulian.people.demo_families import demo_families
from fulian.people.models import Woman
from fulian.people.services import WomanData, woman_create

pytestmark = pytest.mark.django_db

GIVEN = ["秀兰", "桂英", "玉梅", "淑珍", "丽娟", "春燕", "海燕", "晓红", "雪梅", "彩霞", "文静", "慧敏", "建华",
         "凤琴", "红梅", "丽华", "晓燕"]


def _counts():
    return {model.__name__: model.objects.count() for model in (CareMembership, Child, HelpPlan, HelpGoal, HelpGiven,
                                                               Resource, Offer, MatchBatch, Need, Unit)}


def test_the_demo_fills_care_and_matching_in_zhengding_once(unit, county_chair, province_chair, township_cadre,
                                                            village_cadre, sibling_county_cadre):
    n = 0
    for place, count in (("恒东社区", 17), ("张家庄村", 5), ("西柏棠村", 5)):
        for _ in range(count):
            woman_create(actor=county_chair, data=WomanData(name=f"王{GIVEN[n % len(GIVEN)]}", home_unit=unit(place),
                                                           phone=f"1380311{n:04d}"))
            n += 1
    users = {"hb-county": county_chair, "hb-province": province_chair, "hb-township": township_cadre,
             "hb-village": village_cadre}
    demo_families(users=users)
    demo_organise(users=users)
    today = timezone.localdate()
    for woman in Woman.objects.filter(home_unit=unit("恒东社区")):
        assignment_create(actor=county_chair, woman=woman, cadre=village_cadre, today=today)
    need_id = _care_need(village_cadre)  # no visit found an employment need: one is recorded
    assert Need.objects.get(pk=need_id).category == "employment" and _care_need(village_cadre) == need_id

    made = demo_care(users=users, need_id=need_id)
    assert made["created"]
    before = _counts()
    assert demo_care(users=users, need_id=need_id) == {"created": False}
    assert _counts() == before

    county = unit("正定县")
    assert made["women"] == 1 + 15 + 10 and made["ended"] >= 4
    now_counts = registry.group_counts(county.path, today)
    then_counts = registry.group_counts(county.path, today - dt.timedelta(days=60))
    assert then_counts["left_behind"] == now_counts["left_behind"] + 1  # one left 45 days ago
    assert now_counts["women"] == made["women"] - 5  # five left their only group

    children = list(Child.objects.all())
    assert len(children) == 5 and all(c.consent_by and c.consent_on and c.guardian_id for c in children)
    assert registry.access_child_by_id(village_cadre, children[0].pk).pk == children[0].pk
    with pytest.raises(Http404):
        registry.access_child_by_id(sibling_county_cadre, children[0].pk)

    assert HelpGoal.objects.filter(need_id=need_id).exists()
    assert HelpPlan.objects.count() == made["plans"] == 8
    assert HelpPlan.objects.filter(state=PlanState.CLOSED).count() == 1
    assert HelpGiven.objects.count() >= 6

    kinds = set(Resource.objects.values_list("kind", flat=True))
    assert kinds == {"course_seat", "job", "micro_loan", "volunteer"}
    beijing_job = Resource.objects.get(visibility=Visibility.PARTNERS)
    assert beijing_job.province_path == Unit.objects.get(code="110000000000").path
    assert Unit.objects.filter(code="110105000000", name="朝阳区").exists()

    states = set(Offer.objects.values_list("state", flat=True))
    assert states == {OfferState.SENT, OfferState.ACCEPTED, OfferState.DECLINED}
    assert set(Offer.objects.exclude(outcome="").values_list("outcome", flat=True)) == {
        OfferOutcome.EMPLOYED, OfferOutcome.RECEIVED}
    seat = Offer.objects.get(resource__kind="course_seat")
    assert seat.state == OfferState.ACCEPTED and seat.signup_id  # she is signed up on the course itself

    batch = MatchBatch.objects.get()
    assert batch.state == "proposed" and batch.needs >= 4 and batch.matched >= batch.greedy_matched >= 1
    assert [d for d in recount().differences if d[2].startswith("care_")] == []
