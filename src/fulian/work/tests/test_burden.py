"""The burden meter (减负统计): a cadre form times itself from its signed stamp to its accepted save, once; the page
shows a cadre her own minutes, a chair her subtree per child unit (never a sibling county's), and the share of
report fields the system filled."""

import datetime as dt
import re
import time

import pytest
from django.core import signing
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core import burden as meter
from fulian.core.models import EntryTime
from fulian.core.policy import Role
from fulian.dispatch.models import Recipient
from fulian.work import services

STAMP = re.compile(r'name="_entry" value="([^"]+)"')


def stamp_from(seconds_ago: float, form: str = "下基层工作周") -> str:
    return signing.dumps({"f": form, "t": round(time.time() - seconds_ago, 1)}, salt=meter._SALT, compress=True)


@pytest.fixture
def week_form(unit):
    return f"/units/{unit('正定县').pk}/field-weeks/new/"


def post_week(client, url, stamp, **overrides):
    data = {"title": "双月下基层工作周", "starts_on": "2026-06-01", "ends_on": "2026-06-07", meter.FIELD: stamp}
    data.update(overrides)
    return client.post(url, data)


def test_a_form_posted_with_its_stamp_records_its_seconds_once(client_for, county_chair, week_form):
    client = client_for(county_chair)
    page = client.get(week_form)
    rendered = STAMP.search(page.content.decode())
    assert rendered, "the form carries its stamp"
    assert post_week(client, week_form, rendered.group(1)).status_code == 302
    assert post_week(client, week_form, rendered.group(1)).status_code == 302  # a double post: one form
    [row] = EntryTime.objects.all()
    assert (row.form, row.user, row.unit_path) == ("下基层工作周", county_chair, county_chair.unit.path)
    assert row.seconds < 5

    assert post_week(client, week_form, stamp_from(125)).status_code == 302
    assert 124 <= EntryTime.objects.latest("pk").seconds <= 127


def test_a_forged_stamp_counts_nothing(client_for, county_chair, week_form):
    client = client_for(county_chair)
    genuine = stamp_from(60)
    forged = signing.dumps({"f": "下基层工作周", "t": time.time() - 600}, salt="not-ours", compress=True)
    tampered = genuine[:-2] + ("AA" if genuine[-2:] != "AA" else "BB")
    for stamp in (forged, tampered, "garbage"):
        assert post_week(client, week_form, stamp).status_code == 302
    assert not EntryTime.objects.exists()


def test_a_form_left_open_counts_thirty_minutes_at_most(client_for, county_chair, week_form):
    assert post_week(client_for(county_chair), week_form, stamp_from(2 * 3600)).status_code == 302
    assert EntryTime.objects.get().seconds == 1800


def test_a_rejected_form_records_nothing(client_for, county_chair, week_form):
    response = post_week(client_for(county_chair), week_form, stamp_from(90), ends_on="")
    assert response.status_code == 200
    assert not EntryTime.objects.exists()


def minutes(user, unit, seconds, form="联系记录", days_ago=1):
    return EntryTime.objects.create(user=user, unit_path=unit.path, form=form, seconds=seconds,
                                    at=timezone.now() - dt.timedelta(days=days_ago),
                                    stamp=f"{user.pk}-{form}-{seconds}")


def test_a_village_cadre_sees_only_her_own_minutes(client_for, unit, village_cadre, county_chair):
    neighbour = UserFactory(username="neighbour", unit=unit("恒东社区"), roles=[Role.STAFF])
    minutes(village_cadre, unit("恒东社区"), 600)
    minutes(village_cadre, unit("恒东社区"), 300, form="妇女信息", days_ago=9)
    minutes(neighbour, unit("恒东社区"), 1200)
    minutes(county_chair, unit("正定县"), 900)
    response = client_for(village_cadre).get("/burden/")
    assert response.status_code == 200
    board = response.context["board"]
    assert board["scope"] == "own" and board["total_minutes"] == 15.0
    assert {r["form"]: r["minutes"] for r in response.context["by_form"]} == {"联系记录": 10.0, "妇女信息": 5.0}
    html = response.content.decode()
    assert "共 15.0 分钟" in html and "burden-units" not in html


