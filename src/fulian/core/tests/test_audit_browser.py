"""操作审计 in a browser: the county chair opens it from the menu on a 390-px phone, filters by a cadre and an
action group, switches to 查看记录, and does the same at a desk; nothing is wider than the screen."""

import subprocess
from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS

SETUP = """
from fulian.accounts.models import User
from fulian.core.audit import audit_record, read_record
cadre = User.objects.get(username="village")
audit_record(actor=cadre, action="woman.export", changes={"file": "妇女名册.xlsx", "filters": {"q": "王"}})
audit_record(actor=cadre, action="account.password", obj=cadre)
read_record(actor=cadre, obj=cadre, purpose="id_number")
other = User.objects.get(username="other")
audit_record(actor=other, action="case.export", changes={"file": "个案.xlsx"})
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("audit-browser"))
    account_create(manage, env, "county", "130123000000", "chair", "刘桂英")
    account_create(manage, env, "village", "130123100001", "staff", "王芳")
    account_create(manage, env, "other", "130125000000", "chair", "张丽")
    subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True)
    with served(manage, env) as url:
        yield url


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_chair_searches_her_countys_audit_on_her_phone_and_at_her_desk(server):
    SHOTS.mkdir(exist_ok=True)
    with phone_page() as page:
        sign_in(page, server, "county")
        menu = page.get_by_role("link", name="操作审计")
        if not menu.is_visible():
            page.locator("summary", has_text="更多").click()
        menu.click()
        page.wait_for_url("**/audit/**")
        rows = page.locator("#audit-rows li")
        assert "导出妇女名册" in rows.first.inner_text() or "导出妇女名册" in page.content()
        assert "个案.xlsx" not in " ".join(rows.all_inner_texts())  # the county next door
        _fits(page, 390)

        page.get_by_label("操作人用户名").fill("village")
        page.locator("select[name=action]").select_option("group:export")
        page.get_by_role("button", name="查询").click()
        page.wait_for_url("**actor=village**")
        assert rows.count() == 1
        assert "妇女名册.xlsx" in rows.first.inner_text() and "恒东社区" in rows.first.inner_text()
        page.screenshot(path=str(SHOTS / "audit-phone.png"), full_page=True)
        _fits(page, 390)

        page.get_by_role("link", name="查看记录").click()
        page.wait_for_url("**tab=reads**")
        assert rows.count() == 1 and "id_number" in rows.first.inner_text()
        _fits(page, 390)

        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(f"{server}/audit/")
        page.get_by_label("起始日期").fill("2000-01-01")
        page.locator("select[name=action]").select_option("account.password")
        page.get_by_role("button", name="查询").click()
        page.wait_for_url("**since=2000-01-01**")
        assert rows.count() == 1 and "重设密码" in rows.first.inner_text()
        assert page.get_by_label("起始日期").input_value() == "2000-01-01"
        page.screenshot(path=str(SHOTS / "audit-desk.png"), full_page=True)
        _fits(page, 1280)

        page.goto(f"{server}/audit/?ip=not-an-address")
        assert "来源地址" in page.locator("#audit-filters").inner_text()
        assert page.locator("#audit-filters [role=alert]").count() == 1
