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


@pytest.mark.django_db
def test_a_hostile_name_in_an_audit_row_is_text_on_the_page_and_in_the_export(client_for, county_chair, unit):
    """A woman named `<script>…` or `=HYPERLINK(…)`: her record's repr and the changes reach the page escaped and
    the export as text cells, never markup or a live formula."""
    import io

    from openpyxl import load_workbook

    from fulian.core.audit import audit_record

    village = unit("恒东社区")
    audit_record(actor=county_chair, action="woman.update", obj=village,
                 changes={"name": ["<script>alert(1)</script>", '=HYPERLINK("http://x.example","点我")']})
    client = client_for(county_chair)
    page = client.get(reverse("audit_search"), {"action_prefix": "woman."})
    assert page.status_code == 200
    body = page.content.decode()
    assert "<script>alert(1)</script>" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    answer = client.get(reverse("audit_export"), {"action_prefix": "woman."})
    sheet = load_workbook(io.BytesIO(answer.content)).active
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value and "HYPERLINK" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)
