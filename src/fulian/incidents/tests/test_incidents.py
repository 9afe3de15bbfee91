"""维权事件: the clock from the first report, the statement's fast track through the publishing review, lateness,
the chase, need-to-know for linked cases, roll-up and figures (services, with a controlled clock)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.services import case_intake
from fulian.core.errors import Conflict
from fulian.core.figures import figure_values
from fulian.core.models import AuditEvent, Outbox, ReadLog
from fulian.core.policy import Role
from fulian.incidents import selectors, services
from fulian.incidents.models import Incident, IncidentAction, IncidentStatus
from fulian.portal.models import ArticleStatus
from fulian.portal.services import article_review

T0 = timezone.make_aware(dt.datetime(2026, 11, 20, 9, 0))
H = dt.timedelta(hours=1)


@pytest.fixture
def county_staff(unit):
    return UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF], phone="13800001111")


@pytest.fixture
def chair(unit):
    return UserFactory(username="county-chair", unit=unit("正定县"), roles=[Role.CHAIR], phone="13800002222")


def _incident(actor, unit, **kw):
    values = {"title": "某村妇女遭家暴视频流传", "reported_at": T0, "now": T0 + 0.5 * H}
    values.update(kw)
    return services.incident_create(actor=actor, unit=unit, **values)


def test_the_clock_starts_at_the_first_report_and_the_statement_is_due_24_hours_later(county_staff, unit):
    incident = _incident(county_staff, unit("正定县"))
    assert incident.statement_due == T0 + 24 * H
    assert selectors.statement_clock(incident, now=T0 + 20 * H) == {
        "done": False, "late": False, "soon": False, "hours": 4.0, "text": "距声明时限还剩 4 小时 0 分"}
    assert selectors.statement_clock(incident, now=T0 + 22.5 * H)["soon"] is True
    late = selectors.statement_clock(incident, now=T0 + 27 * H)
    assert late["late"] and late["text"] == "声明已逾期 3.0 小时"


def test_the_deadline_follows_the_setting(county_staff, unit, settings):
    settings.INCIDENT_STATEMENT_HOURS = 12
    assert _incident(county_staff, unit("正定县")).statement_due == T0 + 12 * H


def test_actions_show_hours_since_report_and_the_earliest_is_the_first_action(county_staff, unit):
    incident = _incident(county_staff, unit("正定县"))
    services.action_add(actor=county_staff, incident=incident, kind="visit", text="走访当事人", at=T0 + 3 * H,
                        now=T0 + 4 * H)
    services.action_add(actor=county_staff, incident=incident, kind="statement", text="电话表明态度",
                        at=T0 + 1.5 * H, now=T0 + 4 * H)
    incident.refresh_from_db()
    assert incident.first_action_at == T0 + 1.5 * H
    assert incident.status == IncidentStatus.RESPONDING
    assert [(r["action"].kind, r["hours"]) for r in selectors.actions_with_clock(incident)] == [
        ("statement", 1.5), ("visit", 3.0)]
    assert AuditEvent.objects.filter(action="incident.action_add", object_id=str(incident.pk)).count() == 2


def test_an_action_before_the_report_or_in_the_future_is_refused(county_staff, unit):
    incident = _incident(county_staff, unit("正定县"))
    with pytest.raises(ValidationError, match="不能早于首次报告"):
        services.action_add(actor=county_staff, incident=incident, kind="visit", text="x", at=T0 - H, now=T0 + H)
    with pytest.raises(ValidationError, match="不能晚于现在"):
        services.action_add(actor=county_staff, incident=incident, kind="visit", text="x", at=T0 + 5 * H,
                            now=T0 + H)


def test_a_bad_source_link_is_refused_with_a_clear_message(county_staff, unit):
    for bad in ("javascript:alert(1)", "ftp://example.com/x", "不是网址"):
        with pytest.raises(ValidationError, match="不是有效的网址"):
            _incident(county_staff, unit("正定县"), sources=[bad])
    assert not Incident.objects.exists()
    ok = _incident(county_staff, unit("正定县"), sources="https://example.com/a\n\nhttp://example.org/b")
    assert ok.sources == ["https://example.com/a", "http://example.org/b"]


def test_the_same_form_sent_twice_makes_one_incident_and_one_action(county_staff, unit):
    first = _incident(county_staff, unit("正定县"), client_token="tok-1")
    again = _incident(county_staff, unit("正定县"), client_token="tok-1")
    assert first.pk == again.pk and Incident.objects.count() == 1
    for _ in range(2):
        services.action_add(actor=county_staff, incident=first, kind="visit", text="x", client_token="act-1",
                            now=T0 + H)
    assert IncidentAction.objects.count() == 1


def test_a_stale_edit_is_a_conflict(county_staff, unit):
    incident = _incident(county_staff, unit("正定县"))
    stale = incident.version
    services.incident_update(actor=county_staff, incident=incident, version=stale, title="改过的标题",
                             reported_at=T0, now=T0 + H)
    with pytest.raises(Conflict):
        services.incident_update(actor=county_staff, incident=Incident.objects.get(pk=incident.pk), version=stale,
                                 title="另一个标题", reported_at=T0, now=T0 + H)
    assert Incident.objects.get(pk=incident.pk).title == "改过的标题"


def _submit(county_staff, incident, now):
    return services.statement_save(actor=county_staff, incident=incident, title="关于某村家暴事件的声明",
                                   body="坚决反对一切形式的家庭暴力。", category="notice", now=now)


def test_statement_fast_track_reviewer_told_at_once_and_published_on_time(county_staff, chair, unit):
    incident = _incident(county_staff, unit("正定县"))
    statement = _submit(county_staff, incident, T0 + 2 * H)
    assert statement.article.status == ArticleStatus.REVIEW
    told = Outbox.objects.filter(user=chair)
    assert set(told.values_list("channel", flat=True)) == {"in_app", "sms"}
    assert all("2026-11-21 09:00" in m.subject for m in told)
    assert told.get(channel="sms").address == "13800002222"
    assert not Outbox.objects.filter(user=county_staff).exists()  # the author never reviews her own piece
    assert [s.pk for s in selectors.statements_awaiting(chair)] == [statement.pk]
    assert selectors.statements_awaiting(county_staff) == []

    article_review(actor=chair, article=statement.article, approve=True, now=T0 + 5 * H)
    assert services.incidents_statement_sync(now=T0 + 6 * H) == 1
    incident.refresh_from_db()
    assert incident.first_statement_at == T0 + 5 * H
    clock = selectors.statement_clock(incident, now=T0 + 30 * H)
    assert clock["done"] and not clock["late"] and "按时" in clock["text"]
    assert selectors.statements_awaiting(chair) == []
    rollup = selectors.incidents_rollup(chair, unit=unit("正定县"), now=T0 + 30 * H)["totals"]
    assert rollup["statements_on_time"] == 1 and rollup["statements_late"] == 0
    assert rollup["statement_median"] == 5.0


def test_a_statement_published_after_the_deadline_is_late(county_staff, chair, unit):
    incident = _incident(county_staff, unit("正定县"))
    statement = _submit(county_staff, incident, T0 + 20 * H)
    article_review(actor=chair, article=statement.article, approve=True, now=T0 + 26 * H)
    services.incidents_statement_sync(now=T0 + 27 * H)
    incident.refresh_from_db()
    assert selectors.statement_clock(incident, now=T0 + 27 * H)["late"] is True
    rollup = selectors.incidents_rollup(chair, unit=unit("正定县"), now=T0 + 27 * H)["totals"]
    assert rollup["statements_late"] == 1 and rollup["statements_on_time"] == 0


def test_the_same_statement_sent_twice_waits_once(county_staff, chair, unit):
    incident = _incident(county_staff, unit("正定县"))
    first = _submit(county_staff, incident, T0 + H)
    again = _submit(county_staff, incident, T0 + H)
    assert first.pk == again.pk
    assert Outbox.objects.filter(user=chair, channel="in_app").count() == 1


def test_a_statement_only_in_the_notice_or_bulletin_column(county_staff, unit):
    incident = _incident(county_staff, unit("正定县"))
    with pytest.raises(ValidationError, match="通知公告"):
        services.statement_save(actor=county_staff, incident=incident, title="x", body="y", category="policy",
                                now=T0 + H)


def test_the_chase_reminds_once_when_due_soon_and_once_when_late(county_staff, chair, unit):
    incident = _incident(county_staff, unit("正定县"))
    _submit(county_staff, incident, T0 + 2 * H)
    Outbox.objects.all().delete()
    assert services.incidents_chase(now=T0 + 10 * H) == {"due_soon": 0, "late": 0}
    assert services.incidents_chase(now=T0 + 22.5 * H) == {"due_soon": 1, "late": 0}
    assert services.incidents_chase(now=T0 + 23 * H) == {"due_soon": 0, "late": 0}
    soon = Outbox.objects.get(user=chair, channel="in_app")
    assert "2小时内到期" in soon.subject and soon.link.startswith("/publish/")
    assert services.incidents_chase(now=T0 + 25 * H) == {"due_soon": 0, "late": 1}
    assert services.incidents_chase(now=T0 + 26 * H) == {"due_soon": 0, "late": 0}
    assert Outbox.objects.filter(user=chair, channel="in_app", subject__contains="已逾期").count() == 1
    assert AuditEvent.objects.filter(action="incident.chase").count() == 2


def test_a_published_statement_is_not_chased(county_staff, chair, unit):
    incident = _incident(county_staff, unit("正定县"))
    statement = _submit(county_staff, incident, T0 + 2 * H)
    article_review(actor=chair, article=statement.article, approve=True, now=T0 + 3 * H)
    assert services.incidents_chase(now=T0 + 25 * H) == {"due_soon": 0, "late": 0}


@pytest.fixture
def case(unit):
    return case_intake(kind="dv", home_unit=unit("恒东社区"), description="她不愿公开的经过", source="portal",
                       anonymous=True)


def test_only_a_handler_links_a_case_and_only_handlers_see_it_and_every_look_is_logged(county_staff, chair, unit,
                                                                                       case):
    incident = _incident(county_staff, unit("正定县"))
    with pytest.raises(ValidationError, match="经办人"):
        services.case_find(county_staff, str(case.pk))
    found = services.case_find(chair, case.tracking_code)
    services.case_link(actor=chair, incident=incident, case=found, now=T0 + H)
    services.case_link(actor=chair, incident=incident, case=found, now=T0 + H)  # twice: one link
    seen = selectors.linked_cases(county_staff, incident)
    assert seen == {"count": 1, "rows": [], "hidden": 1}
    assert not ReadLog.objects.filter(actor=county_staff).exists()
    seen = selectors.linked_cases(chair, incident)
    assert [c.pk for c in seen["rows"]] == [case.pk]
    log = ReadLog.objects.get(actor=chair)
    assert (log.object_type, log.object_id, log.purpose) == ("cases.case", str(case.pk), "incident")


def test_rollup_by_child_unit_and_figures(county_staff, chair, unit):
    county = unit("正定县")
    a = _incident(county_staff, county, place_unit=unit("恒东社区"))
    services.action_add(actor=county_staff, incident=a, kind="visit", text="x", at=T0 + 2 * H, now=T0 + 3 * H)
    township = UserFactory(username="township-staff", unit=unit("正定镇"), roles=[Role.STAFF])
    b = _incident(township, unit("正定镇"))
    services.action_add(actor=township, incident=b, kind="visit", text="x", at=T0 + 4 * H, now=T0 + 5 * H)
    services.incident_close(actor=township, incident=b, outcome="已妥善处置", version=b.version, now=T0 + 6 * H)
    rollup = selectors.incidents_rollup(chair, unit=county, start=202611, end=202611, now=T0 + 30 * H)
    assert rollup["totals"]["total"] == 2
    assert rollup["totals"]["by_status"] == {"open": 0, "responding": 1, "closed": 1}
    assert rollup["totals"]["action_median"] == 3.0 and rollup["totals"]["action_avg"] == 3.0
    assert rollup["totals"]["statements_late"] == 2
    assert rollup["own"]["total"] == 1
    assert [(r["unit"].name, r["total"]) for r in rollup["rows"]] == [("正定镇", 1)]
    assert selectors.incidents_rollup(chair, unit=county, start=202612, end=202612)["totals"]["total"] == 0
    values = figure_values([county.pk, unit("正定镇").pk, unit("行唐县").pk],
                           ["incidents_reported", "incidents_statement_on_time", "incidents_response_hours"],
                           start=202611, end=202611)
    assert values[county.pk] == {"incidents_reported": 2, "incidents_statement_on_time": 0,
                                 "incidents_response_hours": 3.0}
    assert values[unit("正定镇").pk]["incidents_reported"] == 1
    assert values[unit("行唐县").pk]["incidents_reported"] == 0


def test_a_place_outside_the_unit_is_refused(county_staff, unit):
    with pytest.raises(ValidationError, match="发生地"):
        _incident(county_staff, unit("正定县"), place_unit=unit("南关村"))


def test_the_demo_is_deterministic_and_safe_to_run_twice(unit, chair):
    from fulian.incidents.demo import demo_incidents

    made = demo_incidents(county=unit("正定县"), village=unit("恒东社区"), users={"hb-county": chair})
    assert (made["incidents"], made["published"], made["awaiting"]) == (2, 1, 1)
    assert demo_incidents(county=unit("正定县"), village=unit("恒东社区"), users={"hb-county": chair})[
        "incidents"] == 0
    first, second = Incident.objects.get(pk=made["first"]), Incident.objects.get(pk=made["second"])
    assert first.actions.count() == 2 and first.first_statement_at <= first.statement_due
    assert second.status == IncidentStatus.OPEN and [s.incident_id for s in selectors.statements_awaiting(chair)] == [
        second.pk]


def test_a_draft_then_a_piece_sent_back_are_edited_in_place_and_resubmitted(county_staff, chair, unit):
    incident = _incident(county_staff, unit("正定县"))
    draft = services.statement_save(actor=county_staff, incident=incident, title="草稿", body="初稿", submit=False,
                                    now=T0 + H)
    assert draft.article.status == ArticleStatus.DRAFT and not Outbox.objects.filter(user=chair).exists()
    sent = _submit(county_staff, incident, T0 + 2 * H)
    assert sent.pk == draft.pk and sent.article.status == ArticleStatus.REVIEW
    article_review(actor=chair, article=sent.article, approve=False, note="请补充处置情况", now=T0 + 3 * H)
    again = services.statement_save(actor=county_staff, incident=incident, title="关于某村家暴事件的声明",
                                    body="已补充处置情况。", now=T0 + 4 * H)
    assert again.pk == draft.pk and again.article.status == ArticleStatus.REVIEW
    assert Outbox.objects.filter(user=chair, channel="in_app").count() == 2
    assert incident.statements.count() == 1
