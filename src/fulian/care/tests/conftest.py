import datetime as dt

import pytest

from fulian.accounts.tests.factories import UserFactory
from fulian.conftest import division
from fulian.core.policy import Role
from fulian.orgs.divisions import divisions_load
from fulian.orgs.models import Unit
from fulian.people.families import family_create
from fulian.people.services import WomanData, woman_create

TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def beijing(tree):
    """A partner province (京津冀): 北京市 ─ 市辖区 ─ 朝阳区."""
    divisions_load(divisions=[division("110000000000", 1, "北京市"), division("110100000000", 2, "北京市市辖区"),
                              division("110105000000", 3, "朝阳区")])
    return {u.name: u for u in Unit.objects.filter(code__startswith="11")}


@pytest.fixture
def township_cadre(unit):
    return UserFactory(username="township-cadre", unit=unit("正定镇"), roles=[Role.STAFF])


@pytest.fixture
def county_staff(unit):
    return UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])


@pytest.fixture
def mother(village_cadre, unit):
    """王秀梅, a single mother of 恒东社区, born 1990."""
    return woman_create(actor=village_cadre, data=WomanData(name="王秀梅", home_unit=unit("恒东社区"),
                                                            phone="13803110001"))


@pytest.fixture
def mother_family(village_cadre, unit, mother):
    return family_create(actor=village_cadre, unit=unit("恒东社区"), name="王秀梅家", phone="13803110001",
                         woman=mother)


def at(days: int, hour: int = 9) -> dt.datetime:
    from django.utils import timezone

    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


@pytest.fixture
def course(unit, county_chair):
    """正定县's published training class, 3 places."""
    from fulian.activities import services

    made = services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={
            "title": "家政服务技能培训班", "kind": "course", "capacity": 3, "audience": "open",
            "organiser": "正定县妇联", "address": "正定县妇女儿童活动中心"},
        sessions=[(at(2), at(2, 11), "第一课"), (at(3), at(3, 11), "第二课")])
    return services.activity_publish(actor=county_chair, activity=made)
