"""点击下钻 in a real browser on a phone: tapping a unit in the dashboard's 下级排名 chart opens that unit's page,
where its own children are ranked (the same server and phone as the main journeys)."""

import re

from fulian.orgs.tests.test_browser import pytestmark, phone, server, sign_in  # noqa: F401  (fixtures and markers)


def test_tapping_a_bar_label_in_the_children_chart_drills_one_level_down(server, phone):  # noqa: F811
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
