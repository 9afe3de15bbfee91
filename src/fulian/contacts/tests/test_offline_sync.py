"""Offline sync (issue 22), the service: a phone's queue applied in order, each item once; a defined outcome for each
conflict (reassigned, moved, merged, need met or turned into a case meanwhile); the phone's date checked; another
account's items refused. The clock is frozen at NOW, a few days into a month, so a contact made last month shows
which month it counts in."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case, CaseHandler, DeadlineRule, Source
from fulian.cases.services import case_intake, unseal
from fulian.contacts import services
from fulian.contacts.models import Assignment, ContactLog, Need, NeedStatus, SyncReceipt
from fulian.contacts.offline import owner_key, sync_apply
from fulian.core.figures import figure_values, period_of
from fulian.core.idnumber import parse_id_number
from fulian.core.models import AuditEvent, Outbox
from fulian.core.policy import Role
from fulian.people.models import Woman
from fulian.people.services import WomanData, woman_create, woman_merge, woman_update
from fulian.people.tests.helpers import female_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
LAST_MONTH = dt.date(2026, 11, 28)
FIGURES = ["contacts", "needs_raised", "needs_met", "cases_opened"]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def women(unit):
    """Four women of 恒东社区 (甲乙丙丁) and one of 张家庄村 (戊), the next village of the same township."""
    homes = ["恒东社区"] * 4 + ["张家庄村"]
    return [woman_create(actor=None, data=WomanData(name=name, home_unit=unit(home),
                                                    id_number=parse_id_number(female_id(i))))
            for i, (name, home) in enumerate(zip("甲乙丙丁戊", homes, strict=True))]


@pytest.fixture
def other_cadre(unit):
    return UserFactory(username="village-cadre-2", unit=unit("恒东社区"), roles=[Role.STAFF])


@pytest.fixture
def linked(county_chair, village_cadre, women):
    """The village cadre has been linked to the four women of her village for three weeks."""
    for woman in women[:4]:
        services.assignment_create(actor=county_chair, woman=woman, cadre=village_cadre,
                                   today=TODAY - dt.timedelta(days=21))
    return women


def sync(actor, *items):
    return sync_apply(actor=actor, items=list(items), now=timezone.now())


def contact(token, woman, *, on=TODAY - dt.timedelta(days=3), **fields):
    return {"token": token, "kind": "contact", "on": str(on), "woman": woman.pk, "unit": woman.home_unit_id,
            "channel": "home_visit", **fields}


def need_met(token, need, *, on=TODAY - dt.timedelta(days=1), **fields):
    return {"token": token, "kind": "need_met", "on": str(on), "need": need.pk, "resolution": "已介绍工作",
            **fields}


def help_request(token, woman, *, on=TODAY - dt.timedelta(days=2), **fields):
    return {"token": token, "kind": "help", "on": str(on), "woman": woman.pk, "unit": woman.home_unit_id,
            "case_kind": "dv", "urgency": "high", **fields}


def states(results):
    return [(r["state"], r["code"]) for r in results]


def figures(unit, on):
    return figure_values([unit.pk], FIGURES, start=period_of(on), end=period_of(on))[unit.pk]


def recount_agrees():
    call_command("indicators_recount", stdout=StringIO())  # exits non-zero on any difference


def written(unit):
    """Everything a sync may write, and the figures it moves (this month and last)."""
    return {
        "contacts": ContactLog.objects.count(), "needs": Need.objects.count(),
        "needs_met": Need.objects.filter(status=NeedStatus.MET).count(), "cases": Case.objects.count(),
        "handlers": CaseHandler.objects.count(), "audit": AuditEvent.objects.count(),
        "receipts": SyncReceipt.objects.count(), "figures_now": figures(unit, TODAY),
        "figures_last_month": figures(unit, LAST_MONTH),
    }


def open_need(actor, woman, *, on=TODAY - dt.timedelta(days=10), category="employment"):
    services.contact_log_create(actor=actor, woman=woman, contacted_on=on, channel="phone", today=TODAY,
                                needs=[(category, "")])
    return Need.objects.filter(woman=woman, status=NeedStatus.OPEN).latest("pk")


# ---- once each, in order ----

@pytest.mark.django_db
def test_the_same_queue_sent_again_after_the_answer_was_lost_writes_nothing_twice(village_cadre, linked, unit):
    need = open_need(village_cadre, linked[1])
    queue = [
        contact("tok-contact-1", linked[0], on=LAST_MONTH, needs=["employment", "health"], need_description="想学电商",
                follow_up_on=str(TODAY + dt.timedelta(days=7))),
        need_met("tok-needmet-1", need),
        help_request("tok-help-0001", linked[2]),
    ]
    first = sync(village_cadre, *queue)
    assert states(first) == [("applied", "")] * 3
    after_first = written(unit("正定县"))
    assert after_first["contacts"] == 2 and after_first["cases"] == 1 and after_first["needs_met"] == 1

    again = sync(village_cadre, *queue)  # the server committed, the answer never reached the phone

    assert again == first
    assert written(unit("正定县")) == after_first
    recount_agrees()


@pytest.mark.django_db
def test_the_same_item_twice_in_one_queue_is_applied_once(village_cadre, linked):
    results = sync(village_cadre, contact("tok-double", linked[0]), contact("tok-double", linked[0]))
    assert results[0] == results[1] and results[0]["state"] == "applied"
    assert ContactLog.objects.count() == 1 and SyncReceipt.objects.count() == 1


@pytest.mark.django_db
def test_more_than_a_hundred_items_at_once_are_refused_whole(village_cadre, linked):
    with pytest.raises(ValidationError) as exc:
        sync(village_cadre, *[contact(f"tok-many-{i:03d}", linked[i % 4]) for i in range(101)])
    assert exc.value.code == "sync_too_many" and not ContactLog.objects.exists()
    assert len(sync(village_cadre, *[contact(f"tok-many-{i:03d}", linked[i % 4]) for i in range(100)])) == 100
    assert ContactLog.objects.count() == 100


@pytest.mark.django_db
def test_items_apply_in_order_and_a_refused_one_does_not_stop_the_rest(village_cadre, linked):
    woman = linked[0]
    results = sync(
        village_cadre,
        contact("tok-order-1", woman, follow_up_on=str(TODAY + dt.timedelta(days=3))),
        contact("tok-order-2", woman, channel="carrier-pigeon"),
        {"token": "tok-order-3", "kind": "contact", "on": str(TODAY), "woman": 999999, "channel": "phone"},
        contact("tok-order-4", woman, follow_up_on=str(TODAY + dt.timedelta(days=9))),
    )
    assert states(results) == [("applied", ""), ("refused", "channel"), ("refused", "out_of_scope"), ("applied", "")]
    assert [r["token"] for r in results] == ["tok-order-1", "tok-order-2", "tok-order-3", "tok-order-4"]
    assert list(ContactLog.objects.order_by("pk").values_list("client_token", flat=True)) == [
        "tok-order-1", "tok-order-4"]
    woman.refresh_from_db()  # the later of two contacts on the same day sets the follow-up
    assert woman.next_follow_up_on == TODAY + dt.timedelta(days=9)
    assert SyncReceipt.objects.count() == 2  # a refused item is not kept: it is corrected and sent again


@pytest.mark.django_db
def test_a_refused_item_corrected_and_sent_again_under_its_token_is_applied(village_cadre, linked):
    assert states(sync(village_cadre, contact("tok-fix-me", linked[0], channel="")))[0] == ("refused", "channel")
    assert states(sync(village_cadre, contact("tok-fix-me", linked[0]))) == [("applied", "")]
    assert ContactLog.objects.get().client_token == "tok-fix-me"


@pytest.mark.django_db
def test_an_offline_contact_counts_on_the_day_it_was_made_and_the_figures_equal_the_recount(village_cadre, linked,
                                                                                           unit):
    need = open_need(village_cadre, linked[1], on=LAST_MONTH - dt.timedelta(days=2))
    before_now, before_last = figures(unit("恒东社区"), TODAY), figures(unit("恒东社区"), LAST_MONTH)
    results = sync(village_cadre, contact("tok-month-1", linked[0], on=LAST_MONTH, needs=["legal"]),
                   need_met("tok-month-2", need, on=LAST_MONTH + dt.timedelta(days=1)))
    assert states(results) == [("applied", "")] * 2
    log = ContactLog.objects.get(client_token="tok-month-1")
    assert log.contacted_on == LAST_MONTH
    assert Need.objects.get(pk=need.pk).resolved_on == LAST_MONTH + dt.timedelta(days=1)
    after_last = figures(unit("恒东社区"), LAST_MONTH)
    assert after_last["contacts"] == before_last["contacts"] + 1  # November, when she visited
    assert after_last["needs_raised"] == before_last["needs_raised"] + 1
    assert after_last["needs_met"] == before_last["needs_met"] + 1
    assert figures(unit("恒东社区"), TODAY) == before_now  # not December, when the phone found a signal
    recount_agrees()


# ---- conflicts ----

@pytest.mark.django_db
def test_a_woman_reassigned_while_the_cadre_was_offline_gets_the_contact_with_a_note(county_chair, village_cadre,
                                                                                   other_cadre, linked):
    services.assignments_transfer(actor=county_chair, from_cadre=village_cadre, to_cadres=[other_cadre],
                                  today=TODAY - dt.timedelta(days=1))
    assert not Assignment.objects.filter(cadre=village_cadre, ended_on__isnull=True).exists()
    (result,) = sync(village_cadre, contact("tok-reassigned", linked[0], on=TODAY - dt.timedelta(days=3)))
    assert result["state"] == "noted" and "已不在您的联系名单" in result["message"]
    log = ContactLog.objects.get()
    assert (log.woman_id, log.cadre_id, log.contacted_on) == (linked[0].pk, village_cadre.pk,
                                                              TODAY - dt.timedelta(days=3))
    told = Outbox.objects.filter(user=other_cadre, channel="in_app", subject__contains="补录")  # her cadre now knows
    assert told.count() == 1 and linked[0].name in told.get().subject
    assert not Outbox.objects.filter(user=village_cadre, subject__contains="补录").exists()


@pytest.mark.django_db
def test_a_woman_moved_to_another_village_of_the_cadres_area_is_noted_with_the_village(county_chair, unit, women):
    township_cadre = UserFactory(username="township-cadre", unit=unit("正定镇"), roles=[Role.STAFF])
    woman = women[0]
    services.assignment_create(actor=county_chair, woman=woman, cadre=township_cadre,
                               today=TODAY - dt.timedelta(days=21))
    old_home = woman.home_unit_id
    woman_update(actor=county_chair, woman=woman, data=WomanData(name=woman.name, home_unit=unit("张家庄村")),
                 version=woman.version)
    item = contact("tok-moved-in", woman)
    item["unit"] = old_home  # the village her phone cached
    (result,) = sync(township_cadre, item)
    assert result["state"] == "noted" and "她已迁至张家庄村" in result["message"]
    assert ContactLog.objects.get().unit_path == unit("张家庄村").path
    assert result["link"] == reverse("woman_detail", kwargs={"woman_id": woman.pk})


@pytest.mark.django_db
def test_a_woman_moved_out_of_the_cadres_area_keeps_the_contact_of_a_day_she_was_linked(county_chair,
                                                                                       village_cadre, linked, unit):
    woman = linked[0]
    woman_update(actor=county_chair, woman=woman, data=WomanData(name=woman.name, home_unit=unit("西柏棠村")),
                 version=woman.version)
    assert not Assignment.objects.filter(woman=woman, ended_on__isnull=True).exists()  # her links ended today
    (result,) = sync(village_cadre, contact("tok-moved-out", linked[0]))
    assert result["state"] == "noted" and "迁出" in result["message"]
    assert "西柏棠村" not in result["message"] and result["link"] == ""  # nothing of where she lives now
    log = ContactLog.objects.get()
    assert log.cadre_id == village_cadre.pk and log.unit_path == unit("西柏棠村").path
    recount_agrees()


@pytest.mark.django_db
def test_a_woman_never_linked_and_out_of_reach_is_refused_as_if_she_did_not_exist(village_cadre, women,
                                                                                  sibling_county_cadre):
    out_of_reach = women[4]  # 张家庄村: not the cadre's village, never linked to her
    results = sync(village_cadre, contact("tok-not-mine", out_of_reach),
                   {**contact("tok-no-such", out_of_reach), "woman": 987654})
    assert states(results) == [("refused", "out_of_scope")] * 2
    assert results[0]["message"] == results[1]["message"] and results[0]["link"] == results[1]["link"] == ""
    assert out_of_reach.name not in results[0]["message"]
    (sibling,) = sync(sibling_county_cadre, contact("tok-sibling", women[0]))
    assert (sibling["state"], sibling["code"], sibling["message"]) == ("refused", "out_of_scope", results[1]["message"])
    assert not ContactLog.objects.exists() and not SyncReceipt.objects.exists()


@pytest.mark.django_db
def test_a_merged_record_takes_the_contact_with_a_note(county_chair, village_cadre, linked):
    duplicate, survivor = linked[0], linked[1]
    woman_merge(actor=county_chair, survivor=survivor, duplicate=Woman.objects.get(pk=duplicate.pk))
    (result,) = sync(village_cadre, contact("tok-merged", duplicate))
    assert result["state"] == "noted" and "合并" in result["message"]
    assert ContactLog.objects.get().woman_id == survivor.pk


@pytest.mark.django_db
def test_a_need_already_met_by_someone_else_is_noted_and_counted_once(county_chair, village_cadre, linked, unit):
    need = open_need(village_cadre, linked[0])
    services.need_resolve(actor=county_chair, need=need, resolution="县妇联已联系就业站",
                          today=TODAY - dt.timedelta(days=1))
    before = written(unit("正定县"))
    (result,) = sync(village_cadre, need_met("tok-met-twice", need))
    assert result["state"] == "noted" and str(TODAY - dt.timedelta(days=1)) in result["message"]
    need.refresh_from_db()
    assert (need.status, need.resolution) == (NeedStatus.MET, "县妇联已联系就业站")
    after = written(unit("正定县"))
    assert after["figures_now"]["needs_met"] == before["figures_now"]["needs_met"] == 1
    assert {k: v for k, v in after.items() if k != "receipts"} == {k: v for k, v in before.items() if k != "receipts"}
    recount_agrees()


@pytest.mark.django_db
def test_a_need_that_became_a_case_is_noted_and_stays_a_case(county_chair, village_cadre, linked):
    need = open_need(village_cadre, linked[0], category="legal")
    case_intake(kind="legal_aid", home_unit=linked[0].home_unit, description="离婚纠纷", source=Source.CONTACT,
                actor=county_chair, woman=linked[0], need=need)
    (result,) = sync(village_cadre, need_met("tok-need-case", need))
    assert result["state"] == "noted" and "个案" in result["message"]
    assert Need.objects.get(pk=need.pk).status == NeedStatus.CASE


@pytest.mark.django_db
def test_a_help_request_from_a_visit_becomes_a_case_without_the_story(village_cadre, linked):
    made_at = dt.datetime(2026, 11, 30, 16, 45, tzinfo=SHANGHAI)
    item = help_request("tok-help-visit", linked[2], on=made_at.date(), made_at=made_at.isoformat(),
                        case_kind="dv", urgency="urgent", views="丈夫昨晚动手了", help_given="已劝离",
                        need_description="想离婚")
    (result,) = sync(village_cadre, item)
    assert result["state"] == "applied"
    case = Case.objects.get()
    assert result["link"] == reverse("case_detail", kwargs={"case_id": case.pk})
    assert case.tracking_display in result["message"]
    assert (case.source, case.kind, case.urgency, case.woman_id) == (Source.CONTACT, "dv", "urgent", linked[2].pk)
    assert case.home_unit_id == linked[2].home_unit_id
    assert list(case.handlers.all()) == [village_cadre]
    sealed = unseal(case)
    assert "2026-11-30 16:45" in sealed["description"] and "待联系干部补充" in sealed["description"]
    assert not any(text in str(sealed) for text in ("丈夫", "劝离", "离婚"))  # the story is taken online
    rule = DeadlineRule.objects.get(kind="dv", urgency="urgent")
    assert case.created_at == made_at
    assert case.first_action_due == made_at + dt.timedelta(hours=rule.first_action_hours)
    assert case.resolve_due == made_at + dt.timedelta(days=rule.resolve_days)


@pytest.mark.django_db
def test_a_help_request_needs_a_kind_and_a_real_urgency(village_cadre, linked):
    results = sync(village_cadre, help_request("tok-help-nokind", linked[0], case_kind=""),
                   help_request("tok-help-nourg", linked[0], urgency="whenever"))
    assert [r["state"] for r in results] == ["refused", "refused"] and not Case.objects.exists()


@pytest.mark.django_db
def test_a_help_request_left_at_the_kinds_urgency_is_urgent_for_domestic_violence(village_cadre, linked):
    """The form's first choice is 按类别默认: a cadre who picks 家庭暴力 and taps 登记求助 files an urgent case
    (found in the demo walk-through: the form had 一般 chosen, and a violence case went in as normal)."""
    results = sync(village_cadre, help_request("tok-help-dv", linked[0], case_kind="dv", urgency=""),
                   help_request("tok-help-aid", linked[1], case_kind="legal_aid", urgency=""))
    assert [r["state"] for r in results] == ["applied", "applied"]
    assert dict(Case.objects.values_list("kind", "urgency")) == {"dv": "urgent", "legal_aid": "normal"}


@pytest.mark.django_db
def test_a_help_request_for_a_woman_now_outside_the_cadres_reach_is_refused(county_chair, village_cadre, linked,
                                                                           unit):
    woman = linked[0]
    woman_update(actor=county_chair, woman=woman, data=WomanData(name=woman.name, home_unit=unit("西柏棠村")),
                 version=woman.version)
    results = sync(village_cadre, help_request("tok-help-gone", woman), contact("tok-contact-gone", woman))
    assert states(results)[0] == ("refused", "help_out_of_scope")
    assert "12338" in results[0]["message"]
    assert results[1]["state"] == "noted"  # the visit itself is kept: she was linked that day
    assert not Case.objects.exists() and not CaseHandler.objects.exists()


# ---- the phone's date ----

@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "outcome"), [
    ({"on": str(TODAY + dt.timedelta(days=1))}, ("refused", "device_future")),
    ({"on": str(TODAY), "made_at": (NOW + dt.timedelta(hours=1)).isoformat()}, ("refused", "device_future")),
    ({"on": str(TODAY), "made_at": (NOW + dt.timedelta(minutes=5)).isoformat()}, ("applied", "")),  # a clock a bit fast
    ({"on": str(TODAY - dt.timedelta(days=31))}, ("refused", "device_old")),
    ({"on": str(TODAY - dt.timedelta(days=30))}, ("applied", "")),
    ({"on": "2026-11-31"}, ("refused", "date")),
    ({"on": ""}, ("refused", "date")),
])
def test_the_phones_date_must_be_today_or_within_30_days(village_cadre, linked, fields, outcome):
    (result,) = sync(village_cadre, {**contact("tok-the-date", linked[0]), **fields})
    assert states([result]) == [outcome]
    assert ContactLog.objects.count() == (1 if outcome[0] == "applied" else 0)
    if outcome[0] == "refused":
        assert result["message"] and not SyncReceipt.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("made_at", ["2026-11-30T25:00:00", "2026-13-01T10:00", "2026-11-30T10:00:00+99:00"])
def test_a_malformed_phone_time_is_refused_not_an_error(village_cadre, linked, made_at):
    (result,) = sync(village_cadre, contact("tok-bad-clock", linked[0], made_at=made_at))  # raised ValueError
    assert result["state"] in ("applied", "refused")
    assert ContactLog.objects.count() == (1 if result["state"] == "applied" else 0)


@pytest.mark.django_db
def test_a_help_request_without_the_phones_time_is_not_dated_in_the_future(village_cadre, linked):
    """Without made_at the case is dated at noon of its day: this morning's request must not be registered, and its
    deadlines start, hours from now."""
    sync(village_cadre, help_request("tok-no-clock", linked[0], on=str(TODAY)))
    case = Case.objects.get()
    assert case.created_at <= NOW, case.created_at  # was 12:00 today, two hours after NOW


@pytest.mark.django_db
def test_a_help_request_made_just_before_midnight_keeps_its_time(village_cadre, linked):
    made_at = dt.datetime(2026, 11, 30, 23, 50, tzinfo=SHANGHAI)
    sync(village_cadre, help_request("tok-late-help", linked[0], on="2026-11-30", made_at=made_at.isoformat()))
    assert Case.objects.get().created_at == made_at


# ---- whose items ----

@pytest.mark.django_db
def test_an_item_another_account_queued_on_the_same_phone_is_refused_and_writes_nothing(village_cadre,
                                                                                       other_cadre, linked, unit):
    before = written(unit("正定县"))
    results = sync(village_cadre, contact("tok-theirs", linked[0], owner=owner_key(other_cadre)),
                   help_request("tok-theirs-2", linked[0], owner=owner_key(other_cadre)))
    assert states(results) == [("refused", "other_user")] * 2
    assert written(unit("正定县")) == before
    assert states(sync(village_cadre, contact("tok-mine", linked[0], owner=owner_key(village_cadre)))) == [
        ("applied", "")]


@pytest.mark.django_db
def test_a_token_another_cadre_synced_is_refused_as_reused(county_chair, village_cadre, other_cadre, linked):
    services.assignment_create(actor=county_chair, woman=linked[1], cadre=other_cadre,
                               today=TODAY - dt.timedelta(days=21))
    (mine,) = sync(village_cadre, contact("tok-shared-1", linked[0]))
    (theirs,) = sync(other_cadre, contact("tok-shared-1", linked[1]))
    assert (theirs["state"], theirs["code"]) == ("refused", "token_reused")
    assert linked[0].name not in theirs["message"] and theirs["link"] == ""  # nothing of the first cadre's item
    assert list(ContactLog.objects.values_list("woman", "cadre")) == [(linked[0].pk, village_cadre.pk)]
    assert sync(village_cadre, contact("tok-shared-1", linked[0])) == [mine]


@pytest.mark.django_db
def test_a_token_another_cadre_used_on_the_online_form_is_not_answered_applied(county_chair, village_cadre,
                                                                              other_cadre, linked):
    """The online contact form uses the same client-token column: another cadre's token there must not make a
    synced item look applied while nothing of it was saved."""
    services.assignment_create(actor=county_chair, woman=linked[1], cadre=other_cadre,
                               today=TODAY - dt.timedelta(days=21))
    services.contact_log_create(actor=village_cadre, woman=linked[0], contacted_on=TODAY, channel="phone",
                                today=TODAY, client_token="tok-online-1")
    (theirs,) = sync(other_cadre, contact("tok-online-1", linked[1]))
    saved = ContactLog.objects.filter(cadre=other_cadre, woman=linked[1]).exists()
    assert saved or (theirs["state"], theirs["code"]) == ("refused", "token_reused"), theirs
    assert linked[0].name not in theirs["message"]
