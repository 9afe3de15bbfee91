"""公示 in a real browser on a 390-px phone: a woman reads the public notice of the city's shortlist and lodges an
objection (her input kept when she forgets to pick the family); the city's chair then finds it on 公示和异议 and
records the finding."""

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
from fulian.awards import notice
from fulian.awards.campaigns import campaign_launch
from fulian.awards.models import AwardCampaign
from fulian.awards.tests.outsiders_notice import shortlisted_family
from fulian.orgs.models import Unit
city = Unit.objects.get(name="石家庄市")
chair = User.objects.get(username="city")
today = timezone.localdate()
campaign = campaign_launch(actor=chair, unit=city, kind="most_beautiful", name="2026年度石家庄市最美家庭", year=2026,
                           level=3, nominate_until=today, review_until=today + dt.timedelta(days=5))
shortlisted_family(campaign, Unit.objects.get(name="恒东社区"), name="王秀兰家", story="三代同堂，孝老爱亲。")
shortlisted_family(campaign, Unit.objects.get(name="南关村"), name="赵淑芬家", story="带头发展庭院经济。",
                   members=[{"name": "赵淑芬", "relation": "本人", "consent": True}])
notice.notice_start(actor=chair, campaign=campaign)
# whatever day the test runs on, 公示 runs today
AwardCampaign.objects.filter(pk=campaign.pk).update(notice_from=today, notice_until=today + dt.timedelta(days=7))
print(campaign.pk)
"""

COUNT = """
from fulian.awards.models import Objection
print(Objection.objects.count(), Objection.objects.filter(outcome="dismissed").count())
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("notice-browser"))
    account_create(manage, env, "city", "130100000000", "chair", "陈红梅")
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    campaign_id = int(made.stdout.strip().splitlines()[-1])
    with served(manage, env) as url:
        yield url, campaign_id, manage, env


def _count(manage, env) -> list[int]:
    out = subprocess.run([*manage, "shell", "-c", COUNT], env=env, check=True, capture_output=True, text=True)
    return [int(x) for x in out.stdout.strip().splitlines()[-1].split()]


def test_a_woman_reads_the_notice_and_lodges_an_objection(server):
    url, campaign_id, manage, env = server
    with phone_page() as page:
        page.goto(f"{url}/honour/{campaign_id}/notice/")
        main = page.locator("main")
        assert "王秀兰家" in main.inner_text() and "赵淑芬家" in main.inner_text()
        assert "三代同堂" in main.inner_text() and "公示期" in main.inner_text()
        assert "李建国" not in main.inner_text()  # he did not consent to be named
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "award-notice-390.png"), full_page=True)

        page.get_by_label("反映的情况").fill("这家老人常年独居，没人照顾，和事迹不符。")
        page.get_by_label("联系方式", exact=True).fill("13900001111")
        page.get_by_role("button", name="提交").click()  # no family picked: refused, her words kept
        assert page.get_by_label("反映的情况").input_value() == "这家老人常年独居，没人照顾，和事迹不符。"
        assert _count(manage, env)[0] == 0

        page.get_by_label("反映哪个家庭").select_option(label="王秀兰家（恒东社区）")
        page.get_by_role("button", name="提交").click()
        page.get_by_text("已收到您反映的情况").wait_for()
        assert "13900001111" not in page.locator("main").inner_text()
        page.screenshot(path=str(SHOTS / "award-notice-lodged-390.png"), full_page=True)
    assert _count(manage, env) == [1, 0]


def test_the_citys_chair_finds_it_and_records_the_finding(server):
    url, campaign_id, manage, env = server
    if _count(manage, env)[0] == 0:
        pytest.skip("runs after the objection is lodged")
    with phone_page() as page:
        sign_in(page, url, "city")
        page.goto(f"{url}/awards/{campaign_id}/notice/")
        assert "1件待核查" in page.locator("main").inner_text()
        page.get_by_role("link", name="记录核查结论").click()
        assert "13900001111" in page.locator("main").inner_text()  # the contact, for follow-up
        page.get_by_label("反映不属实，维持").check()
        page.get_by_label("核查情况").fill("经村妇联走访，老人与子女同住，反映不属实。")
        page.get_by_role("button", name="记录").click()
        page.get_by_text("核查结论已记录").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=str(SHOTS / "award-notice-admin-390.png"), full_page=True)
    assert _count(manage, env) == [1, 1]
