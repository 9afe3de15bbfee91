"""Completion, certificates and outcomes of trainings: two thirds of the sessions complete a confirmed participant
once, with a certificate anyone verifies (a tampered code does not); outcomes count live, equal to the recount, and
are recorded from the participant list, from her page, through a contact log or the API; the next county sees
nothing (404 on every page and API route)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.activities import outcomes, services
from fulian.activities.models import Attendance, Completion, Outcome, SignUp
from fulian.core.certificates import certificate_code
from fulian.core.figures import figure_values, period_of
from fulian.core.hooks import hook_call
from fulian.core.models import Certificate
from fulian.core.policy import OutOfScope
from fulian.evaluation.recount import recount
from fulian.people.services import WomanData, woman_create

from .conftest import at

pytestmark = pytest.mark.django_db

MINE = {"trainings_completed", "outcomes_employed", "outcomes_business", "outcomes_income"}


def sign_up(activity, name, phone, *, woman=None, state="confirmed"):
    now = timezone.now()
    return SignUp.objects.create(activity=activity, unit_path=activity.unit_path, name=name, phone=phone,
                                 woman=woman, channel="cadre", state=state, created_at=now,
                                 confirmed_at=now if state == "confirmed" else None,
                                 waiting_since=now if state == "waiting" else None)


def attend(signup, numbers, *, woman=None, linked=True):
    for session in signup.activity.sessions.filter(number__in=numbers):
        Attendance.objects.create(session=session, activity=signup.activity, unit_path=signup.unit_path,
                                  signup=signup if linked else None, woman=woman, name=signup.name,
                                  phone=signup.phone, method="tick", checked_at=session.starts_at)


@pytest.fixture
def woman(county_chair, unit):
    return woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                           phone="13900000001"))


@pytest.fixture
def course(unit, county_chair, home):
    """正定县's three-session course (two thirds: two sessions)."""
    made = services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "家政服务技能培训班", "kind": "course", "home": home},
        sessions=[(at(-9), at(-9, 11)), (at(-8), at(-8, 11)), (at(-7), at(-7, 11))])
    return services.activity_publish(actor=county_chair, activity=made)


@pytest.fixture
def graduate(course, woman, county_chair):
    signup = sign_up(course, "王秀兰", "13900000001", woman=woman)
    attend(signup, [1, 3], woman=woman)
    return outcomes.completion_record(actor=county_chair, signup=signup)


def my_differences():
    return [d for d in recount().differences if d[2] in MINE]


def test_two_thirds_of_the_sessions_complete_and_all_of_one_or_two():
    assert [outcomes.sessions_needed(n) for n in (1, 2, 3, 4, 6, 9)] == [1, 2, 2, 3, 4, 6]


def test_a_completion_is_recorded_once_with_a_certificate_that_verifies_and_a_tampered_code_fails(
        graduate, county_chair, unit):
    again = outcomes.completion_record(actor=county_chair, signup=graduate.signup)
    assert again.pk == graduate.pk and Completion.objects.count() == 1 and Certificate.objects.count() == 1
    certificate = graduate.certificate
    assert certificate.kind == "training" and certificate.subject_key == f"signup:{graduate.signup_id}"
    assert certificate.title == "完成《家政服务技能培训班》培训" and certificate.unit_name == "正定县妇联"
    code = certificate_code(certificate)
    check = Client().get(reverse("certificate_verify", args=[code]))
    text = check.content.decode()
    assert check.status_code == 200 and "真实有效" in text and "王*兰" in text and "王秀兰" not in text
    number, signature = code.rsplit("-", 1)
    tampered = [f"{number}-{signature[::-1]}", f"{number[:-1]}{(int(number[-1]) + 1) % 10}-{signature}"]
    for forged in tampered:
        assert Client().get(reverse("certificate_verify", args=[forged])).status_code == 404
    done = figure_values([unit("河北省").pk], ["trainings_completed"], start=period_of(timezone.now()),
                         end=period_of(timezone.now()))
    assert done[unit("河北省").pk]["trainings_completed"] == 1 and my_differences() == []


def test_the_certificate_page_prints_number_code_and_qr_of_the_public_link(graduate, county_chair, client_for):
    page = client_for(county_chair).get(reverse("completion_certificate", args=[graduate.pk]))
    text = page.content.decode()
    code = certificate_code(graduate.certificate)
    assert page.status_code == 200 and graduate.certificate.number in text and code in text and "<svg" in text
    assert "家政服务技能培训班" in text and "data-print" in text


