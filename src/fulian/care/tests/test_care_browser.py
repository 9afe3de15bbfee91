"""关爱帮扶 in a real browser on a 390-px phone: a village cadre opens a single mother's page, starts a help plan
with an employment goal, asks for resources (the county's job, nearest first, in words), sends the offer and
records that she accepted it — the place is taken. Then the other main pages (registry, children, resources,
figures) fit the phone without sideways scrolling. Screenshots go to /tmp/shots to look at."""

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
from fulian.care import registry, resources
from fulian.contacts.services import assignment_create
from fulian.orgs.models import Unit
from fulian.people.families import family_create
from fulian.people.services import WomanData, woman_create
county, village = Unit.objects.get(name="正定县"), Unit.objects.get(name="恒东社区")
chair, cadre = User.objects.get(username="county"), User.objects.get(username="village")
today = timezone.localdate()
mother = woman_create(actor=chair, data=WomanData(name="王秀梅", home_unit=village, phone="13803110001"))
family = family_create(actor=chair, unit=village, name="王秀梅家", phone="13803110001", woman=mother)
assignment_create(actor=chair, woman=mother, cadre=cadre, today=today)
registry.membership_add(actor=chair, woman=mother, group="single_mother", start_on=today - dt.timedelta(days=200),
                        today=today)
registry.membership_add(actor=chair, woman=mother, group="low_income", low_income_kind="dibao",
                        start_on=today - dt.timedelta(days=200), today=today)
registry.child_create(actor=chair, family=family, name="王小雨", sex="f", birth_date=today - dt.timedelta(days=3300),
                      situation="left_behind", guardian=mother, guardian_relation="母亲", consent_by="王秀梅",
                      consent_on=today, school="恒东小学三年级", today=today)
resources.resource_create(actor=chair, unit=county, kind="job", title="巾帼车间手工编织岗",
                          provider="正定县巾帼扶贫车间", provider_kind="enterprise", capacity=2, starts_on=today,
                          ends_on=today + dt.timedelta(days=90), place_unit=Unit.objects.get(name="正定镇"),
                          address="正定镇工业园3号")
print(mother.pk, family.pk)
"""

STATE = """
from fulian.care.models import HelpPlan, Offer, Resource
offer = Offer.objects.get()
print(HelpPlan.objects.count(), offer.state, Resource.objects.get().remaining)
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("care-browser"))
    account_create(manage, env, "county", "130123000000", "chair", "李红")
    account_create(manage, env, "village", "130123100001", "staff", "张丽")
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    woman_id, family_id = (int(x) for x in made.stdout.strip().splitlines()[-1].split())
    with served(manage, env) as url:
        yield url, woman_id, family_id, manage, env


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"care-{name}-390.png"), full_page=True)


def test_a_cadre_goes_from_her_woman_to_a_plan_an_offer_and_its_acceptance(server):
    url, woman_id, _family_id, manage, env = server
    with phone_page() as page:
        sign_in(page, url, "village")
        page.goto(f"{url}/women/{woman_id}/")
        care = page.locator("#care")
        assert "单亲母亲" in care.inner_text() and "低保对象" in care.inner_text()
        _fits(page)
        _shot(page, "woman")

        care.get_by_role("link", name="建立帮扶台账").click()
        page.get_by_label("帮扶事项").fill("就近就业帮扶")
        page.get_by_label("第一个帮扶目标：类别").select_option(label="就业创业")
        page.locator("#id_text").fill("想在镇上找份能照顾孩子的工作")
        page.get_by_label("手工编织").check()
        _fits(page)
        _shot(page, "plan-form")
        page.get_by_role("button", name="建立台账").click()
        page.get_by_text("已为王秀梅建立帮扶台账").wait_for()
        _fits(page)
        _shot(page, "plan")

        page.locator("#goals").get_by_role("link", name="对接资源").click()
        proposal = page.locator("#proposals li").first
        assert "巾帼车间手工编织岗" in proposal.inner_text() and "本乡镇(街道)" in proposal.inner_text()
        assert "剩余2/2个名额" in proposal.inner_text()
        _fits(page)
        _shot(page, "goal")
        proposal.get_by_role("button", name="发送对接").click()
        page.get_by_text("已向王秀梅发送对接").wait_for()
        page.locator("#offers").get_by_role("button", name="她接受").click()
        page.get_by_text("已记录：她接受了").wait_for()
        assert "已接受" in page.locator("#offers").inner_text()
        _fits(page)
        _shot(page, "accepted")
    state = subprocess.run([*manage, "shell", "-c", STATE], env=env, check=True, capture_output=True, text=True)
    assert state.stdout.strip().splitlines()[-1].split() == ["1", "accepted", "1"]


@pytest.mark.parametrize("who, path, name, text", [
    ("village", "/care/", "registry", "单亲母亲"),
    ("village", "/care/children/", "children", "王小雨"),
    ("village", "/families/{family_id}/", "family", "王小雨"),
    ("village", "/care/plans/", "plans", "帮扶台账"),
    ("village", "/care/resources/", "resources", "巾帼车间手工编织岗"),
    ("county", "/care/resources/new/", "resource-form", "发布资源"),
    ("county", "/care/batches/", "batches", "生成批量对接方案"),
    ("county", "/care/figures/", "figures", "关爱帮扶统计"),
])
def test_the_main_pages_fit_a_phone(server, who, path, name, text):
    url, _woman_id, family_id, _manage, _env = server
    with phone_page() as page:
        sign_in(page, url, who)
        page.goto(url + path.format(family_id=family_id))
        assert text in page.locator("main").inner_text()
        _fits(page)
        _shot(page, name)
