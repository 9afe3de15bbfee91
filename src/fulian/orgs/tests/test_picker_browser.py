"""The place picker in a real browser at 390 px: she types part of a name, sees the township and county beside
each village, taps one and the form is sent; the Women's Home finder falls back to it when location is refused."""

from fulian.orgs.tests.test_browser import phone, pytestmark, server  # noqa: F401  (the same fixtures and marks)


def test_a_woman_types_hengdong_and_taps_her_village_on_the_help_form(server, phone):  # noqa: F811
    phone.goto(f"{server}/help/")
    phone.get_by_label("家庭暴力").check()
    place = phone.get_by_label("您所在的村(社区)")
    place.press_sequentially("恒东")
    option = phone.locator(".picker-list [role=option]", has_text="恒东社区")
    option.wait_for()
    assert "正定镇 · 正定县" in option.inner_text()
    box = option.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    option.click()
    assert place.input_value() == "恒东社区（正定镇 · 正定县）"
    assert phone.locator("input[name=place_key]").input_value() == "130123100001"
    assert phone.locator(".picker-list").is_hidden()
    phone.get_by_label("发生了什么？需要什么帮助？").fill("他喝了酒就砸东西。")
    phone.get_by_label("匿名求助（不留姓名和电话，只能用查询码查看进展）").check()
    phone.get_by_role("button", name="提交求助").click()
    assert len(phone.locator(".tracking").inner_text().strip()) == 11


def test_refused_location_leads_to_the_picker_and_homes_come_with_call_and_directions(server, phone):  # noqa: F811
    phone.goto(f"{server}/find-home/")
    phone.get_by_role("button", name="用我的位置查找").click()  # the browser refuses: no permission was granted
    phone.wait_for_selector("text=没有得到您的位置")
    place = phone.get_by_label("选择您所在的村(社区)、乡镇或县")
    place.press_sequentially("zdx")  # pinyin initials of 正定县
    phone.locator(".picker-list [role=option]", has_text="正定县").click()
    phone.get_by_role("button", name="查找", exact=True).click()
    card = phone.locator("li.home-card", has_text="恒东社区妇女之家")
    card.wait_for()
    directions = card.get_by_role("link", name="导航（高德地图）")
    assert directions.get_attribute("href").startswith("https://uri.amap.com/marker?position=114.")
    assert phone.locator(".leaflet-tooltip.map-label", has_text="恒东社区妇女之家").count() == 1
