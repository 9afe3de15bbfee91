import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.contacts import selectors, services
from fulian.contacts.models import Assignment, ContactLog, FieldWeek, Need, NeedStatus
from fulian.core.crypto import is_token
from fulian.core.fields import raw_values
from fulian.core.idnumber import parse_id_number
from fulian.core.models import EntryTime
from fulian.core.policy import OutOfScope
from fulian.people.models import Woman
from fulian.people.services import WomanData, woman_create
from fulian.people.tests.helpers import female_id

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def village_women(unit):
    return [woman_create(actor=None, data=WomanData(name=name, home_unit=unit("恒东社区"),
                                                    id_number=parse_id_number(female_id(i))))
            for i, name in enumerate("甲乙丙丁戊己")]


@pytest.fixture
def second_village_cadre(unit):
    return UserFactory(username="village-cadre-2", unit=unit("恒东社区"), roles=["staff"])


@pytest.mark.django_db
def test_spreading_a_villages_women_across_its_cadres_is_even(county_chair, village_cadre, second_village_cadre,
                                                              village_women):
    result = services.assign_women_round_robin(actor=county_chair, women=Woman.objects.all(),
                                               cadres=[village_cadre, second_village_cadre], today=TODAY)
    assert result["assigned"] == 6
    loads = {c: Assignment.objects.filter(cadre=c).count() for c in (village_cadre, second_village_cadre)}
    assert list(loads.values()) == [3, 3]
    assert Woman.objects.filter(is_assigned=False).count() == 0
    again = services.assign_women_round_robin(actor=county_chair, women=Woman.objects.all(),
                                              cadres=[village_cadre], today=TODAY)
    assert again["assigned"] == 0  # nobody is assigned twice


@pytest.mark.django_db
def test_a_woman_may_have_several_cadres_and_quota_overrun_warns(county_chair, village_cadre, village_women):
    from fulian.contacts.models import LevelQuota

    LevelQuota.objects.filter(level=5).update(quota=1)
    _a, warning = services.assignment_create(actor=county_chair, woman=village_women[0], cadre=village_cadre,
                                             today=TODAY)
    assert warning is None
    _a, warning = services.assignment_create(actor=county_chair, woman=village_women[1], cadre=village_cadre,
                                             today=TODAY)
    assert "超过标准1人" in warning
    services.assignment_create(actor=county_chair, woman=village_women[0], cadre=county_chair, today=TODAY)
    assert village_women[0].assignments.filter(ended_on__isnull=True).count() == 2


@pytest.mark.django_db
def test_a_cadre_of_another_county_cannot_be_assigned(county_chair, sibling_county_cadre, village_women):
    with pytest.raises(ValidationError):
        services.assignment_create(actor=county_chair, woman=village_women[0], cadre=sibling_county_cadre,
                                   today=TODAY)


@pytest.mark.django_db
def test_when_a_cadre_leaves_her_women_go_to_the_others(county_chair, village_cadre, second_village_cadre,
                                                        village_women):
    services.assign_women_round_robin(actor=county_chair, women=Woman.objects.all(), cadres=[village_cadre],
                                      today=TODAY)
    result = services.assignments_transfer(actor=county_chair, from_cadre=village_cadre,
                                           to_cadres=[second_village_cadre], today=TODAY)
    assert (result["ended"], result["assigned"]) == (6, 6)
    assert Assignment.objects.filter(cadre=village_cadre, ended_on=TODAY).count() == 6  # history kept
    assert Assignment.objects.filter(cadre=second_village_cadre, ended_on__isnull=True).count() == 6


@pytest.mark.django_db
def test_contact_log_updates_last_contact_and_follow_up_and_records_needs(village_cadre, village_women):
    woman = village_women[0]
    services.contact_log_create(actor=village_cadre, woman=woman, contacted_on=TODAY - dt.timedelta(days=5),
                                channel="home_visit", today=TODAY, views="想学电商", help_given="介绍培训",
                                follow_up_on=TODAY + dt.timedelta(days=10),
                                needs=[("employment", "电商培训"), ("children", "")])
    woman.refresh_from_db()
    assert woman.last_contact_on == TODAY - dt.timedelta(days=5)
    assert woman.next_follow_up_on == TODAY + dt.timedelta(days=10)
    assert set(Need.objects.values_list("category", "status")) == {("employment", "open"), ("children", "open")}
    # views, help and needs are sealed at rest (core.fields) and read back as written
    log = woman.contact_logs.get()
    (_pk, views, help_given), = raw_values(ContactLog, ["views", "help_given"]).filter(pk=log.pk)
    assert is_token(views) and "电商" not in views and is_token(help_given) and "培训" not in help_given
    assert (log.views, log.help_given) == ("想学电商", "介绍培训")
    assert not any("电商" in text for _pk, text in raw_values(Need, ["description"]))
    assert set(Need.objects.values_list("description", flat=True)) == {"电商培训", ""}
    services.contact_log_create(actor=village_cadre, woman=woman, contacted_on=TODAY, channel="phone", today=TODAY)
    woman.refresh_from_db()
    assert woman.last_contact_on == TODAY and woman.next_follow_up_on is None


