"""#2: the tracking code by SMS only when she asks; a request shows in 我的 only when she links it; a recycled
phone number shows its new holder nothing of the previous one's."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fulian.cases import services
from fulian.cases.models import Case
from fulian.core.models import Outbox
from fulian.portal.tests.otp import last_code_sent

T0 = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def ask_for_help(client, clock, **over):
    form = client.get(reverse("help_form")).context["form"]
    clock.shift(dt.timedelta(seconds=30))
    data = {"kind": "dv", "place": "恒东社区", "description": "他又动手了", "phone": "13800001234",
            "started": form["started"].value(), "client_token": form["client_token"].value(), **over}
    return client.post(reverse("help_form"), data)


def sign_in(client, phone):
    client.post(reverse("portal_me"), {"phone": phone})
    client.post(reverse("portal_me"), {"phone": phone, "code": last_code_sent(phone)})


def sms_to(phone):
    return list(Outbox.objects.filter(channel="sms", address=phone).exclude(link__startswith="otp:"))


@pytest.mark.django_db
def test_no_sms_unless_she_ticks_the_box(client, clock, tree):
    page = client.get(reverse("help_form")).content.decode()
    assert 'name="sms_code"' in page and "checked" not in page.split('name="sms_code"')[1].split(">")[0]
    assert "拿着您手机的人也可能看到这条短信" in page
    ask_for_help(client, clock)
    assert Case.objects.count() == 1 and sms_to("13800001234") == []


@pytest.mark.django_db
def test_the_sms_carries_the_code_and_names_neither_the_federation_nor_help(client, clock, tree):
    ask_for_help(client, clock, sms_code="on")
    case = Case.objects.get()
    [message] = sms_to("13800001234")
    assert case.tracking_display in message.subject
    text = message.subject + message.body + message.link
    assert "妇联" not in text and "求助" not in text and "help" not in text


@pytest.mark.django_db
def test_an_sms_needs_a_phone_and_is_refused_for_an_anonymous_request(client, clock, tree):
    response = ask_for_help(client, clock, sms_code="on", anonymous="on", phone="")
    assert "短信要发到您留下的电话" in response.content.decode() and not Case.objects.exists()


@pytest.mark.django_db
def test_signed_in_her_request_shows_in_mine_only_when_she_ticks_it(client, clock, tree):
    sign_in(client, "13800001111")
    assert "在“我的”里显示这次求助" in client.get(reverse("help_form")).content.decode()
    ask_for_help(client, clock, phone="13800001111", client_token="one")
    ask_for_help(client, clock, phone="13800001111", client_token="two", show_in_mine="on")
    unlinked, linked = Case.objects.order_by("id")
    assert unlinked.account is None and linked.account is not None
    me = client.get(reverse("portal_me")).content.decode()
    assert linked.tracking_display in me and unlinked.tracking_display not in me


@pytest.mark.django_db
def test_the_box_is_not_offered_nor_honoured_without_signing_in(client, clock, tree):
    assert "在“我的”里显示" not in client.get(reverse("help_form")).content.decode()
    ask_for_help(client, clock, show_in_mine="on")
    assert Case.objects.get().account is None


@pytest.mark.django_db
def test_she_links_a_request_by_its_code_and_takes_it_out_again(client, clock, tree):
    case = services.case_intake(kind="mediation", home_unit=tree["130123100001"], description="x", source="portal",
                                anonymous=True)
    assert client.post(reverse("portal_requests"), {"code": case.tracking_code}).status_code == 302
    case.refresh_from_db()
    assert case.account is None  # nobody signed in: nothing linked
    sign_in(client, "13800001111")
    wrong = client.post(reverse("portal_requests"), {"code": "AAAAA-AAAAA"}, follow=True)
    assert "没有这个查询码" in wrong.content.decode()
    client.post(reverse("portal_requests"), {"code": case.tracking_display.lower()})
    case.refresh_from_db()
    assert case.account is not None
    assert case.tracking_display in client.get(reverse("portal_me")).content.decode()
    client.post(reverse("portal_requests"), {"unlink": str(case.pk)})
    case.refresh_from_db()
    assert case.account is None and Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_a_recycled_phone_number_shows_its_new_holder_none_of_the_old_holders_requests(client, clock, tree):
    sign_in(client, "13800001111")
    ask_for_help(client, clock, phone="13800001111", show_in_mine="on")
    old = Case.objects.get()
    assert old.account is not None
    client.post(reverse("portal_signout"))
    clock.shift(dt.timedelta(days=200))  # the number lay unused, then the carrier gave it to someone else
    newcomer = client
    sign_in(newcomer, "13800001111")
    me = newcomer.get(reverse("portal_me")).content.decode()
    assert old.tracking_display not in me and "我的求助" in me
    old.refresh_from_db()
    assert old.account is None  # the request stays with the federation; its holder can link it again by code


@pytest.mark.django_db
def test_a_holder_who_keeps_using_her_number_keeps_her_requests(client, clock, tree):
    sign_in(client, "13800001111")
    ask_for_help(client, clock, phone="13800001111", show_in_mine="on")
    client.post(reverse("portal_signout"))
    clock.shift(dt.timedelta(days=20))
    sign_in(client, "13800001111")
    assert Case.objects.get().tracking_display in client.get(reverse("portal_me")).content.decode()
