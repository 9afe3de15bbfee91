"""The public calendar: found by her place or her phone's position (nearest homes first, then her township, county
…), subtree-only activities only where they are hers, invited and draft ones never; signing up on a phone with a
one-time code or her 我的 account; her link shows and cancels her sign-up; her 我的 shows the sign-ups made with
her account only; the pages stay light, label their inputs, keep her pages out of caches, and are rate limited."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.activities import calendar, services, signups
from fulian.activities.models import SignUp, SignUpChannel, SignUpState
from fulian.core.panels import panels_for
from fulian.core.policy import Role
from fulian.orgs.models import WomensHome
from fulian.portal.models import WomanAccount
from fulian.portal.tests.otp import last_code_sent
from fulian.portal.tests.test_page_weight import LIMIT, weight

from .conftest import at

pytestmark = pytest.mark.django_db

HENGDONG, XIBAITANG = "130123100001", "130123101201"


def new_home(unit, name, lat, lng):
    village = unit(name)
    return WomensHome.objects.create(unit=village, unit_path=village.path, name=f"{name}妇女之家",
                                     address=f"{name}村委会", latitude=lat, longitude=lng)


def organise(actor, unit_name, unit, title, *, home=None, audience="open", publish=True, days=2, **values):
    made = services.activity_save(
        actor=actor, unit=unit(unit_name), values={"title": title, "kind": "class", "home": home,
                                                   "address": "" if home else f"{unit_name}会议室",
                                                   "audience": audience, **values},
        sessions=[(at(days), at(days, 11))])
    return services.activity_publish(actor=actor, activity=made) if publish else made


@pytest.fixture
def spread(unit, county_chair, sibling_county_cadre, activity, home):
    """正定县's class at 恒东社区 (the `activity`), and around it: …"""
    province = UserFactory(username="hb-chair", unit=unit("河北省"), roles=[Role.CHAIR])
    far = UserFactory(username="hlj-chair", unit=unit("黑龙江省"), roles=[Role.CHAIR])
    xibaitang = new_home(unit, "西柏棠村", 38.20, 114.60)
    nanguan = new_home(unit, "南关村", 38.43, 114.55)
    xinyang = new_home(unit, "新阳社区", 45.76, 126.62)
    return {
        "village": organise(county_chair, "西柏棠村", unit, "西柏棠村读书会", home=xibaitang, days=1),
        "next_county": organise(sibling_county_cadre, "行唐县", unit, "行唐县剪纸课", home=nanguan),
        "county_locals": organise(county_chair, "正定县", unit, "正定县妇女讲习所", audience="subtree", days=4),
        "township_locals": organise(county_chair, "新安镇", unit, "新安镇家风讲坛", audience="subtree"),
        "invited": organise(county_chair, "正定县", unit, "执委座谈会", audience="invited"),
        "draft": organise(county_chair, "正定县", unit, "草稿活动", publish=False),
        "province": organise(province, "河北省", unit, "全省巾帼建功网课", days=5),
        "far": organise(far, "黑龙江省", unit, "龙江巧女培训", home=xinyang),
        "ended": organise(county_chair, "正定县", unit, "上周的讲座", days=-7),
    }


def titles(rows):
    return [a.title for a in rows]


def test_near_her_village_the_nearest_homes_come_first_then_her_county_then_above(spread, unit, activity):
    rows, place = calendar.calendar_near(now=timezone.now(), place=unit("恒东社区"))
    assert titles(rows) == [activity.title, "西柏棠村读书会", "行唐县剪纸课", "正定县妇女讲习所", "全省巾帼建功网课"]
    assert place == unit("恒东社区")
    assert [a.for_locals for a in rows] == [False, False, False, True, False]


def test_a_township_only_activity_shows_to_its_villages_only(spread, unit):
    here, _ = calendar.calendar_near(now=timezone.now(), place=unit("西柏棠村"))
    there, _ = calendar.calendar_near(now=timezone.now(), place=unit("恒东社区"))
    assert "新安镇家风讲坛" in titles(here) and "新安镇家风讲坛" not in titles(there)


def test_by_her_phones_position_the_home_she_stands_at_comes_first(spread, activity):
    rows, place = calendar.calendar_near(now=timezone.now(), point=(38.2001, 114.6001))
    assert titles(rows)[:3] == ["西柏棠村读书会", activity.title, "行唐县剪纸课"]
    assert place.name == "西柏棠村" and "新安镇家风讲坛" in titles(rows)
    assert rows[0].distance_km < 0.1