@pytest.mark.django_db
@pytest.mark.parametrize(("kwargs", "code"), [
    ({"contacted_on": TODAY + dt.timedelta(days=1)}, "contact_future"),
    ({"follow_up_on": TODAY - dt.timedelta(days=1)}, "follow_up_before"),
    ({"needs": [("astrology", "")]}, "need_category"),
])
def test_bad_contact_input_is_refused_with_a_reason(village_cadre, village_women, kwargs, code):
    with pytest.raises(ValidationError) as exc:
        services.contact_log_create(actor=village_cadre, woman=village_women[0], today=TODAY,
                                    **{"contacted_on": TODAY, "channel": "phone", **kwargs})
    assert exc.value.code == code
    assert not ContactLog.objects.exists()


@pytest.mark.django_db
def test_double_tap_on_save_records_one_contact(client_for, village_cadre, village_women):
    client = client_for(village_cadre)
    url = reverse("contact_new", args=[village_women[0].pk])
    form = {"contacted_on": "2026-11-20", "channel": "home_visit", "client_token": "tok-123"}
    assert client.post(url, form).status_code == 302
    assert client.post(url, form).status_code == 302
    assert ContactLog.objects.count() == 1


@pytest.mark.django_db
def test_sibling_county_cadre_cannot_log_a_contact_with_our_woman(client_for, sibling_county_cadre, village_women):
    url = reverse("contact_new", args=[village_women[0].pk])
    response = client_for(sibling_county_cadre).post(url, {"contacted_on": "2026-11-20", "channel": "phone",
                                                           "client_token": "t"})
    assert response.status_code == 404 and not ContactLog.objects.exists()


@pytest.mark.django_db
def test_an_assigned_volunteer_may_log_contacts_with_her_women_only(county_chair, unit, village_women):
    volunteer = UserFactory(unit=unit("恒东社区"), roles=["volunteer"])
    services.assignment_create(actor=county_chair, woman=village_women[0], cadre=volunteer, today=TODAY)
    services.contact_log_create(actor=volunteer, woman=village_women[0], contacted_on=TODAY, channel="phone",
                                today=TODAY)
    with pytest.raises(OutOfScope):  # answered 404, like a woman who does not exist
        services.contact_log_create(actor=volunteer, woman=village_women[1], contacted_on=TODAY, channel="phone",
                                    today=TODAY)


@pytest.mark.django_db
def test_my_work_today_shows_due_follow_ups_and_women_not_contacted_for_60_days(
        client_for, county_chair, village_cadre, village_women):
    services.assign_women_round_robin(actor=county_chair, women=Woman.objects.all(), cadres=[village_cadre],
                                      today=TODAY)
    a, b, c = village_women[:3]
    services.contact_log_create(actor=village_cadre, woman=a, contacted_on=TODAY - dt.timedelta(days=10),
                                channel="phone", today=TODAY, follow_up_on=TODAY - dt.timedelta(days=1))
    services.contact_log_create(actor=village_cadre, woman=b, contacted_on=TODAY - dt.timedelta(days=61),
                                channel="phone", today=TODAY)
    services.contact_log_create(actor=village_cadre, woman=c, contacted_on=TODAY - dt.timedelta(days=59),
                                channel="phone", today=TODAY)
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=dt.UTC), tick=False):
        context = client_for(village_cadre).get(reverse("today")).context
    work = context["work"]
    assert [w.name for w in work["follow_ups"]] == ["甲"]
    assert {w.name for w in work["overdue_contacts"]} == {"乙", "丁", "戊", "己"}
    coverage = context["coverage"]
    assert (coverage["assigned"], coverage["recent"], coverage["follow_ups_overdue"]) == (6, 2, 1)


