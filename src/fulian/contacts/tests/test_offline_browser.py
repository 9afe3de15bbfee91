"""今日工作 without a signal, in Chromium on a 390-px phone: the page opened online, the line dropped, three contacts
recorded (one with a double tap on 保存), the page reloaded offline (the service worker's copy), the line back and the
queue synced — exactly three contacts, on the dates they were made, figures equal to indicators_recount. Then the
same with service workers blocked (WeChat's browser on iPhone has none): the open page still queues and syncs; a
session that ended keeps the queue until she signs in again; signing out deletes the kept page; another account on
the same phone sees none of her queue. Screenshots go to /tmp/shots."""

import datetime as dt
import json
import subprocess
import time
from pathlib import Path

import pytest

from fulian.core.tests.browser import (
    MARKS,
    PASSWORD,
    account_create,
    phone_context,
    served,
    site_prepare,
)

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS

SETUP = """
from django.utils import timezone
from fulian.accounts.models import User
from fulian.contacts.services import assignment_create, contact_log_create
from fulian.orgs.models import Unit
from fulian.people.services import WomanData, woman_create
village = Unit.objects.get(name="恒东社区")
chair, cadre, other = (User.objects.get(username=u) for u in ("village-chair", "village", "village-two"))
today = timezone.localdate()
names = ["王秀兰", "李桂芝", "张玉梅", "赵春花", "刘淑芬", "陈美玲"]
women = [woman_create(actor=chair, data=WomanData(name=n, home_unit=village, phone=f"1380311000{i}"))
         for i, n in enumerate(names)]
for w in women[:4]:
    assignment_create(actor=chair, woman=w, cadre=cadre, today=today)
for w in women[4:]:
    assignment_create(actor=chair, woman=w, cadre=other, today=today)
contact_log_create(actor=chair, woman=women[3], contacted_on=today, channel="phone", today=today,
                   needs=[("employment", "想找附近的工作")])
print(" ".join(str(w.pk) for w in women))
"""

STATE = """
import json
from fulian.contacts.models import ContactLog
logs = ContactLog.objects.filter(cadre__username="{user}").order_by("contacted_on", "id")
print(json.dumps([[log.woman.name, str(log.contacted_on), log.channel] for log in logs], ensure_ascii=False))
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("offline-browser"))
    for username, role, name in [("village-chair", "chair", "赵淑珍"), ("village", "staff", "杨春燕"),
                                 ("village-two", "staff", "孙丽")]:
        account_create(manage, env, username, "130123100001", role, name)
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    ids = [int(x) for x in made.stdout.strip().splitlines()[-1].split()]
    with served(manage, env) as url:
        yield url, ids, manage, env


def _logs(manage, env, user: str) -> list:
    out = subprocess.run([*manage, "shell", "-c", STATE.replace("{user}", user)], env=env, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _phone(browser, *, workers: str = "allow"):
    return phone_context(browser, workers=workers)


def _sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/?next=/today/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{url}/today/")
    page.locator("#offline[data-ready]").wait_for(state="attached")


def _row(page, name: str):
    return page.locator("li[data-woman]", has=page.locator(f"a:text-is('{name}')"))


def _record(page, name: str, channel: str, *, double: bool = False, on: dt.date | None = None, views: str = ""):
    row = _row(page, name)
    if not row.get_by_role("button", name="记录联系").is_visible():  # contacted lately: in the folded list
        page.locator("summary", has_text="我联系的其他妇女").click()
    row.get_by_role("button", name="记录联系").click()
    form = row.locator("form[data-offline=contact]")
    form.locator("label.chip", has_text=channel).click()
    if on is not None:
        form.locator("input[name=on]").fill(on.isoformat())
    if views:
        form.locator("summary").click()
        form.locator("textarea[name=views]").fill(views)
    save = form.get_by_role("button", name="保存")
    if double:
        save.dblclick()
    else:
        save.click()
    form.wait_for(state="detached")


def _count(page) -> str:
    return page.locator("#offline [data-count]").inner_text()


def _count_is(page, value: str) -> None:
    from playwright.sync_api import expect

    try:
        expect(page.locator("#offline [data-count]")).to_have_text(value, timeout=20_000)
    except AssertionError:
        raise AssertionError(page.locator("#offline").inner_text()) from None


def _until(page, script: str, seconds: float = 10) -> None:
    """Poll an expression (the page's policy allows no eval, so no wait_for_function)."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(script):
        assert time.monotonic() < deadline, script
        page.wait_for_timeout(200)


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"offline-{name}-390.png"), full_page=True)


