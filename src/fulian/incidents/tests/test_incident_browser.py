"""The incident's main journey on a 390-px phone: a county cadre records an incident and an action, sees the hours
since the first report, and sends a statement to review; the chair finds it in 待审声明 and publishes it."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("incidents-browser"))
    for username, code, role, name in [("county", "130123000000", "chair", "刘桂英"),
                                       ("desk", "130123000000", "staff", "王芳")]:
        account_create(manage, env, username, code, role, name)
    with served(manage, env) as url:
        yield url


def test_a_cadre_records_an_incident_and_an_action_and_the_chair_publishes_the_statement(server):
    reported = timezone.localtime(timezone.now() - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")
    with phone_page() as phone:
        sign_in(phone, server, "desk")
        phone.goto(f"{server}/incidents/new/")
        phone.get_by_label("发生了什么").fill("某村妇女遭家暴视频流传")
        phone.get_by_label("首次报告时间").fill(reported)
        phone.get_by_label("来源链接").fill("https://example.com/news/1")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.get_by_role("button", name="保存").click()
        phone.wait_for_selector("text=维权事件已登记")
        assert "距声明时限还剩 2" in phone.locator("dl.facts").inner_text()
        phone.get_by_label("行动").select_option("visit")
        phone.get_by_label("做了什么").fill("走访当事人")
        phone.get_by_role("button", name="记录", exact=True).click()
        phone.wait_for_selector("text=行动已记录")
        assert "报告后 3.0 小时" in phone.locator("#actions").inner_text()
        phone.get_by_label("声明正文").fill("坚决反对家庭暴力。")
        phone.get_by_role("button", name="提交审核（快速通道）").click()
        phone.wait_for_selector("text=审核人已收到通知")
        assert "审核人已收到通知" in phone.locator(".messages").inner_text()
        SHOTS.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SHOTS / "incident-390.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    with phone_page() as phone:
        sign_in(phone, server, "county")
        phone.goto(f"{server}/incidents/statements/")
        phone.get_by_role("link", name="关于“某村妇女遭家暴视频流传”的声明").click()
        phone.get_by_role("button", name="审核通过并发布").click()
        phone.wait_for_selector("text=在门户查看")
        phone.goto(f"{server}/incidents/")
        phone.get_by_role("link", name="某村妇女遭家暴视频流传").click()
        assert "（按时）" in phone.locator("dl.facts").inner_text()
