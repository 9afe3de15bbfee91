"""Funding's Excel exchange from the outside (pages and API): a unit's ledger for a year — amounts as numbers,
typed text kept as text (never a live formula), her own lines or her subtree's, audited; an allocation's shares at
every level with paid and received; the county next door getting 404; and the population import — a messy file
reported row by row (bad code, a unit outside her scope, a name that does not match, a bad number, a year out of
range, a duplicate), the good rows kept through the service, a second upload changing nothing."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fulian.core.models import AuditEvent, ImportJob
from fulian.funding import ledger
from fulian.funding.allocations import allocation_confirm, rule_clean
from fulian.funding.models import Basis, Population
from fulian.people.tests.helpers import read_xlsx

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YEAR = TODAY.year
HEADER = ["单位代码", "单位名称", "年度", "人口数"]


@pytest.fixture
def lines(unit, county_chair, village_chair):
    """正定县: 1,000.00 from the county government, 250.50 spent (its note typed like a formula), 300.00 passed to
    恒东社区, which confirms it; one line of last year."""
    county, village = unit("正定县"), unit("恒东社区")
    ledger.receipt_post(actor=county_chair, unit=county, on_date=TODAY, amount="1000.00", source="government",
                        payer="=HYPERLINK(\"http://x\")")
    ledger.expense_post(actor=county_chair, unit=county, on_date=TODAY, amount="250.50", purpose="training",
                        note="=SUM(A1:A9)")
    paid = ledger.disbursement_post(actor=county_chair, unit=county, to_unit=village, on_date=TODAY, amount="300")
    ledger.receipt_confirm(actor=village_chair, disbursement=paid, on_date=TODAY)
    ledger.receipt_post(actor=county_chair, unit=county, on_date=dt.date(YEAR - 1, 6, 1), amount="9.99",
                        source="party")


def test_the_ledger_export_has_numbers_and_text_never_a_formula(client_for, county_chair, unit, lines):
    answer = client_for(county_chair).get(reverse("funding_export_ledger"), {"unit": unit("正定县").pk,
                                                                             "year": YEAR})
    assert answer.status_code == 200, answer.content[:300]
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read_xlsx(answer.content)
    assert rows[0][:6] == ("编号", "日期", "单位", "单位代码", "类型", "金额(元)")
    body = rows[1:]
    assert [(r[4], r[5]) for r in body] == [("收入", 1000.0), ("支出", 250.5), ("拨付下级", 300.0)]
    assert all(isinstance(r[5], int | float) for r in body)  # numbers, not text
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    assert {sheet.cell(row=r, column=6).number_format for r in (2, 3, 4)} == {"#,##0.00"}  # 250.50, not 250.5
    formulas = [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    texts = {c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert "=SUM(A1:A9)" in texts and "=HYPERLINK(\"http://x\")" in texts  # kept as text
    assert AuditEvent.objects.filter(action="funding.export_ledger").count() == 1

    subtree = client_for(county_chair).get(reverse("funding_export_ledger"),
                                           {"unit": unit("正定县").pk, "year": YEAR, "subtree": "1"})
    names = [r[2] for r in read_xlsx(subtree.content)[1:]]
    assert sorted(names) == ["恒东社区", "正定县", "正定县", "正定县"]
    last_year = client_for(county_chair).get(reverse("funding_export_ledger"), {"year": YEAR - 1})
    assert [r[5] for r in read_xlsx(last_year.content)[1:]] == [9.99]  # her own unit by default


def test_the_ledger_export_over_the_api(api_for, county_chair, sibling_county_cadre, unit, lines):
    answer = api_for(county_chair).get(f"/api/v1/funding/units/{unit('正定县').pk}/ledger.xlsx",
                                       {"year": YEAR, "subtree": "true"})
    assert answer.status_code == 200 and len(read_xlsx(answer.content)) == 5
    outsider = api_for(sibling_county_cadre)
    assert outsider.get(f"/api/v1/funding/units/{unit('正定县').pk}/ledger.xlsx").status_code == 404
    assert outsider.get(f"/api/v1/funding/units/{unit('恒东社区').pk}/ledger.xlsx").status_code == 404
    assert api_for(county_chair).get(f"/api/v1/funding/units/{unit('正定县').pk}/ledger.xlsx",
                                     {"year": 1999}).status_code == 422


def test_the_county_next_door_and_bad_parameters(client_for, sibling_county_cadre, county_chair, unit, lines):
    outsider = client_for(sibling_county_cadre)
    for unit_name in ("正定县", "恒东社区", "河北省"):
        answer = outsider.get(reverse("funding_export_ledger"), {"unit": unit(unit_name).pk, "subtree": "1"})
        assert answer.status_code == 404, unit_name
    own = outsider.get(reverse("funding_export_ledger"), {"subtree": "1"})
    assert own.status_code == 200 and len(read_xlsx(own.content)) == 1  # 行唐县: only the header
    mine = client_for(county_chair)
    for query in ({"year": "abc"}, {"year": "1999"}, {"year": str(YEAR + 5)}, {"unit": "x"}, {"unit": "²"}):
        assert mine.get(reverse("funding_export_ledger"), query).status_code == 400, query


def test_an_allocations_shares_at_every_level(client_for, api_for, county_chair, sibling_county_cadre, unit):
    county = unit("正定县")
    rule = rule_clean(county, basis=Basis.EQUAL, target_level=5, level_keep={4: "10"})
    allocation = allocation_confirm(actor=county_chair, unit=county, year=YEAR, title="到村", rule=rule,
                                    amount="900.00", pay_by=TODAY + dt.timedelta(days=30))
    ledger.shares_pay(actor=county_chair, unit=county, allocation=allocation, on_date=TODAY)
    answer = client_for(county_chair).get(reverse("funding_export_shares", args=[allocation.pk]))
    assert answer.status_code == 200, answer.content[:300]
    rows = read_xlsx(answer.content)
    assert rows[0] == ("层级", "单位", "单位代码", "上级单位", "分配金额(元)", "本级留用(元)", "已拨付(元)",
                       "已到账(元)", "未到账(元)")
    by_name = {r[1]: r for r in rows[1:]}
    assert set(by_name) == {"正定镇", "恒东社区", "张家庄村", "新安镇", "西柏棠村"}
    assert by_name["正定镇"][4:] == (450.0, 45.0, 450.0, 0.0, 450.0)
    assert by_name["恒东社区"][3] == "正定镇" and by_name["恒东社区"][4] == 202.5
    assert by_name["恒东社区"][6] == 0.0  # 正定镇 has not passed it on yet
    assert AuditEvent.objects.filter(action="funding.export_shares").exists()
    assert api_for(county_chair).get(f"/api/v1/funding/allocations/{allocation.pk}/shares.xlsx").status_code == 200
    assert client_for(sibling_county_cadre).get(reverse("funding_export_shares", args=[allocation.pk])) \
        .status_code == 404
    assert api_for(sibling_county_cadre).get(f"/api/v1/funding/allocations/{allocation.pk}/shares.xlsx") \
        .status_code == 404


def test_the_exchange_page(client_for, county_chair, unit):
    allocation_confirm(actor=county_chair, unit=unit("正定县"), year=YEAR, title="乡镇工作经费",
                       rule=rule_clean(unit("正定县"), basis=Basis.EQUAL), amount="100.00",
                       pay_by=TODAY + dt.timedelta(days=30))
    page = client_for(county_chair).get(reverse("funding_exchange"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "乡镇工作经费" in html and "新安镇" in html and reverse("funding_population_template") in html
    template = client_for(county_chair).get(reverse("funding_population_template"))
    assert template.status_code == 200 and read_xlsx(template.content)[0] == ("单位代码*", "单位名称", "年度*",
                                                                              "人口数*")


# --- the population import --------------------------------------------------------------------------------------

def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _messy() -> bytes:
    return _xlsx([
        ["130123100000", "正定镇", YEAR, 20000],
        [130123101000, "", str(YEAR), "10,000"],  # a code Excel read as a number, thousands with a comma
        ["1301", "", YEAR, 5],  # not 12 digits
        ["130125100201", "南关村", YEAR, 800],  # the county next door
        ["130123100001", "张家庄村", YEAR, 900],  # the name of another unit
        ["130123100210", "张家庄村", YEAR, "很多"],
        ["130123101201", "西柏棠村", 1999, 700],
        ["130123100000", "正定镇", YEAR, 21000],  # the same unit and year again
    ])


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a file and run its import (the background task, at once)."""
    def send(client, url, content, name="人口数.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"file": SimpleUploadedFile(name, content)})

    return send


def test_a_messy_population_file_keeps_the_good_rows_and_reports_the_rest(client_for, county_chair, unit, upload):
    client = client_for(county_chair)
    answer = upload(client, reverse("funding_population_import"), _messy())
    assert answer.status_code == 302
    job = ImportJob.objects.get()
    assert answer["Location"] == reverse("funding_import_job", args=[job.pk])
    assert (job.status, job.created_count, job.updated_count, job.error_count) == ("done", 2, 0, 6)
    assert dict(Population.objects.filter(year=YEAR).values_list("unit__name", "population")) == {
        "正定镇": 20000, "新安镇": 10000}
    report = read_xlsx(job.error_file.open("rb").read())
    problems = {r[0]: (r[1], r[3]) for r in report[1:]}
    assert problems[4] == ("单位代码", "单位代码应为12位数字。")
    assert "工作范围内没有代码为130125100201" in problems[5][1]
    assert problems[6][0] == "单位名称" and "恒东社区" in problems[6][1]
    assert problems[7][0] == "人口数" and problems[8][0] == "年度"
    assert "与第2行是同一单位、同一年度" in problems[9][1]
    page = client.get(answer["Location"])
    assert page.status_code == 200 and "人口数.xlsx" in page.content.decode()

    again = upload(client, reverse("funding_population_import"), _xlsx([["130123100000", "", YEAR, 20000],
                                                                       ["130123101000", "", YEAR, 12000]]))
    job = ImportJob.objects.get(pk=int(again["Location"].rstrip("/").split("/")[-1]))
    assert (job.created_count, job.updated_count, job.unchanged_count, job.error_count) == (0, 1, 1, 0)
    assert Population.objects.get(unit=unit("新安镇"), year=YEAR).population == 12000
    assert AuditEvent.objects.filter(action="funding.population").count() == 3


def test_the_population_import_over_the_api_and_bad_uploads(api_for, client_for, county_chair,
                                                            sibling_county_cadre, upload):
    api = api_for(county_chair)
    answer = upload(api, "/api/v1/funding/imports/population", _xlsx([["130123100000", "正定镇", YEAR, 20000]]))
    assert answer.status_code == 202, answer.content
    job = api.get(f"/api/v1/imports/{answer.json()['id']}").json()
    assert (job["status"], job["created_count"]) == ("done", 1)
    assert api.get("/api/v1/funding/imports/population/template.xlsx").status_code == 200
    assert upload(api, "/api/v1/funding/imports/population", b"x", name="a.csv").status_code == 400
    page = upload(client_for(county_chair), reverse("funding_population_import"), b"not a workbook")
    assert page.status_code == 400 and "xlsx" in page.content.decode()
    missing = upload(client_for(county_chair), reverse("funding_population_import"),
                     _xlsx([["130123100000", 1]], header=["单位代码", "人口"]))
    failed = ImportJob.objects.get(pk=int(missing["Location"].rstrip("/").split("/")[-1]))
    assert failed.status == "failed" and "缺少必填列" in failed.message
    # the next county's cadre sees neither the job nor what it entered
    outsider = client_for(sibling_county_cadre)
    assert outsider.get(reverse("funding_import_job", args=[answer.json()["id"]])).status_code == 404
    outside = upload(outsider, reverse("funding_population_import"), _xlsx([["130123100000", "", YEAR, 1]]))
    job = ImportJob.objects.get(pk=int(outside["Location"].rstrip("/").split("/")[-1]))
    assert (job.created_count, job.error_count) == (0, 1)
    assert Population.objects.get(year=YEAR).population == 20000
