"""The place picker: the public search endpoint, and the server's own reading of what she typed without JavaScript."""

import pytest
from django.urls import reverse

from fulian.conftest import TREE, division
from fulian.orgs.divisions import divisions_load
from fulian.orgs.models import Unit

URL = reverse("place_search")
HOSTILE = "<img src=x onerror=alert(1)>庄"


@pytest.fixture
def twin_tree(db):
    """The fixture tree plus a second 恒东社区 (under 新安镇) and a village whose name is markup."""
    extra = [("130123101202", 5, "恒东社区"), ("130123101203", 5, HOSTILE)]
    divisions_load(divisions=[division(*row) for row in TREE + extra])
    return {u.code: u for u in Unit.objects.all()}


def names(response):
    return [r["name"] for r in response.json()["results"]]


def test_finds_by_name_with_township_and_county_to_tell_twins_apart(client, twin_tree):
    response = client.get(URL, {"q": "恒东"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    results = response.json()["results"]
    assert [(r["code"], r["context"]) for r in results] == [
        ("130123100001", "正定镇 · 正定县"), ("130123101202", "新安镇 · 正定县")]
    assert results[0]["label"] == "恒东社区（正定镇 · 正定县）"


def test_finds_by_pinyin_initials_and_by_code_prefix(client, tree):
    assert names(client.get(URL, {"q": "zjz"})) == ["张家庄村"]
    assert names(client.get(URL, {"q": "ZJZ"})) == ["张家庄村"]
    assert names(client.get(URL, {"q": "1301231002"})) == ["张家庄村"]
    assert names(client.get(URL, {"q": "130123100001"})) == ["恒东社区"]


def test_levels_choose_what_is_searched(client, tree):
    assert names(client.get(URL, {"q": "正定"})) == ["正定镇"]  # villages and townships by default
    assert set(names(client.get(URL, {"q": "正定", "levels": "3,4"}))) == {"正定县", "正定镇"}
    assert names(client.get(URL, {"q": "新安镇", "levels": "4"})) == ["新安镇"]


def test_a_name_is_data_never_markup(client, twin_tree):
    response = client.get(URL, {"q": "onerror"})
    assert response.status_code == 200 and names(response) == []
    response = client.get(URL, {"q": "<img"})
    assert names(response) == [HOSTILE]
    assert response["X-Content-Type-Options"] == "nosniff"  # JSON is never sniffed as a page


@pytest.mark.parametrize("params", [
    {}, {"q": ""}, {"q": "   "}, {"q": "x" * 51}, {"q": "恒东", "levels": "9"}, {"q": "恒东", "levels": "4,a"},
    {"q": "恒东", "levels": "٥"}, {"q": "恒东", "under": "999999999999"}, {"q": "恒东", "scope": "all"},
])
def test_bad_parameters_are_a_400_with_a_reason(client, tree, params):
    response = client.get(URL, params)
    assert response.status_code == 400 and response.json()["detail"]


def test_under_limits_to_a_region(client, tree):
    assert names(client.get(URL, {"q": "村", "under": "130125000000"})) == ["南关村"]


def test_a_cadre_picking_for_her_forms_sees_her_scope_only(client, client_for, tree, sibling_county_cadre):
    assert client.get(URL, {"q": "村", "scope": "mine"}).status_code == 403  # nobody signed in
    cadre = client_for(sibling_county_cadre)
    assert names(cadre.get(URL, {"q": "村", "scope": "mine"})) == ["南关村"]
    assert names(cadre.get(URL, {"q": "恒东", "scope": "mine"})) == []


def test_searching_is_rate_limited_per_address(client, tree, settings):
    settings.PLACE_SEARCHES_PER_MINUTE = 2
    assert [client.get(URL, {"q": "恒东"}).status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db
def test_the_server_reads_a_code_an_exact_name_or_a_label_and_offers_twins(twin_tree):
    from fulian.orgs.places import PlaceNotResolved, place_resolve

    assert place_resolve("130123100210").name == "张家庄村"
    assert place_resolve("130123100210 张家庄村").code == "130123100210"
    assert place_resolve("张家庄村").code == "130123100210"
    assert place_resolve("张家庄村（正定镇 · 正定县）").code == "130123100210"
    assert place_resolve("whatever", key="130125100201").name == "南关村"
    with pytest.raises(PlaceNotResolved) as twins:
        place_resolve("恒东社区")
    assert "有2个地方叫“恒东社区”" in twins.value.messages[0] and len(twins.value.offer) == 2
    with pytest.raises(PlaceNotResolved) as near:
        place_resolve("张家")
    assert [u.name for u in near.value.offer] == ["张家庄村"]
    with pytest.raises(PlaceNotResolved) as none:
        place_resolve("不存在的村")
    assert none.value.offer == [] and "12位区划代码" in none.value.messages[0]
    with pytest.raises(PlaceNotResolved):
        place_resolve("130123000000")  # a county is no place to live on these forms


@pytest.mark.django_db
def test_a_picked_code_is_one_statement_with_the_label_and_keeps_the_level_rule(twin_tree, django_assert_num_queries):
    from fulian.orgs.places import PlaceNotResolved, place_label, place_resolve

    with django_assert_num_queries(1):
        unit = place_resolve("whatever", key="130123100210")
        assert (unit.pk, unit.path, unit.level) == (twin_tree["130123100210"].pk, twin_tree["130123100210"].path, 5)
        assert place_label(unit) == "张家庄村（正定镇 · 正定县）"
        assert unit.is_geographic and unit.parent.parent.name == "正定县"
    assert unit.name_pinyin == twin_tree["130123100210"].name_pinyin  # the rest loads when read
    with pytest.raises(PlaceNotResolved):
        place_resolve("", key="130123000000")  # a county, by its code
    assert place_resolve("", key="130123000000", levels=[3]).name == "正定县"
