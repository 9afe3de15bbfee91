"""Check-in from the outside: the organiser's QR screen and tick list (and the next county's 404 on each), the page
the QR code opens on her phone without a sign-in, and the API of the app and the organiser's phone."""

import datetime as dt
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client

from fulian.activities import checkin
from fulian.activities.models import Attendance, AttendanceMethod, SignUpState
from fulian.core.figures import figure_values, period_of

from .test_checkin import sign_up, woman

pytestmark = pytest.mark.django_db


@pytest.fixture
def first(activity):
    return activity.sessions.get(number=1)


def during(session, minutes=10):
    return session.starts_at + dt.timedelta(minutes=minutes)


def frozen(moment):
    """The pages read the clock themselves: hold it at `moment` (sign in under it too: a session signed in two days
    earlier has expired)."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


# ---- the organiser's screen ----

def test_the_screen_shows_this_minutes_qr_link_and_the_count(first, county_chair, client_for):
    now = during(first)
    with frozen(now):
        client = client_for(county_chair)
        page = client.get(f"/activities/sessions/{first.pk}/checkin/")
        image = client.get(f"/activities/sessions/{first.pk}/checkin/qr.svg")
        status = client.get(f"/activities/sessions/{first.pk}/checkin/status.json").json()
    code = checkin.checkin_code(first, now=now)
    assert page.status_code == 200 and f"qr.svg?c={code}" in page.content.decode()
    assert image["Content-Type"] == "image/svg+xml" and image.content.startswith(b"<?xml")
    assert "no-cache" in image["Cache-Control"] or "max-age=0" in image["Cache-Control"]
    assert status == {"code": code, "count": 0, "open": True}


def test_the_qr_code_carries_the_absolute_public_link(first, county_chair, client_for):
    now = during(first)
    with frozen(now), mock.patch("segno.make", wraps=__import__("segno").make) as make:
        client_for(county_chair).get(f"/activities/sessions/{first.pk}/checkin/qr.svg")
    assert make.call_args.args[0] == f"http://testserver/checkin/{first.pk}/{checkin.checkin_code(first, now=now)}/"


# ---- her phone ----

def test_a_woman_scans_types_her_phone_and_is_checked_in(activity, first, unit):
    sign_up(activity, "王秀兰", "13800138000")
    now = during(first)
    client = Client()
    url = f"/checkin/{first.pk}/{checkin.checkin_code(first, now=now)}/"
    with frozen(now):
        form = client.get(url)
    assert form.status_code == 200 and 'name="pass"' in form.content.decode()
    fields = dict(re.findall(r'name="(pass|client_token)" value="([^"]*)"', form.content.decode()))
    with frozen(now + dt.timedelta(minutes=3)):  # typing took longer than the code lives
        done = client.post(url, {"phone": "13800138000", **fields})
        again = client.post(url, {"phone": "13800138000", **fields})
    assert done.status_code == 200 and "已签到" in done.content.decode() and "王*兰" in done.content.decode()
    assert again.status_code == 200 and Attendance.objects.count() == 1
    attendance = Attendance.objects.get()
    assert attendance.method == AttendanceMethod.QR and attendance.signup.name == "王秀兰"
    values = figure_values([unit("正定县").pk], ["activity_attendances", "women_reached"], start=period_of(now),
                           end=period_of(now))[unit("正定县").pk]
    assert values == {"activity_attendances": 1, "women_reached": 1}
    call_command("indicators_recount", stdout=StringIO())


def test_an_expired_or_forged_link_is_refused_on_the_page_and_saves_nothing(first):
    now = during(first)
    client = Client()
    old = checkin.checkin_code(first, now=now - dt.timedelta(minutes=3))
    with frozen(now):
        expired = client.get(f"/checkin/{first.pk}/{old}/")
        forged = client.post(f"/checkin/{first.pk}/AAAAAAAAAA/", {"phone": "13800138000", "name": "李红"})
    assert expired.status_code == 400 and "已过期" in expired.content.decode()
    assert 'name="phone"' not in expired.content.decode()
    assert forged.status_code == 400 and "不正确" in forged.content.decode()
    assert not Attendance.objects.exists()


def test_a_walk_in_without_a_name_is_asked_for_it(first):
    now = during(first)
    url = f"/checkin/{first.pk}/{checkin.checkin_code(first, now=now)}/"
    with frozen(now):
        answer = Client().post(url, {"phone": "13800138000"})
    assert answer.status_code == 400 and "请填写姓名" in answer.content.decode()
    assert 'name="phone"' in answer.content.decode() and not Attendance.objects.exists()


def test_public_check_ins_are_limited_per_address(first, settings):
    settings.CHECKINS_PER_ADDRESS = 2
    now = during(first)
    url = f"/checkin/{first.pk}/{checkin.checkin_code(first, now=now)}/"
    client = Client()
    with frozen(now):
        answers = [client.post(url, {"phone": f"1380013800{i}", "name": "李红"}).status_code for i in range(3)]
    assert answers == [200, 200, 429] and Attendance.objects.count() == 2


def test_a_draft_activitys_session_has_no_check_in_page(first, activity):
    activity.__class__.objects.filter(pk=activity.pk).update(status="draft")
    now = during(first)
    with frozen(now):
        assert Client().get(f"/checkin/{first.pk}/{checkin.checkin_code(first, now=now)}/").status_code == 404


# ---- the tick list ----

def test_the_tick_list_ticks_a_sign_up_by_plain_post_and_by_script(activity, first, county_chair, client_for, unit):
    one = sign_up(activity, "王秀兰", "13800138000")
    two = sign_up(activity, "赵敏", "13900139000")
    sign_up(activity, "孙丽", "13700137000", state=SignUpState.WAITING)
    now = during(first)
    with frozen(now):
        client = client_for(county_chair)
        roll = client.get(f"/activities/sessions/{first.pk}/roll/").content.decode()
        plain = client.post(f"/activities/sessions/{first.pk}/roll/tick/", {"signup": one.pk, "client_token": "a"})
        by_script = [client.post(f"/activities/sessions/{first.pk}/roll/tick/",
                                 {"signup": two.pk, "client_token": "b"}, HTTP_ACCEPT="application/json")
                     for _ in range(2)]  # sent again after a lost answer
        after = client.get(f"/activities/sessions/{first.pk}/roll/").content.decode()
    assert "王秀兰" in roll and "赵敏" in roll and "孙丽" not in roll and "entry" in roll
    assert plain.status_code == 302
    assert [r.json()["count"] for r in by_script] == [2, 2] and by_script[0].json()["name"] == "赵敏"
    assert Attendance.objects.filter(method=AttendanceMethod.TICK, checked_by=county_chair).count() == 2
    assert after.count("已签到 ") >= 2


def test_a_walk_in_from_the_tick_list_and_its_undo(activity, first, county_chair, client_for, unit):
    her = woman(county_chair, unit("恒东社区"), "李红", "13600136000")
    now = during(first)
    with frozen(now):
        client = client_for(county_chair)
        added = client.post(f"/activities/sessions/{first.pk}/roll/tick/",
                            {"name": "李红", "phone": "13600136000", "client_token": "w1"},
                            HTTP_ACCEPT="application/json")
        refused = client.post(f"/activities/sessions/{first.pk}/roll/tick/", {"phone": "13500135000",
                              "client_token": "w2"}, HTTP_ACCEPT="application/json")
        attendance = Attendance.objects.get()
        undone = client.post(f"/activities/sessions/{first.pk}/roll/undo/", {"attendance": attendance.pk})
    assert added.status_code == 200 and attendance.woman_id == her.pk and attendance.method == AttendanceMethod.WALK_IN
    assert refused.status_code == 400 and "姓名" in refused.json()["detail"]
    assert undone.status_code == 302 and not Attendance.objects.exists()
    values = figure_values([unit("正定县").pk], ["activity_attendances", "women_reached"], start=period_of(now),
                           end=period_of(now))[unit("正定县").pk]
    assert values == {"activity_attendances": 0, "women_reached": 0}
    call_command("indicators_recount", stdout=StringIO())


def test_a_sign_up_of_another_activity_is_not_ticked_here(activity, first, county_chair, client_for, unit, home):
    from fulian.activities import services

    other = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "家风讲坛", "kind": "lecture", "home": home},
        sessions=[(first.starts_at, first.ends_at)]))
    theirs = sign_up(other, "赵敏", "13900139000")
    with frozen(during(first)):
        answer = client_for(county_chair).post(f"/activities/sessions/{first.pk}/roll/tick/",
                                               {"signup": theirs.pk, "client_token": "x"})
    assert answer.status_code == 404 and not Attendance.objects.exists()


# ---- outsiders ----

def test_the_next_countys_cadre_gets_404_on_every_check_in_page(first, sibling_county_cadre, client_for,
                                                                 village_cadre):
    base = f"/activities/sessions/{first.pk}"
    with frozen(during(first)):
        client = client_for(sibling_county_cadre)
        answers = [client.get(f"{base}/checkin/").status_code, client.get(f"{base}/checkin/qr.svg").status_code,
                   client.get(f"{base}/checkin/status.json").status_code, client.get(f"{base}/roll/").status_code,
                   client.post(f"{base}/roll/tick/", {"name": "x", "phone": "13800138000"}).status_code,
                   client.post(f"{base}/roll/undo/", {"attendance": 1}).status_code]
        # a village cadre under the county may look at the county's records but not act for it
        below = client_for(village_cadre).get(f"{base}/roll/").status_code
    assert answers == [404] * 6 and below == 404
    assert not Attendance.objects.exists()


def test_the_next_countys_cadre_gets_404_in_the_api(first, sibling_county_cadre, api_for, county_chair):
    done = checkin.attendance_record(session=first, name="李红", phone="13600136000",
                                     method=AttendanceMethod.WALK_IN, actor=county_chair, now=during(first))
    api = api_for(sibling_county_cadre)
    answers = [api.get(f"/api/v1/sessions/{first.pk}/attendance").status_code,
               api.post(f"/api/v1/sessions/{first.pk}/attendance", {"name": "x", "phone": "13800138000"},
                        content_type="application/json").status_code,
               api.delete(f"/api/v1/sessions/{first.pk}/attendance/{done.pk}").status_code]
    assert answers == [404, 404, 404] and Attendance.objects.count() == 1


# ---- the API ----

def test_the_app_checks_her_in_with_the_code_once(activity, first):
    sign_up(activity, "王秀兰", "13800138000")
    now = during(first)
    body = {"session_id": first.pk, "code": checkin.checkin_code(first, now=now), "phone": "13800138000",
            "client_token": "app-1"}
    with frozen(now):
        answers = [Client().post("/api/v1/public/checkin", body, content_type="application/json") for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].json()["name"] == "王*兰" and answers[0].json()["signed_up"] is True
    assert Attendance.objects.count() == 1


def test_the_app_is_refused_an_expired_code_and_an_unknown_session(first):
    now = during(first)
    old = {"session_id": first.pk, "code": checkin.checkin_code(first, now=now - dt.timedelta(minutes=3)),
           "phone": "13800138000", "name": "李红"}
    with frozen(now):
        expired = Client().post("/api/v1/public/checkin", old, content_type="application/json")
        unknown = Client().post("/api/v1/public/checkin", {**old, "session_id": first.pk + 1000},
                                content_type="application/json")
    assert expired.status_code == 400 and "过期" in expired.json()["detail"]
    assert unknown.status_code == 404 and not Attendance.objects.exists()


def test_the_organiser_ticks_adds_a_walk_in_lists_and_undoes_in_the_api(activity, first, county_chair, api_for,
                                                                        unit):
    mine = sign_up(activity, "王秀兰", "13800138000")
    with frozen(during(first)):
        api = api_for(county_chair)
        tick = api.post(f"/api/v1/sessions/{first.pk}/attendance", {"signup_id": mine.pk, "client_token": "t"},
                        content_type="application/json")
        walk_in = api.post(f"/api/v1/sessions/{first.pk}/attendance", {"name": "李红", "phone": "13600136000"},
                           content_type="application/json")
        nameless = api.post(f"/api/v1/sessions/{first.pk}/attendance", {"phone": "13500135000"},
                            content_type="application/json")
        listed = api.get(f"/api/v1/sessions/{first.pk}/attendance").json()
        undone = api.delete(f"/api/v1/sessions/{first.pk}/attendance/{walk_in.json()['id']}")
    assert tick.status_code == 201 and tick.json()["method"] == "tick" and tick.json()["signup_id"] == mine.pk
    assert walk_in.status_code == 201 and walk_in.json()["method"] == "walk_in"
    assert nameless.status_code == 400
    assert listed["count"] == 2 and {row["name"] for row in listed["items"]} == {"王秀兰", "李红"}
    assert undone.status_code == 204 and Attendance.objects.count() == 1
    call_command("indicators_recount", stdout=StringIO())


def test_the_screen_and_list_are_usable_at_390_px_without_inline_script(first, county_chair, client_for):
    """No inline script (the Content-Security-Policy forbids it) and the script only sets text."""
    with frozen(during(first)):
        client = client_for(county_chair)
        pages = [client.get(f"/activities/sessions/{first.pk}/{p}/").content.decode() for p in ("checkin", "roll")]
    for page in pages:
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", page) == []
        assert 'name="viewport"' in page
    from pathlib import Path

    script = (Path(__file__).parents[2] / "static" / "fulian" / "checkin.js").read_text()
    assert "innerHTML" not in script and "insertAdjacentHTML" not in script and "outerHTML" not in script
