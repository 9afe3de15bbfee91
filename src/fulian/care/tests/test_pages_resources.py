"""帮扶资源, 跨省协作, 关爱帮扶统计 and 我的 through the HTTP client: a county publishes a job (a double tap makes one)
and a training's seats (picked from the activities module), the resource's page proposes the women it fits with
推荐给她, a concurrent change is refused with a message, it closes; a province's chair enters an agreement (a county's
may not); the figures page counts the groups, the flows and both 受益率 and draws the groups by unit for a province;
the woman answers her own offer in 我的 (and nobody else's); bad parameters are 400."""

import datetime as dt
import json
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.care import matching, plans, registry, resources
from fulian.care.models import CareGroup, Offer, OfferState, PartnerAgreement, Resource, ResourceState
from fulian.evaluation.tallies import figures_fold

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _goal(actor, woman):
    today = _today()
    plan = plans.plan_open(actor=actor, woman=woman, title="就业帮扶", responsible=actor, today=today,
                           review_on=today + dt.timedelta(days=30),
                           goals=[{"category": "employment", "text": "就近就业", "skills": ["domestic"]}])
    return plan.goals.get()


def _job(actor, unit, **kw):
    today = _today()
    values = {"kind": "job", "title": "家政服务员", "provider": "正定县某家政公司", "provider_kind": "enterprise",
              "capacity": 2, "starts_on": today, "ends_on": today + dt.timedelta(days=60), **kw}
    return resources.resource_create(actor=actor, unit=unit, **values)


def _woman_client(phone: str) -> Client:
    from fulian.portal.models import WomanAccount
    from fulian.portal.views import SEEN_KEY, SESSION_KEY

    account = WomanAccount.objects.create(phone=phone)
    client = Client()
    session = client.session
    session[SESSION_KEY], session[SEEN_KEY] = account.pk, time.time()
    session.save()
    return client


def test_a_county_publishes_a_job_once_with_all_its_fields(client_for, county_staff, unit):
    client = client_for(county_staff)
    form = client.get(reverse("care_resource_new"))
    assert form.status_code == 200
    today = _today()
    posted = {"kind": "job", "title": "巾帼车间手工编织岗", "provider": "正定县巾帼扶贫车间",
              "provider_kind": "enterprise", "capacity": "5", "amount": "", "starts_on": today.isoformat(),
              "ends_on": (today + dt.timedelta(days=90)).isoformat(), "visibility": "province",
              "place_unit": "正定镇", "place_unit_key": unit("正定镇").code, "address": "正定镇工业园3号",
              "lat": "38.15", "lng": "114.57", "groups": ["single_mother", "low_income"], "skills": ["handicraft"],
              "age_min": "18", "age_max": "55", "description": "计件工资，可带活回家。", "client_token": "tok-r1"}
    done = client.post(reverse("care_resource_new"), posted)
    resource = Resource.objects.get()
    assert done["Location"] == reverse("care_resource", args=[resource.pk])
    client.post(reverse("care_resource_new"), posted)  # a double tap
    assert Resource.objects.count() == 1
    assert (resource.unit, resource.place_unit, resource.visibility, resource.capacity, resource.age_max) == (
        unit("正定县"), unit("正定镇"), "province", 5, 55)
    assert resources.groups_of(resource.groups_mask) == ["low_income", "single_mother"]
    page = client.get(done["Location"]).content.decode()
    assert "单亲母亲" in page and "手工编织" in page and "剩余5/5" in page
    listed = client.get(reverse("care_resources"), {"own": "1", "kind": "job"}).content.decode()
    assert "巾帼车间手工编织岗" in listed


def test_a_refused_resource_says_why(client_for, county_staff):
    today = _today()
    page = client_for(county_staff).post(reverse("care_resource_new"), {
        "kind": "job", "title": "岗位", "provider": "某企业", "provider_kind": "enterprise", "capacity": "",
        "starts_on": today.isoformat(), "ends_on": today.isoformat(), "visibility": "subtree"})
    assert page.status_code == 400 and "名额要在1到100000之间" in page.content.decode()
    assert not Resource.objects.exists()