def test_a_county_chair_sees_her_subtree_per_unit_and_not_a_sibling_county(client_for, unit, county_chair,
                                                                          sibling_county_cadre):
    township = UserFactory(username="township", unit=unit("正定镇"), roles=[Role.STAFF])
    village = UserFactory(username="village", unit=unit("西柏棠村"), roles=[Role.STAFF])
    minutes(township, unit("正定镇"), 600)
    minutes(village, unit("西柏棠村"), 240)
    minutes(county_chair, unit("正定县"), 60)
    minutes(sibling_county_cadre, unit("行唐县"), 3000)
    response = client_for(county_chair).get("/burden/?weeks=4")
    board = response.context["board"]
    assert board["scope"] == "subtree" and board["total_minutes"] == 15.0
    assert [(r["unit"].name, r["minutes"]) for r in board["per_unit"]] == [
        ("正定县", 1.0), ("正定镇", 10.0), ("新安镇", 4.0)]
    html = response.content.decode()
    assert "新安镇" in html and "行唐县" not in html and "50.0" not in html
    sibling = client_for(sibling_county_cadre).get("/burden/").context["board"]
    assert sibling["total_minutes"] == 50.0 and [r["unit"].name for r in sibling["per_unit"]] == ["行唐县"]


def test_the_share_of_report_fields_the_system_computed_appears(client_for, unit, province_chair, county_chair):
    template = services.report_template_create(actor=province_chair, unit=unit("河北省"), name="季度报表", fields=[
        {"key": "women", "label": "登记妇女", "kind": "computed", "figure": "women_registered"},
        {"key": "contacts", "label": "联系妇女人次", "kind": "computed", "figure": "contacts"},
        {"key": "cases", "label": "受理求助", "kind": "computed", "figure": "cases_opened"},
        {"key": "homes", "label": "妇女之家", "kind": "computed", "figure": "womens_homes"},
        {"key": "trainings", "label": "培训场次", "kind": "number"},
    ])
    now = timezone.now()
    task = services.task_issue(actor=province_chair, unit=unit("河北省"), title="季度报表", body="", template=template,
                               deadline=now + dt.timedelta(days=7), period_start=202601, period_end=202603, level=3)
    copy = Recipient.objects.get(dispatch_id=task.pk, unit=unit("正定县"))
    services.report_submit(actor=county_chair, recipient=copy, entered={"trainings": "3"})
    html = client_for(county_chair).get("/burden/").content.decode()
    assert "系统计算 80%，手工填写 20%" in html
    assert "4 个栏目由系统填好，1 个栏目手工填写" in html


def test_the_demo_issues_a_mostly_computed_report_and_fills_the_burden_page(client_for, unit):
    from fulian.accounts.demo import demo_accounts
    from fulian.dispatch.models import RecipientState
    from fulian.work.demo import demo_work
    from fulian.work.models import Report

    users = {u.username: u for u, _password in demo_accounts() if u.username.startswith("hb-")}
    work = demo_work(province=unit("河北省"), users=users)
    assert work["counties"] == 2 and work["reported"] == 1 and work["delegated"] == 2
    assert work["townships_reported"] == 2 and work["entries"] > 0
    fields = list(work["task"].template.fields.all())
    assert sum(f.is_computed for f in fields) / len(fields) >= 0.8
    zhengding = Recipient.objects.get(dispatch_id=work["task"].pk, unit=unit("正定县"))
    assert zhengding.state == RecipientState.DELEGATED
    assert Report.objects.filter(task=work["task"]).count() == 3
    board = client_for(users["hb-county"]).get("/burden/").context["board"]
    assert board["total_minutes"] > 0 and board["computed_share"] == 0.8
    assert {r["unit"].name for r in board["per_unit"]} >= {"正定县", "正定镇"}
