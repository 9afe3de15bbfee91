"""Named things of a family-award campaign, on the fixture tree (河北省 ─ 石家庄市 ─ 正定县 / 行唐县 …):
石家庄市 launches 2026 最美家庭 to its counties; each village recommends up to 2, each township up to 2, each county
up to 1; the city awards 十佳 (1) and 百优 (2); a public vote runs; 公示 lasts 5 working days."""

import datetime as dt

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.awards.campaigns import campaign_launch
from fulian.core.policy import Role
from fulian.people.families import family_create
from fulian.people.services import WomanData, woman_create


def day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def city_chair(unit):
    return UserFactory(username="city-chair", unit=unit("石家庄市"), roles=[Role.CHAIR])


@pytest.fixture
def township_cadre(unit):
    return UserFactory(username="township-cadre", unit=unit("正定镇"), roles=[Role.STAFF])


@pytest.fixture
def campaign(unit, city_chair):
    return campaign_launch(
        actor=city_chair, unit=unit("石家庄市"), kind="most_beautiful", name="2026年度石家庄市“最美家庭”", year=2026,
        level=3, nominate_until=day(10), review_until=day(30), quotas={"5": 2, "4": 2, "3": 1},
        tiers=[{"name": "十佳", "quota": 1}, {"name": "百优", "quota": 2}], vote_from=day(0), vote_until=day(40))


@pytest.fixture
def woman(unit, county_chair):
    return woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                          phone="13803110001"))


@pytest.fixture
def family(unit, county_chair, woman):
    """王秀兰家 of 恒东社区, with 王秀兰 (a registry woman) as its head."""
    return family_create(actor=county_chair, unit=unit("恒东社区"), name="王秀兰家", address="恒东社区3号楼",
                         phone="13803110001", woman=woman)
