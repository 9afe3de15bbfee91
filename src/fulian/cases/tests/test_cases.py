import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.cases import services
from fulian.cases.models import Case, CaseStatus, Partner, Referral
from fulian.core.models import Notice, Outbox, ReadLog
from fulian.core.outbox import outbox_send

T0 = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def township_chair(unit):
    return UserFactory(username="township-chair", unit=unit("正定镇"), roles=["chair"])


@pytest.fixture
def sibling_township_chair(unit):
    return UserFactory(username="xinan-chair", unit=unit("新安镇"), roles=["chair"])


def public_help(client, **over):
    page = client.get(reverse("help_form"))
    form = page.context["form"]
    data = {"kind": "dv", "place": "130123100001 恒东社区", "description": "丈夫经常打我，昨晚又动手了。",
            "phone": "13800001234", "name": "李女士", "started": form["started"].value(),
            "client_token": form["client_token"].value(), **over}
    return client.post(reverse("help_form"), data)


@pytest.mark.django_db
def test_dv_request_from_the_public_form_escalates_and_stays_need_to_know(
        clock, client, tree, unit, county_chair, township_chair, sibling_township_chair, village_cadre, client_for):
    clock.shift(dt.timedelta(seconds=10))  # a person takes more than three seconds to fill the form in
    page = client.get(reverse("help_form"))
    form = page.context["form"]
    clock.shift(dt.timedelta(seconds=30))
    done = client.post(reverse("help_form"), {
        "kind": "dv", "place": "130123100001 恒东社区", "description": "丈夫经常打我", "phone": "13800001234",
        "started": form["started"].value(), "client_token": form["client_token"].value()})
    assert done["Cache-Control"].startswith("no-store")
    case = Case.objects.get()
    assert case.tracking_display in done.content.decode()
    assert (case.unit, case.urgency, case.status) == (unit("恒东社区"), "urgent", CaseStatus.NEW)
    assert "丈夫" not in case.sealed  # stored encrypted

    clock.shift(dt.timedelta(hours=23))
    call_command("cases_escalate")
    case.refresh_from_db()
    assert case.unit == unit("恒东社区")  # not yet overdue
    clock.shift(dt.timedelta(hours=2))
    call_command("cases_escalate")
    case.refresh_from_db()
    assert (case.unit, case.escalations) == (unit("正定镇"), 1)
    assert Outbox.objects.filter(user=township_chair).exists()

    chair = client_for(county_chair)
    queue = chair.get(reverse("case_queue"))
    assert case in queue.context["page"].object_list
    detail = chair.get(reverse("case_detail", args=[case.pk]))
    assert "丈夫经常打我" in detail.content.decode() and "13800001234" in detail.content.decode()
    assert ReadLog.objects.filter(actor=county_chair, object_id=str(case.pk)).count() == 1
    assert client_for(township_chair).get(reverse("case_detail", args=[case.pk])).status_code == 200

    for outsider in (sibling_township_chair, village_cadre):
        assert client_for(outsider).get(reverse("case_detail", args=[case.pk])).status_code == 404
        assert case not in client_for(outsider).get(reverse("case_queue")).context["page"].object_list
    assert ReadLog.objects.filter(object_id=str(case.pk)).count() == 2

    status = client.post(reverse("help_status"), {"code": case.tracking_code.lower()})
    assert status.context["case"] == case
    assert "已上报正定镇妇联" in status.content.decode()
    assert "丈夫" not in status.content.decode()


@pytest.mark.django_db
def test_escalation_keeps_walking_up_while_nobody_acts_and_stops_when_someone_does(clock, tree, unit,
                                                                                   county_chair):
    case = services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    for expected in ("正定镇", "正定县"):
        clock.shift(dt.timedelta(hours=25))
        services.case_escalate_overdue()
        case.refresh_from_db()
        assert case.unit == unit(expected)
    services.case_note(actor=county_chair, case=case, text="已电话联系，安排见面")
    clock.shift(dt.timedelta(days=5))
    services.case_escalate_overdue()
    case.refresh_from_db()
    assert (case.unit, case.status) == (unit("正定县"), CaseStatus.IN_PROGRESS)


