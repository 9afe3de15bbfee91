"""经费 pages of a unit's year through the HTTP client: her own unit's page, a child's by drilling down, the money
waiting to be confirmed with its button, the shares from above with 往下分配, the allocations made, the village
share after a village confirmed; the villages without money page by page; population entered for the per-head
rule (bad input kept with its message); the unit page's section; the menu entry; a sibling county sees none of it
and bad parameters are 400."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.audit import AuditEvent
from fulian.core.menu import menu_for
from fulian.core.policy import Role
from fulian.funding.allocations import allocation_confirm, rule_clean
from fulian.funding.ledger import receipt_confirm, receipts_to_confirm, shares_pay
from fulian.funding.models import Basis, Population

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year


def _to_villages(actor, county, amount="9000.00", **kw):
    """The county's own budget line per village federation, through its townships (3 villages: 3,000.00 each)."""
    rule = rule_clean(county, basis=Basis.VILLAGES, target_level=5, **kw)
    return allocation_confirm(actor=actor, unit=county, year=YEAR, title="村级妇联工作经费", rule=rule, amount=amount,
                              pay_by=TODAY + dt.timedelta(days=30))


def _paid_to_villages(county_chair, unit):
    allocation = _to_villages(county_chair, unit("正定县"))
    shares_pay(actor=county_chair, unit=unit("正定县"), allocation=allocation, on_date=TODAY)
    shares_pay(actor=county_chair, unit=unit("正定镇"), allocation=allocation, on_date=TODAY)
    return allocation


