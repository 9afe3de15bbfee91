"""Care's Excel export and import, from the outside (API and pages): children only with a reason, only those she
has need-to-know of, one read-log row each; memberships of her scope; a messy roster imported with a per-row report
(bad ID, unknown group, a woman outside her scope, a duplicate), the good rows kept, a second upload registering
nothing twice."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from fulian.accounts.tests.factories import UserFactory
from fulian.care import registry
from fulian.care.models import CareMembership
from fulian.core.idnumber import parse_id_number
from fulian.core.models import AuditEvent, ImportJob, ReadLog
from fulian.core.policy import Role
from fulian.people.families import family_create
from fulian.people.services import WomanData, woman_create
from fulian.people.tests.helpers import female_id, read_xlsx

pytestmark = pytest.mark.django_db
HEADER = ["身份证号", "姓名", "手机号", "关爱类别", "低收入类别", "残疾等级", "纳入日期", "说明"]


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Post a roster and run its import (the background task, at once)."""
    def send(client, url, content, name="名单.xlsx"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"file": SimpleUploadedFile(name, content)})

    return send


def _xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _child(actor, family, name, *, guardian=None):
    today = timezone.localdate()
    return registry.child_create(actor=actor, family=family, name=name, sex="m", today=today,
                                 birth_date=today - dt.timedelta(days=2500), situation="left_behind",
                                 guardian=guardian, guardian_name="" if guardian else "李桂芝",
                                 guardian_relation="母亲", consent_by="母亲", consent_on=today)


@pytest.fixture
def children(unit, village_cadre, county_chair, mother, mother_family):
    """王秀梅家's child, registered by the village cadre (her carer); another family's, registered by the chair."""
    mine = _child(village_cadre, mother_family, "王小宝", guardian=mother)
    other = family_create(actor=county_chair, unit=unit("恒东社区"), name="李桂芝家")
    return mine, _child(county_chair, other, "李小龙")


def test_children_export_needs_a_reason(api_for, client_for, village_cadre, children):
    answer = api_for(village_cadre).post("/api/v1/care/exports/children.xlsx")
    assert answer.status_code == 400 and "用途" in answer.json()["detail"]
    assert api_for(village_cadre).post("/api/v1/care/exports/children.xlsx?reason=%20%20").status_code == 400
    page = client_for(village_cadre).post(reverse("care_export_children"), {"reason": ""})
    assert page.status_code == 400 and "导出用途" in page.content.decode()
    assert not ReadLog.objects.filter(object_type="care.child").exists()


def test_children_export_with_a_reason_has_only_hers_and_logs_each(api_for, client_for, village_cadre,
                                                                   county_chair, children):
    mine, other = children
    answer = api_for(village_cadre).post("/api/v1/care/exports/children.xlsx?reason=寒假走访慰问")
    assert answer.status_code == 200, answer.content[:300]
    rows = read_xlsx(answer.content)
    assert rows[0][0] == "姓名" and [r[0] for r in rows[1:]] == ["王小宝"]  # not the other family's child
    logs = ReadLog.objects.filter(object_type="care.child", actor=village_cadre)
    assert [(log.object_id, log.purpose) for log in logs] == [(str(mine.pk), "导出：寒假走访慰问")]
    assert AuditEvent.objects.filter(action="care.export_children", actor=village_cadre).exists()

    page = client_for(county_chair).post(reverse("care_export_children"), {"reason": "县妇联统计核对"})
    assert page.status_code == 200
    assert sorted(r[0] for r in read_xlsx(page.content)[1:]) == ["李小龙", "王小宝"]
    logged = ReadLog.objects.filter(object_type="care.child", actor=county_chair, purpose="导出：县妇联统计核对")
    assert logged.count() == 2


