"""Women's Homes wherever women gather: a home is registered with its host (an enterprise, a park, a school …) and
the host's name, which an import that does not name them keeps; the home's page section lists the activities held
there and those to come, linked only where she may open them."""

import pytest
from django.test import RequestFactory

from fulian.activities import services
from fulian.activities.panels_organise import home_activities
from fulian.core.panels import panels_for
from fulian.orgs import homes
from fulian.orgs.models import HomeHost, WomensHome

from .conftest import at

pytestmark = pytest.mark.django_db


def test_a_home_is_registered_with_its_host_from_the_form(client_for, county_chair, unit):
    village = unit("恒东社区")
    answer = client_for(county_chair).post(f"/units/{village.pk}/homes/new/", {
        "name": "恒东电商园妇女之家", "address": "电商产业园三楼", "host": "park", "host_name": "正定电商产业园"})
    home = WomensHome.objects.get()
    assert answer.status_code == 302 and (home.host, home.host_name) == (HomeHost.PARK, "正定电商产业园")
    page = client_for(county_chair).get(f"/homes/{home.pk}/").content.decode()
    assert "产业园区" in page and "正定电商产业园" in page


def test_an_unknown_host_is_refused_and_an_update_without_one_keeps_it(county_chair, unit):
    village = unit("恒东社区")
    with pytest.raises(Exception, match="依托场所"):
        homes.home_save(actor=county_chair, unit=village, name="x", address="y", host="castle")
    home = homes.home_save(actor=county_chair, unit=village, name="巾帼创业园之家", address="园区", host="enterprise",
                           host_name="某某服饰公司")
    homes.home_save(actor=county_chair, unit=village, home=home, name="巾帼创业园之家", address="园区二楼")
    home.refresh_from_db()
    assert (home.host, home.host_name, home.address) == ("enterprise", "某某服饰公司", "园区二楼")


def test_the_homes_section_lists_held_and_coming_activities(county_chair, village_cadre, unit, home):
    county = unit("正定县")
    for day, title in ((-3, "家风讲坛"), (4, "亲子阅读")):
        made = services.activity_save(actor=county_chair, unit=county, values={
            "title": title, "kind": "lecture", "home": home}, sessions=[(at(day), at(day, 11))])
        services.activity_publish(actor=county_chair, activity=made)
    services.activity_save(actor=county_chair, unit=county, values={"title": "草稿", "kind": "other", "home": home},
                           sessions=[(at(5), at(5, 11))])
    listed = home_activities(home)
    assert [a.title for a in listed["coming"]] == ["亲子阅读"] and [a.title for a in listed["held"]] == ["家风讲坛"]
    assert listed["held_count"] == 1
    request = RequestFactory().get("/")
    request.user = county_chair
    html = "".join(panels_for("womens_home.sections", request, home))
    assert "家风讲坛" in html and "草稿" not in html and "/activities/" in html
    request.user = village_cadre  # the county's activities are outside her scope: named, not linked
    html = "".join(panels_for("womens_home.sections", request, home))
    assert "家风讲坛" in html and 'href="/activities/' not in html


def test_the_home_page_starts_an_activity_there_and_no_longer_takes_a_typed_headcount(client_for, county_chair, home):
    """A fact is entered once: who took part is counted from check-ins, so the home page offers 在这里新建活动 (the
    form opens with the home chosen) instead of the old form for a headcount typed in afterwards."""
    client = client_for(county_chair)
    page = client.get(f"/homes/{home.pk}/").content.decode()
    assert f"/activities/new/?home={home.pk}" in page and "参加人数" not in page
    form = client.get(f"/activities/new/?home={home.pk}").content.decode()
    assert f'<option value="{home.pk}" selected>' in form
    assert client.post(f"/homes/{home.pk}/", {"held_on": "2026-11-01", "title": "x", "participants": "30"}) \
        .status_code == 405


def test_the_finder_and_the_portal_lead_to_the_activities_near_her(client, home):
    found = client.get("/find-home/", {"lat": "38.14", "lng": "114.57"}).content.decode()
    assert "/calendar/?lat=38.14&amp;lng=114.57" in found
    assert "/calendar/" in client.get("/").content.decode()