def test_a_trainings_seats_are_offered_as_a_resource(client_for, county_chair, course):
    client = client_for(county_chair)
    form = client.get(reverse("care_resource_new"))
    assert str(course.pk) in dict(form.context["form"].fields["activity_id"].choices)
    today = _today()
    done = client.post(reverse("care_resource_new"), {
        "kind": "course_seat", "title": "家政培训名额", "provider": "正定县妇联", "provider_kind": "federation",
        "activity_id": str(course.pk), "starts_on": today.isoformat(),
        "ends_on": (today + dt.timedelta(days=3)).isoformat(), "visibility": "subtree"})
    assert done.status_code == 302
    seat = Resource.objects.get()
    assert (seat.activity_id, seat.capacity) == (course.pk, 3)
    assert "家政服务技能培训班" in client.get(done["Location"]).content.decode()


def test_the_resource_page_proposes_the_women_it_fits_and_recommends(client_for, unit, county_chair, village_cadre,
                                                                     mother, sibling_county_cadre):
    goal = _goal(village_cadre, mother)
    job = _job(county_chair, unit("正定县"), skills=["domestic"], visibility="province")
    client = client_for(village_cadre)
    page = client.get(reverse("care_resource", args=[job.pk]))
    assert [(f["goal"].pk, f["words"]) for f in page.context["fits"]] == [(goal.pk, "本县(区)")]
    # next door sees the province-wide job, but not the women of 正定县 it fits
    outside = client_for(sibling_county_cadre).get(reverse("care_resource", args=[job.pk]))
    assert outside.status_code == 200 and outside.context["fits"] == [] and "王秀梅" not in outside.content.decode()
    token = page.context["token"]
    url = reverse("care_resource_recommend", args=[job.pk])
    posted = {"goal": goal.pk, "client_token": f"{token}-{goal.pk}"}
    assert client.post(url, posted).status_code == 302
    client.post(url, posted)  # a double tap
    assert Offer.objects.filter(goal=goal, resource=job).count() == 1
    assert client.post(url, {"goal": "abc"}).status_code == 400
    assert client_for(sibling_county_cadre).post(url, posted).status_code == 404


