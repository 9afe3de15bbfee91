"""经费 in a real browser on a 390-px phone: the city has allocated the county its share; the county chair splits it
on to her villages (预览 in place, then 确认下达), pays the townships and, for 正定镇, its villages; a village cadre
confirms the money arrived; the county's page then shows the share that reached villages. The other pages fit the
phone too. Screenshots go to /tmp/funding/shots to look at."""

import subprocess
from pathlib import Path

import pytest

from fulian.core.tests.browser import MARKS, account_create, phone_page, served, sign_in, site_prepare

SHOTS = Path("/tmp/funding/shots")  # noqa: S108  (screenshots to look at, overwritten on each run)
pytestmark = MARKS

SETUP = """
import datetime as dt
from django.utils import timezone
from fulian.accounts.models import User
from fulian.funding.allocations import allocation_confirm, rule_clean
from fulian.funding.ledger import receipt_confirm, receipts_to_confirm, shares_pay
from fulian.orgs.models import Unit
city, county = Unit.objects.get(name="石家庄市"), Unit.objects.get(name="正定县")
chair, county_chair = User.objects.get(username="city"), User.objects.get(username="county")
today = timezone.localdate()
allocation = allocation_confirm(actor=chair, unit=city, year=today.year, title="县级妇联工作经费",
                                rule=rule_clean(city, basis="equal"), amount="20000.00",
                                pay_by=today + dt.timedelta(days=30))
shares_pay(actor=chair, unit=city, allocation=allocation, on_date=today)
receipt_confirm(actor=county_chair, disbursement=receipts_to_confirm(county).get(), on_date=today)
print(allocation.pk, county.pk)
"""

STATE = """
from fulian.funding.models import Allocation, Entry
split = Allocation.objects.get(from_share__isnull=False)
print(split.amount, split.kept, Entry.objects.filter(kind="disbursement", unit__name="正定镇").count(),
      Entry.objects.filter(kind="receipt", unit__name="恒东社区").count())
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    manage, env = site_prepare(tmp_path_factory.mktemp("funding-browser"))
    account_create(manage, env, "city", "130100000000", "chair", "赵敏")
    account_create(manage, env, "county", "130123000000", "chair", "李红")
    account_create(manage, env, "village", "130123100001", "staff", "张丽")
    made = subprocess.run([*manage, "shell", "-c", SETUP], env=env, check=True, capture_output=True, text=True)
    allocation_id, county_id = (int(x) for x in made.stdout.strip().splitlines()[-1].split())
    with served(manage, env) as url:
        yield url, allocation_id, county_id, manage, env


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.url


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"funding-{name}-390.png"), full_page=True)


def test_a_county_splits_its_share_to_villages_pays_and_a_village_confirms(server):
    url, _allocation_id, _county_id, manage, env = server
    with phone_page() as page:
        sign_in(page, url, "county")
        page.goto(f"{url}/funding/")
        shares = page.locator("#shares")
        assert "县级妇联工作经费" in shares.inner_text() and "10000.00" in shares.inner_text()
        _fits(page)
        _shot(page, "county-before")

        shares.get_by_role("link", name="往下分配").click()
        page.locator("#id_title").fill("村级妇联工作经费")
        page.locator("#id_kept").fill("1000")
        page.locator("#id_basis").select_option(label="按村(社区)妇联个数")
        page.locator("#id_target_level").select_option(label="村(社区)")
        page.get_by_role("button", name="预览").click()
        plan = page.locator("#plan")
        plan.wait_for()
        assert "各单位合计9000.00元，与分配金额一致" in plan.inner_text()
        assert "正定镇" in plan.inner_text() and "6000.00" in plan.inner_text()
        assert "100.00%" not in plan.inner_text()  # the county keeps 10 % of what reached it: 90.00 %
        assert "90.00%" in plan.inner_text()
        _fits(page)
        _shot(page, "preview")
        page.get_by_role("button", name="确认下达").click()
        page.get_by_text("已下达“村级妇联工作经费”，共9000.00元").wait_for()
        _fits(page)

        page.get_by_role("button", name="按分配拨付").click()
        page.get_by_text("已按分配拨付给2个单位").wait_for()
        page.locator("#shares li", has_text="正定镇").get_by_role("link", name="查看下级").click()
        assert "恒东社区" in page.locator("#shares").inner_text()
        page.get_by_role("button", name="按分配拨付").click()
        page.get_by_text("已按分配拨付给2个单位").wait_for()
        assert "超出已到账经费" in page.locator(".messages").inner_text()  # 正定镇 had not confirmed its money
        _fits(page)
        _shot(page, "allocation")

    with phone_page() as page:
        sign_in(page, url, "village")
        page.goto(f"{url}/funding/")
        waiting = page.locator("#to-confirm")
        assert "3000.00" in waiting.inner_text() and "正定镇妇联" in waiting.inner_text()
        _fits(page)
        _shot(page, "village-confirm")
        waiting.get_by_role("button", name="确认到账").click()
        page.get_by_text("已确认到账3000.00元").wait_for()
        assert "3000.00" in page.locator("#own").inner_text()

    with phone_page() as page:
        sign_in(page, url, "county")
        page.goto(f"{url}/funding/")
        reach = page.locator("#reach").inner_text()
        assert "33.3%" in reach and "1 / 3" in reach  # 3,000.00 of the 9,000.00 split down; one village of three
        _fits(page)
        _shot(page, "county-after")
    state = subprocess.run([*manage, "shell", "-c", STATE], env=env, check=True, capture_output=True, text=True)
    assert state.stdout.strip().splitlines()[-1].split() == ["9000.00", "1000.00", "2", "1"]


@pytest.mark.parametrize("who, path, name, text", [
    ("county", "/funding/units/{county_id}/ledger/", "ledger", "登记收入"),
    ("city", "/funding/allocations/{allocation_id}/", "city-allocation", "县级妇联工作经费"),
    ("city", "/funding/units/{county_id}/population/", "population", "正定镇"),
    ("county", "/funding/units/{county_id}/villages-without/", "villages-without", "张家庄村"),
    ("county", "/funding/units/{county_id}/allocate/", "allocate", "下达经费"),
    ("county", "/units/{county_id}/", "unit-panel", "年度经费"),
])
def test_the_other_pages_fit_a_phone(server, who, path, name, text):
    url, allocation_id, county_id, _manage, _env = server
    with phone_page() as page:
        sign_in(page, url, who)
        page.goto(url + path.format(county_id=county_id, allocation_id=allocation_id))
        assert text in page.locator("main").inner_text()
        _fits(page)
        _shot(page, name)
