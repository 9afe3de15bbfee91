import datetime as dt

import pytest
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import Role
from fulian.supervision import services
from fulian.work.services import task_issue


@pytest.fixture
def city_chair(unit):
    return UserFactory(username="city-chair", full_name="张丽华", unit=unit("石家庄市"), roles=[Role.CHAIR])


@pytest.fixture
def city_staff(unit):
    return UserFactory(username="city-staff", full_name="王芳", unit=unit("石家庄市"), roles=[Role.STAFF])


@pytest.fixture
def team(unit, city_chair, city_staff):
    """石家庄市's team over 正定县 (行唐县 is not its region here: its chair must see none of 正定县's items)."""
    return services.team_create(actor=city_chair, unit=unit("石家庄市"), name="第一督导组",
                                members=[city_chair, city_staff], regions=[unit("正定县")])


@pytest.fixture
def county_task(unit, county_chair):
    """A work task 正定县 sent to its townships: what a visit checks."""
    return task_issue(actor=county_chair, unit=unit("正定县"), title="学习会议精神", body="x",
                      deadline=timezone.now() + dt.timedelta(days=3), period_start=202601, period_end=202606,
                      level=4)


def today():
    return timezone.localdate()