def test_three_contacts_recorded_offline_survive_a_reload_and_sync_once_each(server, browser):
    url, _ids, manage, env = server
    context, page = _phone(browser)
    _sign_in(page, url, "village")
    page.locator("#offline[data-kept]").wait_for(state="attached")  # the service worker keeps the page
    yesterday = dt.date.today() - dt.timedelta(days=1)

    context.set_offline(True)
    opener = _row(page, "王秀兰").get_by_role("button", name="记录联系")
    opener.click()
    opener.click()  # a second tap closes the form: never two forms for one woman
    assert _row(page, "王秀兰").locator("form").count() == 0
    _record(page, "王秀兰", "电话")
    _record(page, "李桂芝", "上门走访", double=True)  # a double tap saves it once
    _record(page, "张玉梅", "微信", on=yesterday, views="想参加电商培训")
    assert _count(page) == "3"
    assert "已保存在本机" in _row(page, "张玉梅").locator(".row-state").inner_text()  # said where she tapped
    assert page.locator("#offline [data-queue] li[data-state=pending]").count() == 3
    _fits(page)
    _shot(page, "queued")

    page.reload()  # no signal: the service worker's copy, and the queue read back from the phone
    page.locator("#offline[data-ready]").wait_for(state="attached")
    assert _count(page) == "3"
    assert "没有网络" in page.locator("#offline [data-status]").inner_text()
    assert "已保存在本机" in _row(page, "王秀兰").locator(".row-state").inner_text()  # her row says so after a reload
    assert _logs(manage, env, "village") == []

    context.set_offline(False)  # the line is back: the queue goes by itself
    _count_is(page, "0")
    page.locator("#offline [data-queue] li[data-state=applied]").nth(2).wait_for()
    assert "已记录与张玉梅的联系" in page.locator("#offline [data-queue]").inner_text()
    _shot(page, "synced")
    page.get_by_role("button", name="同步").click()  # tapping 同步 again sends nothing twice
    page.locator("#offline[data-syncing]").wait_for(state="detached")
    context.close()

    today = dt.date.today().isoformat()
    assert sorted(_logs(manage, env, "village")) == sorted([
        ["张玉梅", yesterday.isoformat(), "wechat"], ["王秀兰", today, "phone"], ["李桂芝", today, "home_visit"]])
    recount = subprocess.run([*manage, "indicators_recount"], env=env, capture_output=True, text=True)
    assert recount.returncode == 0, recount.stdout


def test_without_a_service_worker_the_open_page_queues_a_need_met_and_a_help_request(server, browser):
    url, _ids, manage, env = server
    context, page = _phone(browser, workers="block")
    _sign_in(page, url, "village")
    assert page.evaluate("navigator.serviceWorker === undefined || !navigator.serviceWorker.controller")
    context.set_offline(True)
    page.locator("summary", has_text="我联系的其他妇女").click()  # contacted today: below, folded
    row = _row(page, "赵春花")
    need = row.locator("li[data-need]")
    need.get_by_role("button", name="已解决").click()
    need.locator("input[name=resolution]").fill("已介绍到巾帼车间")
    need.get_by_role("button", name="标记已解决").click()
    row.get_by_role("button", name="登记求助").click()
    help_form = row.locator("form[data-offline=help]")
    assert help_form.locator("textarea").count() == 0  # no story on the phone: kind and urgency only
    help_form.locator("select[name=case_kind]").select_option("legal_aid")
    help_form.get_by_role("button", name="登记求助").click()
    _count_is(page, "2")
    context.set_offline(False)
    _count_is(page, "0")
    text = page.locator("#offline [data-queue]").inner_text()
    assert "需求已解决" in text and "查询码" in text
    assert page.locator("#offline [data-queue] a", has_text="查看").count() >= 1
    _shot(page, "need-help")
    page.reload()  # the help request stays listed with its case until she opens it to add the story
    kept = page.locator("#offline [data-queue] li", has_text="登记求助")
    assert kept.get_by_role("link", name="查看").get_attribute("href").startswith("/cases/")
    kept.get_by_role("button", name="知道了").click()
    kept.wait_for(state="detached")
    context.close()


def test_an_item_the_server_refuses_is_marked_and_the_rest_of_the_queue_goes(server, browser):
    url, _ids, manage, env = server
    context, page = _phone(browser, workers="block")
    _sign_in(page, url, "village")
    context.set_offline(True)
    _record(page, "王秀兰", "电话")
    _record(page, "李桂芝", "电话", views="备注\u0000里有个空字符")  # JSON then carries a NUL: the server refuses it
    _record(page, "张玉梅", "电话", views="见面谈了就业")
    context.set_offline(False)
    page.get_by_role("button", name="同步").click()
    refused = page.locator("#offline [data-queue] li[data-state=refused]")
    refused.wait_for()
    assert "李桂芝" in refused.inner_text() and "非法字符" in refused.inner_text()
    _count_is(page, "0")
    assert page.locator("#offline [data-fix-count]").inner_text() == "1"
    refused.get_by_role("button", name="修改").click()  # her text, back in the form, to correct
    form = refused.locator("form[data-offline=contact]")
    form.locator("summary").click()
    form.locator("textarea[name=views]").fill("备注改好了")
    form.get_by_role("button", name="保存").click()
    page.locator("#offline [data-queue] li[data-state=refused]").wait_for(state="detached")
    assert page.locator("#offline [data-fix-line]").is_hidden()
    context.close()


