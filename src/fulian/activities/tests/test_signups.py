"""Sign-ups: a full activity puts her on the waiting list and a cancellation promotes the first waiting; the same
request or the same phone twice is one sign-up; a public sign-up needs the one-time code, and the registry is
looked at only after it; audience rules; her link cancels only with the right token; counters and figures exact."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from fulian.activities import services, signups
from fulian.activities.models import Activity, SignUp, SignUpChannel, SignUpState
from fulian.core.figures import figure_values, period_of
from fulian.core.models import Outbox
from fulian.core.phone import normalize_phone
from fulian.core.policy import OutOfScope
from fulian.people.models import Family
from fulian.people.services import WomanData, woman_create
from fulian.portal.models import WomanAccount
from fulian.portal.tests.otp import last_code_sent

from .conftest import at

pytestmark = pytest.mark.django_db


def by_phone(activity, phone, name="李秀梅", **extra):
    """Her sign-up as the page makes it: a code sent to her phone, then the code."""
    signups.signup_code_send(activity=activity, phone=phone)
    return signups.signup_create(activity=activity, name=name, phone=phone, code=last_code_sent(normalize_phone(phone)),
                                 channel=SignUpChannel.PHONE, **extra)


def counts(activity):
    row = Activity.objects.get(pk=activity.pk)
    return row.signups_confirmed, row.signups_waiting


def signups_figure(unit, moment=None):
    period = period_of(moment or timezone.now())
    return figure_values([unit.pk], ["activity_signups"], start=period, end=period)[unit.pk]["activity_signups"]


def recount_agrees():
    call_command("indicators_recount", stdout=StringIO())  # exits non-zero on any difference


def sms_to(phone):
    return list(Outbox.objects.filter(channel="sms", address=phone).exclude(link__startswith="otp:"))


def test_over_capacity_goes_to_the_waiting_list_and_a_cancellation_promotes_the_first(activity, unit):
    made = [by_phone(activity, f"1380000000{i}", name=f"妇女{'甲乙丙丁戊'[i]}") for i in range(5)]
    assert [s.state for s in made] == ["confirmed"] * 3 + ["waiting"] * 2
    assert counts(activity) == (3, 2)
    assert [signups.waiting_position(s) for s in made[3:]] == [1, 2]
    assert "候补" in sms_to("13800000003")[-1].subject

    signups.signup_cancel(signup=made[1])
    promoted = SignUp.objects.get(pk=made[3].pk)
    assert (promoted.state, promoted.confirmed_at is not None) == (SignUpState.CONFIRMED, True)
    assert signups.waiting_position(SignUp.objects.get(pk=made[4].pk)) == 1
    assert counts(activity) == (3, 1)
    assert "有空位" in sms_to("13800000003")[-1].subject and sms_to("13800000003")[-1].link
    # a waiting one who gives up frees no place: nobody moves
    signups.signup_cancel(signup=made[4])
    assert counts(activity) == (3, 0)
    assert signups_figure(unit("河北省")) == 3
    recount_agrees()


def test_a_cancel_twice_changes_nothing_the_second_time(activity, unit):
    signup = by_phone(activity, "13800000001")
    signups.signup_cancel(signup=signup)
    signups.signup_cancel(signup=signup)
    assert counts(activity) == (0, 0) and signups_figure(unit("正定县")) == 0
    recount_agrees()


def test_a_double_tap_records_one_sign_up(activity, unit):
    signups.signup_code_send(activity=activity, phone="13800000001")
    code = last_code_sent("13800000001")
    args = {"activity": activity, "name": "李秀梅", "phone": "13800000001", "code": code,
            "channel": SignUpChannel.PHONE, "client_token": "tap-4f1c2a"}
    first = signups.signup_create(**args)
    second = signups.signup_create(**args)  # the code is used up: the twin is recognised by its client token
    assert first.pk == second.pk and (first.created, second.created) == (True, False)
    assert SignUp.objects.count() == 1 and counts(activity) == (1, 0) and signups_figure(unit("正定县")) == 1
    assert signups.signup_token(first) == signups.signup_token(second)


def test_the_same_phone_twice_records_one_sign_up_and_shows_the_same_link(activity):
    first = by_phone(activity, "13800000001")
    again = by_phone(activity, "138 0000 0001", name="李秀梅")
    assert again.pk == first.pk and not again.created
    assert signups.signup_token(again) == signups.signup_token(first)
    assert SignUp.objects.count() == 1 and counts(activity) == (1, 0)


def test_a_client_token_of_another_sign_up_is_refused(activity):
    signups.signup_code_send(activity=activity, phone="13800000001")
    signups.signup_create(activity=activity, name="李秀梅", phone="13800000001", code=last_code_sent("13800000001"),
                          channel=SignUpChannel.PHONE, client_token="tok-shared-1")
    with pytest.raises(ValidationError) as refused:
        signups.signup_create(activity=activity, name="王芳", phone="13900000002", code="000000",
                              channel=SignUpChannel.PHONE, client_token="tok-shared-1")
    assert refused.value.code == "signup_token_reused"


def test_the_database_keeps_one_live_sign_up_per_phone(activity):
    from django.db import IntegrityError, transaction

    signup = by_phone(activity, "13800000001")
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(activity=activity, unit_path=activity.unit_path, name="x", phone=signup.phone,
                              channel=SignUpChannel.CADRE, state=SignUpState.CONFIRMED, created_at=timezone.now())


@pytest.mark.parametrize("code", ["", "000000", "12345"])
def test_a_public_sign_up_needs_the_code_sent_to_her_phone(activity, code):
    signups.signup_code_send(activity=activity, phone="13800000001")
    right = last_code_sent("13800000001")
    with pytest.raises(ValidationError):
        signups.signup_create(activity=activity, name="李秀梅", phone="13800000001",
                              code=code if code != right else "999999", channel=SignUpChannel.PHONE)
    assert not SignUp.objects.exists() and counts(activity) == (0, 0)
    assert not sms_to("13800000001")


def test_a_code_sent_to_another_phone_does_not_prove_hers(activity):
    signups.signup_code_send(activity=activity, phone="13900000009")
    with pytest.raises(ValidationError):
        signups.signup_create(activity=activity, name="李秀梅", phone="13800000001",
                              code=last_code_sent("13900000009"), channel=SignUpChannel.PHONE)
    assert not SignUp.objects.exists()


def test_her_account_signs_her_up_without_a_code_with_its_phone(activity):
    account = WomanAccount.objects.create(phone="13800000007")
    signup = signups.signup_create(activity=activity, name="李秀梅", phone="13999999999",
                                   channel=SignUpChannel.ACCOUNT, account=account)
    assert (signup.phone, signup.account, signup.phone_verified) == ("13800000007", account, True)
    with pytest.raises(ValidationError):
        signups.signup_create(activity=activity, name="李秀梅", channel=SignUpChannel.ACCOUNT)


# audience


@pytest.fixture
def registered(unit, county_chair):
    """王秀兰 of 恒东社区 (正定县) in the registry, with her phone."""
    return woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                           phone="13800001111"))


def make(county_chair, unit, **values):
    made = services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "家风讲坛", "kind": "lecture", "address": "县文化馆",
                                                       "audience": "open", **values},
        sessions=[(at(2), at(2, 11))])
    return services.activity_publish(actor=county_chair, activity=made)


def test_a_subtree_activity_takes_a_woman_of_its_registry_and_links_her_record(unit, county_chair, registered):
    lecture = make(county_chair, unit, audience="subtree")
    signup = by_phone(lecture, "13800001111", name="王秀兰")
    assert signup.woman == registered and signup.phone_verified


def test_a_subtree_activity_refuses_other_phones_only_after_the_code(unit, county_chair, registered):
    lecture = make(county_chair, unit, audience="subtree")
    answers = []
    for phone in ("13800001111", "13800002222"):  # in the registry, and not: a wrong code answers both alike
        signups.signup_code_send(activity=lecture, phone=phone)
        with pytest.raises(ValidationError) as refused:
            signups.signup_create(activity=lecture, name="某某", phone=phone, code="000000",
                                  channel=SignUpChannel.PHONE)
        answers.append((refused.value.code, refused.value.messages))
    assert answers[0] == answers[1]
    with pytest.raises(ValidationError) as refused:
        signups.signup_create(activity=lecture, name="某某", phone="13800002222",
                              code=last_code_sent("13800002222"), channel=SignUpChannel.PHONE)
    assert refused.value.code == "signup_audience"
    assert not SignUp.objects.exists()


def test_a_woman_of_another_county_is_not_of_the_subtree(unit, county_chair, sibling_county_cadre):
    woman_create(actor=sibling_county_cadre, data=WomanData(name="赵敏", home_unit=unit("南关村"), phone="13800003333"))
    lecture = make(county_chair, unit, audience="subtree")
    with pytest.raises(ValidationError, match="本辖区"):
        by_phone(lecture, "13800003333")


def test_an_invited_activity_takes_sign_ups_from_cadres_only(unit, county_chair, village_cadre, registered):
    meeting = make(county_chair, unit, audience="invited")
    with pytest.raises(ValidationError) as refused:
        signups.signup_code_send(activity=meeting, phone="13800001111")
    assert refused.value.code == "signup_invited"
    with pytest.raises(ValidationError):
        signups.signup_create(activity=meeting, name="王秀兰", phone="13800001111", code="123456",
                              channel=SignUpChannel.PHONE)
    signup = signups.signup_create(activity=meeting, channel=SignUpChannel.CADRE, woman=registered,
                                   actor=village_cadre)
    assert (signup.name, signup.phone, signup.channel, signup.created_by) == (
        "王秀兰", "13800001111", SignUpChannel.CADRE, village_cadre)
    assert not signup.phone_verified
    assert "已报名" in sms_to("13800001111")[-1].subject


def test_a_cadre_signs_up_only_women_she_looks_after(unit, county_chair, sibling_county_cadre, registered):
    lecture = make(county_chair, unit)
    with pytest.raises(OutOfScope):
        signups.signup_create(activity=lecture, channel=SignUpChannel.CADRE, woman=registered,
                              actor=sibling_county_cadre)
    with pytest.raises(ValidationError):  # not through a public channel either
        signups.signup_create(activity=lecture, channel=SignUpChannel.PHONE, woman=registered, code="1")
    assert not SignUp.objects.exists()


def test_an_invited_activity_refuses_a_woman_outside_it_from_a_cadre_outside_it(unit, county_chair,
                                                                               sibling_county_cadre):
    other = woman_create(actor=sibling_county_cadre, data=WomanData(name="赵敏", home_unit=unit("南关村"),
                                                                   phone="13800003333"))
    meeting = make(county_chair, unit, audience="invited")
    with pytest.raises(ValidationError, match="辖区"):
        signups.signup_create(activity=meeting, channel=SignUpChannel.CADRE, woman=other,
                              actor=sibling_county_cadre)
    # the organising county may invite her
    assert signups.signup_create(activity=meeting, channel=SignUpChannel.CADRE, name="赵敏", phone="13800003333",
                                 actor=county_chair).state == SignUpState.CONFIRMED


def test_a_family_activity_takes_a_family_and_how_many_come(unit, county_chair, village_cadre):
    reading = make(county_chair, unit, kind="reading", for_families=True)
    now = timezone.now()
    family = Family.objects.create(unit=unit("恒东社区"), unit_path=unit("恒东社区").path, name="张秀英家",
                                   phone="13800005555", created_at=now, updated_at=now)
    signup = signups.signup_create(activity=reading, channel=SignUpChannel.CADRE, family=family, family_size=3,
                                   actor=village_cadre)
    assert (signup.family, signup.family_size, signup.name, signup.phone) == (family, 3, "张秀英家", "13800005555")
    with pytest.raises(ValidationError):
        by_phone(reading, "13800006666", family_size=21)
    lecture = make(county_chair, unit)
    with pytest.raises(ValidationError, match="个人"):
        by_phone(lecture, "13800006666", family_size=2)


@pytest.mark.parametrize("state", ["draft", "cancelled", "ended"])
def test_only_a_published_activity_not_over_takes_sign_ups(unit, county_chair, state):
    made = services.activity_save(actor=county_chair, unit=unit("正定县"), values={
        "title": "讲座", "kind": "lecture", "address": "县文化馆"}, sessions=[(at(2), at(2, 11))])
    now = None
    if state != "draft":
        made = services.activity_publish(actor=county_chair, activity=made)
    if state == "cancelled":
        made = services.activity_cancel(actor=county_chair, activity=made, reason="天气")
    if state == "ended":
        now = at(3)
    with pytest.raises(ValidationError):
        signups.signup_create(activity=made, name="李秀梅", phone="13800000001", channel=SignUpChannel.CADRE,
                              actor=county_chair, now=now)
    assert not SignUp.objects.exists()


def test_a_bad_phone_is_refused_before_anything(activity):
    with pytest.raises(ValidationError):
        signups.signup_create(activity=activity, name="李秀梅", phone="1380000", code="123456",
                              channel=SignUpChannel.PHONE)
    with pytest.raises(ValidationError):
        signups.signup_create(activity=activity, name="", phone="13800000001", code="123456",
                              channel=SignUpChannel.PHONE)


# her link


def test_her_link_finds_her_sign_up_only_with_the_right_token(activity):
    signup = by_phone(activity, "13800000001")
    token = signups.signup_token(signup)
    assert signups.signup_by_token(token).pk == signup.pk
    number, secret = token.split("-", 1)
    other = "0" if secret[0] != "0" else "1"
    for forged in (f"{number}-{other}{secret[1:]}", f"{int(number) + 1}-{secret}", number, f"{number}-", "",
                   "x-y", f"{number}-{secret}{secret}"):
        assert signups.signup_by_token(forged) is None, forged
    assert signup.cancel_hash and secret not in signup.cancel_hash  # only a hash is kept
    assert signups.signup_link(signup) in sms_to("13800000001")[-1].link


def test_the_cadre_may_cancel_for_her_unit_but_not_the_next_county(activity, county_chair, sibling_county_cadre):
    signup = by_phone(activity, "13800000001")
    with pytest.raises(OutOfScope):
        signups.signup_cancel(signup=signup, actor=sibling_county_cadre)
    assert signups.signup_cancel(signup=signup, actor=county_chair).state == SignUpState.CANCELLED


def test_a_sign_up_is_not_cancelled_after_the_activity_ended(activity):
    signup = by_phone(activity, "13800000001")
    with pytest.raises(ValidationError):
        signups.signup_cancel(signup=signup, now=at(4))


def test_the_cadre_who_signed_her_up_is_told_when_she_moves_up(activity, village_cadre):
    made = [signups.signup_create(activity=activity, name="李秀梅", phone=f"1380000000{i}",
                                  channel=SignUpChannel.CADRE, actor=village_cadre) for i in range(4)]
    signups.signup_cancel(signup=made[0], actor=village_cadre)
    notice = Outbox.objects.get(channel="in_app", user=village_cadre)
    assert "候补转为正式报名" in notice.subject and notice.link == f"/activities/{activity.pk}/"


def test_raising_the_capacity_lets_the_waiting_in_in_order(activity, county_chair, unit):
    made = [by_phone(activity, f"1380000000{i}") for i in range(5)]
    services.activity_save(actor=county_chair, unit=unit("正定县"), activity=activity, version=activity.version,
                           values={"title": activity.title, "kind": activity.kind, "home": activity.home,
                                   "capacity": 4},
                           sessions=[(s.starts_at, s.ends_at, s.title) for s in activity.sessions.all()])
    # the edit itself lets the first waiting in; a second fill finds no place left
    assert signups.signups_fill(activity=activity) == 0
    assert SignUp.objects.get(pk=made[3].pk).state == SignUpState.CONFIRMED
    assert SignUp.objects.get(pk=made[4].pk).state == SignUpState.WAITING
    assert counts(activity) == (4, 1)


def test_a_cancelled_activity_tells_everyone_signed_up(activity):
    by_phone(activity, "13800000001")
    by_phone(activity, "13800000002")
    services.activity_cancel(actor=activity.created_by, activity=activity, reason="天气原因")
    assert "天气原因" in sms_to("13800000001")[-1].subject and "天气原因" in sms_to("13800000002")[-1].subject


def test_a_forgotten_account_no_longer_holds_her_sign_ups(activity):
    account = WomanAccount.objects.create(phone="13800000007")
    signup = signups.signup_create(activity=activity, name="李秀梅", channel=SignUpChannel.ACCOUNT, account=account)
    assert signups.signups_forget_account(account=account, now=timezone.now()) == 1
    assert SignUp.objects.get(pk=signup.pk).account is None


def test_figures_count_live_sign_ups_by_the_month_made(activity, unit):
    first = by_phone(activity, "13800000001")
    by_phone(activity, "13800000002")
    assert signups_figure(unit("石家庄市")) == 2
    signups.signup_cancel(signup=first, now=timezone.now() + dt.timedelta(minutes=1))
    assert signups_figure(unit("石家庄市")) == 1
    recount_agrees()
