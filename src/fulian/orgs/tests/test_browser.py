"""Main journey in a real browser on a phone-sized screen: sign in, walk the tree, find a village by pinyin.

The server runs as its own process on a fresh SQLite file, so the test sees exactly what a user would.
"""

import subprocess

import pytest

from fulian.core.tests.browser import (
    CHROMIUM,
    MARKS,
    PASSWORD,
    account_create,
    phone_page,
    served,
    sign_in,
    site_prepare,
)

HOSTILE_NAME = '<img src=x onerror=alert(1)>张家庄妇女之家'

pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("browser"), provinces=("13", "23"),
                               env_extra={"HELP_MIN_SECONDS": "0"})
    for username, code, role, name in [("county", "130123000000", "chair", "刘桂英"),
                                       ("county-staff", "130123000000", "staff", "王丽"),
                                       ("village", "130123100001", "staff", "杨春燕"),
                                       ("village-chair", "130123100001", "chair", "赵淑珍")]:
        account_create(manage, env, username, code, role, name)
    subprocess.run([*manage, "shell", "-c", (
        "from fulian.orgs.models import Unit, WomensHome; u = Unit.objects.get(code='130123100001'); "
        "WomensHome.objects.create(unit=u, unit_path=u.path, name='恒东社区妇女之家', address='恒东社区居委会二楼', "
        "latitude=38.1500, longitude=114.5700, opening_hours='周一至周五 8:30-17:30'); "
        "WomensHome.objects.create(unit=u, unit_path=u.path, name=HOSTILE, address='<b>二楼</b>', "
        "latitude=38.1520, longitude=114.5720, opening_hours='<script>alert(2)</script>')").replace(
        "HOSTILE", repr(HOSTILE_NAME))], env=env, check=True)
    with served(manage, env) as url:
        yield url


@pytest.fixture
def phone(server):
    with phone_page() as page:
        yield page


def test_county_chair_signs_in_walks_the_tree_and_finds_a_village_by_pinyin(server, phone):
    phone.goto(f"{server}/work/")
    phone.get_by_label("用户名").fill("county")
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_selector("text=正定县妇联")

    phone.get_by_text("更多").click()  # a chair's first entries are cases, publishing and figures; the tree is here
    phone.get_by_role("link", name="组织树").click()
    phone.get_by_role("link", name="正定镇").click()
    phone.wait_for_selector("h1:has-text('正定镇妇联')")
    assert "正定县" in phone.locator("nav.crumbs").inner_text()

    phone.get_by_role("link", name="正定县").click()
    phone.locator("#unit-q").fill("zjz")  # htmx searches as she types
    phone.wait_for_selector("#search-results a:has-text('张家庄村')")
    phone.locator("#search-results a:has-text('张家庄村')").click()
    phone.wait_for_selector("h1:has-text('张家庄村妇联')")
    phone.get_by_role("button", name="标记为已改建妇联").click()
    phone.wait_for_selector("text=改建状态已保存")
    assert "已改建妇联" in phone.locator("main").inner_text()


def test_county_imports_a_roster_and_a_village_cadre_records_a_contact_in_three_taps(server, phone, tmp_path):
    from fulian.people.tests.helpers import female_id, roster_bytes, row

    roster = tmp_path / "名册.xlsx"
    roster.write_bytes(roster_bytes([row(name="王秀兰", id_number=female_id(1)), row(name="", id_number=female_id(2))]))
    sign_in(phone, server, "county")
    phone.goto(f"{server}/women/import/")
    phone.set_input_files("input[type=file]", str(roster))
    phone.get_by_role("button", name="上传并导入").click()
    phone.wait_for_selector("text=已完成")
    assert "下载错误报告" in phone.locator("main").inner_text()

    phone.goto(f"{server}/women/")
    phone.get_by_role("link", name="王秀兰").click()
    phone.locator("#cadre").select_option(label="杨春燕 · 恒东社区")
    phone.get_by_role("button", name="指定联系干部").click()
    phone.wait_for_selector("text=已指定")
    phone.get_by_role("button", name="退出").click()

    sign_in(phone, server, "village")
    phone.get_by_role("link", name="今日工作").click()
    phone.get_by_role("button", name="记录联系").first.click()  # tap 1
    phone.locator("label.chip", has_text="电话").click()  # tap 2
    phone.locator("form.quick").get_by_role("button", name="保存").click()  # tap 3
    phone.wait_for_selector("text=已记录与王秀兰的联系")
    phone.get_by_role("link", name="妇女名册").click()
    phone.get_by_role("link", name="王秀兰").click()
    assert "电话" in phone.locator("main").inner_text()