def test_her_own_units_year_with_the_village_share_and_its_children(client_for, county_chair, village_cadre, unit):
    allocation = _paid_to_villages(county_chair, unit)
    waiting = receipts_to_confirm(unit("恒东社区")).get()
    receipt_confirm(actor=village_cadre, disbursement=waiting, on_date=TODAY)
    page = client_for(county_chair).get(reverse("funding_home"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "正定县妇联" in html and "9000.00" in html  # allocated
    assert "33.3%" in html  # 3,000 of 9,000 reached a village
    assert "1 / 3" in html  # villages reached of villages
    children = {row["unit"].name: row for row in page.context["children"]}
    assert children["正定镇"]["allocated"] == Decimal("6000.00")
    assert children["新安镇"]["allocated"] == Decimal("3000.00")
    assert children["正定镇"]["villages_received"] == Decimal("3000.00")
    assert reverse("funding_unit", args=[unit("正定镇").pk]) in html  # drill down
    assert reverse("funding_allocation", args=[allocation.pk]) in html
    assert reverse("funding_villages_without", args=[unit("正定县").pk]) in html


def test_drilling_down_to_a_township_shows_its_share_and_what_waits_to_be_confirmed(client_for, county_chair, unit):
    allocation = _to_villages(county_chair, unit("正定县"))
    shares_pay(actor=county_chair, unit=unit("正定县"), allocation=allocation, on_date=TODAY)
    page = client_for(county_chair).get(reverse("funding_unit", args=[unit("正定镇").pk]), {"year": YEAR})
    html = page.content.decode()
    assert page.status_code == 200
    waiting = receipts_to_confirm(unit("正定镇")).get()
    assert reverse("funding_receipt_confirm", args=[waiting.pk]) in html and "确认到账" in html
    share = page.context["shares"][0]
    assert share["between"] and share["may_pay"] and not share["may_split"]  # cascaded: it pays its villages
    assert reverse("funding_share_pay", args=[share["share"].pk]) in html


def test_a_share_reaching_the_county_whole_offers_to_split_it_on(client_for, city_chair, county_chair, unit):
    city = allocation_confirm(actor=city_chair, unit=unit("石家庄市"), year=YEAR, title="县级经费",
                              rule=rule_clean(unit("石家庄市"), basis=Basis.EQUAL), amount="10000.00",
                              pay_by=TODAY + dt.timedelta(days=30))
    share = city.shares.get(unit=unit("正定县"))
    page = client_for(county_chair).get(reverse("funding_home"))
    html = page.content.decode()
    assert "县级经费" in html and reverse("funding_share_split", args=[share.pk]) in html
    assert reverse("funding_allocation", args=[city.pk]) not in html  # the city's allocation is above her scope


def test_a_village_cadre_confirms_money_passed_down_once(client_for, county_chair, village_cadre, unit):
    _paid_to_villages(county_chair, unit)
    waiting = receipts_to_confirm(unit("恒东社区")).get()
    client = client_for(village_cadre)
    html = client.get(reverse("funding_home")).content.decode()
    assert reverse("funding_receipt_confirm", args=[waiting.pk]) in html
    url = reverse("funding_receipt_confirm", args=[waiting.pk])
    done = client.post(url, {"on_date": TODAY.isoformat()}, follow=True)
    assert "已确认到账3000.00元" in done.content.decode()
    again = client.post(url, {"on_date": TODAY.isoformat()}, follow=True)  # a double tap
    assert "已经确认到账" in again.content.decode()
    assert waiting.confirmed_by is not None
    from fulian.funding.models import Entry

    assert Entry.objects.filter(disbursement=waiting).count() == 1


def test_a_confirmation_with_a_bad_date_says_why(client_for, county_chair, village_cadre, unit):
    _paid_to_villages(county_chair, unit)
    waiting = receipts_to_confirm(unit("恒东社区")).get()
    url = reverse("funding_receipt_confirm", args=[waiting.pk])
    late = client_for(village_cadre).post(url, {"on_date": (TODAY + dt.timedelta(days=2)).isoformat()}, follow=True)
    assert "日期不能在今天之后" in late.content.decode()
    empty = client_for(village_cadre).post(url, {"on_date": "明天"}, follow=True)
    assert "请填写到账日期" in empty.content.decode()
    assert receipts_to_confirm(unit("恒东社区")).count() == 1


def test_the_villages_without_money_page_by_page(client_for, county_chair, village_cadre, unit):
    _paid_to_villages(county_chair, unit)
    receipt_confirm(actor=village_cadre, disbursement=receipts_to_confirm(unit("恒东社区")).get(), on_date=TODAY)
    page = client_for(county_chair).get(reverse("funding_villages_without", args=[unit("正定县").pk]), {"year": YEAR})
    names = [v.name for v in page.context["page"].object_list]
    assert names == ["张家庄村", "西柏棠村"]
    assert "正定镇" in page.content.decode()  # each village with the units above it


def test_population_is_entered_for_the_children_and_bad_input_is_kept(client_for, county_chair, unit):
    client = client_for(county_chair)
    url = reverse("funding_population", args=[unit("正定县").pk])
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200 and "正定镇" in page.content.decode() and "新安镇" in page.content.decode()
    town, xin = unit("正定镇").pk, unit("新安镇").pk
    bad = client.post(url, {"year": YEAR, f"p_{town}": "12,000", f"p_{xin}": "八千"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "新安镇的人口数要是不超过2亿的整数" in html and 'value="八千"' in html and 'value="12,000"' in html
    assert not Population.objects.exists()
    done = client.post(url, {"year": YEAR, f"p_{town}": "12,000", f"p_{xin}": "8000"})
    assert done.status_code == 302
    assert dict(Population.objects.values_list("unit__name", "population")) == {"正定镇": 12000, "新安镇": 8000}
    client.post(url, {"year": YEAR, f"p_{town}": "12500", f"p_{xin}": ""})  # blank keeps what was entered
    assert dict(Population.objects.values_list("unit__name", "population")) == {"正定镇": 12500, "新安镇": 8000}
    assert AuditEvent.objects.filter(action="funding.population").count() == 3
    assert 'value="12500"' in client.get(url, {"year": YEAR}).content.decode()


def test_population_is_weighed_by_the_per_head_rule(client_for, county_chair, unit):
    client_for(county_chair).post(reverse("funding_population", args=[unit("正定县").pk]), {
        "year": YEAR, f"p_{unit('正定镇').pk}": "3000", f"p_{unit('新安镇').pk}": "1000"})
    rule = rule_clean(unit("正定县"), basis=Basis.POPULATION)
    allocation = allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="按人口", rule=rule,
                                    amount="4000.00", pay_by=TODAY)
    assert dict(allocation.shares.values_list("unit__name", "amount")) == {"正定镇": Decimal("3000.00"),
                                                                           "新安镇": Decimal("1000.00")}


def test_a_viewer_sees_the_population_but_cannot_enter_it(client_for, unit):
    executive = UserFactory(unit=unit("正定县"), roles=[Role.EXECUTIVE])
    client = client_for(executive)
    url = reverse("funding_population", args=[unit("正定县").pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"year": YEAR, f"p_{unit('正定镇').pk}": "1"}).status_code == 404
    assert not Population.objects.exists()


def test_the_unit_page_shows_the_years_funds_in_two_lines(client_for, county_chair, village_cadre, unit):
    _paid_to_villages(county_chair, unit)
    receipt_confirm(actor=village_cadre, disbursement=receipts_to_confirm(unit("恒东社区")).get(), on_date=TODAY)
    html = client_for(county_chair).get(reverse("unit_detail", args=[unit("正定县").pk])).content.decode()
    section = html[html.index('id="funding"'):]
    section = section[:section.index("</section>")]
    assert "往下分配9000.00元" in section and "经费到村比例33.3%" in section and "已到账村1/3" in section
    assert reverse("funding_unit", args=[unit("正定县").pk]) in section
    village = client_for(village_cadre).get(reverse("unit_detail", args=[unit("恒东社区").pk])).content.decode()
    assert "本单位到账3000.00元" in village


def test_the_menu_offers_funding_to_every_cadre(unit, village_cadre, county_chair):
    for user in (village_cadre, county_chair):
        menu = menu_for(user)
        assert "funding" in [e["key"] for e in menu["first"] + menu["more"]]


@pytest.mark.parametrize("name", ["funding_unit", "funding_villages_without", "funding_population",
                                  "funding_ledger", "funding_allocate"])
def test_a_sibling_county_gets_404_on_the_pages_of_a_unit(client_for, sibling_county_cadre, unit, name):
    assert client_for(sibling_county_cadre).get(reverse(name, args=[unit("正定县").pk])).status_code == 404


def test_a_sibling_county_cannot_confirm_anothers_receipt(client_for, county_chair, sibling_county_cadre, unit):
    _paid_to_villages(county_chair, unit)
    waiting = receipts_to_confirm(unit("恒东社区")).get()
    answer = client_for(sibling_county_cadre).post(reverse("funding_receipt_confirm", args=[waiting.pk]),
                                                   {"on_date": TODAY.isoformat()})
    assert answer.status_code == 404 and receipts_to_confirm(unit("恒东社区")).count() == 1


@pytest.mark.parametrize("name, query", [
    ("funding_unit", {"year": "²⁰²⁶"}), ("funding_unit", {"year": "1999"}), ("funding_unit", {"year": "99999"}),
    ("funding_villages_without", {"year": "x"}), ("funding_villages_without", {"page": "٣"}),
    ("funding_population", {"year": "-1"})])
def test_bad_parameters_are_a_400(client_for, county_chair, unit, name, query):
    assert client_for(county_chair).get(reverse(name, args=[unit("正定县").pk]), query).status_code == 400


def test_the_home_page_takes_a_year(client_for, county_chair):
    assert client_for(county_chair).get(reverse("funding_home"), {"year": "x"}).status_code == 400
    assert client_for(county_chair).get(reverse("funding_home"), {"year": YEAR - 1}).status_code == 200