def test_short_attendance_a_waiting_place_and_a_lecture_do_not_complete(course, county_chair, unit):
    short = sign_up(course, "李梅", "13900000002")
    attend(short, [2])
    with pytest.raises(ValidationError, match="结业需要至少2次"):
        outcomes.completion_record(actor=county_chair, signup=short)
    waiting = sign_up(course, "赵敏", "13900000003", state="waiting")
    attend(waiting, [1, 2, 3])
    with pytest.raises(ValidationError, match="候补"):
        outcomes.completion_record(actor=county_chair, signup=waiting)
    lecture = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "家风讲坛", "kind": "lecture", "address": "文化馆"},
        sessions=[(at(-3), at(-3, 11))]))
    listener = sign_up(lecture, "孙丽", "13900000004")
    attend(listener, [1])
    with pytest.raises(ValidationError, match="只有培训班"):
        outcomes.completion_record(actor=county_chair, signup=listener)
    assert not Completion.objects.exists() and not Certificate.objects.exists()


def test_check_ins_by_her_phone_before_the_sign_up_was_linked_count(course, county_chair):
    signup = sign_up(course, "周红", "13900000005")
    attend(signup, [1], linked=False)
    attend(signup, [2])
    assert outcomes.completion_record(actor=county_chair, signup=signup).signup_id == signup.pk


def test_outcomes_are_counted_live_and_equal_the_recount(graduate, county_chair, unit):
    today = timezone.localdate()
    employed = outcomes.outcome_record(actor=county_chair, completion=graduate, kind="employed", recorded_on=today,
                                       note="县家政公司育婴师")
    outcomes.outcome_record(actor=county_chair, completion=graduate, kind="income", amount="800",
                            recorded_on=today)
    outcomes.outcome_record(actor=county_chair, completion=graduate, kind="other", note="加入巾帼志愿者",
                            recorded_on=today)
    keys = ["outcomes_employed", "outcomes_business", "outcomes_income"]
    month = period_of(today)
    values = figure_values([unit("石家庄市").pk], keys, start=month, end=month)[unit("石家庄市").pk]
    assert values == {"outcomes_employed": 1, "outcomes_business": 0, "outcomes_income": 1}
    assert my_differences() == []
    outcomes.outcome_remove(actor=county_chair, outcome=employed)
    values = figure_values([unit("正定县").pk], keys, start=month, end=month)[unit("正定县").pk]
    assert values["outcomes_employed"] == 0 and my_differences() == []


def test_income_needs_a_monthly_amount_and_a_counted_kind_is_recorded_once(graduate, county_chair):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="每月增加的金额"):
        outcomes.outcome_record(actor=county_chair, completion=graduate, kind="income", recorded_on=today)
    with pytest.raises(ValidationError, match="晚于今天"):
        outcomes.outcome_record(actor=county_chair, completion=graduate, kind="employed",
                                recorded_on=today + dt.timedelta(days=1))
    first = outcomes.outcome_record(actor=county_chair, completion=graduate, kind="income", amount=Decimal("650"),
                                    recorded_on=today)
    twice = outcomes.outcome_record(actor=county_chair, completion=graduate, kind="income", amount="650.00",
                                    recorded_on=today)
    assert first.pk == twice.pk and first.amount == Decimal("650.00")
    with pytest.raises(ValidationError, match="已于"):
        outcomes.outcome_record(actor=county_chair, completion=graduate, kind="income", amount="900",
                                recorded_on=today)
    assert Outcome.objects.count() == 1


def test_the_participant_list_marks_ticked_participants_and_records_an_outcome(course, county_chair, client_for):
    ready = sign_up(course, "陈静", "13900000006")
    attend(ready, [1, 2])
    short = sign_up(course, "刘芳", "13900000007")
    client = client_for(county_chair)
    url = reverse("activity_completions", args=[course.pk])
    page = client.get(url).content.decode()
    assert f'value="{ready.pk}"' in page and f'value="{short.pk}"' not in page and "_entry" in page
    assert "2 / 3" in page and "需2次" in page
    answer = client.post(url, {"signup": [str(ready.pk), str(short.pk)]})
    assert answer.status_code == 302 and Completion.objects.get().signup_id == ready.pk
    completion = Completion.objects.get()
    form_url = reverse("outcome_new", args=[completion.pk])
    form = client.get(form_url).content.decode()
    assert 'type="date"' in form and f'value="{timezone.localdate().isoformat()}"' in form
    saved = client.post(form_url, {"kind": "business", "note": "开办家政服务站",
                                   "recorded_on": timezone.localdate().isoformat()})
    assert saved.status_code == 302 and saved["Location"] == url
    assert Outcome.objects.get().kind == "business"
    assert client.post(form_url, {"kind": "income", "recorded_on": timezone.localdate().isoformat()}
                       ).status_code == 400


