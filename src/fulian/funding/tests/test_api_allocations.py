"""The allocation API from the outside (bearer tokens): a per-head rule previewed (nothing written) and confirmed,
the same client token answering the first allocation, a cascade's shares level by level, paying them (a second
pay posts nothing), a unit in between paying its part of a cascade started above it, a share split on, a plan
below the minimum village share refused with its numbers, bad amounts and rules refused with the rule's words,
staff previewing but not confirming, and the county next door seeing none of it (404)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import Role
from fulian.funding.allocations import allocation_confirm, rule_clean
from fulian.funding.models import Allocation, Basis, Entry

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year
PAY_BY = str(TODAY + dt.timedelta(days=30))


def _post(api, url, body):
    return api.post(f"/api/v1{url}", body, content_type="application/json")


@pytest.fixture
def province(unit):
    return unit("河北省")


def test_a_per_head_rule_previewed_then_confirmed_once(api_for, province_chair, province, heads):
    api = api_for(province_chair)
    rule = {"basis": "women", "amount": "10000000.00", "year": YEAR}
    preview = _post(api, f"/funding/units/{province.pk}/allocations/preview", rule)
    assert preview.status_code == 200, preview.content
    plan = preview.json()
    assert {s["unit_name"]: s["amount"] for s in plan["shares"]} == {"石家庄市": "6666666.67", "保定市": "3333333.33"}
    assert plan["levels"] == [{"level": 2, "units": 2, "amount": "10000000.00", "kept": "0.00"}]
    assert (plan["amount"], plan["shares_total"], plan["village_share"]) == ("10000000.00", 2, 1.0)
    assert not Allocation.objects.exists()  # a preview writes nothing

    made = _post(api, f"/funding/units/{province.pk}/allocations",
                 {**rule, "title": "基层妇联工作经费", "pay_by": PAY_BY, "client_token": "a-1"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["amount"], body["basis"], body["target_level"], body["unit"]["name"]) == (
        "10000000.00", "women", 2, "河北省")
    assert body["progress"]["top"] == {"amount": "10000000.00", "paid": "0.00", "received": "0.00"}
    again = _post(api, f"/funding/units/{province.pk}/allocations",
                  {**rule, "title": "基层妇联工作经费", "pay_by": PAY_BY, "client_token": "a-1"})
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    assert Allocation.objects.count() == 1

    shown = api.get(f"/api/v1/funding/allocations/{body['id']}").json()
    assert shown["progress"]["leaves"] == {"amount": "10000000.00", "received": "0.00", "units": 2, "nothing": 2}
    shares = api.get(f"/api/v1/funding/allocations/{body['id']}/shares").json()
    assert [(s["unit"]["name"], s["amount"], s["has_below"]) for s in shares["items"]] == [
        ("石家庄市", "6666666.67", False), ("保定市", "3333333.33", False)]
    made_list = api.get(f"/api/v1/funding/units/{province.pk}/allocations", {"year": YEAR}).json()
    assert [a["id"] for a in made_list["items"]] == [body["id"]]
    # there is no way to change an allocation: no PUT, PATCH or DELETE
    for method in ("put", "patch", "delete"):
        assert getattr(api, method)(f"/api/v1/funding/allocations/{body['id']}").status_code == 405


def test_a_cascade_paid_level_by_level(api_for, province_chair, city_chair, county_chair, province, unit, heads):
    api = api_for(province_chair)
    made = _post(api, f"/funding/units/{province.pk}/allocations",
                 {"basis": "women", "amount": "1000000.00", "target_level": 3, "level_keep": {"2": "10"},
                  "title": "到县", "pay_by": PAY_BY})
    assert made.status_code == 201, made.content
    allocation = made.json()
    top = api.get(f"/api/v1/funding/allocations/{allocation['id']}/shares").json()["items"]
    city = next(s for s in top if s["unit"]["name"] == "石家庄市")
    assert city["has_below"] and city["amount"] == "666666.67" and city["kept"] == "66666.66"
    below = api.get(f"/api/v1/funding/allocations/{allocation['id']}/shares", {"under": city["id"]}).json()
    assert {s["unit"]["name"]: s["amount"] for s in below["items"]} == {"正定县": "360000.01", "行唐县": "240000.00"}
    assert sum(Decimal(s["amount"]) for s in below["items"]) + Decimal(city["kept"]) == Decimal(city["amount"])

    pay = {"unit_id": province.pk, "on_date": str(TODAY)}
    assert _post(api, f"/funding/allocations/{allocation['id']}/pay", pay).json() == {"lines": 2}
    assert _post(api, f"/funding/allocations/{allocation['id']}/pay", pay).json() == {"lines": 0}
    # the city, a unit in between, does not see the province's allocation but pays its own part of it
    city_api = api_for(city_chair)
    assert city_api.get(f"/api/v1/funding/allocations/{allocation['id']}").status_code == 404
    received = city_api.get(f"/api/v1/funding/units/{unit('石家庄市').pk}/shares").json()
    assert [s["id"] for s in received["items"]] == [city["id"]] and received["items"][0]["paid"] == "666666.67"
    paid = _post(city_api, f"/funding/allocations/{allocation['id']}/pay",
                 {"unit_id": unit("石家庄市").pk, "on_date": str(TODAY)})
    assert paid.status_code == 200 and paid.json() == {"lines": 2}
    assert Entry.objects.filter(unit=unit("石家庄市"), kind="disbursement").count() == 2
    # a county has no share of its own to pass on in a cascade that ends at its level
    assert _post(api_for(county_chair), f"/funding/allocations/{allocation['id']}/pay",
                 {"unit_id": unit("正定县").pk, "on_date": str(TODAY)}).json() == {"lines": 0}


def test_a_share_split_on_by_the_unit_it_was_allocated_to(api_for, province_chair, city_chair, unit, heads,
                                                           baoding):
    root = allocation_confirm(actor=province_chair, unit=unit("河北省"), year=YEAR, title="到市",
                              rule=rule_clean(unit("河北省"), basis=Basis.WOMEN, min_village_share="40"),
                              amount="1000000.00", pay_by=TODAY + dt.timedelta(days=30))
    share = root.shares.get(unit=unit("石家庄市"))
    api = api_for(city_chair)
    city = unit("石家庄市")
    split = {"basis": "women", "from_share_id": share.pk, "kept": "66666.67", "target_level": 5}
    preview = _post(api, f"/funding/units/{city.pk}/allocations/preview", split)
    assert preview.status_code == 200, preview.content
    assert preview.json()["amount"] == "600000.00" and preview.json()["kept"] == "66666.67"
    made = _post(api, f"/funding/units/{city.pk}/allocations", {**split, "title": "到村", "pay_by": PAY_BY})
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["root_id"], body["from_share_id"], body["year"]) == (root.pk, share.pk, YEAR)
    twice = _post(api, f"/funding/units/{city.pk}/allocations", {**split, "title": "再分", "pay_by": PAY_BY})
    assert twice.status_code == 400 and "已经分配过" in twice.json()["detail"]
    # keeping most of it would leave less than the root's 40 % at village level: refused with the numbers
    other = root.shares.get(unit=baoding["保定市"])
    low = _post(api_for(province_chair), f"/funding/units/{baoding['保定市'].pk}/allocations/preview",
                {"basis": "women", "from_share_id": other.pk, "kept": "300000.00", "target_level": 5})
    assert low.status_code == 400 and "低于规定的最低40%" in low.json()["detail"]


def test_bad_amounts_and_rules_are_400_with_the_rules_words(api_for, province_chair, province, heads):
    api = api_for(province_chair)
    url = f"/funding/units/{province.pk}/allocations/preview"
    for amount, words in (("-1", "分配金额要大于零"), ("1.001", "最多精确到分"), (0.005, "最多精确到分"),
                          ("abc", "要是数字")):
        answer = _post(api, url, {"basis": "women", "amount": amount})
        assert answer.status_code == 400 and words in answer.json()["detail"], (amount, answer.content)
        made = _post(api, f"/funding/units/{province.pk}/allocations",
                     {"basis": "women", "amount": amount, "title": "x", "pay_by": PAY_BY})
        assert made.status_code == 400 and words in made.json()["detail"]
    for rule, words in (({"basis": "fixed"}, "每个村(社区)妇联的金额"),
                        ({"basis": "fixed", "per_village": "-3"}, "每村定额要大于零"),
                        ({"basis": "women", "amount": "100", "level_keep": {"2": "10"}}, "留用比例"),
                        ({"basis": "women", "amount": "100", "floor_per_village": "1.234"}, "每村保底"),
                        ({"basis": "villages", "amount": "100", "care_weight": "2"}, "关爱对象加权"),
                        ({"basis": "women", "amount": "100", "target_level": 5, "min_village_share": "120"},
                         "到村最低比例")):
        answer = _post(api, url, rule)
        assert answer.status_code == 400 and words in answer.json()["detail"], (rule, answer.content)
    assert _post(api, url, {"basis": "lottery", "amount": "100"}).status_code == 422
    assert _post(api, url, {"basis": "women", "amount": "100", "year": 1999}).status_code == 422
    late = _post(api, f"/funding/units/{province.pk}/allocations",
                 {"basis": "women", "amount": "100", "title": "x", "pay_by": str(TODAY - dt.timedelta(days=1))})
    assert late.status_code == 400 and "拨付期限" in late.json()["detail"]
    assert not Allocation.objects.exists()


def test_staff_preview_but_only_leaders_confirm(api_for, unit, heads):
    staff = UserFactory(username="province-staff", unit=unit("河北省"), roles=[Role.STAFF])
    api = api_for(staff)
    rule = {"basis": "equal", "amount": "100.00"}
    assert _post(api, f"/funding/units/{unit('河北省').pk}/allocations/preview", rule).status_code == 200
    made = _post(api, f"/funding/units/{unit('河北省').pk}/allocations", {**rule, "title": "x", "pay_by": PAY_BY})
    assert made.status_code == 404 and not Allocation.objects.exists()


def test_the_county_next_door_sees_none_of_it(api_for, county_chair, sibling_county_cadre, unit, heads):
    county = unit("正定县")
    allocation = allocation_confirm(actor=county_chair, unit=county, year=YEAR, title="到乡镇",
                                    rule=rule_clean(county, basis=Basis.EQUAL), amount="1000.00",
                                    pay_by=TODAY + dt.timedelta(days=30))
    share = allocation.shares.order_by("unit_path").first()
    api = api_for(sibling_county_cadre)
    for url in (f"/funding/allocations/{allocation.pk}", f"/funding/allocations/{allocation.pk}/shares",
                f"/funding/allocations/{allocation.pk}/shares?under={share.pk}",
                f"/funding/units/{county.pk}/allocations", f"/funding/units/{share.unit_id}/shares"):
        assert api.get(f"/api/v1{url}").status_code == 404, url
    rule = {"basis": "equal", "amount": "100.00"}
    for url, body in ((f"/funding/units/{county.pk}/allocations/preview", rule),
                      (f"/funding/units/{county.pk}/allocations", {**rule, "title": "x", "pay_by": PAY_BY}),
                      (f"/funding/units/{unit('行唐县').pk}/allocations/preview",
                       {**rule, "from_share_id": share.pk}),
                      (f"/funding/allocations/{allocation.pk}/pay", {"unit_id": county.pk, "on_date": str(TODAY)}),
                      (f"/funding/allocations/{allocation.pk}/pay",
                       {"unit_id": unit("行唐县").pk, "on_date": str(TODAY)})):
        assert _post(api, url, body).status_code == 404, url
    assert Allocation.objects.count() == 1 and not Entry.objects.exists()
    # a share of another allocation is no `under` of this one
    other = allocation_confirm(actor=county_chair, unit=county, year=YEAR, title="再分", amount="10.00",
                               rule=rule_clean(county, basis=Basis.EQUAL), pay_by=TODAY + dt.timedelta(days=30))
    mine = api_for(county_chair)
    assert mine.get(f"/api/v1/funding/allocations/{other.pk}/shares", {"under": share.pk}).status_code == 404


def test_population_entered_then_weighed_by_the_per_head_rule(api_for, county_chair, sibling_county_cadre, unit):
    api = api_for(county_chair)
    for name, population in (("正定镇", 20000), ("新安镇", 5000), ("新安镇", 10000)):
        answer = api.put(f"/api/v1/funding/units/{unit(name).pk}/population",
                         {"year": YEAR, "population": population}, content_type="application/json")
        assert answer.status_code == 200, answer.content
        assert answer.json() == {"unit_id": unit(name).pk, "year": YEAR, "population": population}
    plan = _post(api, f"/funding/units/{unit('正定县').pk}/allocations/preview",
                 {"basis": "population", "amount": "3000.00"}).json()
    assert {s["unit_name"]: s["amount"] for s in plan["shares"]} == {"正定镇": "2000.00", "新安镇": "1000.00"}
    url = f"/api/v1/funding/units/{unit('正定镇').pk}/population"
    late = api.put(url, {"year": YEAR + 2, "population": 1}, content_type="application/json")
    assert late.status_code == 400 and "年度" in late.json()["detail"]
    assert api.put(url, {"year": YEAR, "population": -1}, content_type="application/json").status_code == 422
    assert api_for(sibling_county_cadre).put(url, {"year": YEAR, "population": 1},
                                             content_type="application/json").status_code == 404
