"""Review (issue 21, R1): 操作审计 answers a date at the edge of the calendar with a 400, not a 500.

A date field accepts 0001-01-01 and 9999-12-31; "until" + one day, or a local midnight turned into UTC, then leaves
Python's datetime range (OverflowError) — the page, the export, the API and the digest download each gave a 500."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"until": "9999-12-31"}, {"since": "0001-01-01"},
                                    {"since": "0001-01-01", "until": "0001-01-02"}])
@pytest.mark.parametrize("name", ["audit_search", "audit_export"])
def test_a_date_at_the_edge_of_the_calendar_is_a_400(client_for, county_chair, name, params):
    answer = client_for(county_chair).get(reverse(name), params)
    assert answer.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"until": "9999-12-31"}, {"since": "0001-01-01"}])
@pytest.mark.parametrize("path", ["/api/v1/audit/events", "/api/v1/audit/reads"])
def test_the_api_answers_such_a_date_with_a_400(api_for, county_chair, path, params):
    assert api_for(county_chair).get(path, params).status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_the_digest_of_such_a_day_is_a_400(client_for, province_admin, day):
    assert client_for(province_admin).get(reverse("audit_digest"), {"day": day}).status_code == 400