def test_a_village_cadre_records_an_outcome_from_her_page(graduate, woman, village_cadre, client_for):
    client = client_for(village_cadre)
    page = client.get(reverse("woman_detail", args=[woman.pk])).content.decode()
    link = reverse("outcome_new", args=[graduate.pk]) + "?from=woman"
    assert "家政服务技能培训班" in page and graduate.certificate.number in page and link in page
    saved = client.post(link, {"kind": "employed", "recorded_on": timezone.localdate().isoformat()})
    assert saved.status_code == 302 and saved["Location"] == reverse("woman_detail", args=[woman.pk])
    assert Outcome.objects.get().recorded_by == village_cadre
    assert client.get(reverse("activity_completions", args=[graduate.activity_id])).status_code == 404


def test_a_contact_log_records_an_outcome_of_her_own_completion_only(graduate, woman, village_cadre, county_chair,
                                                                     course):
    offered = hook_call("training.outcome_choices", actor=village_cadre, woman=woman)[0]
    assert offered["completions"] == [
        (graduate.pk, f"家政服务技能培训班（{timezone.localdate(graduate.completed_at):%Y-%m-%d}）")]
    assert [value for value, _label in offered["kinds"]] == ["employed", "business", "income", "other"]
    [outcome] = hook_call("training.outcome", actor=village_cadre, woman=woman, completion_id=graduate.pk,
                          kind="employed", recorded_on=timezone.localdate(), contact_log_id=41)
    assert outcome.contact_log_id == 41 and outcome.completion_id == graduate.pk
    other = woman_create(actor=county_chair, data=WomanData(name="李红", home_unit=woman.home_unit))
    with pytest.raises(ValidationError, match="没有这次培训"):
        hook_call("training.outcome", actor=village_cadre, woman=other, completion_id=graduate.pk,
                  kind="business", recorded_on=timezone.localdate(), contact_log_id=42)


def test_the_next_county_may_not_record_and_gets_404_on_every_page(graduate, sibling_county_cadre, client_for):
    with pytest.raises(OutOfScope):
        outcomes.completion_record(actor=sibling_county_cadre, signup=graduate.signup)
    with pytest.raises(OutOfScope):
        outcomes.outcome_record(actor=sibling_county_cadre, completion=graduate, kind="employed",
                                recorded_on=timezone.localdate())
    outcome = outcomes.outcome_record(actor=graduate.completed_by, completion=graduate, kind="employed",
                                      recorded_on=timezone.localdate())
    client = client_for(sibling_county_cadre)
    assert client.get(reverse("activity_completions", args=[graduate.activity_id])).status_code == 404
    assert client.post(reverse("activity_completions", args=[graduate.activity_id]),
                       {"signup": [graduate.signup_id]}).status_code == 404
    assert client.get(reverse("completion_certificate", args=[graduate.pk])).status_code == 404
    assert client.get(reverse("outcome_new", args=[graduate.pk])).status_code == 404
    assert client.post(reverse("outcome_remove", args=[outcome.pk])).status_code == 404
    assert Outcome.objects.filter(pk=outcome.pk).exists()


def test_her_panel_is_matched_by_her_record_never_by_phone_alone_and_follows_a_merge(
        graduate, woman, course, county_chair, sibling_county_cadre, client_for, unit, rf):
    from fulian.activities.panels import woman_sections
    from fulian.people.services import woman_merge

    stranger = services.activity_publish(actor=county_chair, activity=services.activity_save(
        actor=county_chair, unit=unit("正定县"), values={"title": "亲子阅读会", "kind": "reading", "address": "图书馆"},
        sessions=[(at(-2), at(-2, 11))]))
    attend(sign_up(stranger, "王秀兰", woman.phone), [1])  # her phone, but not linked to her record
    page = client_for(county_chair).get(reverse("woman_detail", args=[woman.pk])).content.decode()
    assert "家政服务技能培训班" in page and "亲子阅读会" not in page
    request = rf.get("/")
    request.user = sibling_county_cadre
    assert woman_sections(request, woman) is None
    assert client_for(sibling_county_cadre).get(reverse("woman_detail", args=[woman.pk])).status_code == 404
    survivor = woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区")))
    woman_merge(actor=county_chair, survivor=survivor, duplicate=woman)
    moved = client_for(county_chair).get(reverse("woman_detail", args=[survivor.pk])).content.decode()
    assert "家政服务技能培训班" in moved and graduate.certificate.number in moved