def test_without_a_place_every_listed_activity_not_over_soonest_first(spread, activity):
    rows = calendar.dressed(calendar.calendar_upcoming(now=timezone.now()))
    assert set(titles(rows)) == {activity.title, "西柏棠村读书会", "行唐县剪纸课", "正定县妇女讲习所", "新安镇家风讲坛",
                                 "全省巾帼建功网课", "龙江巧女培训"}
    assert titles(rows)[0] == "西柏棠村读书会"


def test_the_calendar_page_filters_by_the_place_she_picks(client, spread, activity):
    html = client.get(reverse("calendar"), {"place": "", "place_key": HENGDONG}).content.decode()
    shown = [t for t in re.findall(r'<a href="/calendar/\d+/">([^<]+)</a>', html)]
    assert shown == [activity.title, "西柏棠村读书会", "行唐县剪纸课", "正定县妇女讲习所", "全省巾帼建功网课"]
    assert "本辖区妇女" in html
    everything = client.get(reverse("calendar")).content.decode()
    assert "龙江巧女培训" in everything and "执委座谈会" not in everything and "草稿活动" not in everything
    by_position = client.get(reverse("calendar"), {"lat": "38.2", "lng": "114.6"})
    assert "geolocation=(self)" in by_position["Permissions-Policy"]
    assert re.findall(r'<a href="/calendar/\d+/">([^<]+)</a>', by_position.content.decode())[0] == "西柏棠村读书会"


def test_an_activity_page_shows_what_a_phone_needs(client, activity):
    html = client.get(reverse("calendar_detail", args=[activity.pk])).content.decode()
    for text in ("家政服务技能培训班", "第一课", "第二课", "恒东社区妇女之家", "恒东社区居委会二楼", "uri.amap.com",
                 "还剩3个", "正定县妇联", "县人社局", reverse("calendar_signup_new", args=[activity.pk])):
        assert text in html, text


def test_drafts_and_invited_activities_are_not_public(client, spread):
    for key in ("draft", "invited"):
        assert client.get(reverse("calendar_detail", args=[spread[key].pk])).status_code == 404
        assert client.get(reverse("calendar_signup_new", args=[spread[key].pk])).status_code == 404


def _sign_up_on_the_page(client, activity, phone, name="李秀梅", code=None):
    page = client.get(reverse("calendar_signup_new", args=[activity.pk])).content.decode()
    token = re.search(r'name="client_token" value="([^"]+)"', page).group(1)
    url = reverse("calendar_signup_new", args=[activity.pk])
    sent = client.post(url, {"name": name, "phone": phone, "client_token": token, "send_code": "1"})
    assert "验证码已发送" in sent.content.decode() and token in sent.content.decode()
    return client.post(url, {"name": name, "phone": phone, "client_token": token,
                             "code": code if code is not None else last_code_sent(phone), "submit": "1"})


def test_signing_up_on_a_phone_with_a_one_time_code_and_cancelling_with_her_link(client, activity):
    refused = _sign_up_on_the_page(client, activity, "13800000001", code="000000")
    assert refused.status_code == 200 and "验证码" in refused.content.decode() and not SignUp.objects.exists()
    done = _sign_up_on_the_page(client, activity, "13800000001")
    signup = SignUp.objects.get()
    link = signups.signup_link(signup)
    assert done.status_code == 302 and done["Location"] == link
    status = client.get(link)
    assert "已报名" in status.content.decode() and "no-cache" in status["Cache-Control"]
    assert "noindex" in status["X-Robots-Tag"]
    cancel = reverse("calendar_signup_cancel", args=[signups.signup_token(signup)])
    assert "确定取消报名" in client.get(cancel).content.decode()
    client.post(cancel)
    assert SignUp.objects.get().state == SignUpState.CANCELLED
    assert "已取消" in client.get(link).content.decode()


def test_a_wrong_link_shows_nothing_and_cancels_nothing(client, activity):
    _sign_up_on_the_page(client, activity, "13800000001")
    token = signups.signup_token(SignUp.objects.get())
    number, secret = token.split("-", 1)
    forged = f"{number}-{'0' if secret[0] != '0' else '1'}{secret[1:]}"
    assert client.get(reverse("calendar_signup", args=[forged])).status_code == 404
    assert client.post(reverse("calendar_signup_cancel", args=[forged])).status_code == 404
    assert SignUp.objects.get().state == SignUpState.CONFIRMED


