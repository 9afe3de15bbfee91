"""Outside-in review probes of funding: hostile amounts, receipt files, exports and scope."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fulian.funding.ledger import expense_post, receipt_post
from fulian.funding.models import Entry

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.parametrize("amount", ["1e30", "1" * 29, "9E+999", "1e-30", "١٢٣٤٥", "1_000", " ", "[]", "nan", "-0"])
def test_a_wild_amount_on_the_page_is_a_400_with_a_message(client_for, county_chair, unit, amount):
    page = client_for(county_chair).post(reverse("funding_receipt_new", args=[unit("正定县").pk]), {
        "on_date": TODAY.isoformat(), "amount": amount, "source": "donation", "payer": "甲", "client_token": "t1"})
    assert page.status_code in (302, 400)
    if page.status_code == 400:
        assert "errorlist" in page.content.decode()


@pytest.mark.parametrize("amount", ["1e30", 1e30, "1" * 29, 1e300, [1], {"a": 1}, None, True])
def test_a_wild_amount_in_the_api_is_a_400(api_for, county_chair, unit, amount):
    answer = api_for(county_chair).post(
        f"/api/v1/funding/units/{unit('正定县').pk}/receipts",
        {"on_date": TODAY.isoformat(), "amount": amount, "source": "donation", "payer": "甲"},
        content_type="application/json")
    assert answer.status_code in (400, 422), answer.content


@pytest.mark.parametrize("amount", ["1e30", 1e30])
def test_a_wild_correction_amount_is_a_400(api_for, county_chair, unit, amount):
    entry = receipt_post(actor=county_chair, unit=unit("正定县"), on_date=TODAY, amount="10", source="donation")
    answer = api_for(county_chair).post(f"/api/v1/funding/entries/{entry.pk}/correct",
                                        {"reason": "错了", "amount": amount}, content_type="application/json")
    assert answer.status_code == 400, answer.content
    assert Entry.objects.count() == 1


def test_a_script_named_pdf_is_refused_as_a_receipt_file(client_for, village_cadre, unit):
    village = unit("恒东社区")
    page = client_for(village_cadre).post(reverse("funding_expense_new", args=[village.pk]), {
        "on_date": TODAY.isoformat(), "amount": "10", "purpose": "activities", "client_token": "x1",
        "file": SimpleUploadedFile("票据.pdf", b"<script>alert(1)</script>", content_type="application/pdf")})
    assert page.status_code == 400 and not Entry.objects.exists()


def test_a_too_big_receipt_file_is_refused(client_for, village_cadre, unit, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    page = client_for(village_cadre).post(reverse("funding_expense_new", args=[unit("恒东社区").pk]), {
        "on_date": TODAY.isoformat(), "amount": "10", "purpose": "activities", "client_token": "x2",
        "file": SimpleUploadedFile("票据.pdf", PDF + b"0" * 2000, content_type="application/pdf")})
    assert page.status_code == 400 and not Entry.objects.exists()


def test_the_receipt_file_is_only_served_in_scope(client_for, village_cadre, county_chair, sibling_county_cadre,
                                                  unit, settings):
    entry = expense_post(actor=village_cadre, unit=unit("恒东社区"), on_date=TODAY, amount="10", purpose="activities",
                         file=SimpleUploadedFile("a.pdf", PDF))
    url = reverse("funding_entry_file", args=[entry.pk])
    got = client_for(county_chair).get(url)
    assert got.status_code == 200 and got["Content-Type"] == "application/pdf"
    assert "attachment" in got["Content-Disposition"]
    assert client_for(sibling_county_cadre).get(url).status_code == 404
    assert not str(entry.file.path).startswith(str(settings.MEDIA_ROOT))  # never served by the web server


def test_a_formula_in_a_note_stays_text_in_the_export(client_for, county_chair, unit):
    receipt_post(actor=county_chair, unit=unit("正定县"), on_date=TODAY, amount="10", source="donation",
                 payer="=HYPERLINK(\"http://x\")", note="=1+1")
    got = client_for(county_chair).get(reverse("funding_export_ledger") + f"?year={TODAY.year}")
    assert got.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(got.streaming_content)
                                              if got.streaming else got.content)).active
    values = [c.value for row in sheet.iter_rows() for c in row]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "1+1" in c.value]
    assert cells and all(c.data_type == "s" for c in cells), values


def test_a_sibling_county_cannot_export_anothers_ledger(client_for, sibling_county_cadre, unit):
    got = client_for(sibling_county_cadre).get(reverse("funding_export_ledger") + f"?unit={unit('正定县').pk}")
    assert got.status_code == 404


@pytest.mark.parametrize("query", ["unit=abc", "unit=-1", "unit=%D9%A1", "year=99999", "year=", "unit=1&unit=2",
                                   "subtree=<x>", "unit=99999999999999999999"])
def test_bad_export_parameters_are_not_500(client_for, county_chair, unit, query):
    got = client_for(county_chair).get(reverse("funding_export_ledger") + "?" + query)
    assert got.status_code in (200, 400, 404)


def test_a_village_cadre_cannot_post_to_her_countys_ledger(client_for, api_for, village_cadre, unit):
    county = unit("正定县")
    page = client_for(village_cadre).post(reverse("funding_receipt_new", args=[county.pk]), {
        "on_date": TODAY.isoformat(), "amount": "10", "source": "donation", "client_token": "v1"})
    assert page.status_code == 404
    api = api_for(village_cadre).post(f"/api/v1/funding/units/{county.pk}/expenses", {
        "on_date": TODAY.isoformat(), "amount": "10", "purpose": "activities"}, content_type="application/json")
    assert api.status_code == 404 and not Entry.objects.exists()


@pytest.mark.parametrize("on_date", ["2026-02-30", "1999-12-31", "0001-01-01", "9999-12-31", "x", ""])
def test_a_broken_date_is_a_400(api_for, county_chair, unit, on_date):
    answer = api_for(county_chair).post(f"/api/v1/funding/units/{unit('正定县').pk}/receipts", {
        "on_date": on_date, "amount": "1", "source": "donation"}, content_type="application/json")
    assert answer.status_code in (400, 422)
