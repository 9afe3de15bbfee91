"""Supervision's rules through its services: a visit's findings become rectification items of the visited unit,
closed with a note, chased once a day when late; counted in the figures; bad input saves nothing."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone

from fulian.core.errors import Conflict
from fulian.core.figures import figure_values
from fulian.core.models import AuditEvent, Outbox
from fulian.core.policy import OutOfScope
from fulian.dispatch.models import Dispatch, Recipient, RecipientState
from fulian.supervision import services
from fulian.supervision.models import Finding, Visit

from .conftest import today

pytestmark = pytest.mark.django_db


def record(team, unit, actor, **kwargs):
    day = today()
    defaults = {"visited_on": day, "places": "正定镇恒东社区", "findings": [
        ("妇女之家活动记录不全", day + dt.timedelta(days=10)),
        ("执委联系妇女台账未更新", day + dt.timedelta(days=5))]}
    return services.visit_record(actor=actor, team=team, unit=unit, **{**defaults, **kwargs})


def test_a_visit_creates_two_findings_sent_to_the_visited_county(team, unit, city_staff, county_task):
    checked = list(Recipient.objects.filter(dispatch_id=county_task.pk)[:1])
    visit = record(team, unit("正定县"), city_staff, checked=checked)
    items = Recipient.objects.filter(dispatch__kind="rectify").order_by("pk")
    assert [r.unit for r in items] == [unit("正定县"), unit("正定县")]
    assert [f.text for f in Finding.objects.filter(visit=visit).order_by("pk")] == ["妇女之家活动记录不全",
                                                                                  "执委联系妇女台账未更新"]
    assert items[0].dispatch.unit == unit("石家庄市")
    # a staff member records; the items go out on the authority of the leader who formed the team
    assert items[0].dispatch.created_by.username == "city-chair"
    assert list(visit.checked.all()) == checked
    assert AuditEvent.objects.filter(action="supervision_visit.record").count() == 1
    assert AuditEvent.objects.filter(action="rectify.send").count() == 2


def test_the_county_closes_one_the_other_goes_late_and_is_chased_once_a_day(team, unit, city_chair, county_chair):
    record(team, unit("正定县"), city_chair)
    first, second = Recipient.objects.filter(dispatch__kind="rectify").order_by("pk")
    services.rectification_close(actor=county_chair, recipient=first, note="已补齐活动记录",
                                 evidence=SimpleUploadedFile("记录.pdf", b"%PDF-1.4 x"))
    first.refresh_from_db()
    assert first.state == RecipientState.DONE and first.done_by == county_chair
    finding = Finding.objects.get(pk=first.dispatch_id)
    assert finding.note == "已补齐活动记录" and finding.evidence_name == "记录.pdf"
    with pytest.raises(Conflict):
        services.rectification_close(actor=county_chair, recipient=first, note="again")

    # 10 a.m. local, six days on: half an hour later is the same day whenever the suite runs (at 23:3x it was not)
    late = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=6), dt.time(10, 0)))
    assert services.rectifications_chase(now=late) == {"chased": 1, "overdue": 1}
    assert services.rectifications_chase(now=late + dt.timedelta(minutes=30)) == {"chased": 0, "overdue": 0}
    notices = Outbox.objects.filter(user=county_chair, subject__startswith="已逾期")
    assert notices.count() == 1
    assert notices.get().link == f"/supervision/rectifications/{second.pk}/"
    second.refresh_from_db()
    assert second.chased_on is not None and not second.is_done


def test_a_note_is_required_and_evidence_never_is(team, unit, city_chair, county_chair):
    record(team, unit("正定县"), city_chair)
    item = Recipient.objects.filter(dispatch__kind="rectify").first()
    with pytest.raises(ValidationError):
        services.rectification_close(actor=county_chair, recipient=item, note="  ")
    with pytest.raises(ValidationError):
        services.rectification_close(actor=county_chair, recipient=item, note="ok",
                                     evidence=SimpleUploadedFile("x.exe", b"MZ\x90\x00"))
    item.refresh_from_db()
    assert not item.is_done
    services.rectification_close(actor=county_chair, recipient=item, note="ok")


def test_the_sibling_county_may_not_close_an_item(team, unit, city_chair, sibling_county_cadre):
    record(team, unit("正定县"), city_chair)
    item = Recipient.objects.filter(dispatch__kind="rectify").first()
    with pytest.raises(OutOfScope):
        services.rectification_close(actor=sibling_county_cadre, recipient=item, note="x")


def test_the_same_client_token_records_one_visit(team, unit, city_chair):
    first = record(team, unit("正定县"), city_chair, client_token="abc123")
    again = record(team, unit("正定县"), city_chair, client_token="abc123")
    assert first.pk == again.pk and Visit.objects.count() == 1
    assert Recipient.objects.filter(dispatch__kind="rectify").count() == 2


@pytest.mark.parametrize(("change", "message"), [
    ({"visited_on": "future"}, "督导日期不能在今天之后"),
    ({"findings": [("问题", "past")]}, "整改期限不能早于今天"),
    ({"findings": [("问题", None)]}, "请为每个问题填写整改期限"),
])
def test_bad_dates_save_nothing(team, unit, city_chair, change, message):
    day = today()
    values = {"future": day + dt.timedelta(days=1), "past": day - dt.timedelta(days=1)}
    if "visited_on" in change:
        change = {"visited_on": values[change["visited_on"]]}
    else:
        change = {"findings": [(t, values.get(d) if d else None) for t, d in change["findings"]]}
    with pytest.raises(ValidationError, match=message):
        record(team, unit("正定县"), city_chair, **change)
    assert Visit.objects.count() == 0 and Recipient.objects.filter(dispatch__kind="rectify").count() == 0


def test_a_visit_outside_the_regions_or_by_an_outsider_is_refused(team, unit, city_chair, county_chair):
    with pytest.raises(ValidationError, match="包片地区"):
        record(team, unit("行唐县"), city_chair)
    with pytest.raises(OutOfScope):
        record(team, unit("正定县"), county_chair)  # not a member, not a leader of 石家庄市


def test_team_rules(unit, city_chair, city_staff, county_chair, province_chair):
    with pytest.raises(OutOfScope):
        services.team_create(actor=city_staff, unit=unit("石家庄市"), name="x", members=[city_staff],
                             regions=[unit("正定县")])
    with pytest.raises(ValidationError, match="成员只能是本单位或上级单位"):
        services.team_create(actor=city_chair, unit=unit("石家庄市"), name="x", members=[county_chair],
                             regions=[unit("正定县")])
    with pytest.raises(ValidationError, match="包片地区只能是本单位以下"):
        services.team_create(actor=city_chair, unit=unit("石家庄市"), name="x", members=[city_chair],
                             regions=[unit("石家庄市")])
    team = services.team_create(actor=city_chair, unit=unit("石家庄市"), name="x",
                                members=[city_chair, province_chair], regions=[unit("正定县"), unit("行唐县")])
    assert set(team.regions.all()) == {unit("正定县"), unit("行唐县")}


def test_figures_count_visits_and_items(team, unit, city_chair, county_chair):
    record(team, unit("正定县"), city_chair)
    item = Recipient.objects.filter(dispatch__kind="rectify").first()
    services.rectification_close(actor=county_chair, recipient=item, note="ok")
    month = today().year * 100 + today().month
    keys = ["supervision_visits", "rectifications_opened", "rectifications_done", "rectifications_open"]
    values = figure_values([unit("石家庄市").pk, unit("行唐县").pk], keys, start=month, end=month)
    assert values[unit("石家庄市").pk] == {"supervision_visits": 1, "rectifications_opened": 2,
                                          "rectifications_done": 1, "rectifications_open": 1}
    assert values[unit("行唐县").pk] == dict.fromkeys(keys, 0)


def test_rectification_items_are_not_counted_as_tasks_and_the_recount_agrees(team, unit, city_chair, county_chair):
    """整改 items go through the dispatch mechanism but are not 上级任务: closing one, or letting one go late, leaves
    tasks_done / tasks_overdue alone (supervision counts its own), live and in the recount from the records."""
    record(team, unit("正定县"), city_chair)
    first, _second = Recipient.objects.filter(dispatch__kind="rectify").order_by("pk")
    services.rectification_close(actor=county_chair, recipient=first, note="ok")
    late = timezone.now() + dt.timedelta(days=6)
    assert services.rectifications_chase(now=late)["overdue"] == 1
    keys = ["tasks_done", "tasks_overdue", "rectifications_done"]
    months = [today().year * 100 + today().month, late.year * 100 + late.month]
    values = figure_values([unit("正定县").pk], keys, start=min(months), end=max(months))[unit("正定县").pk]
    assert values == {"tasks_done": 0, "tasks_overdue": 0, "rectifications_done": 1}
    call_command("indicators_recount", stdout=StringIO())  # exits non-zero on any difference


def test_the_periodic_command_chases_late_items(team, unit, city_chair, county_chair):
    record(team, unit("正定县"), city_chair)
    Recipient.objects.filter(dispatch__kind="rectify").update(deadline=timezone.now() - dt.timedelta(hours=1))
    Dispatch.objects.filter(kind="rectify").update(deadline=timezone.now() - dt.timedelta(hours=1))
    out = StringIO()
    call_command("rectifications_chase", stdout=out)
    call_command("rectifications_chase", stdout=out)
    assert "reminded 2" in out.getvalue() and "reminded 0" in out.getvalue()
    assert Outbox.objects.filter(user=county_chair, subject__startswith="已逾期").count() == 2


def test_the_demo_has_one_done_one_open_one_late_and_runs_twice(unit):
    from fulian.accounts.tests.factories import UserFactory
    from fulian.core.policy import Role
    from fulian.supervision.demo import demo_supervision

    users = {"hb-city": UserFactory(username="hb-city", unit=unit("石家庄市"), roles=[Role.CHAIR]),
             "hb-county": UserFactory(username="hb-county", unit=unit("正定县"), roles=[Role.CHAIR]),
             "hb-other-county": UserFactory(username="hb-other-county", unit=unit("行唐县"), roles=[Role.CHAIR])}
    assert demo_supervision(users=users)["created"]
    assert not demo_supervision(users=users)["created"]
    now = timezone.now()
    items = Recipient.objects.filter(dispatch__kind="rectify")
    assert sum(r.is_done for r in items) == 1
    assert sum(not r.is_done and r.is_late(now) for r in items) == 1
    assert sum(not r.is_done and not r.is_late(now) for r in items) == 1
    assert Visit.objects.count() == 2
