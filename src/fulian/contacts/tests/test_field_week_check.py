"""双月下基层工作周 checked: units that held none in a two-month window are listed (a week overlapping the window's
edge counts), reminded once through the outbox (by the page, the API or the periodic command), exported; a sibling
county sees none of it."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.contacts import selectors, services
from fulian.contacts.models import FieldWeekReminder
from fulian.core.figures import figure_values
from fulian.core.models import Outbox
from fulian.core.policy import Role
from fulian.orgs.models import Level
from fulian.people.tests.helpers import read_xlsx

TODAY = dt.date(2026, 11, 25)  # in Nov–Dec: the last completed window is Sep–Oct
SEP, OCT_END = dt.date(2026, 9, 1), dt.date(2026, 10, 31)


@pytest.fixture
def township_cadres(unit):
    return {name: UserFactory(username=f"cadre-{unit(name).code}", unit=unit(name), roles=[Role.STAFF])
            for name in ("正定镇", "新安镇", "龙州镇")}


def _week(chair, unit, start, end):
    return services.field_week_create(actor=chair, unit=unit, title="双月下基层工作周", starts_on=start, ends_on=end)


def test_the_two_month_windows():
    assert services.window_of(dt.date(2026, 2, 28)) == (dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    assert services.window_of(dt.date(2026, 12, 31)) == (dt.date(2026, 11, 1), dt.date(2026, 12, 31))
    assert services.window_before(dt.date(2026, 1, 10)) == (dt.date(2025, 11, 1), dt.date(2025, 12, 31))
    assert services.window_parse("2026-09") == (SEP, OCT_END)
    for bad in ("2026-10", "2026-13", "x", ""):
        with pytest.raises(Exception):  # noqa: B017 (a ValidationError with its message)
            services.window_parse(bad)


@pytest.mark.django_db
def test_a_unit_without_a_field_week_in_two_months_is_listed(county_chair, unit):
    # 正定镇's week starts on the window's last day and runs on into November: it overlaps, so it counts
    _week(county_chair, unit("正定镇"), dt.date(2026, 10, 31), dt.date(2026, 11, 4))
    _week(county_chair, unit("新安镇"), dt.date(2026, 8, 24), dt.date(2026, 8, 31))  # before the window: does not
    params = selectors.field_week_check_params(county_chair, today=TODAY)
    assert (params["level"], params["start"], params["end"]) == (Level.TOWNSHIP, SEP, OCT_END)
    with CaptureQueriesContext(connection) as queries:
        missing = list(selectors.units_without_field_week(county_chair, under=params["under"], level=params["level"],
                                                          start=SEP, end=OCT_END))
    assert [u.name for u in missing] == ["新安镇"] and missing[0].last_week_on == dt.date(2026, 8, 31)
    assert len(queries) == 1  # one anti-join, not a query per unit
    # the window before: 新安镇's week counts there, 正定镇 held none
    july = services.window_parse("2026-07")
    assert [u.name for u in selectors.units_without_field_week(county_chair, under=params["under"],
                                                               level=Level.TOWNSHIP, start=july[0], end=july[1])] \
        == ["正定镇"]


@pytest.mark.django_db
def test_the_reminder_is_sent_once(county_chair, unit, township_cadres):
    _week(county_chair, unit("正定镇"), dt.date(2026, 9, 10), dt.date(2026, 9, 14))
    county = unit("正定县")
    first = services.field_weeks_remind(actor=county_chair, under=county, level=Level.TOWNSHIP, start=SEP,
                                        end=OCT_END)
    again = services.field_weeks_remind(actor=county_chair, under=county, level=Level.TOWNSHIP, start=SEP,
                                        end=OCT_END)
    assert (first, again) == (1, 0)
    messages = Outbox.objects.filter(subject__contains="下基层工作周")
    assert [m.user for m in messages] == [township_cadres["新安镇"]]
    assert messages.get().link == reverse("field_week_new", args=[unit("新安镇").pk])
    assert "2026年9月至2026年10月" in messages.get().subject  # the window in the language's own month format
    # the periodic check after the window (run twice): the other townships without a week are reminded once,
    # 新安镇 (reminded from the page) not again
    call_command("field_weeks_check", "--today", "2026-11-02", "--levels", "4")
    call_command("field_weeks_check", "--today", "2026-11-03", "--levels", "4")
    reminded = set(FieldWeekReminder.objects.filter(window_start=SEP).values_list("unit__name", flat=True))
    assert reminded == {"新安镇", "龙州镇", "新阳路街道"}
    assert Outbox.objects.filter(user=township_cadres["新安镇"]).count() == 1
    assert Outbox.objects.filter(user=township_cadres["龙州镇"]).count() == 1


@pytest.mark.django_db
def test_only_leaders_remind(unit, village_cadre):
    staff = UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])
    from django.http import Http404

    with pytest.raises(Http404):
        services.field_weeks_remind(actor=staff, under=unit("正定县"), level=Level.TOWNSHIP, start=SEP, end=OCT_END)
    assert not FieldWeekReminder.objects.exists()


@pytest.mark.django_db
def test_check_page_remind_export_and_the_sibling_county_sees_none(client_for, county_chair, sibling_county_cadre,
                                                                   unit, township_cadres):
    _week(county_chair, unit("正定镇"), dt.date(2026, 9, 10), dt.date(2026, 9, 14))
    client = client_for(county_chair)
    page = client.get(reverse("field_week_check"), {"window": "2026-09"}).content.decode()
    assert "新安镇" in page and "正定镇" not in page.split("未开展")[-1] and "龙州镇" not in page
    for _click in range(2):  # a double click
        client.post(reverse("field_week_check_remind"), {"level": "4", "window": "2026-09"})
    assert Outbox.objects.filter(subject__contains="下基层工作周").count() == 1
    assert "已提醒" in client.get(reverse("field_week_check"), {"window": "2026-09"}).content.decode()
    rows = read_xlsx(client.get(reverse("field_week_check_export"), {"level": "4", "window": "2026-09"}).content)
    assert [r[1] for r in rows[1:]] == ["新安镇"]
    assert client.get(reverse("field_week_check"), {"window": "2026-10"}).status_code == 302  # an even month
    assert client.get(reverse("field_week_check_export"), {"level": "9"}).status_code == 400
    outsider = client_for(sibling_county_cadre)
    other = outsider.get(reverse("field_week_check"), {"window": "2026-09"}).content.decode()
    assert "龙州镇" in other and "新安镇" not in other
    outsider.post(reverse("field_week_check_remind"), {"level": "4", "window": "2026-09"})
    assert set(FieldWeekReminder.objects.values_list("unit__name", flat=True)) == {"新安镇", "龙州镇"}


@pytest.mark.django_db
def test_check_through_the_api(api_for, county_chair, sibling_county_cadre, unit, township_cadres):
    _week(county_chair, unit("正定镇"), dt.date(2026, 9, 10), dt.date(2026, 9, 14))
    client = api_for(county_chair)
    listed = client.get("/api/v1/field-weeks/missing", {"window": "2026-09"}).json()
    assert [r["name"] for r in listed["items"]] == ["新安镇"] and listed["items"][0]["reminded"] is False
    assert client.get("/api/v1/field-weeks/missing", {"window": "2026-08"}).status_code == 400
    for expected in (1, 0):
        answer = client.post("/api/v1/field-weeks/missing/remind", {"level": 4, "window": "2026-09"},
                             content_type="application/json")
        assert answer.json()["reminded"] == expected
    outsider = api_for(sibling_county_cadre).get("/api/v1/field-weeks/missing", {"window": "2026-09"}).json()
    assert [r["name"] for r in outsider["items"]] == ["龙州镇"]


@pytest.mark.django_db
def test_field_week_figures(county_chair, unit):
    _week(county_chair, unit("正定镇"), dt.date(2026, 9, 10), dt.date(2026, 9, 14))
    _week(county_chair, unit("新安镇"), dt.date(2026, 10, 10), dt.date(2026, 10, 14))
    county, city = unit("正定县"), unit("石家庄市")
    values = figure_values([county.pk, city.pk], ["field_weeks_held", "units_without_field_week"],
                           start=202609, end=202610)
    assert values[county.pk] == {"field_weeks_held": 2, "units_without_field_week": 0}
    # under 石家庄市: 行唐县, 龙州镇 and 正定县 itself held none in Sep–Oct
    assert values[city.pk] == {"field_weeks_held": 2, "units_without_field_week": 3}
