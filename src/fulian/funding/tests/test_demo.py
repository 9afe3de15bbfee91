"""The demo's funding year on the fixture tree: the province's per-head allocation to its cities, 石家庄市's split to
its counties and 正定县's cascade to its villages sum to the fen at every level; the money paid down and confirmed
shows in the figures, which equal the recount; the linked expenses, the warning and the correction are there; a
second run adds nothing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.activities.demo_organise import demo_organise
from fulian.care.models import HelpPlan
from fulian.care.plans import plan_open
from fulian.core.policy import Role
from fulian.demo.management.commands.demo_setup import _funding_links
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold
from fulian.funding.demo import AMOUNT, demo_funding
from fulian.funding.models import Allocation, Entry, EntryKind, LinkKind, Population, Share, Source
from fulian.funding.selectors import funds_summary, villages_without_funds
from fulian.people.models import Woman

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(unit, heads, province_chair, city_chair, county_chair, village_chair, sibling_county_cadre):
    township = UserFactory(username="township-vice", unit=unit("正定镇"), roles=[Role.VICE_CHAIR])
    return {"hb-province": province_chair, "hb-city": city_chair, "hb-county": county_chair,
            "hb-township": township, "hb-village-chair": village_chair, "hb-other-county": sibling_county_cadre}


def _counts():
    return {model.__name__: model.objects.count() for model in (Allocation, Share, Entry, Population)}


def _sums_to_the_fen(allocation: Allocation) -> None:
    shares = list(allocation.shares.all())
    assert sum(s.amount for s in shares if s.parent_id is None) == allocation.amount
    for share in shares:
        below = [s.amount for s in shares if s.parent_id == share.pk]
        if below:
            assert share.kept + sum(below) == share.amount


def test_the_demo_funding_year_adds_up_and_equals_the_recount(unit, users):
    demo_organise(users=users)  # 正定县's trainings: the county's expense is linked to the first
    today = timezone.localdate()
    woman = Woman.objects.filter(home_unit=unit("恒东社区")).order_by("pk").first()
    plan_open(actor=users["hb-village-chair"], woman=woman, title="困难帮扶", responsible=users["hb-village-chair"],
              review_on=today + dt.timedelta(days=30), today=today,
              goals=[{"category": "hardship", "text": "生活困难，需要临时救助"}])
    links = _funding_links(users)
    assert links["activity_id"] and links["help_plan_id"] == HelpPlan.objects.get().pk

    made = demo_funding(users=users, **links)
    assert made["created"]
    before = _counts()
    assert demo_funding(users=users, **links) == {"created": False}
    assert _counts() == before

    first, second, third = (Allocation.objects.get(pk=pk) for pk in made["allocations"])
    for allocation in (first, second, third):
        _sums_to_the_fen(allocation)
    assert first.amount == AMOUNT and made["cities"] == 2  # 石家庄市 and 保定市 by their population
    city_share = first.shares.get(unit=unit("石家庄市"))
    assert second.from_share == city_share and second.amount + second.kept == city_share.amount
    county_share = second.shares.get(unit=unit("正定县"))
    assert third.from_share == county_share and third.amount + third.kept == county_share.amount
    assert third.root == first and float(third.village_share) >= 0.4

    # paid down the chain, every confirmed receipt equal to its share and counted on it
    for share in Share.objects.filter(allocation__in=[first, second, third], received__gt=0):
        got = Entry.objects.filter(share=share, kind=EntryKind.RECEIPT).aggregate(t=Sum("amount"))["t"]
        assert got == share.received == share.amount == share.paid
    villages = Entry.objects.filter(kind=EntryKind.RECEIPT, level=5, source=Source.PARENT)
    assert villages.count() == made["villages_confirmed"] == 3

    # the expenses: the links, the village over its receipts, the correction reversed and posted anew
    expenses = Entry.objects.filter(kind=EntryKind.EXPENSE)
    assert expenses.get(link_kind=LinkKind.ACTIVITY).link_title.startswith("龙妹家政")
    assert expenses.get(link_kind=LinkKind.HELP_PLAN).unit == unit("恒东社区")
    warned = expenses.exclude(warning="")
    assert warned.count() == made["warnings"] == 1 and warned.get().unit.level == 5
    reversal = expenses.get(reverses__isnull=False)
    assert reversal.amount == Decimal("-6300.00") and expenses.get(replaces=reversal.reverses).amount == Decimal(
        "3600.00")
    assert Entry.objects.get(kind=EntryKind.RECEIPT, source=Source.GOVERNMENT, unit=unit("正定县")).payer

    figures_fold()
    assert recount().differences == []
    province = funds_summary(users["hb-province"], unit("河北省"), today.year)
    assert province["subtree"]["villages_reached"] == 3
    assert province["subtree"]["funds_in_village"] == villages.aggregate(t=Sum("amount"))["t"]
    county = funds_summary(users["hb-county"], unit("正定县"), today.year)
    assert county["own"]["by_source"][Source.GOVERNMENT] == Decimal("80000.00")
    assert county["own"]["spent"] == Decimal("15600.00")  # 12,000 of training and the corrected 3,600
    assert not villages_without_funds(users["hb-county"], unit("正定县"), today.year).exists()