def test_a_concurrent_change_of_a_resource_is_refused_and_it_closes(client_for, unit, county_chair, county_staff):
    job = _job(county_chair, unit("正定县"))
    url = reverse("care_resource_edit", args=[job.pk])
    data = {"title": job.title, "capacity": "4", "ends_on": job.ends_on.isoformat(), "visibility": "subtree",
            "description": "", "version": str(job.version)}
    assert f'value="{job.ends_on.isoformat()}"' in client_for(county_staff).get(url).content.decode()
    assert client_for(county_chair).post(url, data).status_code == 302
    late = client_for(county_staff).post(url, {**data, "capacity": "9"})
    assert late.status_code == 409 and "已被他人修改" in late.content.decode()
    job.refresh_from_db()
    assert job.capacity == 4
    assert client_for(county_staff).post(reverse("care_resource_close", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.state == ResourceState.CLOSED


@pytest.mark.parametrize("query", [{"kind": "zzz"}, {"state": "gone"}, {"own": "yes"}])
def test_bad_parameters_of_the_resource_list_are_400(client_for, county_staff, query):
    assert client_for(county_staff).get(reverse("care_resources"), query).status_code == 400


def test_a_provinces_chair_enters_an_agreement_and_a_county_may_not(client_for, unit, beijing, province_chair,
                                                                    county_chair):
    posted = {"name": "京津冀妇女发展协作", "provinces": [str(unit("河北省").pk), str(beijing["北京市"].pk)],
              "starts_on": _today().isoformat()}
    assert client_for(county_chair).post(reverse("care_agreements"), posted).status_code == 404
    assert client_for(province_chair).post(reverse("care_agreements"), posted).status_code == 302
    agreement = PartnerAgreement.objects.get()
    assert set(agreement.provinces.values_list("name", flat=True)) == {"河北省", "北京市"}
    assert "京津冀妇女发展协作" in client_for(county_chair).get(reverse("care_agreements")).content.decode()


# --- figures ---------------------------------------------------------------------------------------------------------

def test_the_figures_page_counts_groups_flows_and_both_benefit_rates(client_for, unit, village_cadre, county_chair,
                                                                     province_chair, mother):
    today = _today()
    registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.SINGLE_MOTHER,
                            start_on=today - dt.timedelta(days=40), today=today)
    goal = _goal(village_cadre, mother)
    plans.help_add(actor=village_cadre, plan=goal.plan, given_on=today, kind="money", amount="300",
                   provider="县妇联", today=today)
    figures_fold()
    month = today.strftime("%Y-%m")
    page = client_for(county_chair).get(reverse("care_figures"), {"start": month, "end": month})
    assert page.status_code == 200
    counts = {c["label"]: c["n"] for c in page.context["counts"]}
    assert counts["单亲母亲"] == 1 and page.context["women"] == 1
    flows = {f["key"]: f["value"] for f in page.context["flows"]}
    assert (flows["care_plans_opened"], flows["care_help_given"], flows["care_help_amount"]) == (1, 1, 300)
    rates = {f["key"]: f["value"] for f in page.context["rates"]}
    assert rates["care_benefit"] == 1.0 and "rate_benefit" in rates
    assert "100%" in page.content.decode()
    assert page.context["chart"] is None  # a county: its table of groups only
    province = client_for(province_chair).get(reverse("care_figures"))
    chart = province.context["chart"]
    assert chart["units"] == ["石家庄市"] and chart["series"][list(CareGroup.values).index("single_mother")] == [1]
    text = province.content.decode()
    assert 'id="care-chart-data"' in text and "fulian/care-charts.js" in text
    data = json.loads(text.split('id="care-chart-data" type="application/json">')[1].split("</script>")[0])
    assert data["links"][0].startswith("/care/figures/?unit=")


@pytest.mark.parametrize("query", [{"start": "2026-13"}, {"end": "abc"}, {"start": "2026-05", "end": "2026-01"},
                                   {"date": "2026/01/01"}, {"unit": "-1"}])
def test_bad_parameters_of_the_figures_are_400(client_for, county_chair, query):
    assert client_for(county_chair).get(reverse("care_figures"), query).status_code == 400


def test_the_figures_of_a_unit_outside_her_scope_are_404(client_for, county_chair, unit):
    assert client_for(county_chair).get(reverse("care_figures"), {"unit": unit("行唐县").pk}).status_code == 404


# --- 我的 -------------------------------------------------------------------------------------------------------------

def test_she_answers_her_own_offer_in_me_and_nobody_elses(unit, county_chair, village_cadre, mother):
    job = _job(county_chair, unit("正定县"), capacity=1)
    offer = matching.offer_send(actor=village_cadre, goal=_goal(village_cadre, mother), resource=job, today=_today())
    stranger = _woman_client("13912345678")
    assert "家政服务员" not in stranger.get(reverse("portal_me")).content.decode()
    url = reverse("care_me_offer_answer", args=[offer.pk])
    assert stranger.post(url, {"accept": "yes"}).status_code == 404
    assert Client().post(url, {"accept": "yes"}).status_code == 404  # not signed in
    her = _woman_client(mother.phone)
    me = her.get(reverse("portal_me")).content.decode()
    assert "妇联为我对接的资源" in me and "家政服务员" in me and url in me
    assert her.post(url, {"accept": "perhaps"}).status_code == 400
    done = her.post(url, {"accept": "yes"}, follow=True)
    assert "已接受" in done.content.decode()
    offer.refresh_from_db()
    assert offer.state == OfferState.ACCEPTED and offer.answered_by_self
    assert Resource.objects.get(pk=job.pk).remaining == 0
