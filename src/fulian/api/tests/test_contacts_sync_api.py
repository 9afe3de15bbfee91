"""POST /api/v1/contacts/sync and GET /api/v1/me/offline (issue 22) from the outside: a bearer token or the page's
session (with its CSRF header), the same queue sent twice, hostile input answered 4xx or per item (never 500), a
session that ended writes nothing, and a cadre of the county next door writes nothing to our women."""

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case
from fulian.contacts import services
from fulian.contacts.models import ContactLog, Need, NeedStatus, SyncReceipt
from fulian.contacts.offline import owner_key
from fulian.core.idnumber import parse_id_number
from fulian.core.models import AuditEvent
from fulian.core.policy import Role
from fulian.people.services import WomanData, woman_create
from fulian.people.tests.helpers import female_id

URL = "/api/v1/contacts/sync"
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
ON = str(TODAY - dt.timedelta(days=2))


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def women(unit, county_chair, village_cadre):
    """Two women of 恒东社区 linked to the village cadre for three weeks."""
    made = [woman_create(actor=None, data=WomanData(name=name, home_unit=unit("恒东社区"),
                                                     id_number=parse_id_number(female_id(i))))
            for i, name in enumerate("甲乙")]
    for woman in made:
        services.assignment_create(actor=county_chair, woman=woman, cadre=village_cadre,
                                   today=TODAY - dt.timedelta(days=21))
    return made


def contact(token, woman, **fields):
    return {"token": token, "kind": "contact", "on": ON, "woman": woman.pk, "unit": woman.home_unit_id,
            "channel": "home_visit", **fields}


def post(client, items, **headers):
    return client.post(URL, {"items": items}, content_type="application/json", **headers)


def quiet(client):
    """Answer an unexpected exception as the 500 a phone would get, instead of raising it into the test."""
    client.raise_request_exception = False
    return client


def nothing_written():
    return not (ContactLog.objects.exists() or Case.objects.exists() or SyncReceipt.objects.exists()
                or Need.objects.filter(status=NeedStatus.MET).exists())


def session_client(user):
    """The 今日工作 page's own client: a signed-in session with CSRF enforced, and the token the page carries."""
    client = quiet(Client(enforce_csrf_checks=True))
    client.force_login(user)
    assert client.get(reverse("today")).status_code == 200
    return client, client.cookies["csrftoken"].value


@pytest.mark.django_db
def test_the_phone_learns_her_owner_key_and_the_limits(api_for, village_cadre, county_chair):
    answer = api_for(village_cadre).get("/api/v1/me/offline")
    assert answer.status_code == 200
    assert answer.json() == {"owner": owner_key(village_cadre), "max_items": 100, "max_age_days": 30}
    assert api_for(county_chair).get("/api/v1/me/offline").json()["owner"] != owner_key(village_cadre)
    assert Client().get("/api/v1/me/offline").status_code == 401


@pytest.mark.django_db
def test_a_queue_sent_again_after_the_answer_was_lost_changes_nothing(api_for, village_cadre, women):
    services.contact_log_create(actor=village_cadre, woman=women[1], contacted_on=TODAY - dt.timedelta(days=9),
                                channel="phone", today=TODAY, needs=[("employment", "")])
    need = Need.objects.get()
    items = [contact("tok-api-contact", women[0], needs=["health"], views="腰疼"),
             {"token": "tok-api-needmet", "kind": "need_met", "on": ON, "need": need.pk, "resolution": "已就业"},
             {"token": "tok-api-help01", "kind": "help", "on": ON, "woman": women[1].pk, "case_kind": "assistance",
              "urgency": "normal", "made_at": f"{ON}T15:20:00+08:00"}]
    client = quiet(api_for(village_cadre))
    first = post(client, items)
    assert first.status_code == 200, first.content
    assert [r["state"] for r in first.json()["results"]] == ["applied"] * 3
    counts = (ContactLog.objects.count(), Need.objects.count(), Need.objects.filter(status=NeedStatus.MET).count(),
              Case.objects.count(), AuditEvent.objects.count(), SyncReceipt.objects.count())
    again = post(client, items)
    assert again.status_code == 200 and again.json() == first.json()
    assert (ContactLog.objects.count(), Need.objects.count(), Need.objects.filter(status=NeedStatus.MET).count(),
            Case.objects.count(), AuditEvent.objects.count(), SyncReceipt.objects.count()) == counts == (
        2, 2, 1, 1, counts[4], 3)