def test_a_session_that_ended_keeps_the_queue_and_another_account_never_sees_it(server, browser):
    url, _ids, manage, env = server
    context, page = _phone(browser)
    _sign_in(page, url, "village")
    context.set_offline(True)
    _record(page, "王秀兰", "会议活动")
    _count_is(page, "1")
    context.clear_cookies()  # the session ended while she was out (idle limit, absolute limit, or ended elsewhere)
    context.set_offline(False)
    page.get_by_role("button", name="同步").click()
    page.get_by_text("登录已过期").wait_for()
    assert _count(page) == "1"

    _sign_in(page, url, "village-two")  # a colleague on the same phone: none of it is hers
    assert _count(page) == "0"
    assert "王秀兰" not in page.locator("#offline [data-queue]").inner_text()
    page.locator("form.logout button").click()
    page.wait_for_url(lambda u: "/accounts/login/" in u)
    _until(page, "caches.keys().then(k => !k.some(n => n.startsWith('fulian-pages-')))")

    _sign_in(page, url, "village")  # signed in again: her queue is still there, and goes
    _count_is(page, "0")
    assert ["王秀兰", dt.date.today().isoformat(), "meeting"] in _logs(manage, env, "village")
    context.close()


def test_signing_out_without_a_signal_still_deletes_the_kept_page(server, browser):
    url, _ids, _manage, _env = server
    context, page = _phone(browser)
    _sign_in(page, url, "village")
    page.locator("#offline[data-kept]").wait_for(state="attached")
    context.set_offline(True)
    page.locator("form.logout button").click()  # the sign-out cannot reach the server: the kept page goes anyway
    other = context.new_page()
    other.goto(f"{url}/today/")
    assert "没有网络" in other.content() and "王秀兰" not in other.content()
    context.close()


def test_signing_out_deletes_the_kept_page(server, browser):
    url, _ids, _manage, _env = server
    context, page = _phone(browser)
    _sign_in(page, url, "village")
    page.locator("#offline[data-kept]").wait_for(state="attached")
    assert page.evaluate("caches.keys().then(k => k.some(n => n.startsWith('fulian-pages-')))")
    page.locator("form.logout button").click()
    page.wait_for_url(lambda u: "/accounts/login/" in u)
    _until(page, "caches.keys().then(k => !k.some(n => n.startsWith('fulian-pages-')))")
    context.set_offline(True)
    page.goto(f"{url}/today/")  # no kept page: the worker's notice, not her women
    assert "没有网络" in page.content() and "王秀兰" not in page.content()
    context.close()


@pytest.fixture(scope="module")
def short_sessions(tmp_path_factory):
    """A server whose sessions end 15 s after sign-in (SESSION_MAX_SECONDS), however active."""
    manage, env = site_prepare(tmp_path_factory.mktemp("offline-short"), env_extra={"SESSION_MAX_SECONDS": "15"})
    account_create(manage, env, "village-chair", "130123100001", "chair", "赵淑珍")
    account_create(manage, env, "village", "130123100001", "staff", "杨春燕")
    subprocess.run([*manage, "shell", "-c", SETUP.replace(', "village-two"', ', "village"')], env=env, check=True,
                   capture_output=True)
    with served(manage, env) as url:
        yield url


def test_the_kept_page_goes_after_the_sessions_absolute_limit(short_sessions, browser):
    url = short_sessions
    context, page = _phone(browser)
    _sign_in(page, url, "village")
    page.locator("#offline[data-kept]").wait_for(state="attached")
    context.set_offline(True)
    page.reload()  # within the limit: her page, offline
    assert "王秀兰" in page.locator("main").inner_text()
    ends = float(page.locator("#offline").get_attribute("data-ends"))
    page.wait_for_timeout(max(0, ends + 1 - page.evaluate("Date.now() / 1000")) * 1000)
    page.reload()  # past it: the copy is deleted, the notice instead
    assert "没有网络" in page.content() and "王秀兰" not in page.content()
    assert page.evaluate("caches.keys().then(k => !k.some(n => n.startsWith('fulian-pages-')))")
    context.close()