@pytest.mark.django_db
def test_an_escalation_run_killed_half_way_and_run_again_escalates_nothing_twice(clock, tree, unit, monkeypatch):
    cases = [services.case_intake(kind="dv", home_unit=unit(name), description="x", source="portal", anonymous=True)
             for name in ("恒东社区", "张家庄村", "西柏棠村")]
    clock.shift(dt.timedelta(hours=25))
    calls = {"n": 0}
    real = services._notify

    def dies_on_the_second(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("worker killed")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_notify", dies_on_the_second)
    with pytest.raises(KeyboardInterrupt):
        services.case_escalate_overdue()
    monkeypatch.setattr(services, "_notify", real)
    services.case_escalate_overdue()
    for case in cases:
        case.refresh_from_db()
        assert case.escalations == 1, case.home_unit


@pytest.mark.django_db
def test_submitting_twice_with_the_same_client_token_creates_one_case(clock, client, tree):
    clock.shift(dt.timedelta(seconds=10))
    page = client.get(reverse("help_form"))
    form = page.context["form"]
    clock.shift(dt.timedelta(seconds=20))
    data = {"kind": "legal_aid", "place": "130123100001 恒东社区", "description": "离婚财产", "phone": "13800001234",
            "started": form["started"].value(), "client_token": form["client_token"].value()}
    first = client.post(reverse("help_form"), data)
    second = client.post(reverse("help_form"), data)
    assert Case.objects.count() == 1
    code = Case.objects.get().tracking_display  # the page is kept once rendered: what she reads is the content
    assert code in first.content.decode() and code in second.content.decode()


@pytest.mark.django_db
def test_bots_and_floods_are_refused(clock, client, tree, settings):
    settings.HELP_REQUESTS_PER_HOUR = 2
    fast = public_help(client)  # filled in at once: a bot
    assert "提交太快" in fast.content.decode() and not Case.objects.exists()
    clock.shift(dt.timedelta(seconds=5))
    honeypot = public_help(client, website="http://spam")
    assert not Case.objects.exists() and honeypot.status_code == 200
    for n in range(3):
        page = client.get(reverse("help_form"))
        clock.shift(dt.timedelta(seconds=10))
        form = page.context["form"]
        response = client.post(reverse("help_form"), {
            "kind": "other", "place": "130123100001 恒东社区", "description": "x", "anonymous": "on",
            "started": form["started"].value(), "client_token": f"t{n}"})
    assert Case.objects.count() == 2 and "12338" in response.content.decode()


@pytest.mark.django_db
def test_two_cadres_editing_one_case_the_later_gets_a_conflict(clock, tree, unit, county_chair, township_chair,
                                                               client_for):
    case = services.case_intake(kind="mediation", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    version = case.version
    first = client_for(county_chair).post(reverse("case_action", args=[case.pk, "note"]),
                                          {"text": "约双方周五调解", "version": version}, follow=True)
    assert "已保存" in first.content.decode()
    late = client_for(township_chair).post(reverse("case_action", args=[case.pk, "close"]),
                                           {"outcome": "调解成功", "confirm": "on", "version": version},
                                           follow=True)
    assert "刚被其他人修改过" in late.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.outcome == ""


@pytest.mark.django_db
def test_closing_needs_an_outcome_and_the_woman_rates_once(clock, client, tree, unit, county_chair):
    case = services.case_intake(kind="assistance", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    with pytest.raises(ValidationError):
        services.case_close(actor=county_chair, case=case, outcome=" ")
    services.case_close(actor=county_chair, case=case, outcome="发放临时救助")
    client.post(reverse("help_status"), {"code": case.tracking_code, "score": "4"})
    case.refresh_from_db()
    assert case.satisfaction == 4
    with pytest.raises(ValidationError):
        services.case_rate(tracking=case.tracking_code, score=5)


@pytest.mark.django_db
def test_pause_needs_a_reason_and_resume_extends_the_deadline(clock, tree, unit, county_chair):
    case = services.case_intake(kind="petition", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    with pytest.raises(ValidationError):
        services.case_pause(actor=county_chair, case=case, reason="")
    services.case_pause(actor=county_chair, case=case, reason="等待法院排期")
    before = Case.objects.get(pk=case.pk).resolve_due
    clock.shift(dt.timedelta(days=3))
    services.case_resume(actor=county_chair, case=Case.objects.get(pk=case.pk))
    assert Case.objects.get(pk=case.pk).resolve_due - before == dt.timedelta(days=3)


@pytest.mark.django_db
def test_a_referral_counts_only_when_the_partner_confirms_and_is_chased_until_then(clock, tree, unit, county_chair):
    partner = Partner.objects.create(unit=unit("正定县"), unit_path=unit("正定县").path, name="正定县法律援助中心",
                                     kind="legal_aid", phone="031188001234")
    case = services.case_intake(kind="legal_aid", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    referral = services.referral_create(actor=county_chair, case=case, partner=partner)
    assert Outbox.objects.filter(channel="sms", address="031188001234").exists()
    clock.shift(dt.timedelta(hours=25))
    assert services.case_escalate_overdue()["chased"] == 1
    assert services.case_escalate_overdue()["chased"] == 0  # chased once per day, not on every run
    page = Client().get(reverse("referral_ack", args=[referral.ack_code]))
    assert page.status_code == 200 and "确认已接收" in page.content.decode()
    Client().post(reverse("referral_ack", args=[referral.ack_code]))
    referral.refresh_from_db()
    assert referral.status == Referral.Status.RECEIVED
    clock.shift(dt.timedelta(hours=25))
    assert services.case_escalate_overdue()["chased"] == 0


@pytest.mark.django_db
def test_a_need_from_a_contact_becomes_a_case(clock, tree, unit, county_chair):
    from fulian.contacts.models import Need, NeedStatus
    from fulian.contacts.services import contact_log_create
    from fulian.core.idnumber import parse_id_number
    from fulian.people.services import WomanData, woman_create
    from fulian.people.tests.helpers import female_id

    woman = woman_create(actor=None, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                    id_number=parse_id_number(female_id(1)), phone="13800001111"))
    contact_log_create(actor=county_chair, woman=woman, contacted_on=T0.date(), channel="home_visit", today=T0.date(),
                       needs=[("legal", "遭受家暴，想申请保护令")])
    need = Need.objects.get()
    services.case_intake(kind="dv", home_unit=woman.home_unit, description=need.description, source="contact",
                         actor=county_chair, woman=woman, need=need)
    assert Need.objects.get().status == NeedStatus.CASE


@pytest.mark.django_db
def test_a_failed_send_is_retried_and_never_blocks_the_case(clock, tree, unit, township_chair, settings):
    settings.OUTBOX_SENDERS = {**settings.OUTBOX_SENDERS, "in_app": "fulian.cases.tests.test_cases.broken_sender"}
    case = services.case_intake(kind="dv", home_unit=unit("正定镇"), description="x", source="portal",
                                anonymous=True)
    assert Case.objects.filter(pk=case.pk).exists()
    assert outbox_send()["failed"] == 1
    message = Outbox.objects.get(channel="in_app")
    assert (message.status, message.attempts) == ("pending", 1) and "down" in message.last_error
    settings.OUTBOX_SENDERS = {**settings.OUTBOX_SENDERS, "in_app": "fulian.core.outbox.send_in_app"}
    assert outbox_send()["sent"] == 0  # not due yet: it waits before trying again
    clock.shift(dt.timedelta(minutes=3))
    assert outbox_send()["sent"] == 1
    assert Notice.objects.filter(user=township_chair).count() == 1


def broken_sender(message):
    raise ConnectionError("provider down")


@pytest.mark.django_db
def test_case_figures_are_live_and_equal_the_recount(clock, client, tree, unit, county_chair):
    from fulian.evaluation.recount import recount
    from fulian.evaluation.tallies import figures_for

    late = services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    quick = services.case_intake(kind="other", home_unit=unit("南关村"), description="y", source="portal",
                                 anonymous=True)
    clock.shift(dt.timedelta(hours=30))
    services.case_escalate_overdue()
    services.case_close(actor=county_chair, case=Case.objects.get(pk=late.pk), outcome="已处理")
    services.case_rate(tracking=late.tracking_code, score=5)
    assert recount().differences == []
    year = figures_for([unit("河北省").pk], [202600])[unit("河北省").pk][202600]
    assert (year["cases_opened"], year["cases_acted"], year.get("cases_acted_on_time", 0)) == (2, 1, 0)
    assert quick.pk
    assert (year["cases_closed"], year["cases_rated"], year["cases_satisfied"]) == (1, 1, 1)


@pytest.mark.django_db
def test_a_cadre_turns_a_need_into_a_case_from_the_womans_page(clock, tree, unit, county_chair, client_for):
    from fulian.contacts.models import Need, NeedStatus
    from fulian.contacts.services import contact_log_create
    from fulian.core.idnumber import parse_id_number
    from fulian.people.services import WomanData, woman_create
    from fulian.people.tests.helpers import female_id

    woman = woman_create(actor=None, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                    id_number=parse_id_number(female_id(1)), phone="13800001111"))
    contact_log_create(actor=county_chair, woman=woman, contacted_on=T0.date(), channel="home_visit",
                       today=T0.date(), needs=[("family", "婚姻纠纷，想调解")])
    client = client_for(county_chair)
    assert "转为服务个案" in client.get(reverse("woman_detail", args=[woman.pk])).content.decode()
    need = Need.objects.get()
    response = client.post(reverse("need_to_case", args=[need.pk]), {"kind": "mediation"})
    case = Case.objects.get()
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    assert (case.kind, case.source, case.woman) == ("mediation", "contact", woman)
    assert Need.objects.get().status == NeedStatus.CASE
    assert services.unseal(case)["description"] == "婚姻纠纷，想调解"
    # the text is sealed with the case: the woman's page, the contacts API and the needs API no longer show it
    executive = UserFactory(username="hd-exec", unit=unit("恒东社区"), roles=["staff"])
    assert "婚姻纠纷" not in client_for(executive).get(reverse("woman_detail", args=[woman.pk])).content.decode()
    from fulian.accounts.services import token_create

    _token, key = token_create(user=executive, name="t")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    for url in ("/api/v1/needs", f"/api/v1/women/{woman.pk}/contacts"):
        answer = api.get(url)
        assert answer.status_code == 200 and "婚姻纠纷" not in json.dumps(answer.json(), ensure_ascii=False), url
    assert case.woman == woman and county_chair in case.handlers.all()


@pytest.mark.django_db
def test_exporting_cases_asks_for_a_reason_and_logs_every_case(clock, tree, unit, county_chair, client_for,
                                                              sibling_county_cadre):
    from fulian.core.models import AuditEvent
    from fulian.people.tests.helpers import read_xlsx

    ours = services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="秘密", source="portal",
                                contact={"phone": "13800001234"})
    services.case_intake(kind="dv", home_unit=unit("南关村"), description="x", source="portal", anonymous=True)
    client = client_for(county_chair)
    refused = client.post(reverse("case_export"), follow=True)
    assert "需要写明用途" in refused.content.decode()
    response = client.post(reverse("case_export"), {"reason": "季度统计上报"})
    rows = read_xlsx(response.content)
    assert [r[0] for r in rows[1:]] == [ours.tracking_code]
    assert "13800001234" not in str(rows) and "秘密" not in str(rows)
    assert AuditEvent.objects.get(action="case.export").changes == {"reason": "季度统计上报", "cases": 1,
                                                                     "file": "个案.xlsx"}
    assert ReadLog.objects.filter(object_id=str(ours.pk), purpose="export: 季度统计上报").exists()
    theirs = read_xlsx(client_for(sibling_county_cadre).post(reverse("case_export"), {"reason": "本县统计"}).content)
    assert [r[4] for r in theirs[1:]] == ["南关村"]


@pytest.mark.django_db
def test_a_county_keeps_its_partner_directory(tree, unit, county_chair, client_for, sibling_county_cadre):
    client = client_for(county_chair)
    client.post(reverse("partners"), {"name": "正定县妇女儿童庇护中心", "kind": "shelter", "phone": "031188001200"})
    partner = Partner.objects.get()
    assert (partner.unit, partner.phone) == (unit("正定县"), "031188001200")
    assert "正定县妇女儿童庇护中心" not in client_for(sibling_county_cadre).get(reverse("partners")).content.decode()
    client.post(reverse("partners"), {"retire": partner.pk})
    assert not Partner.objects.get().is_active
