"""The task and report pages from the outside (HTTP client): the journey, the outsider's 404s, bad input that
saves nothing, and the ISO round-trip of the task form's dates and months."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fulian.accounts.tests.factories import UserFactory
from fulian.core.figures import figures_add
from fulian.core.policy import Role
from fulian.dispatch.models import Dispatch, DispatchStatus, Recipient, RecipientState
from fulian.work import services
from fulian.work.models import Attachment, Report, Task

PDF = b"%PDF-1.4\n%test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 32


@pytest.fixture
def template(unit, county_chair):
    return services.report_template_create(actor=county_chair, unit=unit("正定县"), name="季度工作情况", fields=[
        {"key": "women", "label": "登记妇女", "kind": "computed", "figure": "women_registered"},
        {"key": "trainings", "label": "培训场次", "kind": "number", "aggregate": "sum", "required": True},
        {"key": "note", "label": "情况说明", "kind": "text"},
        {"key": "photo", "label": "活动照片", "kind": "file"},
    ])


@pytest.fixture
def task(unit, county_chair, template):
    """正定县 sends a report task to its townships, with one attachment."""
    figures_add([(unit("恒东社区").path, timezone.localdate().year * 100 + 1, "women_registered", 7)])
    year = timezone.localdate().year
    return services.task_issue(
        actor=county_chair, unit=unit("正定县"), title="季度妇联工作报表", body="请按时填报",
        deadline=timezone.now() + dt.timedelta(days=5), period_start=year * 100 + 1, period_end=year * 100 + 12,
        template=template, level=4, attachments=[SimpleUploadedFile("通知.pdf", PDF, content_type="application/pdf")])


@pytest.fixture
def township_cadre(unit):
    return UserFactory(username="township-cadre", unit=unit("正定镇"), roles=[Role.STAFF])


def copy_of(task, unit):
    return Recipient.objects.get(dispatch_id=task.pk, unit=unit)


def test_a_township_cadre_sees_the_task_in_todays_work_and_submits_the_report(task, unit, township_cadre,
                                                                              client_for):
    client = client_for(township_cadre)
    copy = copy_of(task, unit("正定镇"))
    today = client.get(reverse("today")).content.decode()
    assert "季度妇联工作报表" in today and "还剩 4 天" in today
    assert reverse("recipient_detail", args=[copy.pk]) in today
    assert "季度妇联工作报表" in client.get(reverse("home")).content.decode()

    assert client.post(reverse("recipient_acknowledge", args=[copy.pk])).status_code == 302
    copy.refresh_from_db()
    assert copy.state == RecipientState.ACKNOWLEDGED

    form = client.get(reverse("recipient_report", args=[copy.pk])).content.decode()
    assert "<output>7</output>" in form and "数据来源：" in form and "_entry" in form
    response = client.post(reverse("recipient_report", args=[copy.pk]), {
        "trainings": "3", "note": "开展了两场宣讲", "version": copy.version,
        "photo": SimpleUploadedFile("活动.png", PNG, content_type="image/png")})
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.computed == {"women": 7} and report.entered["trainings"] == 3
    page = client.get(reverse("recipient_detail", args=[copy.pk])).content.decode()
    assert "已提交的报表" in page and "开展了两场宣讲" in page and "活动.png" in page

    figures_add([(unit("恒东社区").path, timezone.localdate().year * 100 + 2, "women_registered", 3)])
    page = client.get(reverse("recipient_detail", args=[copy.pk])).content.decode()
    assert "提交后记录有变化：提交时 7，现在 10" in page

    again = client.post(reverse("recipient_report", args=[copy.pk]), {"trainings": "9"})
    assert again.status_code == 302 and Report.objects.count() == 1  # a second submit changes nothing


def test_the_issuer_sees_completion_drills_down_reminds_exports_and_closes(task, unit, county_chair, township_cadre,
                                                                         client_for):
    services.report_submit(actor=township_cadre, recipient=copy_of(task, unit("正定镇")),
                           entered={"trainings": "4", "note": "=HYPERLINK(1)"})
    client = client_for(county_chair)
    page = client.get(reverse("task_detail", args=[task.pk])).content.decode()
    assert "完成情况" in page and "1 <small>/ 2</small>" in page and "50%" in page
    assert "新安镇" in page and "通知.pdf" in page
    assert client.get(reverse("task_detail", args=[task.pk]) + "?print=1").status_code == 200
    assert client.get(reverse("task_completion", args=[task.pk, unit("正定镇").pk])).status_code == 200

    assert client.post(reverse("task_remind", args=[task.pk])).status_code == 302
    assert Recipient.objects.get(dispatch_id=task.pk, unit=unit("新安镇")).reminders == 1
    assert copy_of(task, unit("正定镇")).reminders == 0

    export = client.get(reverse("task_export", args=[task.pk]) + "?level=4")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("单位代码", "单位", "提交时间", "登记妇女", "培训场次", "情况说明", "活动照片")
    assert rows[1][0] == "130123100000" and isinstance(rows[1][0], str) and rows[1][4] == 4

    attachment = Attachment.objects.get(task=task)
    download = client.get(reverse("attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]

    assert client.post(reverse("task_close", args=[task.pk])).status_code == 302
    assert Dispatch.objects.get(pk=task.pk).status == DispatchStatus.CLOSED


def test_a_county_chair_issues_a_task_and_the_dates_and_months_round_trip(unit, county_chair, template, client_for):
    client = client_for(county_chair)
    form = client.get(reverse("task_new")).content.decode()
    assert 'type="month"' in form and 'type="datetime-local"' in form
    year = timezone.localdate().year + 1
    data = {"title": "妇女之家活动统计", "body": "", "deadline": f"{year}-03-08T17:30", "period_start": f"{year}-01",
            "period_end": f"{year}-02", "template": template.pk, "level": 5}
    # a bad field keeps the others as typed, in the ISO form the inputs take
    again = client.post(reverse("task_new"), {**data, "title": ""}).content.decode()
    assert f'value="{year}-03-08T17:30"' in again and f'value="{year}-01"' in again and f'value="{year}-02"' in again
    assert not Task.objects.exists()
    response = client.post(reverse("task_new"), {
        **data, "attachments": [SimpleUploadedFile("a.pdf", PDF), SimpleUploadedFile("b.pdf", PDF)]})
    assert response.status_code == 302
    task = Task.objects.get()
    assert (task.period_start, task.period_end) == (year * 100 + 1, year * 100 + 2)
    assert timezone.localtime(task.dispatch.deadline).replace(tzinfo=None) == dt.datetime(year, 3, 8, 17, 30)
    assert task.attachments.count() == 2 and task.dispatch.recipient_count == 3
    assert f"{year}-01 – {year}-02" in client.get(reverse("task_detail", args=[task.pk])).content.decode()


def test_a_task_without_a_report_is_completed_with_one_button(unit, county_chair, township_cadre, client_for):
    year = timezone.localdate().year
    task = services.task_issue(actor=county_chair, unit=unit("正定县"), title="学习会议精神", body="",
                               deadline=timezone.now() + dt.timedelta(days=2), period_start=year * 100 + 1,
                               period_end=year * 100 + 1, level=4)
    copy = copy_of(task, unit("正定镇"))
    client = client_for(township_cadre)
    assert "完成" in client.get(reverse("recipient_detail", args=[copy.pk])).content.decode()
    assert client.post(reverse("recipient_complete", args=[copy.pk])).status_code == 302
    copy.refresh_from_db()
    assert copy.is_done


def test_a_township_delegates_to_its_villages_and_sees_their_state(task, unit, township_cadre, client_for):
    client = client_for(township_cadre)
    copy = copy_of(task, unit("正定镇"))
    assert client.post(reverse("recipient_delegate", args=[copy.pk]), {"level": "5"}).status_code == 302
    page = client.get(reverse("recipient_detail", args=[copy.pk])).content.decode()
    assert "恒东社区" in page and "张家庄村" in page
    assert "下级汇总：0/2 已报" in client.get(reverse("recipient_report", args=[copy.pk])).content.decode()
    assert client.post(reverse("task_remind", args=[task.pk]), {"recipient": copy.pk}).status_code == 302
    assert sorted(Recipient.objects.filter(parent=copy).values_list("reminders", flat=True)) == [1, 1]
    other = copy_of(task, unit("新安镇"))
    assert client.post(reverse("task_remind", args=[task.pk]), {"recipient": other.pk}).status_code == 404


def test_lists_and_templates(task, unit, county_chair, township_cadre, client_for):
    assert "季度妇联工作报表" in client_for(township_cadre).get(reverse("task_list")).content.decode()
    client = client_for(county_chair)
    assert "季度妇联工作报表" in client.get(reverse("task_list")).content.decode()
    assert "季度工作情况" in client.get(reverse("template_list")).content.decode()
    assert "季度妇联工作报表" in client.get(reverse("unit_detail", args=[unit("正定镇").pk])).content.decode()
    management = {"f-TOTAL_FORMS": "10", "f-INITIAL_FORMS": "0", "f-MIN_NUM_FORMS": "0", "f-MAX_NUM_FORMS": "40"}
    response = client.post(reverse("template_new"), {
        "name": "妇女之家", **management, "f-0-key": "homes", "f-0-label": "妇女之家", "f-0-kind": "computed",
        "f-0-figure": "womens_homes", "f-0-aggregate": "sum", "f-1-key": "events", "f-1-label": "活动次数",
        "f-1-kind": "number", "f-1-aggregate": "sum"})
    assert response.status_code == 302
    bad = client.post(reverse("template_new"), {"name": "坏", **management, "f-0-key": "x", "f-0-label": "x",
                                                "f-0-kind": "computed", "f-0-figure": "", "f-0-aggregate": "sum"})
    assert bad.status_code == 200 and "数据来源" in bad.content.decode()
    assert [t.name for t in client.get(reverse("template_list")).context["templates"]][:1] == ["妇女之家"]


def test_a_village_cadre_may_not_issue(village_cadre, client_for):
    assert client_for(village_cadre).get(reverse("task_new")).status_code == 404


def test_the_sibling_county_gets_404_on_every_page_of_the_task(task, unit, township_cadre, sibling_county_cadre,
                                                               client_for):
    services.report_submit(actor=township_cadre, recipient=copy_of(task, unit("正定镇")), entered={"trainings": "1"},
                           files={"photo": SimpleUploadedFile("p.png", PNG)})
    copy = copy_of(task, unit("正定镇"))
    client = client_for(sibling_county_cadre)
    report_file = Attachment.objects.get(report__isnull=False)
    for name, args in [("task_detail", [task.pk]), ("task_completion", [task.pk, unit("正定镇").pk]),
                       ("task_completion", [task.pk, unit("行唐县").pk]), ("task_export", [task.pk]),
                       ("recipient_detail", [copy.pk]), ("recipient_report", [copy.pk]),
                       ("attachment_download", [Attachment.objects.get(task=task).pk]),
                       ("attachment_download", [report_file.pk])]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in ("recipient_acknowledge", "recipient_delegate", "recipient_complete"):
        assert client.post(reverse(name, args=[copy.pk])).status_code == 404, name
    for name in ("task_remind", "task_close"):
        assert client.post(reverse(name, args=[task.pk])).status_code == 404, name
    assert Dispatch.objects.get(pk=task.pk).status == DispatchStatus.OPEN


def test_a_township_cadre_sees_only_her_townships_copy(task, unit, township_cadre, client_for):
    client = client_for(township_cadre)
    assert client.get(reverse("recipient_detail", args=[copy_of(task, unit("新安镇")).pk])).status_code == 404
    assert client.get(reverse("task_completion", args=[task.pk, unit("正定县").pk])).status_code == 404


@pytest.mark.parametrize(("data", "files", "message"), [
    ({"trainings": "-3"}, {}, "不能是负数"),
    ({"trainings": "abc"}, {}, "须填写数字"),
    ({"trainings": "2"}, {"photo": SimpleUploadedFile("p.jpg", b"#!/bin/sh\n", content_type="image/jpeg")}, "类型不对"),
])
def test_bad_report_input_shows_a_message_and_saves_nothing(task, unit, township_cadre, client_for, data, files,
                                                            message):
    copy = copy_of(task, unit("正定镇"))
    response = client_for(township_cadre).post(reverse("recipient_report", args=[copy.pk]), {**data, **files})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Report.objects.exists() and not Attachment.objects.filter(report__isnull=False).exists()
    copy.refresh_from_db()
    assert copy.state == RecipientState.RECEIVED


def test_a_closed_task_takes_no_report(task, unit, county_chair, township_cadre, client_for):
    client_for(county_chair).post(reverse("task_close", args=[task.pk]))
    copy = copy_of(task, unit("正定镇"))
    client = client_for(township_cadre)
    response = client.post(reverse("recipient_report", args=[copy.pk]), {"trainings": "2"})
    assert "已关闭" in response.content.decode()
    assert not Report.objects.exists()
    assert "提交报表" not in client.get(reverse("recipient_report", args=[copy.pk])).content.decode()


def test_a_wrong_attachment_type_on_a_new_task_shows_a_message_and_sends_nothing(unit, county_chair, client_for):
    year = timezone.localdate().year + 1
    response = client_for(county_chair).post(reverse("task_new"), {
        "title": "x", "deadline": f"{year}-03-08T17:30", "period_start": f"{year}-01", "period_end": f"{year}-01",
        "level": 4, "attachments": [SimpleUploadedFile("run.pdf", b"#!/bin/sh\n")]})
    assert response.status_code == 200 and "类型不对" in response.content.decode()
    assert not Dispatch.objects.exists() and not Attachment.objects.exists()


def test_a_task_goes_to_hand_picked_units_by_code_or_name(unit, county_chair, client_for):
    import datetime as dt

    from django.utils import timezone

    from fulian.dispatch.models import Recipient

    client = client_for(county_chair)
    deadline = timezone.localtime() + dt.timedelta(days=7)
    form = {"title": "三八节走访", "body": "", "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "period_start": "2026-01", "period_end": "2026-11", "template": "", "level": "4"}
    refused = client.post(reverse("task_new"), {**form, "units": "恒东社区\n南关村"})
    assert refused.status_code == 200 and "南关村" in refused.content.decode() and "不是本单位以下" in (
        refused.content.decode())
    assert client.post(reverse("task_new"), {**form, "units": "恒东社区, 130123101201"}).status_code == 302
    assert sorted(Recipient.objects.values_list("unit__name", flat=True)) == ["恒东社区", "西柏棠村"]
