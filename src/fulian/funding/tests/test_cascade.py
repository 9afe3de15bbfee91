"""The issue's walk: the province allocates 10,000,000.00 yuan per head to its cities, a city cascades to its
counties and a county to its villages; every level sums to its parent to the fen; a 40 % minimum village share
refuses a cascade that leaves 35 %; a village's receipt shows in the province's share at once and equals the
recount."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.core.figures import figure_values
from fulian.dispatch.models import Recipient, RecipientState
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold
from fulian.funding.allocations import allocation_confirm, allocation_preview, rule_clean
from fulian.funding.ledger import receipt_confirm, shares_pay
from fulian.funding.models import Basis, Entry, Share
from fulian.funding.selectors import funds_summary, villages_without_funds

YEAR = timezone.localdate().year
PAY_BY = timezone.localdate() + dt.timedelta(days=30)


def _sum(allocation) -> Decimal:
    return sum((s.amount for s in allocation.shares.filter(parent=None)), Decimal(0))


@pytest.fixture
def province_allocation(unit, province_chair, heads):
    rule = rule_clean(unit("河北省"), basis=Basis.WOMEN, min_village_share="40")
    return allocation_confirm(actor=province_chair, unit=unit("河北省"), year=YEAR, title="2026年基层妇联工作经费",
                              amount="10000000.00", rule=rule, pay_by=PAY_BY)


@pytest.mark.django_db
def test_per_head_cascade_sums_to_the_fen_at_every_level(unit, province_allocation, city_chair, county_chair):
    shares = {s.unit.name: s for s in province_allocation.shares.select_related("unit")}
    # 100 women in 石家庄市, 50 in 保定市: two thirds and one third; the odd fen goes by the largest remainder
    assert shares["石家庄市"].amount == Decimal("6666666.67")
    assert shares["保定市"].amount == Decimal("3333333.33")
    assert _sum(province_allocation) == Decimal("10000000.00")

    city_share = shares["石家庄市"]
    city = allocation_confirm(actor=city_chair, unit=unit("石家庄市"), year=YEAR, title="转拨", from_share=city_share,
                              kept="666666.67", rule=rule_clean(unit("石家庄市"), basis=Basis.WOMEN), pay_by=PAY_BY)
    assert city.amount == Decimal("6000000.00") and city.root == province_allocation
    assert city.amount + city.kept == city_share.amount
    county_shares = {s.unit.name: s for s in city.shares.select_related("unit")}
    assert county_shares["正定县"].amount == Decimal("3600000.00")  # 60 of 100 women
    assert county_shares["行唐县"].amount == Decimal("2400000.00")
    assert _sum(city) == city.amount

    # the county straight to its villages through its townships, each township keeping 5 %
    county_share = county_shares["正定县"]
    rule = rule_clean(unit("正定县"), basis=Basis.WOMEN, target_level=5, level_keep={4: "5"})
    county = allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="到村", rule=rule,
                                from_share=county_share, kept="360000.00", pay_by=PAY_BY)
    assert county.amount == Decimal("3240000.00")
    by_unit = {s.unit.name: s for s in county.shares.select_related("unit")}
    for township in ("正定镇", "新安镇"):
        t = by_unit[township]
        assert t.kept + sum(c.amount for c in t.children.all()) == t.amount
    assert _sum(county) == county.amount
    assert by_unit["正定镇"].amount == Decimal("2700000.00")  # 50 of 60 women
    assert by_unit["正定镇"].kept == Decimal("135000.00")
    assert by_unit["恒东社区"].amount == Decimal("1539000.00")  # 30 of 50 of 2,565,000
    # the plan's village share: 3,077,999.99… of the 3,600,000 share, which had 0.9 of the province's money in it
    assert 0.76 < float(county.village_share) < 0.77
    # the dispatch went to the villages, one copy each
    assert Recipient.objects.filter(dispatch=county.dispatch).count() == 3


@pytest.mark.django_db
def test_a_cascade_below_the_minimum_village_share_is_refused(unit, province_allocation, city_chair, county_chair):
    city_share = province_allocation.shares.get(unit=unit("石家庄市"))
    city = allocation_confirm(actor=city_chair, unit=unit("石家庄市"), year=YEAR, title="转拨", from_share=city_share,
                              kept=str(city_share.amount * Decimal("0.1")).split(".")[0],
                              rule=rule_clean(unit("石家庄市"), basis=Basis.WOMEN), pay_by=PAY_BY)
    county_share = city.shares.get(unit=unit("正定县"))
    rule = rule_clean(unit("正定县"), basis=Basis.WOMEN, target_level=5)
    # the county would keep 61.1 %: 0.9 × 0.389 = 35 % reaches the villages
    keep = (county_share.amount * Decimal("0.61111")).quantize(Decimal("0.01"))
    with pytest.raises(ValidationError) as refused:
        allocation_preview(actor=county_chair, unit=unit("正定县"), year=YEAR, rule=rule, from_share=county_share,
                           kept=keep)
    assert "35.0%" in refused.value.messages[0] and "40" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="到村", rule=rule,
                           from_share=county_share, kept=keep, pay_by=PAY_BY)
    assert not Share.objects.filter(allocation__from_share=county_share).exists()
    # keeping a third leaves 60 %: allowed
    allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="到村", rule=rule,
                       from_share=county_share, kept=(county_share.amount / 3).quantize(Decimal("0.01")),
                       pay_by=PAY_BY)


@pytest.mark.django_db
def test_a_village_receipt_shows_in_the_provinces_share_at_once(unit, province_allocation, province_chair,
                                                                  city_chair, county_chair, village_chair):
    today = timezone.localdate()
    city_share = province_allocation.shares.get(unit=unit("石家庄市"))
    city = allocation_confirm(actor=city_chair, unit=unit("石家庄市"), year=YEAR, title="转拨", from_share=city_share,
                              rule=rule_clean(unit("石家庄市"), basis=Basis.WOMEN), pay_by=PAY_BY)
    county_share = city.shares.get(unit=unit("正定县"))
    county = allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="到村",
                                from_share=county_share, pay_by=PAY_BY,
                                rule=rule_clean(unit("正定县"), basis=Basis.WOMEN, target_level=5))
    assert shares_pay(actor=province_chair, unit=unit("河北省"), allocation=province_allocation, on_date=today) == 2
    assert shares_pay(actor=province_chair, unit=unit("河北省"), allocation=province_allocation, on_date=today) == 0
    assert shares_pay(actor=county_chair, unit=unit("正定县"), allocation=county, on_date=today) == 2  # townships
    assert shares_pay(actor=county_chair, unit=unit("正定镇"), allocation=county, on_date=today) == 2  # its villages
    paid = Entry.objects.get(kind="disbursement", other_unit=unit("恒东社区"))
    start, end = YEAR * 100 + 1, YEAR * 100 + 12
    before = figure_values([unit("河北省").pk], ["funds_village_share"], start=start, end=end)[unit("河北省").pk]
    assert before["funds_village_share"] == 0.0

    receipt = receipt_confirm(actor=village_chair, disbursement=paid, on_date=today)
    assert receipt.amount == paid.amount and receipt.root_id == province_allocation.pk

    values = figure_values([unit("河北省").pk, unit("正定县").pk],
                           ["funds_village_share", "funds_in_village", "funds_allocated", "funds_villages_reached"],
                           start=start, end=end)
    province = values[unit("河北省").pk]
    assert province["funds_in_village"] == receipt.amount
    assert province["funds_allocated"] == Decimal("10000000.00")
    assert province["funds_village_share"] == pytest.approx(float(receipt.amount / Decimal("10000000")))
    assert province["funds_villages_reached"] == 1
    assert values[unit("正定县").pk]["funds_village_share"] == pytest.approx(float(receipt.amount / county.amount))
    # the village's copy of the county's dispatch is done: it received its share in full
    recipient = Recipient.objects.get(dispatch=county.dispatch, unit=unit("恒东社区"))
    assert recipient.state == RecipientState.DONE
    summary = funds_summary(province_chair, unit("河北省"), YEAR)
    assert summary["subtree"]["villages"] == 5 and summary["subtree"]["villages_reached"] == 1
    assert summary["subtree"]["villages_without"] == 4
    assert list(villages_without_funds(province_chair, unit("河北省"), YEAR).values_list("name", flat=True)) == [
        "张家庄村", "西柏棠村", "南关村", "东街村"]
    city_row = next(r for r in summary["children"] if r["unit"].name == "石家庄市")
    assert city_row["allocated"] == city_share.amount and city_row["villages_received"] == receipt.amount
    assert summary["own"]["passed"] == Decimal("10000000.00")
    figures_fold()
    assert recount().differences == []
