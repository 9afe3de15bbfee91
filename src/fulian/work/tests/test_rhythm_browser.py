"""The rhythm of the work on a 390-px phone: the county chair sets her townships' 工作重点 for the year and reminds
the townships that held no field week; a township cadre finds the priorities on her 工作台."""

import subprocess
from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS

SETUP = """
import datetime as dt
from django.utils import timezone
from fulian.accounts.models import User
from fulian.contacts.services import field_week_create, window_before
from fulian.orgs.models import Unit, Level
chair = User.objects.get(username="county")
county = Unit.objects.get(code="130123000000")
start, _end = window_before(timezone.localdate())
township = Unit.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code").first()
field_week_create(actor=chair, unit=township, title="下基层", starts_on=start, ends_on=start + dt.timedelta(days=4))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("rhythm-browser"))
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


def test_county_sets_priorities_and_reminds_a_township_sees_them(server, phone):
    sign_in(phone, server, "county")
    phone.goto(f"{server}/work/")
    phone.locator("section.priorities-panel").get_by_role("link", name="确定下级工作重点").click()
    phone.locator("#id_p-0-text").fill("每个双月开展一次下基层工作周")
    phone.locator("#id_p-1-text").fill("推动妇女之家常态化开放")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="保存").click()
    assert "第1版" in phone.locator(".messages").inner_text()

    phone.goto(f"{server}/field-weeks/check/")
    listed = phone.locator("ul.results").inner_text()
    assert "正定镇" not in listed and "新安镇" in listed  # 正定镇 held its week in the window
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SHOTS / "field-week-check-390.png"), full_page=True)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_role("button", name="提醒这些单位").click()
    assert "已提醒" in phone.locator(".messages").inner_text()
    phone.get_by_role("button", name="提醒这些单位").click()
    assert "不再重复" in phone.locator(".messages").inner_text()

    phone.context.clear_cookies()
    sign_in(phone, server, "township")
    phone.goto(f"{server}/work/")
    panel = phone.locator("section.priorities-panel").inner_text()
    assert "正定县妇联确定的本级工作重点" in panel and "推动妇女之家常态化开放" in panel
    phone.screenshot(path=str(SHOTS / "priorities-workbench-390.png"), full_page=True)