def test_a_woman_asks_for_help_on_her_phone_and_the_village_chair_handles_it(server, phone):
    phone.goto(f"{server}/help/")
    assert phone.locator("[data-quick-exit]").is_visible()
    phone.get_by_label("家庭暴力").check()
    phone.get_by_label("您所在的村(社区)").fill("130123100001 恒东社区")
    phone.get_by_label("发生了什么？需要什么帮助？").fill("丈夫喝酒后打人，我和孩子很害怕。")
    phone.get_by_label("联系电话").fill("13800001234")
    phone.get_by_role("button", name="提交求助").click()
    code = phone.locator(".tracking").inner_text().strip()
    assert len(code.replace("-", "")) == 10 and code[5] == "-"  # grouped to read aloud

    phone.goto(f"{server}/help/status/")
    phone.get_by_placeholder("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    assert "待受理" in phone.locator("main").inner_text()

    sign_in(phone, server, "village-chair")
    phone.get_by_role("link", name="维权服务").click()
    phone.get_by_role("link", name="家庭暴力").first.click()
    assert "丈夫喝酒后打人" in phone.locator("main").inner_text()
    phone.get_by_label("办理情况").fill("已上门了解情况，联系派出所出警记录。")
    phone.get_by_role("button", name="记录").click()
    phone.wait_for_selector("text=已保存")
    phone.get_by_label("办理结果（内部记录）").fill("协助申请人身安全保护令，已获批准。")
    phone.get_by_label("告知求助人的结果").fill("人身安全保护令已获批准。")
    phone.get_by_role("button", name="办结").click()  # without the 确认办结 tick the browser keeps the form
    assert phone.locator("dl.facts").first.inner_text().count("办理中") == 1
    phone.get_by_label("确认办结").check()
    phone.get_by_role("button", name="办结").click()
    phone.wait_for_selector("#case-outcome")
    assert "已办结" in phone.locator("dl.facts").first.inner_text()
    phone.get_by_role("button", name="退出").click()

    phone.goto(f"{server}/help/status/?code={code}")
    assert "人身安全保护令已获批准。" in phone.locator("main").inner_text()
    phone.locator("label.chip", has_text="5").click()
    phone.get_by_role("button", name="提交评价").click()
    phone.wait_for_selector("text=谢谢您的评价")


def test_quick_exit_leaves_for_a_neutral_site_without_a_way_back(server, phone):
    phone.route("https://www.weather.com.cn/**", lambda route: route.fulfill(body="<h1>天气</h1>",
                                                                              content_type="text/html"))
    phone.goto(f"{server}/work/")
    phone.goto(f"{server}/help/")
    exit_box = phone.locator("[data-quick-exit]").bounding_box()
    for control in phone.locator("main input:visible, main textarea, main button, main label").all():
        box = control.bounding_box()
        overlaps = (box and box["x"] < exit_box["x"] + exit_box["width"] and exit_box["x"] < box["x"] + box["width"]
                    and box["y"] < exit_box["y"] + exit_box["height"] and exit_box["y"] < box["y"] + box["height"])
        assert not overlaps, control.inner_text() or control.get_attribute("name")
    phone.get_by_label("发生了什么？需要什么帮助？").fill("他又打我了")
    phone.goto(f"{server}/help/status/")  # a second help page in the same visit
    phone.keyboard.press("Escape")
    phone.wait_for_url("https://www.weather.com.cn/**")
    for _ in range(3):  # whatever she presses, no help page comes back
        phone.go_back()
        phone.wait_for_load_state()
        text = phone.locator("body").inner_text() if phone.url.startswith("http") else ""
        assert "/help/" not in phone.url and "发生了什么" not in text and "查询码" not in text, phone.url


def test_a_woman_on_her_phone_finds_the_nearest_home_asks_for_help_and_follows_it(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                                    "--disable-background-networking"])
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN",
                                      geolocation={"latitude": 38.1467, "longitude": 114.5700},
                                      permissions=["geolocation"])
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{server}/")
        page.get_by_role("link", name="找妇女之家").click()
        page.get_by_role("button", name="用我的位置查找").click()
        page.wait_for_selector("text=恒东社区妇女之家")
        assert "km" in page.locator("ol.results").inner_text()

        page.goto(f"{server}/")
        page.get_by_role("link", name="我要求助").click()
        page.get_by_label("法律援助").check()
        page.get_by_label("您所在的村(社区)").fill("130123100001 恒东社区")
        page.get_by_label("发生了什么？需要什么帮助？").fill("离婚后孩子抚养费一直拿不到。")
        page.get_by_label("匿名求助（不留姓名和电话，只能用查询码查看进展）").check()
        page.get_by_role("button", name="提交求助").click()
        code = page.locator(".tracking").inner_text().strip()
        page.get_by_role("link", name="查看进展").click()
        page.get_by_placeholder("查询码").fill(code)
        page.get_by_role("button", name="查询").click()
        assert "待受理" in page.locator("main").inner_text()
        browser.close()


