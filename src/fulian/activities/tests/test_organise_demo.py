"""The demo's organising data: a brand project of 正定县 with results of its own, the province's campaign with
正定县's part done; running it twice adds nothing."""

import pytest

from fulian.activities import campaigns, projects
from fulian.activities.demo_organise import demo_organise
from fulian.activities.models import Activity, Attendance, Campaign, Project

pytestmark = pytest.mark.django_db


def test_the_demo_fills_a_project_and_a_campaign_once(county_chair, province_chair, unit, home):
    users = {"hb-county": county_chair, "hb-province": province_chair}
    assert demo_organise(users=users)["created"]
    assert demo_organise(users=users) == {"created": False}
    assert (Project.objects.count(), Campaign.objects.count(), Activity.objects.count()) == (1, 1, 4)
    rows = {r["figure"]: r for r in projects.project_report(Project.objects.get())}
    assert rows["activities_held"]["own"] == 2 and rows["women_reached"]["own"] == 12
    assert Attendance.objects.filter(activity__home=home).count() == 3 * 12 + 2 * 8
    rollup = campaigns.campaign_rollup(Campaign.objects.get(), at=unit("河北省"))
    (city,) = rollup["rows"]
    assert (city["unit"].name, city["done"], city["total"], city["held"]) == ("石家庄市", 1, 2, 2)
