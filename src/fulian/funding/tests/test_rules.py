"""Each rule of an allocation: per head, per population (a unit without an entry counts those below it), per
village, equally, a fixed amount per village, care weights, floors, what the levels in between keep; and the
mistakes a form can make, each refused with what to change."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.core.policy import OutOfScope
from fulian.funding.allocations import allocation_confirm, allocation_preview, rule_clean
from fulian.funding.models import Allocation, Basis, Population

YEAR = timezone.localdate().year


def _plan(actor, unit, amount="1000.00", **rule):
    return allocation_preview(actor=actor, unit=unit, year=YEAR, amount=amount, rule=rule_clean(unit, **rule))


def _by_name(plan):
    return {n.name: plan.amount_of(n) for n in plan.nodes}


@pytest.mark.django_db
def test_per_head_counts_the_registry_under_each_unit(unit, county_chair, heads):
    plan = _plan(county_chair, unit("正定县"), basis=Basis.WOMEN)
    assert _by_name(plan) == {"正定镇": Decimal("833.33"), "新安镇": Decimal("166.67")}  # 50 : 10


@pytest.mark.django_db
def test_per_village_equal_and_fixed(unit, county_chair, heads):
    assert _by_name(_plan(county_chair, unit("正定县"), basis=Basis.VILLAGES)) == {
        "正定镇": Decimal("666.67"), "新安镇": Decimal("333.33")}
    assert _by_name(_plan(county_chair, unit("正定县"), basis=Basis.EQUAL)) == {
        "正定镇": Decimal("500.00"), "新安镇": Decimal("500.00")}
    fixed = allocation_preview(actor=county_chair, unit=unit("正定县"), year=YEAR,
                               rule=rule_clean(unit("正定县"), basis=Basis.FIXED, per_village="2000"))
    assert fixed.amount == Decimal("6000.00") and _by_name(fixed) == {"正定镇": Decimal("4000.00"),
                                                                      "新安镇": Decimal("2000.00")}


@pytest.mark.django_db
def test_population_a_unit_without_an_entry_counts_those_below_it(unit, county_chair):
    now = timezone.now()
    for name, n in (("恒东社区", 3000), ("张家庄村", 1000), ("新安镇", 4000)):
        Population.objects.create(unit=unit(name), unit_path=unit(name).path, year=YEAR, population=n, updated_at=now)
    assert _by_name(_plan(county_chair, unit("正定县"), basis=Basis.POPULATION)) == {
        "正定镇": Decimal("500.00"), "新安镇": Decimal("500.00")}


@pytest.mark.django_db
def test_women_in_care_count_extra(unit, county_chair, village_cadre, heads):
    from fulian.care.registry import membership_add
    from fulian.people.models import Woman

    today = timezone.localdate()
    for woman in Woman.objects.filter(unit_path=unit("西柏棠村").path)[:10]:
        membership_add(actor=county_chair, woman=woman, group="low_income", low_income_kind="dibao",
                       start_on=today, today=today)
    # 西柏棠村's 10 women all in care count double with weight 1: 50 : 20
    assert _by_name(_plan(county_chair, unit("正定县"), basis=Basis.WOMEN, care_weight="1")) == {
        "正定镇": Decimal("714.29"), "新安镇": Decimal("285.71")}
    with pytest.raises(ValidationError):
        rule_clean(unit("正定县"), basis=Basis.VILLAGES, care_weight="1")


@pytest.mark.django_db
def test_a_floor_per_village_comes_first(unit, county_chair, heads):
    plan = _plan(county_chair, unit("正定县"), basis=Basis.WOMEN, target_level=5, floor_per_village="200")
    amounts = _by_name(plan)
    assert amounts["西柏棠村"] >= Decimal("200.00") and amounts["恒东社区"] >= Decimal("200.00")
    assert sum(amounts[v] for v in ("恒东社区", "张家庄村", "西柏棠村")) == Decimal("1000.00")
    assert amounts["西柏棠村"] == Decimal("266.67")  # 200 + 400 × 10/60
    with pytest.raises(ValidationError) as refused:
        _plan(county_chair, unit("正定县"), basis=Basis.WOMEN, target_level=5, floor_per_village="400")
    assert "保底" in refused.value.messages[0]


@pytest.mark.django_db
def test_levels_in_between_keep_their_percentage_and_pass_the_rest_on(unit, province_chair, heads):
    plan = _plan(province_chair, unit("河北省"), amount="1000000.00", basis=Basis.WOMEN, target_level=5,
                 level_keep={2: "10", 3: "10", 4: "0"})
    nodes = {n.name: n for n in plan.nodes}
    for node in plan.nodes:
        if node.children:
            assert node.kept + sum(c.amount for c in node.children) == node.amount
    assert nodes["石家庄市"].kept == nodes["石家庄市"].amount // 10
    assert plan.village_share == pytest.approx(0.81, abs=1e-6)
    assert sum(n.amount for n in plan.leaves) + sum(n.kept for n in plan.nodes) == 100000000


@pytest.mark.django_db
@pytest.mark.parametrize("rule, message", [
    ({"basis": "per_smile"}, "分配依据"),
    ({"basis": "women", "target_level": 3}, "本级以下"),
    ({"basis": "women", "target_level": "x"}, "哪一级"),
    ({"basis": "fixed"}, "每个村"),
    ({"basis": "women", "target_level": 5, "level_keep": {4: "100"}}, "0到100"),
    ({"basis": "women", "target_level": 5, "level_keep": {5: "10"}}, "之间的各级"),
    ({"basis": "women", "min_village_share": "-1"}, "0到100"),
    ({"basis": "women", "floor_per_village": "-1"}, "大于零"),
])
def test_a_mistaken_rule_says_what_to_change(unit, rule, message):
    with pytest.raises(ValidationError) as refused:
        rule_clean(unit("正定县"), **rule)
    assert message in refused.value.messages[0]


@pytest.mark.django_db
def test_staff_preview_and_leaders_confirm_and_a_share_splits_once(unit, province_chair, county_chair, heads):
    from fulian.accounts.tests.factories import UserFactory

    staff = UserFactory(username="county-staff", unit=unit("正定县"), roles=["staff"])
    rule = rule_clean(unit("正定县"), basis=Basis.WOMEN)
    assert _plan(staff, unit("正定县"), basis=Basis.WOMEN).amount == Decimal("1000.00")
    pay_by = timezone.localdate() + dt.timedelta(days=10)
    with pytest.raises(OutOfScope):
        allocation_confirm(actor=staff, unit=unit("正定县"), year=YEAR, title="x", amount="1000", rule=rule,
                           pay_by=pay_by)
    with pytest.raises(OutOfScope):
        allocation_preview(actor=county_chair, unit=unit("河北省"), year=YEAR, amount="1", rule=rule)
    top = allocation_confirm(actor=province_chair, unit=unit("河北省"), year=YEAR, title="省级", amount="100000",
                             rule=rule_clean(unit("河北省"), basis=Basis.WOMEN, target_level=3), pay_by=pay_by,
                             client_token="alloc-1")
    again = allocation_confirm(actor=province_chair, unit=unit("河北省"), year=YEAR, title="省级", amount="100000",
                               rule=rule_clean(unit("河北省"), basis=Basis.WOMEN, target_level=3), pay_by=pay_by,
                               client_token="alloc-1")
    assert again.pk == top.pk and Allocation.objects.count() == 1
    county_share = top.shares.get(unit=unit("正定县"))
    allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="到乡", rule=rule,
                       from_share=county_share, pay_by=pay_by)
    with pytest.raises(ValidationError):
        allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="再分", rule=rule,
                           from_share=county_share, pay_by=pay_by)
    city_share = top.shares.get(unit=unit("石家庄市"))  # a unit in between: its money went down by the province's rule
    with pytest.raises(ValidationError):
        allocation_preview(actor=province_chair, unit=unit("石家庄市"), year=YEAR, rule=rule_clean(
            unit("石家庄市"), basis=Basis.WOMEN), from_share=city_share)
