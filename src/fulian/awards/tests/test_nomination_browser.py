"""Nominating on a 390-px phone: a village cadre finds a registry family and nominates it with her members'
consent; then a woman nominates her own family on the portal with a one-time code (read from the outbox)."""

import subprocess
from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

SHOTS = Path("/tmp/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
HER_PHONE = "13912345678"
pytestmark = MARKS

SETUP = """
import datetime as dt
from django.utils import timezone
from fulian.accounts.models import User
from fulian.awards.campaigns import campaign_launch
from fulian.orgs.models import Unit
from fulian.people.families import family_create
from fulian.people.services import WomanData, woman_create
city, village = Unit.objects.get(name="石家庄市"), Unit.objects.get(name="恒东社区")
chair = User.objects.get(username="city")
today = timezone.localdate()
campaign = campaign_launch(actor=chair, unit=city, kind="most_beautiful", name="2026年度石家庄市最美家庭", year=2026,
                           level=3, nominate_until=today + dt.timedelta(days=10),
                           review_until=today + dt.timedelta(days=30))
woman = woman_create(actor=chair, data=WomanData(name="王秀兰", home_unit=village, phone="13803110001"))
family_create(actor=chair, unit=village, name="王秀兰家", address="恒东社区3号楼", phone="13803110001", woman=woman)
print(campaign.pk)
"""

LAST_CODE = f"""
from fulian.portal.tests.otp import last_code_sent
print(last_code_sent("{HER_PHONE}"))
"""

STORY = "婆媳和睦二十年，照顾瘫痪婆婆无怨无悔，带动邻里互帮互助，是远近闻名的好儿媳。"


def _shell(manage, env, script: str) -> str:
    made = subprocess.run([*manage, "shell", "-c", script], env=env, check=True, capture_output=True, text=True)
    return made.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("nomination-browser"))
    account_create(manage, env, "city", "130100000000", "chair", "李淑华")
    account_create(manage, env, "village", "130123100001", "staff", "张丽")
    campaign_id = int(_shell(manage, env, SETUP))
    with served(manage, env) as url:
        yield url, campaign_id, manage, env


def test_a_village_cadre_nominates_a_registry_family_on_her_phone(site):
    url, campaign_id, manage, env = site
    SHOTS.mkdir(parents=True, exist_ok=True)
    with phone_page() as phone:
        sign_in(phone, url, "village")
        phone.goto(f"{url}/awards/{campaign_id}/nominate/")
        phone.get_by_placeholder("家庭名称或成员姓名").fill("王秀兰")
        phone.get_by_role("button", name="查找").click()
        phone.locator("#families").get_by_role("link", name="王秀兰家").click()
        phone.get_by_label("事迹标题").fill("孝老爱亲好儿媳")
        phone.get_by_label("家庭事迹").fill(STORY)
        phone.get_by_label("同意公开姓名").first.check()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(SHOTS / "nominate-cadre-390.png"), full_page=True)
        phone.get_by_role("button", name="提交推荐").click()
        phone.wait_for_url("**/awards/nominations/*/")
        assert phone.locator("#nomination-state").inner_text() == "待评审"
        assert "孝老爱亲好儿媳" in phone.locator("main").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(SHOTS / "nomination-detail-390.png"), full_page=True)


def test_a_woman_nominates_her_own_family_on_the_portal_with_a_code(site):
    url, campaign_id, manage, env = site
    with phone_page() as phone:
        phone.goto(f"{url}/honour/{campaign_id}/nominate/")
        phone.get_by_label("我推荐的是自己的家庭").check()
        phone.get_by_label("家庭所在村(社区)").fill("张家庄村")
        phone.get_by_label("家庭名称", exact=True).fill("李桂芬家")
        phone.get_by_label("家庭事迹").fill(STORY)
        phone.locator("#member-name-0").fill("李桂芬")
        phone.locator("#member-relation-0").fill("本人")
        phone.get_by_label("同意公开姓名").first.check()
        phone.get_by_label("推荐人姓名").fill("李桂芬")
        phone.get_by_label("推荐人手机号").fill(HER_PHONE)
        phone.get_by_role("button", name="获取验证码").click()
        phone.get_by_text("验证码已发送").wait_for()
        assert phone.get_by_label("家庭事迹").input_value() == STORY  # what she typed is kept
        phone.get_by_label("验证码").fill(_shell(manage, env, LAST_CODE))
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.screenshot(path=str(SHOTS / "nominate-portal-390.png"), full_page=True)
        phone.get_by_role("button", name="提交推荐").click()
        phone.locator("#nominate-done").wait_for()
        assert "逐级评审" in phone.locator("main").inner_text()
        phone.screenshot(path=str(SHOTS / "nominate-portal-done-390.png"), full_page=True)
    recount = subprocess.run([*manage, "indicators_recount"], env=env, capture_output=True, text=True)
    assert recount.returncode == 0, recount.stdout
