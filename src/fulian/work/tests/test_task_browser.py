"""The task's main journey in a real browser on a 390-px phone screen: a township cadre opens the task from 今日工作,
finds the computed fields filled, types one number, submits, and sees the report frozen."""

import subprocess
from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, PASSWORD, account_create, phone_page, served, site_prepare

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS


SETUP = """
import datetime as dt
from django.utils import timezone
from fulian.accounts.models import User
from fulian.core.figures import figures_add
from fulian.orgs.models import Unit
from fulian.work import services
unit = {u.name: u for u in Unit.objects.all()}
year = timezone.localdate().year
figures_add([(unit["恒东社区"].path, year * 100 + 2, "women_registered", 12),
             (unit["张家庄村"].path, year * 100 + 3, "contacts", 5)])
chair = User.objects.get(username="county")
template = services.report_template_create(actor=chair, unit=unit["正定县"], name="季度工作情况", fields=[
    {"key": "women", "label": "登记妇女", "kind": "computed", "figure": "women_registered"},
    {"key": "contacts", "label": "联系妇女人次", "kind": "computed", "figure": "contacts"},
    {"key": "trainings", "label": "培训场次", "kind": "number", "aggregate": "sum", "required": True},
    {"key": "note", "label": "情况说明", "kind": "text"},
    {"key": "photo", "label": "活动照片", "kind": "file"},
])
services.task_issue(actor=chair, unit=unit["正定县"], title="季度妇联工作报表", body="请按时填报。",
                    deadline=timezone.now() + dt.timedelta(days=6), period_start=year * 100 + 1,
                    period_end=year * 100 + 12, template=template, level=4)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A county chair's task sent to the townships, on a server of its own."""
    manage, env = site_prepare(tmp_path_factory.mktemp("tasks-browser"))
    for username, code, role, name in [("county", "130123000000", "chair", "刘桂英"),
                                       ("township", "130123100000", "staff", "李秀芝")]:
        account_create(manage, env, username, code, role, name)
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True)
    with served(manage, env) as url:
        yield url


@pytest.fixture
def phone(server):
    with phone_page() as page:
        yield page


def test_a_township_cadre_reports_on_her_phone_from_todays_work(server, phone):
    phone.goto(f"{server}/accounts/login/")
    phone.get_by_label("用户名").fill("township")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(lambda url: "/accounts/login/" not in url)

    phone.goto(f"{server}/today/")
    panel = phone.locator("section.tasks-panel")
    assert "还剩 5 天" in panel.inner_text()
    panel.get_by_role("link", name="季度妇联工作报表").click()
    phone.get_by_role("link", name="填报").click()

    rows = phone.locator(".report-row.filled")
    assert rows.count() == 2
    assert rows.nth(0).locator("output").inner_text() == "12" and "数据来源" in rows.nth(0).inner_text()
    assert rows.nth(1).locator("output").inner_text() == "5"
    assert "-01 – " in phone.locator("dl.facts").inner_text()  # the statistics period
    phone.get_by_label("培训场次").fill("3")
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "report-form-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off a phone's screen
    phone.get_by_role("button", name="提交报表").click()

    phone.wait_for_selector("#report")
    frozen = phone.locator("#report").inner_text()
    assert "报表已提交" in phone.locator(".messages").inner_text()
    assert "12" in frozen and "3" in frozen and "数据截至提交时" in frozen
    assert phone.get_by_role("link", name="填报").count() == 0
    phone.screenshot(path=str(SHOTS / "report-frozen-390.png"), full_page=True)
