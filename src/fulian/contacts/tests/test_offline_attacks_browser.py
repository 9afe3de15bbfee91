"""今日工作 offline (issue 22) in Chromium on a 390-px phone — the review's browser tests. What must keep holding:
a woman's name is only ever text in the queue, whatever it holds. Also two holes the review found, now closed:
the installed app opened after her session ended reaches the sign-in page (it was Chromium's ERR_FAILED: the
service worker answered a navigation with a followed redirect), and a reload of 今日工作 fetches the page once."""

import subprocess

import pytest

from fulian.contacts.tests.test_offline_browser import (
    SETUP,
    _count_is,
    _phone,
    _row,
    _sign_in,
    _until,
)
from fulian.core.tests.browser import MARKS, account_create, served, site_prepare

pytestmark = MARKS
ODD = "<img src=x onerror=window.pwned=1>"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("offline-attacks"))
    for username, role, name in [("village-chair", "chair", "赵淑珍"), ("village", "staff", "杨春燕"),
                                 ("village-two", "staff", "孙丽")]:
        account_create(manage, env, username, "130123100001", role, name)
    setup = SETUP.replace('"陈美玲"]', f'"陈美玲", "{ODD}"]').replace("for w in women[:4]:",
                                                                   "for w in women[:4] + women[6:]:")
    subprocess.run([*manage, "shell", "-c", setup], env=env, check=True, capture_output=True)
    with served(manage, env) as url:
        yield url


def test_the_app_opened_after_her_session_ended_shows_the_sign_in_page(server, browser):
    """Found in review (H1, now closed): sw.js answers the navigation to /today/ with fetch(TODAY) — redirects followed
    — so a session that ended (idle 30 min, 12 h, signed out elsewhere) gives a redirected response to a navigation,
    which Chromium turns into net::ERR_FAILED: the installed app (start_url /today/, no address bar) never reaches the
    sign-in."""
    url = server
    context, page = _phone(browser)
    _sign_in(page, url, "village")
    page.locator("#offline[data-kept]").wait_for(state="attached")
    context.clear_cookies()  # her session ended while the phone was in her pocket
    page.goto(f"{url}/today/")  # tapping the app's icon
    assert "/accounts/login/" in page.url
    page.get_by_label("用户名").wait_for()
    _until(page, "caches.keys().then(k => !k.some(n => n.startsWith('fulian-pages-')))")
    context.close()


def test_a_reload_of_today_fetches_the_page_once(server, browser):
    """Found in review (M5, now closed): each visit with a signal costs two GET /today/ — the worker's answer to the
    navigation, then the page's "keep" message fetching it again — twice the data on a 2G line and twice the server's
    work."""
    url = server
    context, page = _phone(browser)
    _sign_in(page, url, "village")
    page.locator("#offline[data-kept]").wait_for(state="attached")
    fetched = []
    context.on("request", lambda r: fetched.append(r.url) if r.service_worker and r.url.endswith("/today/")
               else None)
    page.reload()
    page.locator("#offline[data-kept]").wait_for(state="attached")
    page.wait_for_timeout(500)
    assert len(fetched) == 1, fetched
    context.close()


def test_a_name_is_only_ever_text_in_the_queue(server, browser):
    url = server
    context, page = _phone(browser, workers="block")
    _sign_in(page, url, "village")
    context.set_offline(True)
    row = _row(page, ODD)
    row.get_by_role("button", name="记录联系").click()
    form = row.locator("form[data-offline=contact]")
    form.get_by_role("button", name="保存").click()
    form.wait_for(state="detached")
    _count_is(page, "1")
    assert ODD in page.locator("#offline [data-queue]").inner_text()
    context.set_offline(False)
    _count_is(page, "0")
    page.locator("#offline [data-queue] li[data-state=applied]").wait_for()
    assert f"已记录与{ODD}的联系" in page.locator("#offline [data-queue]").inner_text()
    assert page.evaluate("window.pwned === undefined")
    assert page.locator("#offline img").count() == 0
    context.close()