@pytest.mark.django_db
def test_quick_contact_from_my_work_today_in_three_taps(client_for, county_chair, village_cadre, village_women):
    services.assign_women_round_robin(actor=county_chair, women=Woman.objects.all(), cadres=[village_cadre],
                                      today=TODAY)
    client = client_for(village_cadre)
    woman = village_women[0]
    form = client.get(reverse("contact_new", args=[woman.pk]), HTTP_HX_REQUEST="true")  # tap 1: open
    assert form.templates[0].name == "contacts/_quick_form.html"
    token = form.context["form"]["client_token"].value()
    stamp = re.search(r'name="_entry" value="([^"]+)"', form.content.decode()).group(1)
    done = client.post(reverse("contact_new", args=[woman.pk]),  # tap 2 picked the channel, tap 3 saves
                       {"contacted_on": str(dt.date.today()), "channel": "wechat", "client_token": token,
                        "_entry": stamp}, HTTP_HX_REQUEST="true")
    assert "已记录" in done.content.decode()
    assert ContactLog.objects.get().channel == "wechat"
    assert EntryTime.objects.get().user == village_cadre  # the burden meter timed the quick form too


@pytest.mark.django_db
def test_unit_coverage_rolls_up_the_tree(client_for, province_chair, county_chair, village_cadre, village_women,
                                         unit):
    first_four = Woman.objects.filter(pk__in=[w.pk for w in village_women[:4]])
    services.assign_women_round_robin(actor=county_chair, women=first_four,
                                      cadres=[village_cadre],
                                      today=TODAY)
    for woman in village_women[:2]:
        services.contact_log_create(actor=village_cadre, woman=woman, contacted_on=TODAY, channel="phone",
                                    today=TODAY, needs=[("legal", "")])
    need = Need.objects.first()
    services.need_resolve(actor=county_chair, need=need, resolution="已转法律援助", today=TODAY)
    cov = selectors.unit_coverage(unit("石家庄市"), today=TODAY)
    assert (cov["women"], cov["assigned"], cov["recent"]) == (6, 4, 2)
    zhengding = next(r for r in cov["children"] if r["unit"].name == "正定县")
    xingtang = next(r for r in cov["children"] if r["unit"].name == "行唐县")
    assert zhengding["rate"] == 0.5 and xingtang["rate"] is None  # no data, not 0%
    legal = next(n for n in cov["needs"] if n["category"] == "legal")
    assert (legal["total"], legal["met"], legal["open"]) == (2, 1, 1)
    page = client_for(province_chair).get(reverse("unit_coverage", args=[unit("石家庄市").pk]))
    assert page.status_code == 200 and "无数据" in page.content.decode()


@pytest.mark.django_db
def test_coverage_of_another_county_is_404(client_for, sibling_county_cadre, unit):
    response = client_for(sibling_county_cadre).get(reverse("unit_coverage", args=[unit("正定县").pk]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_field_week_planned_logged_summarised_and_who_took_part(client_for, county_chair, village_cadre,
                                                                village_women, unit):
    client = client_for(county_chair)
    response = client.post(reverse("field_week_new", args=[unit("正定县").pk]), {
        "title": "十一月下基层", "starts_on": "2026-11-23", "ends_on": "2026-11-27",
        "participants": [village_cadre.pk]})
    week = FieldWeek.objects.get()
    assert response["Location"] == reverse("field_week_detail", args=[week.pk])
    services.contact_log_create(actor=village_cadre, woman=village_women[0], contacted_on=TODAY,
                                channel="field_week", today=TODAY, field_week=week, needs=[("health", "")])
    with pytest.raises(ValidationError):
        services.contact_log_create(actor=village_cadre, woman=village_women[1], contacted_on=TODAY - dt.timedelta(
            days=10), channel="field_week", today=TODAY, field_week=week)
    client.post(reverse("field_week_detail", args=[week.pk]), {"summary": "走访1户，收集健康需求1条。"})
    context = client.get(reverse("field_week_detail", args=[week.pk])).context
    assert [p.username for p in context["took_part"]] == ["village-cadre"]
    assert context["needs"] == 1 and context["week"].summary.startswith("走访1户")


@pytest.mark.django_db
def test_field_week_dates_are_checked(county_chair, unit):
    with pytest.raises(ValidationError):
        services.field_week_create(actor=county_chair, unit=unit("正定县"), title="x", starts_on=TODAY,
                                   ends_on=TODAY - dt.timedelta(days=1))


@pytest.mark.django_db
def test_resolving_a_need_twice_is_refused(county_chair, village_cadre, village_women):
    services.contact_log_create(actor=village_cadre, woman=village_women[0], contacted_on=TODAY, channel="phone",
                                today=TODAY, needs=[("hardship", "")])
    need = Need.objects.get()
    services.need_resolve(actor=county_chair, need=need, resolution="发放救助", today=TODAY)
    with pytest.raises(ValidationError):
        services.need_resolve(actor=county_chair, need=need, resolution="again", today=TODAY)
    assert Need.objects.get().status == NeedStatus.MET