def test_a_county_cadre_writes_a_notice_the_chair_publishes_it_and_it_appears_on_the_portal(server, phone):
    sign_in(phone, server, "county-staff")
    phone.get_by_role("link", name="信息发布").click()
    phone.get_by_role("link", name="写新文章").click()
    phone.get_by_label("栏目").select_option(label="通知公告")
    phone.get_by_label("标题").fill("关于举办家庭教育讲座的通知")
    phone.get_by_label("正文").fill("各村(社区)妇联：定于本月在县妇女之家举办家庭教育讲座。")
    phone.get_by_role("button", name="提交审核").click()
    assert phone.get_by_role("button", name="审核通过并发布").count() == 0  # nobody publishes her own piece
    phone.get_by_role("button", name="退出").click()
    sign_in(phone, server, "county")
    phone.get_by_role("link", name="信息发布").click()
    phone.get_by_role("link", name="关于举办家庭教育讲座的通知").click()
    phone.get_by_role("button", name="审核通过并发布").click()
    phone.wait_for_selector("text=已发布")
    phone.get_by_role("button", name="退出").click()
    phone.goto(f"{server}/")
    phone.get_by_role("link", name="关于举办家庭教育讲座的通知").click()
    assert "家庭教育讲座" in phone.locator("h1").inner_text()


def test_a_hostile_home_name_shows_as_text_on_the_public_map(server, phone):
    dialogs, blocked = [], []
    phone.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    phone.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    phone.goto(f"{server}/find-home/?lat=38.151&lng=114.571")
    markers = phone.locator("path.leaflet-interactive")
    assert markers.count() == 2
    seen = []
    for index in range(2):
        markers.nth(index).click(force=True)
        popup = phone.locator(".leaflet-popup-content").last
        popup.wait_for()
        seen.append(popup.inner_text())
    assert any(HOSTILE_NAME in text and "<script>alert(2)</script>" in text for text in seen)
    assert phone.locator(".leaflet-popup-content img").count() == 0
    assert dialogs == [] and blocked == []  # nothing of ours is blocked by the policy


def test_tapping_a_unit_in_the_dashboard_chart_drills_one_level_down(server, phone):
    """点击下钻: the chart's click handler (charts.js) opens the tapped unit's page, where its children are ranked."""
    import re

    sign_in(phone, server, "county")
    phone.goto(f"{server}/dashboard/")
    chart = phone.locator("[data-chart=children]")
    chart.locator("canvas").wait_for()
    chart.scroll_into_view_if_needed()
    # two children, 200 px high, grid top 10 / bottom 20: 正定镇 is the first row; its name sits left of the grid
    chart.click(position={"x": 90, "y": 52})
    phone.wait_for_url(re.compile(r"/dashboard/\d+/\?year=\d{4}$"))
    assert "正定镇" in phone.locator("h1").inner_text()
    assert "正定县" in phone.locator("nav.crumbs").inner_text()
