"""A password a chair chose (a new account, a reset) is changed at the cadre's next sign-in; with PASSWORD_EXPIRY_DAYS
a password older than that must be changed too. Until then she reaches only the password page."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fulian.accounts.demo import demo_accounts
from fulian.accounts.models import User
from fulian.accounts.services import account_create, account_set_password
from fulian.accounts.tests.factories import PASSWORD
from fulian.core.policy import Role

NEW = "Zhengding2026new"


def sign_in(username, password) -> Client:
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": password}).status_code == 302
    return client


def change(client, old, new=NEW):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new,
                                                    "new_password2": new})


@pytest.mark.django_db
def test_an_account_a_chair_creates_must_change_her_password_first(county_chair, unit):
    chair = Client()
    chair.force_login(county_chair)
    answer = chair.post(reverse("account_new", args=[unit("恒东社区").pk]), {
        "username": "new-cadre", "full_name": "王芳", "phone": "", "roles": [Role.STAFF], "password": PASSWORD})
    assert answer.status_code == 302
    assert User.objects.get(username="new-cadre").must_change_password

    client = sign_in("new-cadre", PASSWORD)
    for url in ("/work/", "/women/", "/account/", "/account/sessions/"):
        assert client.get(url)["Location"] == reverse("password_change"), url
    assert client.get("/api/v1/me").status_code == 403
    page = client.get(reverse("password_change"))
    assert "管理员设置" in page.content.decode()
    assert change(client, PASSWORD)["Location"] == reverse("password_change_done")
    assert client.get("/account/").status_code == 200
    assert not User.objects.get(username="new-cadre").must_change_password


@pytest.mark.django_db
def test_a_password_a_manager_sets_must_be_changed_her_own_need_not(county_chair, village_cadre):
    account_set_password(actor=county_chair, account=village_cadre, password=NEW)
    village_cadre.refresh_from_db()
    assert village_cadre.must_change_password
    account_set_password(actor=village_cadre, account=village_cadre, password="Another2026pass")
    village_cadre.refresh_from_db()
    assert not village_cadre.must_change_password


@pytest.mark.django_db
def test_accounts_made_by_the_operator_or_the_demo_are_not_forced(tree):
    user = account_create(actor=None, username="operator-made", unit=tree["130123000000"], roles=[Role.STAFF],
                          password=NEW)
    assert not user.must_change_password
    assert not any(u.must_change_password for u, _p in demo_accounts())


@pytest.mark.django_db
def test_an_expired_password_must_be_changed_when_expiry_is_on(settings, village_cadre):
    start = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        account_set_password(actor=village_cadre, account=village_cadre, password=NEW)
    settings.PASSWORD_EXPIRY_DAYS = 90
    with time_machine.travel(start + dt.timedelta(days=89), tick=False):
        assert sign_in("village-cadre", NEW).get("/account/").status_code == 200
    with time_machine.travel(start + dt.timedelta(days=91), tick=False):
        client = sign_in("village-cadre", NEW)
        assert client.get("/account/")["Location"] == reverse("password_change")
        assert "已过期" in client.get(reverse("password_change")).content.decode()
        change(client, NEW, "Fresh2026password")
        assert client.get("/account/").status_code == 200


@pytest.mark.django_db
def test_expiry_is_off_by_default(settings, village_cadre):
    assert settings.PASSWORD_EXPIRY_DAYS == 0
    User.objects.filter(pk=village_cadre.pk).update(password_changed_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert sign_in("village-cadre", PASSWORD).get("/account/").status_code == 200
