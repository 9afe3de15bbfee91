"""Families (家庭) of the registry: made in a village of her scope, members a registry woman (once per family) or a
man or a child by name, sex and birth year — never an ID number; created and joined from her page; listed for her
subtree and searched by name; the county next door gets 404 on every page and API route."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from fulian.core.errors import Conflict
from fulian.core.models import AuditEvent
from fulian.people import families
from fulian.people.models import Family, FamilyMember
from fulian.people.services import WomanData, woman_create

from .helpers import male_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def woman(county_chair, unit):
    return woman_create(actor=county_chair, data=WomanData(name="张秀英", home_unit=unit("恒东社区")))


@pytest.fixture
def family(county_chair, unit, woman):
    return families.family_create(actor=county_chair, unit=unit("恒东社区"), name="张秀英家", address="恒东社区3号",
                                  phone="13812345678", woman=woman)


def test_a_family_lives_in_a_village_of_her_scope_and_one_token_makes_one(county_chair, village_cadre, unit):
    with pytest.raises(ValidationError, match="不是村"):
        families.family_create(actor=county_chair, unit=unit("正定镇"), name="李家")
    with pytest.raises(ValidationError, match="工作范围"):
        families.family_create(actor=village_cadre, unit=unit("张家庄村"), name="李家")
    with pytest.raises(ValidationError, match="家庭名称"):
        families.family_create(actor=county_chair, unit=unit("恒东社区"), name="  ")
    made = [families.family_create(actor=village_cadre, unit=unit("恒东社区"), name="李家", client_token="t-1")
            for _ in range(2)]
    assert made[0].pk == made[1].pk and Family.objects.count() == 1


def test_men_and_children_are_kept_by_name_sex_and_birth_year_and_an_id_number_is_never_stored(
        family, county_chair, api_for, client_for):
    number = male_id()
    husband = families.family_member_add(actor=county_chair, family=family, relation="spouse", name="王建国",
                                         sex="m", birth_year=1988)
    assert (husband.woman, husband.sex, husband.birth_year) == (None, "m", 1988)
    refused = api_for(county_chair).post(
        f"/api/v1/families/{family.pk}/members", json.dumps(
            {"relation": "child", "name": "王小明", "sex": "m", "birth_year": 2015, "id_number": number}),
        content_type="application/json")
    assert refused.status_code == 422
    with pytest.raises(ValidationError, match="数字"):
        families.family_member_add(actor=county_chair, family=family, relation="child", name=number, sex="m",
                                   birth_year=2015)
    page = client_for(county_chair).post(reverse("family_member_add", args=[family.pk]), {
        "relation": "child", "name": "王小明", "sex": "m", "birth_year": "2015", "id_number": number})
    assert page.status_code == 302
    son = FamilyMember.objects.get(name="王小明")
    assert (son.sex, son.birth_year, son.woman_id) == ("m", 2015, None)
    stored = [json.dumps(list(FamilyMember.objects.values()), default=str),
              json.dumps(list(Family.objects.values()), default=str),
              json.dumps(list(AuditEvent.objects.values("changes")), default=str)]
    assert not any(number in text for text in stored)


def test_an_adult_woman_joins_by_her_registry_record_and_a_girl_by_name(family, county_chair):
    with pytest.raises(ValidationError, match="先登记到妇女名册"):
        families.family_member_add(actor=county_chair, family=family, relation="parent_in_law", name="李桂兰",
                                   sex="f", birth_year=1960)
    girl = families.family_member_add(actor=county_chair, family=family, relation="child", name="王小红", sex="f",
                                      birth_year=2016)
    assert girl.woman is None and girl.sex == "f"
    with pytest.raises(ValidationError, match="出生年份"):
        families.family_member_add(actor=county_chair, family=family, relation="child", name="王小军", sex="m")


def test_a_registry_woman_is_a_member_once_and_a_household_has_one_head(family, woman, county_chair, api_for, unit):
    assert [m.woman for m in family.members.all()] == [woman]
    with pytest.raises(ValidationError, match="已经是这个家庭的成员"):
        families.family_member_add(actor=county_chair, family=family, relation="child", woman=woman)
    again = api_for(county_chair).post(f"/api/v1/families/{family.pk}/members",
                                       {"relation": "child", "woman_id": woman.pk}, content_type="application/json")
    assert again.status_code == 400 and "已经是这个家庭的成员" in again.json()["detail"]
    with pytest.raises(ValidationError, match="户主"):
        families.family_member_add(actor=county_chair, family=family, relation="head", name="王建国", sex="m",
                                   birth_year=1988)
    assert family.members.count() == 1


def test_her_page_creates_a_family_with_her_in_it_and_another_woman_joins_it(woman, county_chair, client_for, unit):
    client = client_for(county_chair)
    page = client.get(reverse("woman_detail", args=[woman.pk])).content.decode()
    new_url = reverse("family_new") + f"?woman={woman.pk}"
    assert new_url in page and reverse("woman_family_join", args=[woman.pk]) in page
    form = client.get(new_url).content.decode()
    assert "张秀英家" in form and "_entry" in form
    token = "tok-fam-1"
    data = {"name": "张秀英家", "unit": unit("恒东社区").code, "address": "恒东社区3号", "phone": "",
            "relation": "head", "client_token": token}
    first, second = client.post(new_url, data), client.post(new_url, data)
    family = Family.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("family_detail", args=[family.pk])
    assert family.members.get().woman == woman
    sister = woman_create(actor=county_chair, data=WomanData(name="张秀梅", home_unit=unit("恒东社区")))
    join = reverse("woman_family_join", args=[sister.pk])
    assert "张秀英家" in client.get(join).content.decode()
    assert client.post(join, {"target": family.pk, "relation": "sibling"}).status_code == 302
    assert set(family.members.values_list("woman__name", flat=True)) == {"张秀英", "张秀梅"}
    shown = client.get(reverse("family_detail", args=[family.pk])).content.decode()
    assert "张秀梅" in shown and "兄弟姐妹" in shown
    assert "张秀英家" in client.get(reverse("woman_detail", args=[sister.pk])).content.decode()


def test_the_list_is_her_subtree_searched_by_family_or_member_name(family, county_chair, village_cadre, client_for,
                                                                   unit):
    other = families.family_create(actor=county_chair, unit=unit("张家庄村"), name="刘家")
    families.family_member_add(actor=county_chair, family=other, relation="head", name="刘大山", sex="m",
                               birth_year=1970)
    county = client_for(county_chair).get(reverse("families_list")).content.decode()
    assert "张秀英家" in county and "刘家" in county
    village = client_for(village_cadre).get(reverse("families_list")).content.decode()
    assert "张秀英家" in village and "刘家" not in village
    found = client_for(county_chair).get(reverse("families_list"), {"q": "大山"}).content.decode()
    assert "刘家" in found and "张秀英家" not in found
    listed = [f.name for f in families.families_for(county_chair, q="秀英")]
    assert listed == ["张秀英家"]


def test_an_edit_on_a_stale_version_is_a_conflict(family, county_chair, client_for, api_for, unit):
    families.family_update(actor=county_chair, family=family, unit=unit("恒东社区"), name="张秀英家",
                           address="恒东社区5号", version=family.version)
    with pytest.raises(Conflict):
        families.family_update(actor=county_chair, family=family, unit=unit("恒东社区"), name="张家",
                               version=family.version)
    page = client_for(county_chair).post(reverse("family_edit", args=[family.pk]), {
        "name": "张家", "unit": unit("恒东社区").code, "version": family.version})
    assert page.status_code == 400 and "刚被其他人修改过" in page.content.decode()
    api = api_for(county_chair).put(f"/api/v1/families/{family.pk}", {
        "name": "张家", "unit_code": unit("恒东社区").code, "version": family.version},
        content_type="application/json")
    assert api.status_code == 409
    assert Family.objects.get().address == "恒东社区5号"


def test_the_api_lists_creates_reads_and_changes_members(county_chair, api_for, woman, unit):
    api = api_for(county_chair)
    made = api.post("/api/v1/families", {"name": "张秀英家", "unit_code": unit("恒东社区").code,
                                         "woman_id": woman.pk, "client_token": "api-1"},
                    content_type="application/json")
    assert made.status_code == 201
    body = made.json()
    assert body["unit_name"] == "恒东社区" and body["members"][0]["woman_id"] == woman.pk
    again = api.post("/api/v1/families", {"name": "张秀英家", "unit_code": unit("恒东社区").code,
                                          "woman_id": woman.pk, "client_token": "api-1"},
                     content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    child = api.post(f"/api/v1/families/{body['id']}/members",
                     {"relation": "child", "name": "王小明", "sex": "m", "birth_year": 2015},
                     content_type="application/json")
    assert child.status_code == 201 and child.json()["woman_id"] is None
    assert api.get("/api/v1/families", {"q": "小明"}).json()["count"] == 1
    assert len(api.get(f"/api/v1/families/{body['id']}").json()["members"]) == 2
    assert api.delete(f"/api/v1/families/{body['id']}/members/{child.json()['id']}").status_code == 204
    assert [f["id"] for f in api.get(f"/api/v1/women/{woman.pk}/families").json()] == [body["id"]]
    bad = api.post("/api/v1/families", {"name": "x", "unit_code": unit("南关村").code},
                   content_type="application/json")
    assert bad.status_code == 400


def test_the_next_county_gets_404_on_every_family_page_and_route(family, woman, sibling_county_cadre, client_for,
                                                                  api_for):
    member = family.members.get()
    client = client_for(sibling_county_cadre)
    for url in (reverse("family_detail", args=[family.pk]), reverse("family_edit", args=[family.pk]),
                reverse("woman_family_join", args=[woman.pk]), reverse("family_new") + f"?woman={woman.pk}"):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("family_member_add", args=[family.pk]),
                       {"relation": "child", "name": "x", "sex": "m", "birth_year": "2015"}).status_code == 404
    assert client.post(reverse("family_member_remove", args=[family.pk, member.pk])).status_code == 404
    assert "张秀英家" not in client.get(reverse("families_list")).content.decode()
    api = api_for(sibling_county_cadre)
    assert api.get(f"/api/v1/families/{family.pk}").status_code == 404
    assert api.put(f"/api/v1/families/{family.pk}", {"name": "x", "unit_code": "130125100201", "version": 1},
                   content_type="application/json").status_code == 404
    assert api.post(f"/api/v1/families/{family.pk}/members",
                    {"relation": "child", "name": "x", "sex": "m", "birth_year": 2015},
                    content_type="application/json").status_code == 404
    assert api.delete(f"/api/v1/families/{family.pk}/members/{member.pk}").status_code == 404
    assert api.get(f"/api/v1/women/{woman.pk}/families").status_code == 404
    assert api.get("/api/v1/families").json()["count"] == 0
    assert family.members.count() == 1


def test_a_merge_moves_her_places_in_families_to_the_surviving_record(family, woman, county_chair, unit):
    from fulian.people.services import woman_merge

    duplicate = woman_create(actor=county_chair, data=WomanData(name="张秀英", home_unit=unit("恒东社区")))
    other = families.family_create(actor=county_chair, unit=unit("恒东社区"), name="张家老宅", woman=duplicate,
                                   relation="child")
    families.family_member_add(actor=county_chair, family=family, relation="sibling", woman=duplicate)
    woman_merge(actor=county_chair, survivor=woman, duplicate=duplicate)
    assert list(family.members.values_list("woman_id", flat=True)) == [woman.pk]
    assert list(other.members.values_list("woman_id", "relation")) == [(woman.pk, "child")]
