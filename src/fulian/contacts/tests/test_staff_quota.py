"""Her quota of women follows her staff type on the named roster (专职 more than 兼职), else her level's."""

import datetime as dt

import pytest

from fulian.contacts import services
from fulian.contacts.models import LevelQuota, StaffKindQuota
from fulian.orgs import building
from fulian.orgs.models import PostKind

TODAY = dt.date(2026, 11, 25)


@pytest.mark.django_db
def test_a_cadres_quota_changes_when_her_staff_type_changes(county_chair, village_cadre, unit):
    village = unit("恒东社区")
    level_quota = LevelQuota.objects.get(level=5).quota
    assert services.quota_for(village_cadre, today=TODAY) == level_quota  # not on the roster: her level's
    part_time, _w = building.staff_add(actor=county_chair, unit=village, name="张敏", kind=PostKind.PART_TIME,
                                       starts_on=dt.date(2025, 1, 1), account=village_cadre, today=TODAY)
    assert services.quota_for(village_cadre, today=TODAY) == StaffKindQuota.objects.get(kind="part_time").quota == 20
    # she becomes full-time: the part-time row ends, a full-time one starts the same day
    building.staff_end(actor=county_chair, member=part_time, ends_on=TODAY)
    building.staff_add(actor=county_chair, unit=village, name="张敏", kind=PostKind.FULL_TIME, starts_on=TODAY,
                       account=village_cadre, today=TODAY)
    assert services.quota_for(village_cadre, today=TODAY) == 50
    assert services.quota_for(village_cadre, today=TODAY - dt.timedelta(days=1)) == 20
    # a type without a quota of its own (or a quota removed) falls back to her level's
    services.staff_kind_quota_set(actor=_superuser(), kind="full_time", quota=None)
    assert services.quota_for(village_cadre, today=TODAY) == level_quota


@pytest.mark.django_db
def test_the_coverage_page_shows_her_staff_type_quota(client_for, county_chair, village_cadre, unit):
    from django.urls import reverse

    building.staff_add(actor=county_chair, unit=unit("恒东社区"), name="张敏", kind=PostKind.SECONDED,
                       starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2027, 6, 30), account=village_cadre)
    answer = client_for(village_cadre).get("/api/v1/me/coverage").json()
    assert (answer["quota"], answer["staff_kind"]) == (30, "seconded")
    page = client_for(county_chair).get(reverse("unit_coverage", args=[unit("恒东社区").pk])).content.decode()
    assert "挂职干部" in page and "/ 30" in page


@pytest.mark.django_db
def test_only_the_platform_sets_staff_type_quotas(api_for, county_chair):
    client = api_for(county_chair)
    assert client.put("/api/v1/contact-quotas/staff-kinds", {"kind": "full_time", "quota": 80},
                      content_type="application/json").status_code == 404
    listed = client.get("/api/v1/contact-quotas").json()
    assert {r["kind"]: r["quota"] for r in listed["staff_kinds"]} == {"full_time": 50, "seconded": 30,
                                                                       "part_time": 20}
    admin = _superuser()
    answer = api_for(admin).put("/api/v1/contact-quotas/staff-kinds", {"kind": "social_worker", "quota": 40},
                                content_type="application/json")
    assert answer.status_code == 200 and {"kind": "social_worker", "quota": 40} in answer.json()["staff_kinds"]
    with pytest.raises(Exception):  # noqa: B017 (ValidationError: a quota is at least 1)
        services.staff_kind_quota_set(actor=admin, kind="part_time", quota=0)


def _superuser():
    from fulian.accounts.tests.factories import UserFactory

    return UserFactory(username="platform", is_superuser=True)
