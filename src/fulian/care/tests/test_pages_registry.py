"""关爱对象 and 儿童 pages through the HTTP client: the registry as of any date with its counts, a woman put into a
group from a search (a double tap makes one row) and taken out of it; a child registered from the family's page,
whose page answers 404 to a cadre of the sibling village, to a volunteer and to a cadre of her own village who does
not care for the family, 200 to the linked cadre and the county chair — every read in the read log; a concurrent
edit refused with a message; bad parameters are 400."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.care import registry
from fulian.care.models import CareGroup, CareMembership, Child
from fulian.contacts.services import assignment_create
from fulian.core.models import ReadLog
from fulian.core.policy import Role

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def child(county_chair, mother, mother_family):
    today = _today()
    return registry.child_create(actor=county_chair, family=mother_family, name="王小雨", sex="f",
                                 birth_date=today - dt.timedelta(days=9 * 365), situation="left_behind",
                                 guardian=mother, guardian_relation="母亲", consent_by="王秀梅", consent_on=today,
                                 school="恒东小学三年级", today=today)


@pytest.fixture
def linked_cadre(unit, county_chair, mother):
    cadre = UserFactory(username="linked-cadre", unit=unit("恒东社区"), roles=[Role.STAFF])
    assignment_create(actor=county_chair, woman=mother, cadre=cadre, today=_today())
    return cadre


def test_the_registry_counts_each_group_for_the_day_asked(client_for, village_cadre, county_chair, mother, unit):
    today = _today()
    start = today - dt.timedelta(days=100)
    m = registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.LEFT_BEHIND, start_on=start,
                                today=today)
    registry.membership_end(actor=village_cadre, membership=m, end_on=today - dt.timedelta(days=10),
                            reason="no_longer", today=today)
    client = client_for(county_chair)
    now = client.get(reverse("care_registry"))
    assert now.status_code == 200
    assert [c["n"] for c in now.context["counts"] if c["group"] == "left_behind"] == [0]
    assert "王秀梅" not in now.content.decode()
    past = client.get(reverse("care_registry"), {"date": (today - dt.timedelta(days=50)).isoformat(),
                                                 "group": "left_behind", "unit": unit("恒东社区").pk})
    assert [c["n"] for c in past.context["counts"] if c["group"] == "left_behind"] == [1]
    assert past.context["women"] == 1 and "王秀梅" in past.content.decode()


@pytest.mark.parametrize("query", [{"date": "abc"}, {"date": "2026-02-30"}, {"group": "zzz"}, {"unit": "x"},
                                   {"page": "٣"}])
def test_bad_parameters_of_the_registry_are_400(client_for, county_chair, query):
    assert client_for(county_chair).get(reverse("care_registry"), query).status_code == 400


def test_a_unit_outside_her_scope_is_404(client_for, county_chair, unit):
    assert client_for(county_chair).get(reverse("care_registry"), {"unit": unit("行唐县").pk}).status_code == 404


def test_she_finds_a_woman_and_puts_her_in_a_group_once(client_for, village_cadre, mother):
    client = client_for(village_cadre)
    found = client.get(reverse("care_registry"), {"q": "王秀梅"}).content.decode()
    url = reverse("care_membership_new", args=[mother.pk])
    assert url in found
    posted = {"group": "low_income", "start_on": _today().isoformat(), "low_income_kind": "dibao",
              "client_token": "tok-m1"}
    done = client.post(url, posted)
    assert done.status_code == 302 and done["Location"] == reverse("woman_detail", args=[mother.pk])
    client.post(url, posted)  # a double tap
    assert CareMembership.objects.filter(woman=mother).count() == 1
    page = client.get(done["Location"]).content.decode()
    assert "低收入妇女" in page and "低保对象" in page and reverse("care_plan_new", args=[mother.pk]) in page


def test_a_refused_membership_says_why_and_keeps_her_input(client_for, village_cadre, mother):
    page = client_for(village_cadre).post(reverse("care_membership_new", args=[mother.pk]), {
        "group": "disabled", "start_on": _today().isoformat(), "note": "肢体残疾"})
    assert page.status_code == 400
    text = page.content.decode()
    assert "残疾人证等级" in text and "肢体残疾" in text
    assert not CareMembership.objects.exists()


def test_a_membership_ends_with_a_date_and_a_reason(client_for, village_cadre, mother):
    today = _today()
    m = registry.membership_add(actor=village_cadre, woman=mother, group=CareGroup.MIGRANT,
                                start_on=today - dt.timedelta(days=30), today=today)
    url = reverse("care_membership_end", args=[m.pk])
    client = client_for(village_cadre)
    assert f'value="{today.isoformat()}"' in client.get(url).content.decode()  # ISO date in <input type=date>
    done = client.post(url, {"end_on": today.isoformat(), "reason": "moved"})
    assert done.status_code == 302
    m.refresh_from_db()
    assert (m.end_on, m.end_reason) == (today, "moved")
    assert client.post(url, {"end_on": today.isoformat(), "reason": "moved"}).status_code == 400  # ended already


def test_the_sibling_county_cannot_touch_her(client_for, sibling_county_cadre, mother):
    client = client_for(sibling_county_cadre)
    assert client.get(reverse("care_membership_new", args=[mother.pk])).status_code == 404
    assert client.get(reverse("care_plan_new", args=[mother.pk])).status_code == 404


# --- children ------------------------------------------------------------------------------------------------------

def test_a_child_is_registered_from_the_family_page_with_consent(client_for, village_cadre, mother, mother_family):
    client = client_for(village_cadre)
    family_page = client.get(reverse("family_detail", args=[mother_family.pk])).content.decode()
    url = reverse("care_child_new", args=[mother_family.pk])
    assert url in family_page
    form = client.get(url)
    assert form.status_code == 200 and "须先取得父母或监护人同意" in form.content.decode()
    born = _today() - dt.timedelta(days=8 * 365)
    posted = {"name": "王小雨", "sex": "f", "birth_date": born.isoformat(), "situation": "left_behind",
              "guardian": str(mother.pk), "guardian_relation": "母亲", "consent_by": "王秀梅",
              "consent_on": _today().isoformat(), "client_token": "tok-c1"}
    refused = client.post(url, {**posted, "consent_by": ""})
    assert refused.status_code == 400 and not Child.objects.exists()
    done = client.post(url, posted)
    child = Child.objects.get()
    assert done["Location"] == reverse("care_child", args=[child.pk])
    client.post(url, posted)  # a double tap
    assert Child.objects.count() == 1
    assert child.guardian_phone == mother.phone and child.created_by == village_cadre
    page = client.get(done["Location"])
    assert page.status_code == 200 and "王小雨" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0") or "no-cache" in page["Cache-Control"]


@pytest.mark.parametrize("who", ["sibling_village", "volunteer", "unlinked_village", "sibling_county"])
def test_a_childs_page_is_404_without_need_to_know(client_for, unit, child, sibling_county_cadre, who):
    users = {
        "sibling_village": lambda: UserFactory(username="zjz", unit=unit("张家庄村"), roles=[Role.STAFF]),
        "volunteer": lambda: UserFactory(username="vol", unit=unit("恒东社区"), roles=[Role.VOLUNTEER]),
        "unlinked_village": lambda: UserFactory(username="hd2", unit=unit("恒东社区"), roles=[Role.STAFF]),
        "sibling_county": lambda: sibling_county_cadre,
    }
    client = client_for(users[who]())
    for name in ("care_child", "care_child_edit"):
        assert client.get(reverse(name, args=[child.pk])).status_code == 404
    assert client.post(reverse("care_child_end", args=[child.pk]), {"ended_on": _today().isoformat()}).status_code \
        == 404
    assert not ReadLog.objects.filter(object_type="care.child").exists()
    child.refresh_from_db()
    assert child.ended_on is None


def test_the_linked_cadre_and_the_county_chair_read_it_and_each_read_is_logged(client_for, child, linked_cadre,
                                                                                county_chair):
    for user in (linked_cadre, county_chair):
        page = client_for(user).get(reverse("care_child", args=[child.pk]))
        assert page.status_code == 200 and "恒东小学三年级" in page.content.decode()
    reads = ReadLog.objects.filter(object_type="care.child", object_id=str(child.pk))
    assert sorted(r.actor_id for r in reads) == sorted([linked_cadre.pk, county_chair.pk])


def test_the_family_page_lists_children_only_to_need_to_know(client_for, unit, child, linked_cadre, mother_family):
    url = reverse("family_detail", args=[mother_family.pk])
    other = UserFactory(username="hd3", unit=unit("恒东社区"), roles=[Role.STAFF])
    hidden = client_for(other).get(url).content.decode()
    assert "王小雨" not in hidden and "1名儿童(仅关爱干部和上级领导可见)" in hidden
    shown = client_for(linked_cadre).get(url).content.decode()
    assert "王小雨" in shown and reverse("care_child", args=[child.pk]) in shown
    assert ReadLog.objects.filter(object_type="care.child", actor=linked_cadre, purpose="care.family_page").count() == 1
    assert not ReadLog.objects.filter(object_type="care.child", actor=other).exists()


def test_the_children_list_shows_hers_and_logs_each_row(client_for, child, linked_cadre, unit):
    page = client_for(linked_cadre).get(reverse("care_children"))
    assert "王小雨" in page.content.decode()
    reads = ReadLog.objects.filter(object_type="care.child", actor=linked_cadre, purpose="care.children_list")
    assert reads.count() == 1
    other = UserFactory(username="hd4", unit=unit("恒东社区"), roles=[Role.STAFF])
    assert "王小雨" not in client_for(other).get(reverse("care_children")).content.decode()
    assert client_for(other).get(reverse("care_children"), {"situation": "zzz"}).status_code == 400


def test_a_concurrent_edit_of_a_child_is_refused_with_a_message(client_for, child, linked_cadre, county_chair):
    url = reverse("care_child_edit", args=[child.pk])
    first, second = client_for(linked_cadre), client_for(county_chair)
    form = first.get(url)
    assert form.status_code == 200
    data = {name: form.context["form"][name].value() for name in form.context["form"].fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["birth_date"] = child.birth_date.isoformat()
    assert f'value="{child.birth_date.isoformat()}"' in form.content.decode()
    assert second.post(url, {**data, "school": "恒东小学四年级"}).status_code == 302
    late = first.post(url, {**data, "school": "正定县第二小学"})
    assert late.status_code == 409
    text = late.content.decode()
    assert "已被他人修改" in text and "正定县第二小学" in text  # her input is kept to copy over
    child.refresh_from_db()
    assert (child.school, child.version) == ("恒东小学四年级", 2)


def test_care_ends_for_a_child(client_for, child, linked_cadre):
    done = client_for(linked_cadre).post(reverse("care_child_end", args=[child.pk]),
                                         {"ended_on": _today().isoformat()})
    assert done.status_code == 302
    child.refresh_from_db()
    assert child.ended_on == _today()
