"""Recording a meeting on a 390-px phone: the county chair picks 常委会, ticks the members present from the standing
committee of organisation building, saves, and records a decision voted by name."""

import subprocess
from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS

SETUP = """
import datetime as dt
from fulian.accounts.models import User
from fulian.orgs import building
from fulian.orgs.models import Unit
chair = User.objects.get(username="county")
today = dt.date.today()
body = building.body_create(actor=chair, unit=Unit.objects.get(code="130123000000"), kind="standing",
                            term_start=dt.date(today.year - 2, 3, 1), term_end=dt.date(today.year + 3, 2, 28))
for i, name in enumerate(["赵敏", "钱红", "孙丽", "李娜", "周芳"]):
    building.member_add(actor=chair, body=body, name=name, role="chair" if i == 0 else "member")
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("meetings-browser"))
    account_create(manage, env, "county", "130123000000", "chair", "刘桂英")
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True)
    with served(manage, env) as url:
        yield url


def test_the_chair_records_a_committee_meeting_and_a_decision_on_her_phone(server):
    SHOTS.mkdir(exist_ok=True)
    with phone_page() as page:
        sign_in(page, server, "county")
        page.goto(f"{server}/meetings/")
        page.get_by_role("link", name="记录会议").click()
        page.get_by_role("link", name="常委会").click()
        page.get_by_label("地点").fill("县妇联会议室")
        for name in ("赵敏", "钱红", "孙丽"):
            page.get_by_role("checkbox", name=name).check()
        page.get_by_label("李娜缺席原因").fill("外出学习")
        page.get_by_label("会议纪要").fill("会议研究了春季工作。")
        page.screenshot(path=str(SHOTS / "meeting-form.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("button", name="保存").click()
        page.wait_for_url(lambda url: "/meetings/new/" not in url)
        assert "会议研究了春季工作。" in page.content() and "外出学习" in page.content()
        page.get_by_label("决定事项").fill("开展家庭教育宣讲")
        votes = page.locator('#decision-new select[name^="vote_"]')
        assert votes.count() == 3  # the members present, one by one
        for i in range(3):
            votes.nth(i).select_option("for")
        page.get_by_role("button", name="保存决定事项").click()
        page.wait_for_selector("text=赞成3票，反对0票，弃权0票（应到会5人）")
        assert "据此下发任务" in page.content()
        page.screenshot(path=str(SHOTS / "meeting-detail.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
