import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.conftest import TREE, division
from fulian.core.figures import STANDING, figures_add, period_of
from fulian.core.policy import Role
from fulian.orgs.divisions import divisions_load
from fulian.orgs.models import Unit
from fulian.people.models import Woman


@pytest.fixture
def baoding(tree):
    """A second city of Hebei, so the province splits among two: 保定市 ─ 满城区 ─ 满城镇 ─ 东街村."""
    hebei = [division(*row) for row in TREE if row[0].startswith("13")]
    divisions_load(divisions=hebei + [division("130600000000", 2, "保定市"), division("130607000000", 3, "满城区"),
                                      division("130607100000", 4, "满城镇"), division("130607100201", 5, "东街村")])
    return {u.name: u for u in Unit.objects.filter(code__startswith="1306")}


def women_at(unit, n: int) -> None:
    """`n` women registered at `unit` (straight rows and their figures: the per-head rule counts the registry)."""
    Woman.objects.bulk_create([Woman(name=f"女{i}", home_unit=unit, unit_path=unit.path) for i in range(n)])
    figures_add([(unit.path, STANDING, "women", n), (unit.path, period_of(timezone.now()), "women_registered", n)])


@pytest.fixture
def heads(unit, baoding):
    """恒东社区 30, 张家庄村 20, 西柏棠村 10, 南关村 40 (石家庄市 100) and 东街村 50 (保定市)."""
    for name, n in (("恒东社区", 30), ("张家庄村", 20), ("西柏棠村", 10), ("南关村", 40)):
        women_at(unit(name), n)
    women_at(baoding["东街村"], 50)


@pytest.fixture
def city_chair(unit):
    return UserFactory(username="city-chair", unit=unit("石家庄市"), roles=[Role.CHAIR])


@pytest.fixture
def village_chair(unit):
    return UserFactory(username="village-chair", unit=unit("恒东社区"), roles=[Role.CHAIR])