def test_children_export_gives_a_volunteer_and_the_next_village_nobody(api_for, unit, children):
    for user in (UserFactory(username="vol", unit=unit("恒东社区"), roles=[Role.VOLUNTEER]),
                 UserFactory(username="zjz", unit=unit("张家庄村"), roles=[Role.STAFF])):
        answer = api_for(user).post("/api/v1/care/exports/children.xlsx?reason=看看")
        assert answer.status_code == 200 and read_xlsx(answer.content)[1:] == []
    assert not ReadLog.objects.filter(object_type="care.child").exists()


def test_memberships_export_is_of_her_scope_and_day(api_for, client_for, unit, village_cadre, sibling_county_cadre,
                                                    mother):
    today = timezone.localdate()
    registry.membership_add(actor=village_cadre, woman=mother, group="single_mother", today=today,
                            start_on=today - dt.timedelta(days=30), note="=HYPERLINK(\"x\")")
    other = woman_create(actor=sibling_county_cadre, data=WomanData(name="赵淑珍", home_unit=unit("南关村")))
    registry.membership_add(actor=sibling_county_cadre, woman=other, group="left_behind", today=today,
                            start_on=today - dt.timedelta(days=30))
    answer = api_for(village_cadre).get("/api/v1/care/exports/memberships.xlsx")
    rows = read_xlsx(answer.content)
    assert answer.status_code == 200 and [(r[0], r[5]) for r in rows[1:]] == [("王秀梅", "单亲母亲")]
    assert rows[1][11] == "=HYPERLINK(\"x\")"  # text, never a live formula
    past = api_for(village_cadre).get("/api/v1/care/exports/memberships.xlsx",
                                      {"on": str(today - dt.timedelta(days=60))})
    assert read_xlsx(past.content)[1:] == []
    page = client_for(village_cadre).get(reverse("care_export_memberships"), {"on": str(today), "group": ""})
    assert page.status_code == 200 and len(read_xlsx(page.content)) == 2
    assert client_for(village_cadre).get(reverse("care_export_memberships"), {"on": "2026-13-40"}).status_code == 400
    for name in ("plans", "resources", "offers"):
        assert api_for(village_cadre).get(f"/api/v1/care/exports/{name}.xlsx").status_code == 200
        assert client_for(village_cadre).get(reverse(f"care_export_{name}")).status_code == 200


@pytest.fixture
def women(unit, village_cadre, sibling_county_cadre):
    """Three women of 恒东社区 (one known by name and phone only) and one of the county next door."""
    def make(actor, name, n, home, phone=""):
        return woman_create(actor=actor, data=WomanData(name=name, home_unit=unit(home), phone=phone,
                                                        id_number=parse_id_number(female_id(n)) if n else None))

    return {"wang": make(village_cadre, "王秀兰", 1, "恒东社区"), "li": make(village_cadre, "李桂芝", 2, "恒东社区"),
            "zhang": make(village_cadre, "张凤英", 0, "恒东社区", phone="13803110077"),
            "zhao": make(sibling_county_cadre, "赵淑珍", 3, "南关村")}


def _messy_roster() -> bytes:
    bad_id = female_id(1)[:-1] + ("0" if female_id(1)[-1] != "0" else "1")
    return _xlsx([
        [female_id(1), "王秀兰", None, "留守妇女", None, None, "2026-03-08", "丈夫在外务工"],   # 2: good
        [female_id(2), None, None, "低收入", "低保", None, dt.datetime(2026, 1, 5), None],    # 3: good
        [None, "张凤英", "13803110077", "残疾妇女", None, "二级", "2026/2/1", None],           # 4: good, name+phone
        [bad_id, "王秀兰", None, "单亲母亲", None, None, "2026-03-08", None],                  # 5: bad ID
        [female_id(2), None, None, "贫困户", None, None, "2026-03-08", None],                 # 6: unknown group
        [female_id(3), "赵淑珍", None, "留守妇女", None, None, "2026-03-08", None],           # 7: outside her scope
        [female_id(1), None, None, "留守", None, None, "2026-03-09", None],                   # 8: same as row 2
        [None, "张凤英", "13803110077", "低收入妇女", None, None, "2026-03-08", None],          # 9: no kind
        [None, "张凤英", None, "流动妇女", None, None, "2026-03-08", None],                     # 10: no ID, no phone
    ])


