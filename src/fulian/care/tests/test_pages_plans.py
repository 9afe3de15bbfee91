"""帮扶台账 and 资源对接 pages through the HTTP client: a plan opened from her page (a double tap makes one), help
recorded once per form, a concurrent change refused with a message, the plan closed; a contact log's need turned
into a goal; a goal's proposals nearest first in words (本县 … 外省协作) with 发送对接 (once per tap), her answer told
by the cadre, the last place taken by one of two cadres and the other told so with nothing lost, the outcome
closing the goal; a county's batch matching proposed and approved; bad parameters are 400."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.care import matching, plans, resources
from fulian.care.models import (
    GoalState,
    HelpGiven,
    HelpPlan,
    MatchBatch,
    Offer,
    OfferState,
    PlanState,
    Resource,
    Visibility,
)
from fulian.core.policy import Role
from fulian.people.services import WomanData, woman_create

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _job(actor, unit, title, *, capacity=3, visibility=Visibility.SUBTREE, **kw):
    today = _today()
    return resources.resource_create(actor=actor, unit=unit, kind="job", title=title, provider="某家政公司",
                                     provider_kind="enterprise", capacity=capacity, visibility=visibility,
                                     starts_on=today, ends_on=today + dt.timedelta(days=60), **kw)


def _plan(actor, woman, **kw):
    today = _today()
    return plans.plan_open(actor=actor, woman=woman, title="就业帮扶", responsible=actor, today=today,
                           review_on=today + dt.timedelta(days=30),
                           goals=[{"category": "employment", "text": "就近就业"}], **kw)


def test_a_plan_is_opened_from_her_page_once(client_for, village_cadre, county_chair, mother):
    client = client_for(village_cadre)
    url = reverse("care_plan_new", args=[mother.pk])
    form = client.get(url)
    assert form.status_code == 200
    cadres = dict(form.context["form"].fields["responsible"].choices)
    assert str(village_cadre.pk) in cadres and str(county_chair.pk) in cadres  # those who may act at her village
    review = _today() + dt.timedelta(days=60)
    posted = {"title": "就近就业帮扶", "responsible": str(county_chair.pk), "review_on": review.isoformat(),
              "category": "employment", "text": "想在县城找家政工作", "skills": ["domestic"], "client_token": "tok-p1"}
    done = client.post(url, posted)
    plan = HelpPlan.objects.get()
    assert done["Location"] == reverse("care_plan", args=[plan.pk])
    client.post(url, posted)  # a double tap
    assert HelpPlan.objects.count() == 1
    assert plan.responsible == county_chair and plan.goals.get().skills_mask == 1
    page = client.get(done["Location"]).content.decode()
    assert "想在县城找家政工作" in page and reverse("care_goal", args=[plan.goals.get().pk]) in page
    assert f'value="{review.isoformat()}"' in client.get(reverse("care_plan_edit", args=[plan.pk])).content.decode()


def test_a_responsible_cadre_outside_her_village_is_refused(client_for, village_cadre, sibling_county_cadre, mother):
    page = client_for(village_cadre).post(reverse("care_plan_new", args=[mother.pk]), {
        "title": "x", "responsible": str(sibling_county_cadre.pk), "review_on": _today().isoformat(),
        "category": "employment", "text": "x"})
    assert page.status_code == 400 and not HelpPlan.objects.exists()


def test_help_is_recorded_once_per_form_and_bad_input_is_kept(client_for, village_cadre, mother):
    plan = _plan(village_cadre, mother)
    client = client_for(village_cadre)
    url = reverse("care_help_add", args=[plan.pk])
    posted = {"given_on": _today().isoformat(), "kind": "money", "amount": "500", "provider": "正定县妇联",
              "client_token": "tok-h1"}
    assert client.post(url, posted).status_code == 302
    assert client.post(url, posted).status_code == 302  # a double tap
    assert HelpGiven.objects.filter(plan=plan).count() == 1
    bad = client.post(url, {**posted, "given_on": (_today() + dt.timedelta(days=1)).isoformat(),
                            "client_token": "tok-h2", "provider": "某爱心企业"})
    assert bad.status_code == 400
    assert "日期不能在今天之后" in bad.content.decode() and "某爱心企业" in bad.content.decode()
    page = client.get(reverse("care_plan", args=[plan.pk])).content.decode()
    assert "500" in page and "正定县妇联" in page


def test_a_concurrent_change_of_a_plan_is_refused_with_a_message(client_for, village_cadre, county_chair, mother):
    plan = _plan(village_cadre, mother)
    url = reverse("care_plan_edit", args=[plan.pk])
    data = {"title": "就业帮扶", "responsible": str(village_cadre.pk), "review_on": _today().isoformat(),
            "version": str(plan.version)}
    assert client_for(county_chair).post(url, {**data, "title": "县里改过"}).status_code == 302
    late = client_for(village_cadre).post(url, {**data, "title": "村里改的"})
    assert late.status_code == 409 and "已被他人修改" in late.content.decode()
    plan.refresh_from_db()
    assert plan.title == "县里改过"


def test_a_plan_closes_with_an_outcome(client_for, village_cadre, mother):
    plan = _plan(village_cadre, mother)
    client = client_for(village_cadre)
    done = client.post(reverse("care_plan_close", args=[plan.pk]), {"outcome": "goal_met", "note": "已就业",
                                                                    "version": plan.version})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert plan.state == PlanState.CLOSED and plan.goals.get().state == GoalState.DROPPED
    again = client.post(reverse("care_plan_close", args=[plan.pk]), {"outcome": "goal_met", "version": 1},
                        follow=True)
    assert "已结案或已被他人修改" in again.content.decode()


def test_the_plan_lists_and_their_parameters(client_for, village_cadre, county_chair, mother):
    _plan(village_cadre, mother)
    client = client_for(village_cadre)
    assert "王秀梅" in client.get(reverse("care_plans")).content.decode()
    assert client.get(reverse("care_plans"), {"show": "mine"}).context["show"] == "mine"
    assert "王秀梅" not in client_for(county_chair).get(reverse("care_plans"), {"show": "mine"}).content.decode()
    assert "王秀梅" in client_for(county_chair).get(reverse("care_plans"), {"show": "all"}).content.decode()
    assert "王秀梅" not in client.get(reverse("care_plans"), {"show": "due"}).content.decode()
    for query in ({"show": "zzz"}, {"state": "x"}, {"page": "abc"}):
        assert client.get(reverse("care_plans"), query).status_code == 400


def test_a_contact_logs_need_becomes_a_goal_of_her_plan(client_for, village_cadre, mother, sibling_county_cadre):
    from fulian.contacts.models import Need
    from fulian.contacts.services import contact_log_create

    log = contact_log_create(actor=village_cadre, woman=mother, contacted_on=_today(), channel="home_visit",
                             today=_today(), needs=[("employment", "希望就近就业")])
    need = Need.objects.get(contact_log=log)
    url = reverse("care_need_plan", args=[need.pk])
    # the need on her page (contacts' section) offers the way into a help plan
    her_page = client_for(village_cadre).get(reverse("woman_detail", args=[mother.pk])).content.decode()
    assert f'action="{url}"' in her_page
    assert client_for(sibling_county_cadre).post(url).status_code == 404
    assert client_for(village_cadre).get(url).status_code == 405
    done = client_for(village_cadre).post(url)
    goal = plans.HelpGoal.objects.get(need_id=need.pk)
    assert done["Location"] == reverse("care_goal", args=[goal.pk])
    assert client_for(village_cadre).post(url)["Location"] == done["Location"]  # a double tap
    page = client_for(village_cadre).get(reverse("woman_detail", args=[mother.pk])).content.decode()
    assert "希望就近就业" in page and reverse("care_goal", args=[goal.pk]) in page  # her open goals, on her page


def test_a_goal_id_that_is_not_a_number_is_404(client_for, village_cadre):
    assert client_for(village_cadre).get("/care/goals/abc/").status_code == 404


# --- matching --------------------------------------------------------------------------------------------------------

def test_proposals_nearest_first_in_words_then_send_and_accept(client_for, unit, beijing, province_chair,
                                                               county_chair, village_cadre, mother):
    today = _today()
    plan = _plan(village_cadre, mother)
    goal = plan.goals.get()
    bj_chair = UserFactory(username="bj", unit=beijing["北京市"], roles=[Role.CHAIR])
    resources.agreement_create(actor=province_chair, name="京津冀妇女发展协作",
                               provinces=[unit("河北省"), beijing["北京市"]], starts_on=today)
    far = _job(bj_chair, beijing["朝阳区"], "北京家政服务员", visibility=Visibility.PARTNERS, lat=39.92, lng=116.44)
    near = _job(county_chair, unit("正定县"), "正定县巾帼车间")
    client = client_for(village_cadre)
    page = client.get(reverse("care_goal", args=[goal.pk]))
    assert [(p["resource"].pk, p["words"]) for p in page.context["proposals"]] == [(near.pk, "本县(区)"),
                                                                                   (far.pk, "外省协作")]
    text = page.content.decode()
    assert text.index("正定县巾帼车间") < text.index("北京家政服务员") and "剩余3/3个名额" in text
    token = page.context["token"]
    send = reverse("care_offer_send", args=[goal.pk])
    posted = {"resource": near.pk, "client_token": f"{token}-{near.pk}"}
    assert client.post(send, posted).status_code == 302
    assert client.post(send, posted).status_code == 302  # a double tap
    offer = Offer.objects.get()
    assert offer.resource == near and offer.state == OfferState.SENT
    after = client.get(reverse("care_goal", args=[goal.pk]))
    assert [p["resource"].pk for p in after.context["proposals"]] == [far.pk]  # offered already: not again
    done = client.post(reverse("care_offer_answer", args=[offer.pk]), {"accept": "yes", "back": "goal"})
    assert done["Location"] == reverse("care_goal", args=[goal.pk])
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED and Resource.objects.get(pk=near.pk).remaining == 2
    outcome = client.post(reverse("care_offer_outcome", args=[offer.pk]), {"outcome": "employed",
                                                                           "on": today.isoformat()})
    assert outcome["Location"].endswith("#offers")
    goal.refresh_from_db()
    assert goal.state == GoalState.MET and plan.help.count() == 1


def test_two_cadres_and_the_last_place_the_second_is_told_and_loses_nothing(client_for, unit, county_chair,
                                                                             village_cadre, mother):
    other = UserFactory(username="hd-other", unit=unit("恒东社区"), roles=[Role.STAFF])
    sister = woman_create(actor=village_cadre, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                              phone="13803110009"))
    last = _job(county_chair, unit("正定县"), "最后一个岗位", capacity=1)
    one = matching.offer_send(actor=village_cadre, goal=_plan(village_cadre, mother).goals.get(), resource=last,
                              today=_today())
    two = matching.offer_send(actor=other, goal=_plan(other, sister).goals.get(), resource=last, today=_today())
    assert client_for(village_cadre).post(reverse("care_offer_answer", args=[one.pk]), {"accept": "yes"}) \
        .status_code == 302
    lost = client_for(other).post(reverse("care_offer_answer", args=[two.pk]), {"accept": "yes"}, follow=True)
    assert "名额刚刚被别人占用了" in lost.content.decode()
    two.refresh_from_db()
    assert two.state == OfferState.SENT and Resource.objects.get(pk=last.pk).remaining == 0
    withdrawn = client_for(other).post(reverse("care_offer_withdraw", args=[two.pk]))
    assert withdrawn.status_code == 302
    two.refresh_from_db()
    assert two.state == OfferState.WITHDRAWN


def test_offer_buttons_refuse_bad_parameters_and_strangers(client_for, unit, county_chair, village_cadre, mother,
                                                          sibling_county_cadre):
    job = _job(county_chair, unit("正定县"), "岗位")
    goal = _plan(village_cadre, mother).goals.get()
    offer = matching.offer_send(actor=village_cadre, goal=goal, resource=job, today=_today())
    client = client_for(village_cadre)
    assert client.post(reverse("care_offer_answer", args=[offer.pk]), {"accept": "maybe"}).status_code == 400
    assert client.post(reverse("care_offer_send", args=[goal.pk]), {"resource": "x"}).status_code == 400
    assert client.post(reverse("care_offer_send", args=[goal.pk]), {}).status_code == 400
    assert client.post(reverse("care_goal_close", args=[goal.pk]), {"state": "zzz"}).status_code == 400
    stranger = client_for(sibling_county_cadre)
    assert stranger.post(reverse("care_offer_answer", args=[offer.pk]), {"accept": "yes"}).status_code == 404
    assert stranger.get(reverse("care_goal", args=[goal.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.state == OfferState.SENT


def test_a_goal_is_closed_without_an_offer(client_for, village_cadre, mother):
    goal = _plan(village_cadre, mother).goals.get()
    done = client_for(village_cadre).post(reverse("care_goal_close", args=[goal.pk]),
                                          {"state": "met", "resolution": "自己找到了工作"})
    assert done.status_code == 302
    goal.refresh_from_db()
    assert goal.state == GoalState.MET


def test_a_countys_batch_matching_is_proposed_and_approved(client_for, unit, county_chair, village_cadre):
    for i, village in enumerate(("恒东社区", "张家庄村", "西柏棠村")):
        w = woman_create(actor=county_chair, data=WomanData(name=f"求职{i}", home_unit=unit(village),
                                                            phone=f"1380311010{i}"))
        _plan(county_chair, w)
    _job(county_chair, unit("正定镇"), "镇上岗位", capacity=2)
    _job(county_chair, unit("新安镇"), "新安岗位", capacity=1)
    client = client_for(county_chair)
    page = client.get(reverse("care_batches"))
    assert page.status_code == 200 and 'value="正定县' in page.content.decode()  # her county, filled in
    made = client.post(reverse("care_batches"), {"unit": "正定县", "unit_key": unit("正定县").code})
    batch = MatchBatch.objects.get()
    assert made["Location"] == reverse("care_batch", args=[batch.pk])
    detail = client.get(made["Location"])
    text = detail.content.decode()
    assert len(detail.context["rows"]) == 3 and "求职0" in text and "镇上岗位" in text and "就近优先" in text
    assert client.post(reverse("care_batch_decide", args=[batch.pk]), {"decision": "later"}).status_code == 400
    approved = client.post(reverse("care_batch_decide", args=[batch.pk]), {"decision": "approve"}, follow=True)
    assert "发出3条对接" in approved.content.decode()
    assert Offer.objects.filter(batch=batch).count() == 3
    assert client_for(village_cadre).get(reverse("care_batch", args=[batch.pk])).status_code == 404
