import datetime as dt

import pytest
import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from fulian.accounts.models import User
from fulian.accounts.services import account_create
from fulian.accounts.tests.factories import PASSWORD, UserFactory
from fulian.core.models import AuditEvent
from fulian.core.policy import Role


def login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(county_chair):
    assert identify_hasher(county_chair.password).algorithm == "argon2"


@pytest.mark.django_db
def test_login_succeeds_and_is_audited(county_chair):
    client = Client()
    response = login(client, "county-chair", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.login", actor=county_chair, ip="127.0.0.1").exists()


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_repeated_failures_even_with_the_right_password(county_chair):
    client = Client()
    for _ in range(2):
        assert login(client, "county-chair", "wrong-password1").status_code == 200
    assert login(client, "county-chair", "wrong-password1").status_code == 429  # the third locks
    locked = login(client, "county-chair", PASSWORD)
    assert locked.status_code == 429
    assert "账号已暂时锁定" in locked.content.decode()
    assert client.get(reverse("home")).status_code == 302  # not signed in
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 3


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_failures_below_the_limit_do_not_lock(county_chair):
    client = Client()
    for _ in range(2):
        login(client, "county-chair", "wrong-password1")
    assert login(client, "county-chair", PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(SESSION_IDLE_MINUTES=30)
def test_idle_session_is_ended(county_chair):
    client = Client()
    with time_machine.travel(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        login(client, "county-chair", PASSWORD)
        assert client.get(reverse("home")).status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200  # activity moves the clock on
        clock.shift(dt.timedelta(minutes=29))
        assert client.get(reverse("home")).status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get(reverse("home"))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        assert client.get(reverse("home")).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "reason"),
    [("short1", "too short"), ("onlyletterslong", "no digit"), ("1234567890123", "numeric"), ("password123", "common")],
)
def test_weak_passwords_are_refused(unit, password, reason):
    with pytest.raises(ValidationError):
        account_create(actor=None, username="newcadre", unit=unit("正定县"), roles=[Role.STAFF], password=password)
    assert not User.objects.filter(username="newcadre").exists()


@pytest.mark.django_db
def test_admin_site_is_for_system_administrators_only(client_for, province_admin, province_chair):
    assert client_for(province_admin).get("/admin/").status_code == 200
    response = client_for(province_chair).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_admin_unit_list_follows_the_administrators_scope(client_for, unit):
    county_admin = UserFactory(unit=unit("行唐县"), roles=[Role.SYSADMIN])
    response = client_for(county_admin).get("/admin/orgs/unit/")
    names = {u.name for u in response.context["cl"].result_list}
    assert names == {"行唐县", "龙州镇", "南关村"}
    assert client_for(county_admin).get(f"/admin/orgs/unit/{unit('正定县').pk}/change/").status_code == 302


@pytest.mark.django_db
def test_chair_creates_an_account_in_her_subtree_only(client_for, county_chair, unit):
    client = client_for(county_chair)
    data = {"username": "zdz-staff", "full_name": "周霞", "phone": "13812345678", "roles": ["staff"],
            "password": "Zhengding2026"}
    response = client.post(reverse("account_new", args=[unit("正定镇").pk]), data)
    assert response.status_code == 302
    created = User.objects.get(username="zdz-staff")
    assert created.unit == unit("正定镇") and created.roles == ["staff"]
    outside = client.post(reverse("account_new", args=[unit("龙州镇").pk]), {**data, "username": "other"})
    assert outside.status_code == 404
    assert not User.objects.filter(username="other").exists()


@pytest.mark.django_db
def test_only_a_system_administrator_may_grant_the_administrator_role(client_for, county_chair, unit):
    data = {"username": "sneaky", "full_name": "某", "roles": ["sysadmin"], "password": "Zhengding2026"}
    response = client_for(county_chair).post(reverse("account_new", args=[unit("正定镇").pk]), data)
    assert response.status_code == 200 and "只有系统管理员" in response.content.decode()
    assert not User.objects.filter(username="sneaky").exists()


@pytest.mark.django_db
def test_account_list_is_scoped_and_hidden_from_staff(client_for, county_chair, sibling_county_cadre,
                                                       village_cadre):
    names = {a.username for a in client_for(county_chair).get(reverse("account_list")).context["page"]}
    assert names == {"county-chair", "village-cadre"}
    assert client_for(village_cadre).get(reverse("account_list")).status_code == 404


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3, TRUST_X_REAL_IP=True)
def test_behind_the_proxy_a_lockout_is_per_real_address_not_for_everyone(county_chair):
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    for _ in range(3):
        login(attacker, "county-chair", "wrong-password1")
    assert login(attacker, "county-chair", PASSWORD).status_code == 429
    herself = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.7")
    assert login(herself, "county-chair", PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(LOGIN_FAILURES_PER_ADDRESS=4, AXES_FAILURE_LIMIT=100)
def test_one_address_guessing_many_usernames_is_stopped(county_chair):
    client = Client()
    for n in range(4):
        login(client, f"someone{n}", "wrong-password1")
    refused = login(client, "county-chair", PASSWORD)
    assert refused.status_code == 200 and "失败次数太多" in refused.content.decode()


@pytest.mark.django_db
@override_settings(LOGIN_FAILURES_PER_USERNAME_FREE=2, AXES_FAILURE_LIMIT=100, TRUST_X_REAL_IP=True)
def test_guesses_from_many_addresses_slow_down_but_do_not_lock_her_out(county_chair):
    start = dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for n in range(3):
            login(Client(HTTP_X_REAL_IP=f"203.0.113.{n}"), "county-chair", "wrong-password1")
        herself = Client(HTTP_X_REAL_IP="198.51.100.7")
        waiting = login(herself, "county-chair", PASSWORD)
        assert "秒后再试" in waiting.content.decode()
        clock.shift(dt.timedelta(seconds=3))
        assert login(herself, "county-chair", PASSWORD).status_code == 302
