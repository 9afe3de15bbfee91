"""Offline sync (issue 22) under attack — the review's tests. A cadre crafts items for women and needs outside her
reach, backdates `on` to a day she was linked, sends junk dates and fields, sends one token from two requests at once.
Most of it must keep holding (refused per item, never a 500, nothing disclosed, nothing written twice); the tests
marked "found in review" pin holes the review found and that are now closed."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case
from fulian.contacts import offline, services
from fulian.contacts.models import Assignment, ContactLog, Need, NeedStatus, SyncReceipt
from fulian.contacts.offline import owner_key, sync_apply
from fulian.core.policy import Role
from fulian.people.services import WomanData, woman_create, woman_merge, woman_update

NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()
URL = "/api/v1/contacts/sync"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def volunteer(unit):
    """A volunteer of 恒东社区: she sees the village's women but edits nobody's record."""
    return UserFactory(username="village-volunteer", unit=unit("恒东社区"), roles=[Role.VOLUNTEER])


def woman(unit, name, home="恒东社区"):
    return woman_create(actor=None, data=WomanData(name=name, home_unit=unit(home)))


def link(county_chair, woman_, cadre, *, since: int, ended: int | None = None):
    """A link of `cadre` to her from `since` days ago, ended `ended` days ago (or still running)."""
    assignment, _warning = services.assignment_create(actor=county_chair, woman=woman_, cadre=cadre,
                                                      today=TODAY - dt.timedelta(days=since))
    if ended is not None:
        services.assignment_end(actor=county_chair, assignment=assignment, today=TODAY - dt.timedelta(days=ended))
    return assignment


def contact(token, woman_, *, days_ago=0, **fields):
    return {"token": token, "kind": "contact", "on": str(TODAY - dt.timedelta(days=days_ago)), "woman": woman_.pk,
            "channel": "home_visit", **fields}


def sync(actor, *items):
    return sync_apply(actor=actor, items=list(items), now=timezone.now())


def open_need(actor, woman_, category="employment"):
    services.contact_log_create(actor=actor, woman=woman_, contacted_on=TODAY - dt.timedelta(days=5),
                                channel="phone", today=TODAY, needs=[(category, "")])
    return Need.objects.filter(woman=woman_).latest("pk")


# ---- data scope ----

@pytest.mark.django_db
def test_a_volunteer_whose_link_ended_long_ago_cannot_backdate_a_contact_online(clock, unit, county_chair, volunteer):
    """Found in review (M1, now closed): may_log_contact(on=contacted_on), added for the offline sync, also opens the
    online form and POST /women/{id}/contacts to a volunteer (VIEW only) for any woman she was EVER linked to — with a
    contacted_on inside that old link, however long ago (the sync itself stops at 30 days), moving a past month's
    figures. Before commit 508d258 both answered 404."""
    her = woman(unit, "甲")
    link(county_chair, her, volunteer, since=400, ended=300)
    long_ago = str(TODAY - dt.timedelta(days=350))  # a day she was linked, eleven months ago
    page = Client()
    page.force_login(volunteer)
    page.raise_request_exception = False
    page.post(reverse("contact_new", kwargs={"woman_id": her.pk}),
              {"contacted_on": long_ago, "channel": "phone", "client_token": "online-backdated-1"})
    assert not ContactLog.objects.exists()
    from fulian.accounts.services import token_create

    _token, key = token_create(user=volunteer, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    api.raise_request_exception = False
    answer = api.post(f"/api/v1/women/{her.pk}/contacts", {"contacted_on": long_ago, "channel": "phone"},
                      content_type="application/json")
    assert answer.status_code == 404 and not ContactLog.objects.exists()


@pytest.mark.django_db
def test_a_former_cadre_may_record_only_a_day_she_was_linked_within_30_days(clock, unit, county_chair,
                                                                            province_chair, village_cadre):
    """The grace a reassigned woman gets (a visit recorded offline before the cadre knew): only the days of the link,
    only within 30 days; out of it the refusal reads as for a woman who does not exist."""
    moved = woman(unit, "乙")
    link(county_chair, moved, village_cadre, since=60)
    woman_update(actor=province_chair, woman=moved, data=WomanData(name="乙", home_unit=unit("南关村")),
                 version=moved.version)  # to the county next door: her link ended today
    Assignment.objects.filter(woman=moved).update(ended_on=TODAY - dt.timedelta(days=10))  # … ten days ago
    old = woman(unit, "丙")
    link(county_chair, old, village_cadre, since=90, ended=40)
    woman_update(actor=province_chair, woman=old, data=WomanData(name="丙", home_unit=unit("南关村")),
                 version=old.version)
    results = sync(village_cadre,
                   contact("tok-last-linked-day", moved, days_ago=10),  # the day the link ended: kept, noted
                   contact("tok-day-after-link", moved, days_ago=9),  # the day after: not hers any more
                   contact("tok-linked-41-days-ago", old, days_ago=41),  # hers then, but over 30 days ago
                   contact("tok-no-such-woman", moved, woman=10**9))
    assert [(r["state"], r["code"]) for r in results] == [
        ("noted", ""), ("refused", "out_of_scope"), ("refused", "device_old"), ("refused", "out_of_scope")]
    assert results[1]["message"] == results[3]["message"] and "乙" not in results[1]["message"]
    assert results[0]["link"] == "" and "南关村" not in results[0]["message"]  # nothing of where she lives now
    assert ContactLog.objects.count() == 1


@pytest.mark.django_db
def test_needs_and_help_out_of_reach_are_refused_alike_and_disclose_nothing(clock, unit, county_chair,
                                                                           village_cadre, sibling_county_cadre):
    ours, theirs = woman(unit, "丁"), woman(unit, "戊", home="南关村")
    link(county_chair, ours, village_cadre, since=20)
    their_need = open_need(sibling_county_cadre, theirs)
    their_met = open_need(sibling_county_cadre, theirs, category="legal")
    Need.objects.filter(pk=their_met.pk).update(status=NeedStatus.MET, resolved_on=TODAY)
    their_case_need = open_need(sibling_county_cadre, theirs, category="family")
    Need.objects.filter(pk=their_case_need.pk).update(status=NeedStatus.CASE)
    results = sync(village_cadre, *[
        {"token": f"tok-need-{i}", "kind": "need_met", "on": str(TODAY), "need": pk}
        for i, pk in enumerate([their_need.pk, their_met.pk, their_case_need.pk, 10**9])
    ], {"token": "tok-help-theirs", "kind": "help", "on": str(TODAY), "woman": theirs.pk, "case_kind": "dv",
        "urgency": "urgent"}, {"token": "tok-help-none", "kind": "help", "on": str(TODAY), "woman": 10**9,
                               "case_kind": "dv", "urgency": "urgent"})
    assert {(r["state"], r["code"], r["message"]) for r in results[:4]} == {
        ("refused", "need_not_found", results[0]["message"])}  # met, a case or open: all read as "not found"
    assert results[4] == {**results[5], "token": "tok-help-theirs"}
    assert all("戊" not in r["message"] and r["link"] == "" for r in results)
    assert Need.objects.get(pk=their_need.pk).status == NeedStatus.OPEN
    assert not Case.objects.exists() and not SyncReceipt.objects.exists()


@pytest.mark.django_db
def test_a_record_merged_into_one_out_of_reach_is_refused_as_if_she_did_not_exist(clock, unit, county_chair,
                                                                                  village_cadre, province_chair):
    ours, theirs = woman(unit, "己"), woman(unit, "庚", home="南关村")
    woman_merge(actor=province_chair, survivor=theirs, duplicate=ours)  # never linked to our cadre
    (merged, none) = sync(village_cadre, contact("tok-merged-away", ours), contact("tok-nobody", ours, woman=10**9))
    assert (merged["state"], merged["code"], merged["message"]) == ("refused", "out_of_scope", none["message"])
    assert "庚" not in merged["message"] and not ContactLog.objects.exists()


@pytest.mark.django_db
def test_a_need_the_volunteer_may_not_edit_is_refused_as_a_need_not_found(clock, unit, county_chair, volunteer):
    """A volunteer linked to her (VIEW, no EDIT) sending a need met is told that marking it is not hers to do — not
    the refusal of a woman not found ("找不到这名妇女…", as need_resolve's OutOfScope read before)."""
    her = woman(unit, "辛")
    link(county_chair, her, volunteer, since=20)
    need = open_need(county_chair, her)
    (result,) = sync(volunteer, {"token": "tok-vol-need", "kind": "need_met", "on": str(TODAY), "need": need.pk})
    assert (result["state"], result["code"]) == ("refused", "need_not_yours")
    assert "找不到这名妇女" not in result["message"]
    assert Need.objects.get(pk=need.pk).status == NeedStatus.OPEN


# ---- hostile input ----

@pytest.mark.django_db
@pytest.mark.parametrize("fields", [
    {"on": "2026-02-30"}, {"on": "+10000-01-01"}, {"on": "0000-00-00"}, {"on": None}, {"on": 20261202},
    {"made_at": "0001-01-01T00:00:00+01:00"}, {"made_at": "9999-12-31T23:59:59-14:00"},
    {"follow_up_on": "2026-13-01"}, {"follow_up_on": 5}, {"follow_up_on": "2026-11-01"},
    {"needs": ["x"]}, {"needs": "employment"}, {"needs": [None]}, {"needs": [["employment"]]}, {"needs": {"a": 1}},
    {"channel": ["phone"]}, {"channel": None}, {"woman": "abc"}, {"woman": -1}, {"woman": 2**80}, {"woman": [1]},
    {"token": ["a" * 20]}, {"token": None}, {"token": "<script>alert(1)</script>"},
    {"owner": ["x"]}, {"owner": 5}, {"kind": "delete"}, {"kind": None},
])
def test_junk_in_an_item_is_refused_in_its_result_never_an_error(clock, unit, county_chair, village_cadre, fields):
    her = woman(unit, "壬")
    link(county_chair, her, village_cadre, since=20)
    ok = contact("tok-junk-next", her)
    junk, after = sync(village_cadre, {**contact("tok-junk-item", her), **fields}, ok)
    assert junk["state"] == "refused" and junk["message"]
    assert len(junk["token"]) <= 40
    assert after["state"] == "applied"  # the next item of the queue still goes
    assert ContactLog.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("made_at", ["2026-12-02T25:00:00", "2026-12-02T10:00:00+99:00", ["x"], "99999",
                                     "2026-12-02T10:00:00+23:59"])
def test_a_phone_time_that_is_no_time_is_ignored_and_the_day_counts(clock, unit, county_chair, village_cadre,
                                                                    made_at):
    her = woman(unit, "壬")
    link(county_chair, her, village_cadre, since=20)
    (result,) = sync(village_cadre, contact("tok-odd-time", her, days_ago=2, made_at=made_at))
    assert result["state"] == "applied"
    assert ContactLog.objects.get().contacted_on == TODAY - dt.timedelta(days=2)


@pytest.mark.django_db
def test_one_need_category_twice_in_an_item_raises_one_need(clock, unit, county_chair, village_cadre):
    """needs ["employment"] × 10 raised ten identical needs and counted ten needs_raised at commit 508d258 (the
    page's checkboxes never send a category twice; a crafted item does); the lead's working tree dedups them."""
    her = woman(unit, "癸")
    link(county_chair, her, village_cadre, since=20)
    (result,) = sync(village_cadre, contact("tok-ten-times", her, needs=["employment"] * 10))
    assert result["state"] == "applied"
    assert Need.objects.filter(woman=her).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("fields", [
    {"woman": "abc"}, {"woman": [1]}, {"woman": 2**80}, {"needs": "employment"}, {"needs": [None]}, {"on": None},
    {"token": None}, {"owner": 5}, {"kind": ["contact"]}, {"views": {"a": 1}}, {"need": -1}, {"unit": 2**63},
    {"made_at": "2026-12-02T25:00:00"}, {"views": "x" * 5000}, {"follow_up_on": "+10000-01-01"},
])
def test_junk_through_the_api_is_a_4xx_or_a_refusal_never_a_500(clock, unit, county_chair, village_cadre, api_for,
                                                                 fields):
    her = woman(unit, "卯")
    link(county_chair, her, village_cadre, since=20)
    client = api_for(village_cadre)
    client.raise_request_exception = False
    answer = client.post(URL, {"items": [{**contact("tok-api-junk", her), **fields}]}, content_type="application/json")
    assert answer.status_code in (200, 400, 422), answer.content[:300]
    if answer.status_code == 200:
        assert answer.json()["results"][0]["state"] in ("refused", "applied")


@pytest.mark.django_db
def test_text_that_only_looks_like_an_escaped_nul_does_not_hold_the_queue_back(clock, unit, county_chair,
                                                                               village_cadre, api_for):
    """Found in review (M2, now closed): HostileInputMiddleware refuses any JSON body holding the six characters \\u0000
    — also the escaped backslash of a note that merely mentions them — so the whole chunk is a 400, which offline.js
    reads as "网络中断或服务器忙": the queue never goes (every later item waits behind it)."""
    her = woman(unit, "子")
    link(county_chair, her, village_cadre, since=20)
    answer = api_for(village_cadre).post(URL, {"items": [
        contact("tok-before", her), contact("tok-odd-text", her, views="文件在 C:\\u0000\\备份 里"),
    ]}, content_type="application/json")
    assert answer.status_code == 200
    assert [r["state"] for r in answer.json()["results"]] == ["applied", "applied"]


@pytest.mark.django_db
def test_the_session_path_needs_the_csrf_header_and_the_owner_of_the_session(clock, unit, county_chair,
                                                                            village_cadre):
    her = woman(unit, "丑")
    link(county_chair, her, village_cadre, since=20)
    client = Client(enforce_csrf_checks=True)
    client.force_login(village_cadre)
    client.get(reverse("today"))
    csrf = client.cookies["csrftoken"].value
    body = {"items": [contact("tok-session", her, owner=owner_key(village_cadre))]}
    assert client.post(URL, body, content_type="text/plain").status_code in (401, 403)  # a cross-site form
    assert client.post(URL, body, content_type="application/json").status_code == 403
    assert not ContactLog.objects.exists()
    done = client.post(URL, body, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert done.status_code == 200 and done.json()["results"][0]["state"] == "applied"


# ---- the same token from two requests at once (PostgreSQL: real row locks) ----

@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["contact", "need_met", "help"])
def test_one_token_in_two_requests_at_the_same_moment_is_applied_once(unit, county_chair, village_cadre,
                                                                     monkeypatch, kind):
    her = woman(unit, "寅")
    services.assignment_create(actor=county_chair, woman=her, cadre=village_cadre,
                               today=timezone.localdate() - dt.timedelta(days=5))
    services.contact_log_create(actor=county_chair, woman=her, contacted_on=timezone.localdate(), channel="phone",
                                today=timezone.localdate(), needs=[("employment", "")])
    need = Need.objects.get()
    both_ready = threading.Barrier(2, timeout=10)
    dates = offline._dates

    def meet_then_date(item, now):  # both requests have read the receipts (none) before either writes
        both_ready.wait()
        return dates(item, now)

    monkeypatch.setattr(offline, "_dates", meet_then_date)
    item = {"token": "tok-same-moment", "kind": kind, "on": str(timezone.localdate()), "woman": her.pk,
            "channel": "phone", "need": need.pk, "case_kind": "legal_aid", "urgency": "normal",
            "made_at": timezone.localtime().isoformat()}
    answers, errors = [], []

    def send():
        try:
            answers.append(sync_apply(actor=village_cadre, items=[dict(item)]))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    first, second = (a[0] for a in answers)
    assert first["state"] == second["state"] == "applied" and first["message"] == second["message"]
    assert SyncReceipt.objects.count() == 1
    assert ContactLog.objects.count() == (2 if kind == "contact" else 1)
    assert Case.objects.count() == (1 if kind == "help" else 0)
    assert Need.objects.filter(status=NeedStatus.MET).count() == (1 if kind == "need_met" else 0)
