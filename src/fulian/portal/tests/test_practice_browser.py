"""典型做法 in a real browser on a 390-px phone: a village cadre writes a practice, adds a photo from her phone and
submits it to her township; the township's leader finds it in 收到的典型做法."""

from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare
from fulian.portal.demo import _png

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("practices-browser"))
    for username, code, role, name in [("village", "130123100001", "staff", "杨春燕"),
                                       ("township", "130123100000", "chair", "陈玉梅")]:
        account_create(manage, env, username, code, role, name)
    with served(manage, env) as url:
        yield url


def test_a_village_cadre_submits_a_practice_with_a_photo_on_her_phone(server, tmp_path):
    photo = tmp_path / "议事会.png"
    photo.write_bytes(_png(480, 320, (180, 35, 42), (250, 250, 250)))
    SHOTS.mkdir(parents=True, exist_ok=True)
    with phone_page() as phone:
        sign_in(phone, server, "village")
        phone.goto(f"{server}/practices/new/")
        phone.get_by_label("标题").fill("妇女议事会每月一议")
        phone.get_by_label("正文").fill("每月第一个周六召开，议定的事下次通报进展。")
        phone.get_by_label("照片（可选）").set_input_files(str(photo))
        phone.screenshot(path=str(SHOTS / "practice-form-390.png"), full_page=True)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.get_by_role("button", name="保存并报送上级").click()
        phone.wait_for_selector("#trail")
        assert "已报送上级" in phone.locator(".messages").inner_text()
        assert "待正定镇处理" in phone.locator("#stage").inner_text()
        image = phone.locator(".photos img").first
        image.scroll_into_view_if_needed()
        phone.wait_for_function("document.querySelector('.photos img').naturalWidth > 0")
        assert image.bounding_box()["width"] <= 390
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(SHOTS / "practice-detail-390.png"), full_page=True)
    with phone_page() as phone:
        sign_in(phone, server, "township")
        phone.goto(f"{server}/practices/")
        assert "妇女议事会每月一议" in phone.locator("#practices").inner_text()
        phone.get_by_role("link", name="妇女议事会每月一议").click()
        phone.wait_for_selector("#decide", state="visible")
