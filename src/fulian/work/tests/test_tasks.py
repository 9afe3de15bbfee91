"""Tasks and reports down the tree: the issue's "must show" journey at the service level, and its refusals."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.figures import figures_add
from fulian.core.models import Outbox
from fulian.core.policy import OutOfScope, Role
from fulian.dispatch.models import Recipient, RecipientState, Rollup
from fulian.dispatch.services import dispatch_chase, dispatch_remind, recipient_delegate
from fulian.evaluation.selectors import dashboard
from fulian.work import selectors, services
from fulian.work.models import Report

NOW = timezone.make_aware(dt.datetime(2026, 6, 10, 9, 0))
DEADLINE = NOW + dt.timedelta(days=7)


@pytest.fixture
def template(unit, province_chair):
    return services.report_template_create(actor=province_chair, unit=unit("河北省"), name="上半年工作情况", fields=[
        {"key": "women", "label": "登记妇女", "kind": "computed", "figure": "women_registered"},
        {"key": "contacts", "label": "联系妇女人次", "kind": "computed", "figure": "contacts"},
        {"key": "cases", "label": "受理求助", "kind": "computed", "figure": "cases_opened"},
        {"key": "homes", "label": "妇女之家", "kind": "computed", "figure": "womens_homes"},
        {"key": "trainings", "label": "培训场次", "kind": "number", "aggregate": "sum", "required": True},
        {"key": "note", "label": "情况说明", "kind": "text"},
        {"key": "photo", "label": "活动照片", "kind": "file"},
    ])


@pytest.fixture
def records(unit):
    """What the records of January–June hold (announced as their writers announce them)."""
    figures_add([
        (unit("恒东社区").path, 202603, "women_registered", 5), (unit("西柏棠村").path, 202605, "women_registered", 2),
        (unit("南关村").path, 202604, "women_registered", 3), (unit("恒东社区").path, 202604, "contacts", 7),
        (unit("南关村").path, 202602, "contacts", 4), (unit("恒东社区").path, 202606, "cases_opened", 1),
    ])


@pytest.fixture
def task(unit, province_chair, template, records):
    return services.task_issue(actor=province_chair, unit=unit("河北省"), title="上半年妇联工作报表", body="请按时填报",
                               deadline=DEADLINE, period_start=202601, period_end=202606, template=template, level=3,
                               now=NOW)


def copy_of(task, unit):
    return Recipient.objects.get(dispatch_id=task.pk, unit=unit)


def test_each_county_computed_fields_equal_its_dashboard(task, unit):
    for name in ("正定县", "行唐县"):
        county = unit(name)
        filled = {row["field"].key: row["value"] for row in services.report_prefill(copy_of(task, county))["rows"]}
        totals = dashboard(county, year=2026)["totals"]
        assert filled["women"] == totals.get("women_registered", 0)
        assert filled["contacts"] == totals.get("contacts", 0)
        assert filled["cases"] == totals.get("cases_opened", 0)
    assert filled["women"] == 3 and filled["contacts"] == 4  # 行唐县: its village only


def test_a_delegating_county_reports_the_sum_of_its_townships(task, unit, county_chair):
    county = copy_of(task, unit("正定县"))
    assert recipient_delegate(actor=county_chair, recipient=county, level=4, now=NOW) == 2
    township_cadre = UserFactory(username="tc", unit=unit("正定镇"), roles=[Role.STAFF])
    other = UserFactory(username="tc2", unit=unit("新安镇"), roles=[Role.STAFF])
    services.report_submit(actor=township_cadre, recipient=copy_of(task, unit("正定镇")), entered={"trainings": "4"},
                           now=NOW)
    services.report_submit(actor=other, recipient=copy_of(task, unit("新安镇")), entered={"trainings": "6"}, now=NOW)
    county.refresh_from_db()
    assert county.state == RecipientState.DELEGATED
    report = services.report_submit(actor=county_chair, recipient=county, entered={"trainings": "999"}, now=NOW)
    assert report.entered["trainings"] == 10  # its townships' sum, not a number typed over it
    assert [c["reported"] for c in selectors.delegated_children(county)] == [True, True]
    page = selectors.completion(task, at=unit("河北省"), now=NOW)
    assert page["totals"]["total"] == 2 and page["totals"]["done"] == 1
    assert Rollup.objects.get(dispatch_id=task.pk, unit=unit("石家庄市")).done == 1


def test_a_late_county_is_reminded_once_though_the_job_runs_twice(task, unit, county_chair, sibling_county_cadre):
    services.report_submit(actor=county_chair, recipient=copy_of(task, unit("正定县")), entered={"trainings": "1"},
                           now=NOW)
    late = DEADLINE + dt.timedelta(hours=2)
    assert dispatch_chase(kind="task", now=late) == {"chased": 1, "overdue": 1}
    assert dispatch_chase(kind="task", now=late + dt.timedelta(minutes=15)) == {"chased": 0, "overdue": 0}
    reminded = Outbox.objects.filter(subject__contains="逾期")
    assert [m.user for m in reminded] == [sibling_county_cadre]
    assert copy_of(task, unit("行唐县")).reminders == 1


def test_reminding_everyone_not_done_is_one_action_and_a_double_click_reminds_nobody_twice(task, unit,
                                                                                          province_chair,
                                                                                          county_chair,
                                                                                          sibling_county_cadre):
    services.report_submit(actor=county_chair, recipient=copy_of(task, unit("正定县")), entered={"trainings": "1"},
                           now=NOW)
    assert dispatch_remind(actor=province_chair, dispatch=task.dispatch, now=NOW) == 1
    assert dispatch_remind(actor=province_chair, dispatch=task.dispatch, now=NOW + dt.timedelta(seconds=1)) == 0
    assert list(Outbox.objects.filter(subject__startswith="催办").values_list("user__username", flat=True)) == [
        "sibling-cadre"]
    with pytest.raises(OutOfScope):
        dispatch_remind(actor=county_chair, dispatch=task.dispatch, now=NOW)


def test_a_submitted_report_keeps_its_values_and_shows_the_difference(task, unit, county_chair):
    county = unit("正定县")
    report = services.report_submit(actor=county_chair, recipient=copy_of(task, county), entered={"trainings": "2"},
                                    now=NOW)
    assert report.computed["women"] == 7
    figures_add([(unit("张家庄村").path, 202604, "women_registered", 3)])  # a record arrives afterwards
    report = Report.objects.get(pk=report.pk)
    assert report.computed["women"] == 7
    assert [(d["field"].key, d["submitted"], d["now"]) for d in services.report_differences(report)] == [
        ("women", 7, 10)]


def test_a_sibling_county_cannot_see_another_countys_report(task, unit, county_chair, sibling_county_cadre):
    services.report_submit(actor=county_chair, recipient=copy_of(task, unit("正定县")), entered={"trainings": "2"},
                           now=NOW)
    with pytest.raises(Http404):
        selectors.access_recipient_by_id(sibling_county_cadre, copy_of(task, unit("正定县")).pk)
    assert selectors.access_recipient_by_id(sibling_county_cadre, copy_of(task, unit("行唐县")).pk)
    assert selectors.access_task_by_id(sibling_county_cadre, task.pk) == task  # it received the task


def test_bad_input_is_refused_with_a_message_and_nothing_saved(task, unit, county_chair, province_chair):
    copy = copy_of(task, unit("正定县"))
    with pytest.raises(ValidationError, match="负数"):
        services.report_submit(actor=county_chair, recipient=copy, entered={"trainings": "-3"}, now=NOW)
    with pytest.raises(ValidationError, match="请填写"):
        services.report_submit(actor=county_chair, recipient=copy, entered={}, now=NOW)
    script = SimpleUploadedFile("photo.jpg", b"#!/bin/sh\nrm -rf /\n", content_type="image/jpeg")
    with pytest.raises(ValidationError, match="类型不对"):
        services.report_submit(actor=county_chair, recipient=copy, entered={"trainings": "1"},
                               files={"photo": script}, now=NOW)
    big = SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (11 * 2**20), content_type="image/png")
    with pytest.raises(ValidationError, match="太大"):
        services.report_submit(actor=county_chair, recipient=copy, entered={"trainings": "1"},
                               files={"photo": big}, now=NOW)
    with pytest.raises(ValidationError, match="本单位以下"):
        recipient_delegate(actor=county_chair, recipient=copy, units=[unit("龙州镇")], now=NOW)
    assert not Report.objects.exists() and not Recipient.objects.filter(parent=copy).exists()
    copy.refresh_from_db()
    assert copy.state == RecipientState.RECEIVED
    from fulian.dispatch.services import dispatch_close

    dispatch_close(actor=province_chair, dispatch=task.dispatch, now=NOW)
    with pytest.raises(ValidationError, match="已关闭"):
        services.report_submit(actor=county_chair, recipient=copy, entered={"trainings": "1"}, now=NOW)
    assert not Report.objects.exists()


def test_a_photo_is_never_required(unit, province_chair):
    template = services.report_template_create(actor=province_chair, unit=unit("河北省"), name="x", fields=[
        {"key": "photo", "label": "照片", "kind": "file", "required": True}])
    assert template.fields.get().required is False


def test_a_report_submitted_twice_is_one_report(task, unit, county_chair):
    copy = copy_of(task, unit("正定县"))
    services.report_submit(actor=county_chair, recipient=copy, entered={"trainings": "2"}, now=NOW)
    with pytest.raises(ValidationError, match="不能重复"):
        services.report_submit(actor=county_chair, recipient=copy, entered={"trainings": "2"}, now=NOW)
    assert Report.objects.count() == 1


def test_the_recount_agrees_with_the_live_task_figures(task, unit, county_chair):
    from fulian.evaluation.recount import recount

    services.report_submit(actor=county_chair, recipient=copy_of(task, unit("正定县")), entered={"trainings": "2"},
                           now=NOW)
    dispatch_chase(kind="task", now=DEADLINE + dt.timedelta(days=1))
    assert Recipient.objects.filter(overdue_counted=True).count() == 1
    assert not [d for d in recount().differences if d[2].startswith("tasks_")]


def test_only_a_leader_issues_work(unit, village_cadre, template):
    with pytest.raises(OutOfScope):
        services.task_issue(actor=village_cadre, unit=unit("恒东社区"), title="x", body="", deadline=DEADLINE,
                            period_start=202601, period_end=202606, level=5, now=NOW)


def test_the_periodic_chase_run_twice_sends_one_reminder(task, unit, county_chair, sibling_county_cadre):
    from django.core.management import call_command

    services.report_submit(actor=county_chair, recipient=copy_of(task, unit("正定县")), entered={"trainings": "1"},
                           now=NOW)
    call_command("tasks_chase", stdout=io.StringIO())  # the deadline (June) has passed by the real clock
    call_command("tasks_chase", stdout=io.StringIO())
    reminded = Outbox.objects.filter(subject__contains="逾期")
    assert [(m.user, m.link) for m in reminded] == [
        (sibling_county_cadre, f"/tasks/received/{copy_of(task, unit('行唐县')).pk}/")]


def test_the_dashboard_shows_tasks_done_and_overdue_live(task, unit, county_chair, province_chair, client_for):
    services.report_submit(actor=county_chair, recipient=copy_of(task, unit("正定县")), entered={"trainings": "1"},
                           now=NOW)
    dispatch_chase(kind="task", now=DEADLINE + dt.timedelta(hours=1))
    board = dashboard(unit("河北省"), year=2026)["totals"]
    assert (board["tasks_done"], board["tasks_on_time"], board["tasks_overdue"]) == (1, 1, 1)
    page = client_for(province_chair).get(f"/dashboard/{unit('河北省').pk}/?year=2026").content.decode()
    assert "逾期未报" in page and "1 / 1" in page


def test_a_money_figure_is_frozen_exactly_and_its_later_change_shows(unit, province_chair, county_chair):
    """A computed field of money (funding's figures are exact Decimal yuan) is kept as its text in the report."""
    template = services.report_template_create(actor=province_chair, unit=unit("河北省"), name="经费", fields=[
        {"key": "spent", "label": "经费支出", "kind": "computed", "figure": "funds_spent"}])
    figures_add([(unit("恒东社区").path, 202603, "funds_spent", 12345)])  # fen
    task = services.task_issue(actor=province_chair, unit=unit("河北省"), title="经费报表", body="", deadline=DEADLINE,
                               period_start=202601, period_end=202606, template=template, level=3, now=NOW)
    report = services.report_submit(actor=county_chair, recipient=copy_of(task, unit("正定县")), entered={}, now=NOW)
    report.refresh_from_db()
    assert report.computed["spent"] == "123.45"
    assert services.report_differences(report) == []
    figures_add([(unit("西柏棠村").path, 202604, "funds_spent", 55)])
    assert [(d["submitted"], d["now"]) for d in services.report_differences(report)] == [("123.45", "124.00")]
