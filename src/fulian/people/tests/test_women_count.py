"""A whole women list takes its total from the standing figure (exact, one row at any level); it follows
registrations, moves and merges, equals the recount, and the list page counts no rows for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fulian.core.idnumber import parse_id_number
from fulian.evaluation.recount import recount
from fulian.people.models import Woman
from fulian.people.selectors import women_count, women_for
from fulian.people.services import WomanData, woman_merge, woman_update

from .helpers import female_id
from .test_women_pages import register, women  # noqa: F401  (fixtures)


@pytest.mark.django_db
def test_the_total_follows_the_registry_and_equals_the_recount(women, county_chair, province_chair, unit):  # noqa: F811
    def totals():
        return {user.username: women_count(user) for user in (county_chair, province_chair)}

    assert women_count(county_chair) == (women_for(county_chair).count(), False)
    assert women_count(county_chair, unit=unit("正定镇")) == (2, False)
    hd = women["hd"]
    data = WomanData(name=hd.name, home_unit=unit("西柏棠村"), id_number=parse_id_number(female_id(1)),
                     phone=hd.phone)
    woman_update(actor=county_chair, woman=hd, data=data, version=hd.version)
    assert women_count(county_chair, unit=unit("正定镇")) == (1, False)
    assert women_count(county_chair, unit=unit("新安镇")) == (2, False)
    before = totals()
    woman_merge(actor=county_chair, survivor=women["zjz"], duplicate=Woman.objects.get(pk=women["xbt"].pk))
    assert {k: v[0] for k, v in totals().items()} == {k: v[0] - 1 for k, v in before.items()}
    assert women_count(county_chair) == (women_for(county_chair).count(), False)
    assert not recount().differences
    assert women_count(county_chair, q="王秀兰") == (1, False)  # a search is counted


@pytest.mark.django_db
def test_the_list_page_reads_its_total_without_counting_rows(client_for, county_chair, women):  # noqa: F811
    client = client_for(county_chair)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("women_list"))
    assert response.context["page"].paginator.count == 3
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()
                and "people_woman" in q["sql"]]


@pytest.mark.django_db
def test_the_api_list_reads_its_total_without_counting_rows(api_for, county_chair, women):  # noqa: F811
    with CaptureQueriesContext(connection) as queries:
        body = api_for(county_chair).get("/api/v1/women?limit=2").json()
    assert (body["count"], body["count_capped"], len(body["items"])) == (3, False, 2)
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()
                and "people_woman" in q["sql"]]
    assert api_for(county_chair).get("/api/v1/women?q=王秀兰").json()["count"] == 1


@pytest.mark.django_db
def test_the_list_rows_escape_what_they_show(client_for, county_chair, register, unit):  # noqa: F811
    register("<script>alert(1)</script>", unit("恒东社区"), 7, phone="13812340007")
    html = client_for(county_chair).get(reverse("women_list")).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="tel:13812340007"' in html
