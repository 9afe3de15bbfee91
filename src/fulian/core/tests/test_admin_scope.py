"""The admin from the outside, as a county system administrator next door would try it."""

import pytest

from fulian.accounts.models import ApiToken, User
from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import DeadlineRule, Partner
from fulian.core.audit import audit_record, read_record
from fulian.core.models import AuditEvent
from fulian.core.policy import Role
from fulian.people.services import WomanData, woman_create


@pytest.fixture
def sibling_admin(unit):
    return UserFactory(username="xingtang-admin", unit=unit("行唐县"), roles=[Role.SYSADMIN])


@pytest.fixture
def county_admin(unit):
    return UserFactory(username="zhengding-admin", unit=unit("正定县"), roles=[Role.SYSADMIN])


@pytest.fixture
def their_records(unit, county_chair):
    """Another county's audit row, read-log row, token and partner."""
    woman = woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区")))
    read_record(actor=county_chair, obj=woman, purpose="test")
    token, _key = token_create(user=county_chair, name="县里的程序")
    partner = Partner.objects.create(unit=unit("正定县"), unit_path=unit("正定县").path, name="正定县法律援助中心",
                                     kind="legal_aid")
    return {"woman": woman, "token": token, "partner": partner}


@pytest.mark.django_db
def test_a_sibling_county_administrator_sees_none_of_anothers_rows(client_for, sibling_admin, their_records):
    admin = client_for(sibling_admin)
    for url in ("/admin/core/auditevent/", "/admin/core/readlog/", "/admin/accounts/apitoken/",
                "/admin/accounts/user/", "/admin/cases/partner/"):
        page = admin.get(url)
        assert page.status_code == 200, url
        shown = page.context["cl"].queryset
        assert not [row for row in shown if row.pk != sibling_admin.pk and "auth.log" not in str(row)], url
    assert "王秀兰" not in admin.get("/admin/core/auditevent/").content.decode()
    token = their_records["token"]
    assert admin.get(f"/admin/accounts/apitoken/{token.pk}/change/").status_code == 302  # "does not exist"


@pytest.mark.django_db
def test_the_county_administrator_sees_her_own_countys_rows(client_for, county_admin, their_records):
    admin = client_for(county_admin)
    assert admin.get("/admin/core/auditevent/").context["cl"].result_count >= 2
    assert admin.get("/admin/core/readlog/").context["cl"].result_count == 1
    assert admin.get("/admin/accounts/apitoken/").context["cl"].result_count == 1


@pytest.mark.django_db
def test_accounts_and_tokens_cannot_be_changed_in_the_admin(client_for, county_admin, county_chair,
                                                          village_cadre, their_records):
    admin = client_for(county_admin)
    page = admin.get(f"/admin/accounts/user/{village_cadre.pk}/change/")
    assert page.status_code == 200
    assert "argon2" not in page.content.decode() and village_cadre.password not in page.content.decode()
    escalate = admin.post(f"/admin/accounts/user/{county_admin.pk}/change/", {
        "username": county_admin.username, "is_superuser": "on", "roles": ["sysadmin", "chair"]})
    assert escalate.status_code == 403
    county_admin.refresh_from_db()
    assert not county_admin.is_superuser
    token = their_records["token"]
    repoint = admin.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"user": county_admin.pk, "name": "x"})
    assert repoint.status_code == 403
    assert ApiToken.objects.get(pk=token.pk).user == county_chair
    assert admin.get("/admin/accounts/user/add/").status_code == 403


@pytest.mark.django_db
def test_partners_and_units_change_only_through_their_pages(client_for, county_admin, unit, their_records):
    admin = client_for(county_admin)
    added = admin.post("/admin/cases/partner/add/", {"name": "正定县妇女儿童庇护站", "kind": "shelter",
                                                     "unit": unit("正定县").pk, "is_active": "on"})
    assert added.status_code == 403 and not Partner.objects.filter(name="正定县妇女儿童庇护站").exists()
    renamed = admin.post(f"/admin/orgs/unit/{unit('正定县').pk}/change/", {"name": "改名县"})
    assert renamed.status_code == 403
    assert admin.get(f"/admin/cases/partner/{their_records['partner'].pk}/change/").status_code == 200  # shown


@pytest.mark.django_db
def test_every_admin_save_is_audited(client_for):
    from fulian.contacts.models import LevelQuota

    top = User.objects.create(username="platform", is_superuser=True)
    quota = LevelQuota.objects.get(level=4)
    assert client_for(top).post(f"/admin/contacts/levelquota/{quota.pk}/change/", {"quota": 60}).status_code == 302
    assert AuditEvent.objects.filter(action="level_quota.set", actor=top).exists()


@pytest.mark.django_db
def test_settings_for_every_unit_change_only_at_the_top(client_for, county_admin, province_admin):
    rule = DeadlineRule.objects.first() or DeadlineRule.objects.create(kind="dv", urgency="urgent",
                                                                        first_action_hours=24, resolve_days=30)
    for admin in (county_admin, province_admin):
        answer = client_for(admin).post(f"/admin/cases/deadlinerule/{rule.pk}/change/", {
            "kind": rule.kind, "urgency": rule.urgency, "first_action_hours": 1, "resolve_days": 1})
        assert answer.status_code == 403
    rule.refresh_from_db()
    assert rule.first_action_hours != 1


@pytest.mark.django_db
def test_audit_rows_without_a_unit_are_for_the_top_only(client_for, county_admin):
    audit_record(actor=None, action="system.job")
    shown = client_for(county_admin).get("/admin/core/auditevent/").context["cl"].queryset
    assert not shown.filter(action="system.job").exists()
    top = User.objects.create(username="platform", is_superuser=True)
    assert client_for(top).get("/admin/core/auditevent/").context["cl"].queryset.filter(action="system.job").exists()