def test_a_full_class_shows_her_place_on_the_waiting_list(client, activity, county_chair):
    for i in range(3):
        signups.signup_create(activity=activity, name="李秀梅", phone=f"1390000000{i}", channel=SignUpChannel.CADRE,
                              actor=county_chair)
    assert "名额已满" in client.get(reverse("calendar_detail", args=[activity.pk])).content.decode()
    done = _sign_up_on_the_page(client, activity, "13800000001")
    assert "候补第1位" in client.get(done["Location"]).content.decode()


def test_signing_up_twice_on_the_page_gives_her_the_one_sign_up(client, activity):
    first = _sign_up_on_the_page(client, activity, "13800000001")
    again = _sign_up_on_the_page(client, activity, "13800000001")
    assert first["Location"] == again["Location"] and SignUp.objects.count() == 1


def sign_in(client, phone):
    client.post(reverse("portal_me"), {"phone": phone})
    client.post(reverse("portal_me"), {"phone": phone, "code": last_code_sent(phone)})


def test_signed_in_she_signs_up_without_a_code_and_sees_it_in_her_mine(client, activity, county_chair):
    import fulian.activities.panels_public  # noqa: F401  (registered in AppConfig.ready once the lead wires it)

    sign_in(client, "13800000007")
    page = client.get(reverse("calendar_signup_new", args=[activity.pk])).content.decode()
    assert 'name="phone"' not in page and 'name="code"' not in page
    token = re.search(r'name="client_token" value="([^"]+)"', page).group(1)
    done = client.post(reverse("calendar_signup_new", args=[activity.pk]), {"name": "李秀梅", "client_token": token})
    account = WomanAccount.objects.get(phone="13800000007")
    signup = SignUp.objects.get()
    assert (signup.account, signup.channel, done.status_code) == (account, SignUpChannel.ACCOUNT, 302)
    assert "您已报名" in client.get(reverse("calendar_detail", args=[activity.pk])).content.decode()
    # a sign-up that only shares her number (a cadre's, made for whoever held it) is not hers to see
    other = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=activity.unit,
        values={"title": "另一个活动", "kind": "lecture", "address": "县文化馆"}, sessions=[(at(4), at(4, 11))]))
    signups.signup_create(activity=other, name="李秀梅", phone="13800000007", channel=SignUpChannel.CADRE,
                          actor=county_chair)
    request = RequestFactory().get("/me/")
    mine = "".join(panels_for("portal.me", request, account))
    assert activity.title in mine and signups.signup_link(signup) in mine and "另一个活动" not in mine
    assert panels_for("portal.me", request, None) == []


def test_the_calendar_pages_stay_light_for_a_phone(client, activity):
    _sign_up_on_the_page(client, activity, "13800000001")
    link = signups.signup_link(SignUp.objects.get())
    for url in (reverse("calendar"), reverse("calendar_detail", args=[activity.pk]),
                reverse("calendar_signup_new", args=[activity.pk]), link):
        assert weight(client.get(url).content.decode()) < LIMIT, url


def test_the_sign_up_form_labels_every_input(client, activity):
    for url in (reverse("calendar"), reverse("calendar_signup_new", args=[activity.pk])):
        html = client.get(url).content.decode()
        field = r'<(?:input|textarea|select)(?![^>]*type="(?:hidden|submit|radio|checkbox)")[^>]*\bid="([^"]+)"'
        labels = set(re.findall(r'<label[^>]*for="([^"]+)"', html))
        assert [i for i in re.findall(field, html) if i not in labels] == [], url


def test_the_calendar_pages_are_rate_limited_per_address(client, settings, activity):
    settings.CALENDAR_VIEWS_PER_MINUTE = 2
    assert client.get(reverse("calendar")).status_code == 200
    assert client.get(reverse("calendar_detail", args=[activity.pk])).status_code == 200
    assert client.get(reverse("calendar")).status_code == 429


def test_sign_ups_per_phone_are_limited(settings, activity, unit, county_chair):
    settings.ACTIVITY_SIGNUPS_PER_PHONE = 1
    account = WomanAccount.objects.create(phone="13800000007")
    signups.signup_create(activity=activity, name="李秀梅", channel=SignUpChannel.ACCOUNT, account=account)
    other = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "讲座", "kind": "lecture", "address": "县文化馆"},
        sessions=[(at(4), at(4, 11))]))
    with pytest.raises(ValidationError) as refused:
        signups.signup_create(activity=other, name="李秀梅", channel=SignUpChannel.ACCOUNT, account=account)
    assert refused.value.code == "signup_rate"
