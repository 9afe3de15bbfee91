"""Supervision's main journey in a real browser on a 390-px phone screen: a city supervisor records a visit to
正定县 with a finding; the county chair signs in, finds the rectification item on 今日工作, writes a note and closes
it."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS

SETUP = """
from fulian.accounts.models import User
from fulian.orgs.models import Unit
from fulian.supervision import services
unit = {u.name: u for u in Unit.objects.all()}
chair = User.objects.get(username="city")
services.team_create(actor=chair, unit=unit["石家庄市"], name="市妇联第一督导组", members=[chair],
                     regions=[unit["正定县"], unit["行唐县"]])
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("supervision-browser"))
    for username, code, role, name in [("city", "130100000000", "chair", "张丽华"),
                                       ("county", "130123000000", "chair", "刘桂英")]:
        account_create(manage, env, username, code, role, name)
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True)
    with served(manage, env) as url:
        yield url


@pytest.fixture
def phone(server):
    with phone_page() as page:
        yield page


def test_a_supervisor_records_a_finding_and_the_county_closes_it_from_todays_work(server, phone):
    sign_in(phone, server, "city")
    phone.goto(f"{server}/supervision/")
    phone.get_by_role("link", name="市妇联第一督导组").click()
    phone.get_by_role("link", name="记录督导检查").click()
    phone.get_by_role("link", name="正定县", exact=True).click()
    phone.get_by_label("走访地点").fill("正定镇恒东社区妇女之家")
    phone.locator("#id_finding-0-text").fill("妇女之家活动记录不全")
    due = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    phone.locator("#id_finding-0-due_on").fill(due)
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "supervision-visit-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="保存督导检查").click()
    phone.wait_for_selector("#findings")
    assert "妇女之家活动记录不全" in phone.locator("#findings").inner_text()

    phone.context.clear_cookies()
    sign_in(phone, server, "county")
    phone.goto(f"{server}/today/")
    panel = phone.locator("section.rectify-panel")
    assert "还剩" in panel.inner_text()
    panel.get_by_role("link", name="妇女之家活动记录不全").click()
    phone.get_by_label("整改情况").fill("已补齐近三个月的活动记录")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(SHOTS / "supervision-close-390.png"), full_page=True)
    phone.get_by_role("button", name="整改完成").click()
    phone.wait_for_selector(".messages")
    assert "整改已完成" in phone.locator(".messages").inner_text()
    assert "已补齐近三个月的活动记录" in phone.locator("dl.facts").inner_text()
    phone.goto(f"{server}/today/")
    assert phone.locator("section.rectify-panel").count() == 0
