"""Each form that names a place takes the picker's value (the hidden key), a typed code or exact name without
JavaScript, and answers a name two places share with both to choose from."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fulian.cases.models import Case
from fulian.conftest import TREE, division
from fulian.orgs.divisions import divisions_load
from fulian.orgs.models import Unit
from fulian.people.models import Woman

HOSTILE = "<b>恒东</b>社区"
NOW = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def twin_tree(db):
    extra = [("130123101202", 5, "恒东社区"), ("130123101203", 5, HOSTILE)]
    divisions_load(divisions=[division(*row) for row in TREE + extra])
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def help_post(client, clock, **place):
    form = client.get(reverse("help_form")).context["form"]
    clock.shift(dt.timedelta(seconds=30))
    return client.post(reverse("help_form"), {
        "kind": "legal_aid", "description": "抚养费", "anonymous": "on", "started": form["started"].value(),
        "client_token": form["client_token"].value(), **place})


@pytest.mark.django_db
def test_help_form_takes_the_picked_place(client, clock, twin_tree):
    response = help_post(client, clock, place="恒东社区（新安镇 · 正定县）", place_key="130123101202")
    assert response.status_code == 200 and Case.objects.get().home_unit.code == "130123101202"


@pytest.mark.django_db
def test_help_form_without_javascript_offers_both_villages_of_one_name(client, clock, twin_tree):
    response = help_post(client, clock, place="恒东社区")
    page = response.content.decode()
    assert not Case.objects.exists() and "有2个地方叫“恒东社区”" in page
    assert 'type="radio" name="place_key" value="130123100001"' in page and "新安镇 · 正定县" in page
    assert "<datalist" not in page
    help_post(client, clock, place="恒东社区", place_key="130123100001")  # she picks one and sends again
    assert Case.objects.get().home_unit.code == "130123100001"


@pytest.mark.django_db
def test_a_name_offered_back_is_escaped(client, clock, twin_tree):
    page = help_post(client, clock, place="社区").content.decode()
    assert "&lt;b&gt;恒东&lt;/b&gt;社区" in page and "<b>恒东</b>" not in page


@pytest.mark.django_db
def test_help_form_says_what_it_could_not_find(client, clock, tree):
    page = help_post(client, clock, place="月亮村").content.decode()
    assert "没有找到“月亮村”" in page and not Case.objects.exists()


@pytest.mark.django_db
def test_survey_choose_page_takes_the_picked_village_and_goes_to_its_link(client, clock, client_for, county_chair,
                                                                          unit):
    client_for(county_chair).post(reverse("survey_new", args=[unit("正定县").pk]), {
        "title": "四率调查", "starts_on": "2026-11-01", "ends_on": "2026-12-31", "standard": "on"})
    from fulian.evaluation.models import Survey

    survey = Survey.objects.get()
    client_for(county_chair).post(reverse("survey_status", args=[survey.pk]), {"status": "open"})
    url = reverse("survey_public", args=[survey.public_token])
    chooser = client.get(url).content.decode()
    assert "data-picker" in chooser and "under=130123000000" in chooser and "<datalist" not in chooser
    picked = client.get(url, {"u": "恒东社区（正定镇 · 正定县）", "u_key": "130123100001"})
    assert picked.status_code == 302 and picked["Location"] == f"{url}?u=130123100001"
    typed = client.get(url, {"u": "张家庄村"})
    assert typed["Location"] == f"{url}?u=130123100210"
    answer = client.get(f"{url}?u=130123100001").content.decode()
    assert 'class="rating-scale"' in answer and 'type="radio"' in answer and "很满意" in answer


@pytest.mark.django_db
def test_woman_form_takes_the_picked_village_within_her_scope_only(client_for, county_chair, tree):
    client = client_for(county_chair)
    page = client.get(reverse("woman_new")).content.decode()
    assert "scope=mine" in page and "home-units" not in page
    client.post(reverse("woman_new"), {"name": "周玉", "unit_code": "张家庄村", "unit_code_key": "130123100210"})
    woman = Woman.objects.get()
    assert woman.home_unit.code == "130123100210"
    edit = client.get(reverse("woman_edit", args=[woman.pk])).content.decode()
    assert 'value="张家庄村（正定镇 · 正定县）"' in edit and 'value="130123100210"' in edit
    outside = client.post(reverse("woman_new"), {"name": "李娟", "unit_code": "", "unit_code_key": "130125100201"})
    assert "不在可选范围内" in outside.content.decode() and Woman.objects.count() == 1


@pytest.mark.django_db
def test_cadre_intake_takes_the_picked_village_within_her_scope_only(client_for, county_chair, sibling_county_cadre,
                                                                     tree):
    data = {"kind": "mediation", "source": "hotline", "description": "邻里纠纷", "anonymous": "on",
            "client_token": "t-1", "unit_code": "恒东社区", "unit_code_key": "130123100001"}
    assert client_for(county_chair).post(reverse("case_new"), data).status_code == 302
    assert Case.objects.get().home_unit.code == "130123100001"
    refused = client_for(sibling_county_cadre).post(reverse("case_new"), {**data, "client_token": "t-2"})
    assert refused.status_code == 200 and Case.objects.count() == 1
    assert "scope=mine" in client_for(county_chair).get(reverse("case_new")).content.decode()