def test_a_messy_roster_reports_each_bad_row_and_keeps_the_good_ones(api_for, village_cadre, women, upload):
    api = api_for(village_cadre)
    answer = upload(api, "/api/v1/care/imports/memberships", _messy_roster())
    assert answer.status_code == 202, answer.content
    job = api.get(f"/api/v1/imports/{answer.json()['id']}").json()
    assert (job["status"], job["created_count"], job["unchanged_count"], job["error_count"]) == ("done", 3, 0, 6)
    kept = set(CareMembership.objects.values_list("woman__name", "group", "low_income_kind", "disability_grade"))
    assert kept == {("王秀兰", "left_behind", "", None), ("李桂芝", "low_income", "dibao", None),
                    ("张凤英", "disabled", "", 2)}
    assert CareMembership.objects.get(woman=women["wang"]).note == "丈夫在外务工"

    report = api.get(f"/api/v1/imports/{job['id']}/errors.xlsx")
    problems = {r[0]: (r[1], r[3]) for r in read_xlsx(b"".join(report.streaming_content))[1:]}
    assert sorted(problems) == [5, 6, 7, 8, 9, 10]
    assert problems[5][0] == "身份证号" and "校验" in problems[5][1]
    assert problems[6][0] == "关爱类别" and "贫困户" in problems[6][1]
    assert problems[7][0] == "身份证号" and "工作范围内没有" in problems[7][1]
    assert "第2行" in problems[8][1]
    assert problems[9][0] == "低收入类别"
    assert "身份证号" in problems[10][1]

    again = upload(api, "/api/v1/care/imports/memberships", _messy_roster())
    second = api.get(f"/api/v1/imports/{again.json()['id']}").json()
    assert (second["created_count"], second["unchanged_count"], second["error_count"]) == (0, 3, 6)
    assert CareMembership.objects.count() == 3


def test_the_next_county_imports_none_of_hers(api_for, sibling_county_cadre, women, upload):
    api = api_for(sibling_county_cadre)
    answer = upload(api, "/api/v1/care/imports/memberships", _messy_roster())
    job = api.get(f"/api/v1/imports/{answer.json()['id']}").json()
    assert job["created_count"] == 1 and CareMembership.objects.get().woman == women["zhao"]  # only her own woman


def test_an_exported_row_that_ended_does_not_come_back_open(api_for, village_cadre, women, upload):
    roster = _xlsx([[female_id(1), None, None, "留守妇女", None, None, "2026-03-08", None, "2026-05-01"]],
                   header=[*HEADER, "退出日期"])
    api = api_for(village_cadre)
    answer = upload(api, "/api/v1/care/imports/memberships", roster)
    assert api.get(f"/api/v1/imports/{answer.json()['id']}").json()["error_count"] == 1
    assert not CareMembership.objects.exists()


def test_the_import_page_uploads_and_shows_the_report_to_the_uploader_only(client_for, village_cadre, county_chair,
                                                                            women, upload):
    client = client_for(village_cadre)
    page = client.get(reverse("care_exchange"))
    assert page.status_code == 200 and f'type="date" name="on" value="{timezone.localdate().isoformat()}"' in \
        page.content.decode()  # an ISO date, as <input type=date> takes
    template = client.get(reverse("care_import_template"))
    assert template.status_code == 200
    assert read_xlsx(template.content)[0][:4] == ("身份证号", "姓名", "手机号", "关爱类别*")
    assert client.post(reverse("care_import"), {"file": SimpleUploadedFile("a.csv", b"x")}).status_code == 400
    assert client.post(reverse("care_import"), {"file": SimpleUploadedFile("a.xlsx", b"not a zip")}).status_code == 400
    done = upload(client, reverse("care_import"), _messy_roster())
    job = ImportJob.objects.get(kind="care_memberships")
    assert done.status_code == 302 and done.url == reverse("care_import_job", args=[job.pk])
    shown = client.get(done.url).content.decode()
    assert "名单.xlsx" in shown and reverse("import_job_errors", args=[job.pk]) in shown
    assert client_for(county_chair).get(done.url).status_code == 404  # the report holds ID numbers: hers only
    women_job = ImportJob.objects.create(kind="women", created_by=village_cadre, source_name="w.xlsx",
                                         created_at=timezone.now())
    assert client.get(reverse("care_import_job", args=[women_job.pk])).status_code == 404