GOOD = {"token": "tok-hostile-1", "kind": "contact", "on": ON, "channel": "phone"}  # + the woman's id


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "change", "expected"), [
    ("on-impossible-day", {"on": "2026-02-30"}, "date"),
    ("on-words", {"on": "昨天"}, "date"),
    ("on-too-long", {"on": f"{ON}T10:00:00"}, "date"),  # one bad item is answered, the rest go on
    ("on-missing", {"on": None}, 400),
    ("made_at-words", {"made_at": "刚才"}, "applied"),  # no usable time: the day is enough for a contact
    ("made_at-hour-25", {"made_at": f"{ON}T25:00:00"}, "answered"),  # was a 500: parse_datetime raised
    ("made_at-month-13", {"made_at": "2026-13-01T10:00"}, "answered"),
    ("made_at-offset", {"made_at": f"{ON}T10:00:00+99:00"}, "answered"),
    ("follow_up-words", {"follow_up_on": "下周"}, "date"),
    ("kind-unknown", {"kind": "visit"}, 400),  # a program's mistake: the page offers only the three
    ("channel-unknown", {"channel": "pigeon"}, 400),
    ("need-category-unknown", {"needs": ["astrology"]}, "need_category"),
    ("needs-not-a-list", {"needs": "employment"}, 400),
    ("needs-eleven", {"needs": ["health"] * 11}, "applied"),  # one category ticked twice is one need
    ("woman-huge", {"woman": 10**30}, "out_of_scope"),
    ("woman-int64", {"woman": 2**63}, "out_of_scope"),
    ("woman-negative", {"woman": -1}, "out_of_scope"),
    ("woman-text", {"woman": "甲"}, 400),
    ("woman-float", {"woman": 1.5}, 400),
    ("unit-huge", {"unit": 10**30}, "applied"),  # a village the phone cannot have cached: no note, no harm
    ("need-huge", {"kind": "need_met", "need": 2**63}, "need_not_found"),
    ("token-int", {"token": 12345678}, 400),
    ("token-short", {"token": "abc"}, "token"),
    ("token-path", {"token": "../../etc/passwd"}, "token"),
    ("token-too-long", {"token": "t" * 41}, "token"),
    ("views-too-long", {"views": "很" * 2001}, "too_long"),
    ("views-object", {"views": {"$gt": ""}}, 400),
    ("help-kind-unknown", {"kind": "help", "case_kind": "xyz", "urgency": "high"}, "refused"),
])
def test_bad_input_is_4xx_or_refused_never_500(api_for, village_cadre, women, label, change, expected):
    item = {**GOOD, "woman": women[0].pk, **change}
    answer = post(quiet(api_for(village_cadre)), [{k: v for k, v in item.items() if v is not None}])
    assert answer.status_code < 500, (label, answer.status_code)
    if expected == 400:  # the schema's answer (422), or the middleware's (400)
        assert answer.status_code in (400, 422) and answer.json()["detail"], label
        assert nothing_written()
        return
    assert answer.status_code == 200, (label, answer.content)
    (result,) = answer.json()["results"]
    if expected == "answered":  # applied without the time, or refused: either, as long as the item is answered
        assert result["state"] in ("applied", "refused"), (label, result)
        assert ContactLog.objects.exists() == (result["state"] == "applied"), label
        return
    if expected == "applied":
        assert result["state"] == "applied", (label, result)
        return
    assert result["state"] == "refused" and result["message"], (label, result)
    assert expected == "refused" or result["code"] == expected, (label, result)
    assert nothing_written(), label


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "body", "content_type"), [
    ("101-items", {"items": [dict(GOOD, token=f"tok-many-{i:03d}") for i in range(101)]}, "application/json"),
    ("items-not-a-list", {"items": "x"}, "application/json"),
    ("items-missing", {}, "application/json"),
    ("a-list-not-an-object", [GOOD], "application/json"),
    ("item-not-an-object", {"items": ["tok-hostile-1"]}, "application/json"),
    ("not-json", "items=1", "application/json"),
    ("a-form", "items=1", "application/x-www-form-urlencoded"),
    ("nul-character", {"items": [dict(GOOD, views="a\u0000b")]}, "application/json"),
])
def test_a_malformed_request_is_400_and_writes_nothing(api_for, village_cadre, women, label, body, content_type):
    data = body if isinstance(body, str) else json.dumps(body)
    answer = quiet(api_for(village_cadre)).post(URL, data, content_type=content_type)
    assert 400 <= answer.status_code < 500, (label, answer.status_code)
    assert nothing_written(), label


