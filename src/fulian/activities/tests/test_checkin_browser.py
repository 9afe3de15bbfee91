"""Check-in in a real browser on 390-px phones: the organiser's screen shows the QR code, a woman opens its link and
checks in, the screen's count goes up by itself; on the tick list the organiser ticks a name while the network is
down, the tick waits and goes through when it is back, and a walk-in is added."""

import json
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
from fulian.activities import services
from fulian.activities.models import SignUp
from fulian.core.figures import figures_add, period_of
from fulian.orgs.models import Unit
county = Unit.objects.get(name="正定县")
chair = User.objects.get(username="county")
start = timezone.now() - dt.timedelta(minutes=5)
activity = services.activity_publish(actor=chair, activity=services.activity_save(
    actor=chair, unit=county, values={"title": "家庭教育讲座", "kind": "lecture", "address": "正定县文化馆"},
    sessions=[(start, start + dt.timedelta(hours=2))]))
for name, phone in (("王秀兰", "13800138000"), ("赵敏", "13900139000")):
    now = timezone.now()
    SignUp.objects.create(activity=activity, unit_path=activity.unit_path, name=name, phone=phone, channel="cadre",
                          state="confirmed", created_at=now)
    figures_add([(activity.unit_path, period_of(now), "activity_signups", 1)])
print(activity.sessions.get().pk)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("checkin-browser"))
    account_create(manage, env, "county", "130123000000", "chair", "刘桂英")
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    session_id = int(made.stdout.strip().splitlines()[-1])
    with served(manage, env) as url:
        yield url, session_id, manage, env


def test_she_scans_and_the_screen_counts_her(server):
    from playwright.sync_api import expect

    url, session_id, _manage, _env = server
    with phone_page() as screen:
        hers = screen.context.browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")  # no cookies
        sign_in(screen, url, "county")
        screen.goto(f"{url}/activities/sessions/{session_id}/checkin/")
        qr = screen.locator("[data-checkin-qr]")
        screen.wait_for_load_state("load")  # images included
        assert screen.evaluate("document.querySelector('[data-checkin-qr]').naturalWidth") > 0
        assert qr.bounding_box()["width"] <= 390
        SHOTS.mkdir(parents=True, exist_ok=True)
        screen.screenshot(path=str(SHOTS / "checkin-screen-390.png"), full_page=True)
        link = json.loads(screen.evaluate(
            "fetch(document.querySelector('[data-status-url]').dataset.statusUrl).then(r => r.text())"))
        hers.goto(f"{url}/checkin/{session_id}/{link['code']}/")
        hers.get_by_label("手机号").fill("13800138000")
        hers.get_by_role("button", name="签到").click()
        hers.wait_for_selector("h1.done")
        assert "王*兰" in hers.locator("main").inner_text()
        hers.screenshot(path=str(SHOTS / "checkin-done-390.png"), full_page=True)
        expect(screen.locator("[data-checkin-count]")).to_have_text("1", timeout=15_000)  # the next poll


def test_a_tick_made_offline_goes_through_when_the_network_is_back(server):
    url, session_id, manage, env = server
    with phone_page() as phone:
        sign_in(phone, url, "county")
        phone.goto(f"{url}/activities/sessions/{session_id}/roll/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        row = phone.locator("[data-roll-row]", has_text="赵敏")
        phone.context.set_offline(True)
        row.get_by_role("button", name="签到").click()
        phone.locator("[data-tick-pending]").wait_for(state="visible")
        assert "重试" in row.inner_text()
        phone.screenshot(path=str(SHOTS / "checkin-roll-offline-390.png"), full_page=True)
        phone.context.set_offline(False)
        row.get_by_text("已签到").wait_for(timeout=20_000)
        phone.locator("[data-tick-pending]").wait_for(state="hidden")
        phone.get_by_label("姓名", exact=True).fill("李红")
        phone.get_by_label("手机号", exact=True).fill("13600136000")
        phone.get_by_role("button", name="登记并签到").click()
        phone.locator("[data-others]").get_by_text("李红").wait_for()
        phone.reload()
        assert "已签到" in phone.locator("[data-roll-row]", has_text="赵敏").inner_text()
        assert phone.locator("[data-checkin-count]").inner_text() in ("2", "3")  # 3 after the other test's scan
        phone.screenshot(path=str(SHOTS / "checkin-roll-390.png"), full_page=True)
    recount = subprocess.run([*manage, "indicators_recount"], env=env, capture_output=True, text=True)
    assert recount.returncode == 0, recount.stdout
