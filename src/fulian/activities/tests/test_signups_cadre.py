"""A cadre signs up a woman of her registry from the woman's page (为她报名活动): the activities near her village and
the invited ones of her units; her family for a family activity; the cadre next door gets 404."""

import re

import pytest
from django.urls import reverse

import fulian.activities.panels_public  # noqa: F401  (registered in AppConfig.ready once the lead wires it)
from fulian.activities import services
from fulian.activities.models import SignUp, SignUpChannel, SignUpState
from fulian.core.models import Outbox
from fulian.people.families import family_create
from fulian.people.services import WomanData, woman_create

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def woman(unit, county_chair):
    return woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                           phone="13800001111"))


def publish(actor, unit, title, **values):
    made = services.activity_save(actor=actor, unit=unit("正定县"), values={
        "title": title, "kind": "lecture", "address": "县文化馆", **values}, sessions=[(at(2), at(2, 11))])
    return services.activity_publish(actor=actor, activity=made)


def test_her_cadre_signs_her_up_from_her_page(client_for, village_cadre, woman, activity, unit, county_chair):
    invited = publish(county_chair, unit, "执委座谈会", audience="invited")
    cadre = client_for(village_cadre)
    assert reverse("woman_activity_signup", args=[woman.pk]) in cadre.get(
        reverse("woman_detail", args=[woman.pk])).content.decode()
    page = cadre.get(reverse("woman_activity_signup", args=[woman.pk])).content.decode()
    assert activity.title in page and "执委座谈会" in page and "_entry" in page
    token = re.search(r'name="client_token" value="([^"]+)"', page).group(1)
    for _ in range(2):  # a double click
        done = cadre.post(reverse("woman_activity_signup", args=[woman.pk]), {
            "activity": invited.pk, "phone": "13800001111", "client_token": token})
        assert done.status_code == 302 and done["Location"] == reverse("woman_detail", args=[woman.pk])
    signup = SignUp.objects.get()
    assert (signup.woman, signup.channel, signup.created_by, signup.state) == (
        woman, SignUpChannel.CADRE, village_cadre, SignUpState.CONFIRMED)
    assert Outbox.objects.filter(channel="sms", address="13800001111", subject__contains="执委座谈会").exists()
    assert "已报名" in cadre.get(reverse("woman_activity_signup", args=[woman.pk])).content.decode()


def test_a_family_activity_takes_her_family(client_for, county_chair, woman, unit):
    family = family_create(actor=county_chair, unit=unit("恒东社区"), name="王秀兰家", woman=woman)
    reading = publish(county_chair, unit, "亲子阅读", kind="reading", for_families=True)
    client_for(county_chair).post(reverse("woman_activity_signup", args=[woman.pk]), {
        "activity": reading.pk, "phone": "13800001111", "family": family.pk, "family_size": "3"})
    signup = SignUp.objects.get()
    assert (signup.family, signup.family_size, signup.woman) == (family, 3, woman)


def test_the_cadre_next_door_gets_404(client_for, sibling_county_cadre, woman, activity):
    other = client_for(sibling_county_cadre)
    url = reverse("woman_activity_signup", args=[woman.pk])
    assert other.get(url).status_code == 404
    assert other.post(url, {"activity": activity.pk, "phone": "13800001111"}).status_code == 404
    assert not SignUp.objects.exists()


def test_an_activity_not_offered_to_her_is_refused(client_for, village_cadre, woman, unit, sibling_county_cadre):
    elsewhere = services.activity_publish(actor=sibling_county_cadre, activity=services.activity_save(
        actor=sibling_county_cadre, unit=unit("行唐县"), values={"title": "行唐县座谈", "kind": "other",
                                                              "address": "行唐县妇联", "audience": "invited"},
        sessions=[(at(2), at(2, 11))]))
    answer = client_for(village_cadre).post(reverse("woman_activity_signup", args=[woman.pk]), {
        "activity": elsewhere.pk, "phone": "13800001111"})
    assert answer.status_code == 200 and "请选择一个活动" in answer.content.decode()
    assert not SignUp.objects.exists()
