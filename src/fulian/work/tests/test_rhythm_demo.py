"""The demo of the rhythm of the work runs on the fixture tree, twice, and shows what the README says it shows."""

import datetime as dt

import pytest

from fulian.accounts.tests.factories import UserFactory
from fulian.contacts import selectors as contact_selectors
from fulian.contacts.demo import demo_field_weeks
from fulian.contacts.services import quota_for
from fulian.core.policy import Role
from fulian.orgs import building
from fulian.orgs.demo import demo_staff
from fulian.work import selectors
from fulian.work.demo import demo_priorities

TODAY = dt.date(2026, 11, 25)


@pytest.mark.django_db
def test_demo_rhythm_twice(unit, county_chair):
    users = {"hb-province": UserFactory(username="hb-province", unit=unit("河北省"), roles=[Role.CHAIR]),
             "hb-county": county_chair,
             "hb-township": UserFactory(username="hb-township", unit=unit("正定镇"), roles=[Role.VICE_CHAIR])}
    county = unit("正定县")
    for _run in range(2):
        priorities = demo_priorities(users=users, year=2026)
        staff = demo_staff(actor=users["hb-province"], users=users, county=county)
        weeks = demo_field_weeks(chair=county_chair, county=county, today=TODAY)
    assert (priorities["sets"], staff["staff"], weeks["held"]) == (0, 0, 0)  # the second run adds nothing
    township = selectors.priorities_of_unit(unit("新安镇"), year=2026)
    assert [p.unit.name for p in township["received"]] == ["正定县", "河北省"]
    counts = building.staff_counts(county, today=TODAY)
    assert counts == {"full_time": 4, "seconded": 1, "part_time": 7, "social_worker": 2}
    assert quota_for(users["hb-township"], today=TODAY) == 50  # 专职 on 正定镇's roster
    missing = contact_selectors.units_without_field_week(county_chair, under=county, level=4,
                                                         start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31))
    assert [u.name for u in missing] == ["新安镇"]  # 正定镇 held one, 新安镇 did not