@pytest.mark.django_db
def test_one_item_the_schema_rejects_does_not_stop_the_rest_of_the_queue(api_for, village_cadre, women):
    """SyncItemIn promises a malformed item is answered in its result, "never by failing the others": a need
    category the phone cached before it was retired, or notes longer than the form allows, must not hold back the
    contacts queued after it (the queue is sent in order, so a whole-request 422 blocks it for good)."""
    answer = post(quiet(api_for(village_cadre)), [
        contact("tok-queue-1", women[0]),
        contact("tok-queue-2", women[0], needs=["retired_category"]),
        contact("tok-queue-3", women[1], views="很" * 2001),
        contact("tok-queue-4", women[1]),
    ])
    assert answer.status_code == 200, (answer.status_code, answer.content[:300])
    assert [r["state"] for r in answer.json()["results"]] == ["applied", "refused", "refused", "applied"]
    assert set(ContactLog.objects.values_list("client_token", flat=True)) == {"tok-queue-1", "tok-queue-4"}


@pytest.mark.django_db
def test_the_pages_session_may_sync_with_its_csrf_token_and_not_without(village_cadre, women):
    client, csrf = session_client(village_cadre)
    refused = post(client, [contact("tok-no-csrf", women[0])])
    assert refused.status_code == 403 and nothing_written()
    done = post(client, [contact("tok-csrf-ok", women[0])], HTTP_X_CSRFTOKEN=csrf)
    assert done.status_code == 200 and done.json()["results"][0]["state"] == "applied"
    assert ContactLog.objects.get().client_token == "tok-csrf-ok"


@pytest.mark.django_db
def test_a_session_that_ended_is_401_and_writes_nothing(village_cadre, women):
    client, csrf = session_client(village_cadre)
    client.post(reverse("logout"), {"csrfmiddlewaretoken": csrf})  # signed out in another tab
    assert "csrftoken" in client.cookies
    answer = post(client, [contact("tok-signed-out", women[0])], HTTP_X_CSRFTOKEN=csrf)
    assert answer.status_code == 401 and nothing_written()


@pytest.mark.django_db
def test_a_session_idle_too_long_is_401_and_writes_nothing(village_cadre, women, settings):
    client, csrf = session_client(village_cadre)
    later = NOW + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 1)
    with time_machine.travel(later, tick=False):
        answer = post(client, [contact("tok-idle", women[0])], HTTP_X_CSRFTOKEN=csrf)
    assert answer.status_code == 401 and nothing_written()


@pytest.mark.django_db
def test_a_cadre_of_the_county_next_door_writes_nothing_to_our_women(api_for, village_cadre, sibling_county_cadre,
                                                                     women):
    services.contact_log_create(actor=village_cadre, woman=women[0], contacted_on=TODAY - dt.timedelta(days=9),
                                channel="phone", today=TODAY, needs=[("legal", "")])
    need = Need.objects.get()
    client = quiet(api_for(sibling_county_cadre))
    audit = AuditEvent.objects.count()
    answer = post(client, [
        contact("tok-sibling-1", women[0]),
        {"token": "tok-sibling-2", "kind": "help", "on": ON, "woman": women[0].pk, "case_kind": "dv",
         "urgency": "urgent"},
        {"token": "tok-sibling-3", "kind": "need_met", "on": ON, "need": need.pk},
        {**contact("tok-sibling-4", women[0]), "woman": 987654},
    ])
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [(r["state"], r["code"]) for r in results] == [("refused", "out_of_scope"), ("refused", "out_of_scope"),
                                                          ("refused", "need_not_found"), ("refused", "out_of_scope")]
    assert results[0]["message"] == results[1]["message"] == results[3]["message"]  # as if she did not exist
    assert all(r["link"] == "" and women[0].name not in r["message"] for r in results)
    assert ContactLog.objects.count() == 1 and not Case.objects.exists() and not SyncReceipt.objects.exists()
    assert Need.objects.get().status == NeedStatus.OPEN and AuditEvent.objects.count() == audit


@pytest.mark.django_db
def test_another_accounts_items_are_refused_over_the_api(api_for, village_cadre, unit, women):
    colleague = UserFactory(username="village-cadre-2", unit=unit("恒东社区"), roles=[Role.STAFF])
    answer = post(api_for(village_cadre), [contact("tok-colleague", women[0], owner=owner_key(colleague))])
    (result,) = answer.json()["results"]
    assert (result["state"], result["code"]) == ("refused", "other_user") and nothing_written()
