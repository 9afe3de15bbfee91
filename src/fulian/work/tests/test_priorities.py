"""工作重点: set by a level for the level below, seen on the 工作台 of every unit of that level under it (and of the
units below them), never by another county's townships; only leaders set them; a stale edit is a conflict."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.errors import Conflict
from fulian.core.policy import Role
from fulian.work import selectors, services

YEAR = timezone.localdate().year


@pytest.fixture
def township_cadre(unit):
    return UserFactory(username="township-cadre", unit=unit("正定镇"), roles=[Role.STAFF])


@pytest.fixture
def other_township_cadre(unit):
    return UserFactory(username="longzhou-cadre", unit=unit("龙州镇"), roles=[Role.STAFF])


def _set(chair, unit, texts, version=None, year=YEAR):
    return services.priorities_set(actor=chair, unit=unit, year=year, items=[{"text": t} for t in texts],
                                   version=version)


@pytest.mark.django_db
def test_county_priorities_appear_on_its_townships_workbench_and_not_another_countys(
        client_for, county_chair, unit, township_cadre, other_township_cadre, village_cadre):
    _set(county_chair, unit("正定县"), ["抓好村(社区)妇联改建", "开展双月下基层工作周"])
    home = client_for(township_cadre).get(reverse("home")).content.decode()
    assert "抓好村(社区)妇联改建" in home and "正定县妇联确定的本级工作重点" in home
    village_home = client_for(village_cadre).get(reverse("home")).content.decode()
    assert "开展双月下基层工作周" in village_home  # an ancestor's priorities, too
    assert "抓好村(社区)妇联改建" not in client_for(other_township_cadre).get(reverse("home")).content.decode()
    unit_page = client_for(county_chair).get(reverse("unit_detail", args=[unit("正定镇").pk])).content.decode()
    assert "抓好村(社区)妇联改建" in unit_page


@pytest.mark.django_db
def test_only_leaders_set_and_a_stale_edit_is_a_conflict(county_chair, unit, township_cadre):
    county = unit("正定县")
    first = _set(county_chair, county, ["一"])
    assert first.version == 1 and first.target_level == 4
    second = _set(county_chair, county, ["一", "二"], version=1)
    assert second.version == 2 and [i.text for i in second.items.all()] == ["一", "二"]
    with pytest.raises(Conflict):
        _set(county_chair, county, ["三"], version=1)  # edited version 1, but 2 was saved in between
    with pytest.raises(Conflict):
        _set(county_chair, county, ["三"])  # a "first" version when one exists
    assert [i.text for i in selectors.priorities_of_unit(county, year=YEAR)["own"].items.all()] == ["一", "二"]
    staff = UserFactory(username="county-staff", unit=county, roles=[Role.STAFF])
    with pytest.raises(Http404):
        _set(staff, county, ["x"])
    with pytest.raises(Http404):
        _set(township_cadre, county, ["x"])
    with pytest.raises(ValidationError):
        _set(county_chair, county, ["", "  "], version=2)


@pytest.mark.django_db
def test_priorities_pages_edit_and_scope(client_for, county_chair, sibling_county_cadre, unit, township_cadre):
    client = client_for(county_chair)
    county = unit("正定县")
    url = reverse("priorities_edit", args=[county.pk]) + f"?year={YEAR}"
    assert client.get(url).status_code == 200
    data = {"year": YEAR, "version": "0", "p-TOTAL_FORMS": "2", "p-INITIAL_FORMS": "0", "p-0-text": "做好妇女之家建设",
            "p-0-task": "", "p-1-text": "", "p-1-task": ""}
    assert client.post(reverse("priorities_edit", args=[county.pk]), data).status_code == 302
    stale = client.post(reverse("priorities_edit", args=[county.pk]), {**data, "p-0-text": "改"})
    assert "已被他人修改" in stale.content.decode()
    priorities = selectors.priorities_of_unit(county, year=YEAR)["own"]
    detail = reverse("priorities_detail", args=[priorities.pk])
    assert "做好妇女之家建设" in client_for(township_cadre).get(detail).content.decode()
    assert client_for(township_cadre).get(reverse("priorities_edit", args=[county.pk])).status_code == 404
    outsider = client_for(sibling_county_cadre)
    assert outsider.get(detail).status_code == 404
    assert outsider.get(reverse("unit_priorities", args=[county.pk])).status_code == 404
    assert outsider.post(reverse("priorities_edit", args=[county.pk]), data).status_code == 404
    listing = client_for(township_cadre).get(reverse("priorities_home"), follow=True).content.decode()
    assert "做好妇女之家建设" in listing


@pytest.mark.django_db
def test_priorities_through_the_api(api_for, county_chair, sibling_county_cadre, unit, township_cadre):
    from fulian.work.services import task_issue

    county = unit("正定县")
    task = task_issue(actor=county_chair, unit=county, title="改建工作推进", body="", level=4, period_start=202601,
                      period_end=202606, deadline=timezone.now() + dt.timedelta(days=7))
    client = api_for(county_chair)
    body = {"year": YEAR, "items": [{"text": "推进村妇联改建", "task_id": task.pk}, {"text": "开展下基层工作周"}]}
    made = client.put(f"/api/v1/units/{county.pk}/priorities", body, content_type="application/json")
    assert made.status_code == 200, made.content
    made = made.json()
    assert made["version"] == 1 and made["items"][0]["task_title"] == "改建工作推进"
    again = client.put(f"/api/v1/units/{county.pk}/priorities", body, content_type="application/json")
    assert again.status_code == 409
    edited = client.put(f"/api/v1/units/{county.pk}/priorities", {**body, "version": 1},
                        content_type="application/json")
    assert edited.json()["version"] == 2
    seen = api_for(township_cadre).get("/api/v1/priorities", {"year": YEAR}).json()
    assert [p["unit_name"] for p in seen["items"]] == ["正定县"]
    outsider = api_for(sibling_county_cadre)
    assert outsider.get("/api/v1/priorities").json()["count"] == 0
    assert outsider.get(f"/api/v1/priorities/{made['id']}").status_code == 404
    assert outsider.put(f"/api/v1/units/{county.pk}/priorities", body,
                        content_type="application/json").status_code == 404