@pytest.fixture
def participant(course, woman):
    signup = sign_up(course, "王秀兰", "13900000001", woman=woman)
    attend(signup, [1, 2], woman=woman)
    return signup


def test_a_training_is_completed_and_followed_up_through_the_api(participant, course, woman, county_chair,
                                                                 api_for):
    api = api_for(county_chair)
    [row] = api.get(f"/api/v1/activities/{course.pk}/completions").json()
    assert (row["attended"], row["needed"], row["total"], row["eligible"], row["completion_id"]) == (2, 2, 3, True,
                                                                                                     None)
    made = api.post(f"/api/v1/activities/signups/{participant.pk}/completion")
    again = api.post(f"/api/v1/activities/signups/{participant.pk}/completion")
    assert (made.status_code, again.status_code) == (201, 200) and made.json()["id"] == again.json()["id"]
    certificate = made.json()["certificate"]
    assert certificate["title"] == "完成《家政服务技能培训班》培训" and certificate["is_valid"] is True
    assert certificate["verify_url"].endswith(f"/verify/{certificate['code']}/")
    assert Client().get(f"/verify/{certificate['code']}/").status_code == 200
    completion_id = made.json()["id"]
    today = timezone.localdate().isoformat()
    refused = api.post(f"/api/v1/activities/completions/{completion_id}/outcomes", {"kind": "income",
                       "recorded_on": today}, content_type="application/json")
    assert refused.status_code == 400 and "每月增加的金额" in refused.json()["detail"]
    income = api.post(f"/api/v1/activities/completions/{completion_id}/outcomes",
                      {"kind": "income", "amount": "800", "recorded_on": today}, content_type="application/json")
    assert income.status_code == 201 and income.json()["amount"] == "800.00"
    [mine] = api.get(f"/api/v1/women/{woman.pk}/activities").json()
    assert mine["signup_state"] == "confirmed" and mine["attended"] == 2
    assert mine["completion"]["outcomes"][0]["kind"] == "income"
    assert api.delete(f"/api/v1/activities/outcomes/{income.json()['id']}").status_code == 204
    assert not Outcome.objects.exists()


def test_the_next_county_gets_404_on_every_outcome_route(participant, course, woman, county_chair,
                                                          sibling_county_cadre, api_for):
    made = api_for(county_chair).post(f"/api/v1/activities/signups/{participant.pk}/completion").json()
    outcome = api_for(county_chair).post(f"/api/v1/activities/completions/{made['id']}/outcomes", {
        "kind": "employed", "recorded_on": timezone.localdate().isoformat()}, content_type="application/json").json()
    api = api_for(sibling_county_cadre)
    assert api.get(f"/api/v1/activities/{course.pk}/completions").status_code == 404
    assert api.post(f"/api/v1/activities/signups/{participant.pk}/completion").status_code == 404
    assert api.get(f"/api/v1/activities/completions/{made['id']}").status_code == 404
    assert api.post(f"/api/v1/activities/completions/{made['id']}/outcomes", {
        "kind": "business", "recorded_on": timezone.localdate().isoformat()},
        content_type="application/json").status_code == 404
    assert api.delete(f"/api/v1/activities/outcomes/{outcome['id']}").status_code == 404
    assert api.get(f"/api/v1/women/{woman.pk}/activities").status_code == 404
    assert Outcome.objects.count() == 1


def test_the_demo_completes_past_trainings_and_records_outcomes_and_families_once(course, woman, county_chair,
                                                                                    village_cadre, unit):
    from fulian.activities.demo_outcomes import demo_outcomes
    from fulian.people.demo_families import demo_families
    from fulian.people.models import Family

    for n, name in enumerate(["王秀兰", "李梅", "赵敏"]):
        attend(sign_up(course, name, f"1390000010{n}", woman=woman if n == 0 else None), [1, 2, 3][: 3 - n])
    users = {"hb-county": county_chair, "hb-village": village_cadre}
    first, again = demo_outcomes(users=users), demo_outcomes(users=users)
    assert first == {"completions": 2, "outcomes": 1} and again["completions"] == 2
    assert Completion.objects.count() == 2 and Outcome.objects.count() == 1 and my_differences() == []
    assert demo_families(users=users) == {"families": 1} and demo_families(users=users) == {"families": 0}
    assert Family.objects.get().members.count() == 3