RESOURCE_HEADER = ["名称", "资源类别", "提供方", "提供方类别", "名额", "每份金额(元)", "面向关爱类别", "技能要求",
                   "最小年龄", "最大年龄", "所在地代码", "地址", "纬度", "经度", "开始日期", "结束日期", "可见范围"]


def _resources_roster() -> bytes:
    def row(title, kind="就业岗位", capacity=5, place="130123100000", start="2026-03-01", end="2026-12-31",
            groups="低收入妇女、单亲", provider_kind="企业", visibility="全省"):
        return [title, kind, "正定县巾帼扶贫车间", provider_kind, capacity, None, groups, "手工编织", 18, 55, place,
                "恒州路8号", 38.15, 114.57, start, end, visibility]

    return _xlsx([row("手工编织岗"),                                    # 2: good
                  row("家政培训", kind="培训名额"),                      # 3: a course seat is not imported
                  row("零名额", capacity=0),                             # 4: capacity
                  row("倒着的日期", start="2026-12-31", end="2026-03-01"),  # 5: the service's rule
                  row("隔壁县", place="130125100201"),                   # 6: a place outside her scope
                  row("怪类别", groups="贫困户"),                         # 7: an unknown group
                  row("小额贷款", kind="小额贷款", provider_kind="银行")],  # 8: an unknown provider kind
                 header=RESOURCE_HEADER)


def test_a_resources_roster_publishes_the_good_rows_once(api_for, county_staff, upload):
    from fulian.care.models import Resource

    api = api_for(county_staff)
    template = api.get("/api/v1/care/imports/resources/template.xlsx")
    assert template.status_code == 200 and read_xlsx(template.content)[0][0] == "名称*"
    url = "/api/v1/care/imports/resources"
    job = api.get(f"/api/v1/imports/{upload(api, url, _resources_roster()).json()['id']}")
    assert (job.json()["created_count"], job.json()["error_count"]) == (1, 6)
    made = Resource.objects.get()
    assert (made.title, made.unit.name, made.place_unit.name, made.visibility, made.capacity) == (
        "手工编织岗", "正定县", "正定镇", "province", 5)
    report = api.get(f"/api/v1/imports/{job.json()['id']}/errors.xlsx")
    problems = {r[0]: (r[1], r[3]) for r in read_xlsx(b"".join(report.streaming_content))[1:]}
    assert {n: column for n, (column, _m) in problems.items()} == {
        3: "资源类别", 4: "名额", 5: "结束日期", 6: "所在地代码", 7: "面向关爱类别", 8: "提供方类别"}
    again = api.get(f"/api/v1/imports/{upload(api, url, _resources_roster()).json()['id']}")
    assert (again.json()["created_count"], again.json()["unchanged_count"]) == (0, 1)
    assert Resource.objects.count() == 1


def test_the_resources_import_page(client_for, county_staff, upload):
    client = client_for(county_staff)
    assert client.get(reverse("care_import_resources_template")).status_code == 200
    done = upload(client, reverse("care_import_resources"), _resources_roster())
    assert done.status_code == 302
    assert "导入帮扶资源" in client.get(done.url).content.decode()
    assert "导入帮扶资源" in client.get(reverse("care_exchange")).content.decode()
