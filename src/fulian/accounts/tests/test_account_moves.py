"""People who move: a cadre moved to another county, a woman moved out of a cadre's area."""

import datetime as dt

import pytest
from django.urls import reverse

from fulian.accounts import services
from fulian.accounts.tests.factories import UserFactory
from fulian.cases import services as case_services
from fulian.cases.models import CaseHandler
from fulian.contacts.models import Assignment
from fulian.contacts.services import assignment_create
from fulian.core.idnumber import parse_id_number
from fulian.core.models import AuditEvent, Notice
from fulian.core.outbox import outbox_send
from fulian.core.policy import Role
from fulian.people.services import WomanData, woman_create, woman_update
from fulian.people.tests.helpers import female_id

TODAY = dt.date(2026, 11, 25)


@pytest.fixture
def her_women(unit, county_chair, village_cadre):
    women = [woman_create(actor=county_chair, data=WomanData(name=name, home_unit=unit("恒东社区"),
                                                             id_number=parse_id_number(female_id(i))))
             for i, name in enumerate(["李秀梅", "赵春花"])]
    for woman in women:
        assignment_create(actor=county_chair, woman=woman, cadre=village_cadre, today=TODAY)
    return women


@pytest.fixture
def her_case(unit, county_chair, village_cadre):
    case = case_services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="他昨晚又打我。",
                                     source="portal", anonymous=True)
    return case_services.case_assign(actor=county_chair, case=case, handler=village_cadre)


def _names_today(client) -> str:
    return client.get(reverse("today")).content.decode()


@pytest.mark.django_db
def test_a_cadre_moved_to_another_county_loses_her_women_and_cases(client_for, api_for, unit, province_admin,
                                                                   village_cadre, her_women, her_case):
    colleague = UserFactory(username="colleague", unit=unit("恒东社区"), roles=[Role.STAFF])
    page, api = client_for(village_cadre), api_for(village_cadre)
    assert "李秀梅" in _names_today(page)
    assert page.get(reverse("case_detail", args=[her_case.pk])).status_code == 200

    services.account_update(actor=province_admin, account=village_cadre, unit=unit("南关村"),
                            roles=village_cadre.roles, is_active=True, full_name=village_cadre.full_name,
                            phone="")
    assert "李秀梅" not in _names_today(page)
    today = api.get("/api/v1/me/today").json()
    assert [w["name"] for w in today["follow_ups"] + today["overdue_contacts"]] == []
    assert page.get(reverse("case_detail", args=[her_case.pk])).status_code == 404
    assert api.get(f"/api/v1/cases/{her_case.pk}").status_code == 404
    assert her_case not in page.get(reverse("case_queue")).context["page"].object_list
    # her women went to the colleague she left behind; the case went back to its leaders
    assert set(Assignment.objects.filter(ended_on__isnull=True).values_list("cadre__username", flat=True)) == {
        colleague.username}
    assert not CaseHandler.objects.filter(user=village_cadre).exists()
    assert AuditEvent.objects.filter(action="account.move", object_id=str(village_cadre.pk)).exists()


@pytest.mark.django_db
def test_a_left_behind_handler_row_still_opens_nothing(client_for, unit, village_cadre, her_case):
    """Defence in depth: every case access re-checks the handler's current unit."""
    from fulian.accounts.models import User

    User.objects.filter(pk=village_cadre.pk).update(unit=unit("南关村"))
    assert CaseHandler.objects.filter(user=village_cadre).exists()
    assert client_for(village_cadre).get(reverse("case_detail", args=[her_case.pk])).status_code == 404


@pytest.mark.django_db
def test_a_woman_moved_out_of_the_cadres_area_leaves_her_today_list(client_for, unit, county_chair,
                                                                     village_cadre, her_women):
    woman = her_women[0]
    woman_update(actor=county_chair, woman=woman,
                 data=WomanData(name=woman.name, home_unit=unit("西柏棠村")), version=woman.version)
    assert "李秀梅" not in _names_today(client_for(village_cadre))
    assert "赵春花" in _names_today(client_for(village_cadre))
    assert not Assignment.objects.filter(woman=woman, ended_on__isnull=True).exists()
    outbox_send()
    assert Notice.objects.filter(user=village_cadre, subject__contains="李秀梅").exists()


@pytest.mark.django_db
def test_a_cadre_cannot_change_her_own_roles_and_only_administrators_grant_administration(
        unit, county_chair, village_cadre):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.account_update(actor=county_chair, account=county_chair, unit=unit("正定县"),
                                roles=["chair", "sysadmin"], is_active=True, full_name="x", phone="")
    with pytest.raises(ValidationError):
        services.account_update(actor=county_chair, account=village_cadre, unit=unit("恒东社区"),
                                roles=["sysadmin"], is_active=True, full_name="x", phone="")


@pytest.mark.django_db
def test_the_accounts_page_moves_a_cadre_within_scope_only(client_for, unit, county_chair, village_cadre,
                                                          sibling_county_cadre):
    chair = client_for(county_chair)
    url = reverse("account_edit", args=[village_cadre.pk])
    outside = chair.post(url, {"full_name": "杨春燕", "unit_code": "130125100201", "roles": ["staff"],
                               "is_active": "on"})
    assert "不在您的管理范围内" in outside.content.decode()
    inside = chair.post(url, {"full_name": "杨春燕", "unit_code": "130123101201", "roles": ["staff"],
                              "is_active": "on"})
    assert inside.status_code == 302
    village_cadre.refresh_from_db()
    assert village_cadre.unit == unit("西柏棠村")
    assert client_for(sibling_county_cadre).get(url).status_code == 404


@pytest.mark.django_db
def test_password_change_deactivation_and_revoke_all_end_api_tokens(client_for, api_for, county_chair,
                                                                   village_cadre):
    api = api_for(village_cadre)
    assert api.get("/api/v1/me").status_code == 200
    page = client_for(village_cadre)
    page.post(reverse("password_change"), {"old_password": "Testpass2026x", "new_password1": "Hengdong2026spring",
                                           "new_password2": "Hengdong2026spring"})
    assert api.get("/api/v1/me").status_code == 401
    api = api_for(village_cadre)
    page.post(reverse("token_revoke_all"))
    assert api.get("/api/v1/me").status_code == 401
    api = api_for(village_cadre)
    client_for(county_chair).post(reverse("account_edit", args=[village_cadre.pk]), {
        "full_name": "杨春燕", "unit_code": "130123100001", "roles": ["staff"]})
    assert api.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_api_tokens_expire(api_for, village_cadre, settings):
    import time_machine

    api = api_for(village_cadre)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=settings.API_TOKEN_DAYS + 1)
    with time_machine.travel(later, tick=False):
        assert api.get("/api/v1/me").status_code == 401


@pytest.mark.django_db
def test_accounts_through_the_api(api_for, unit, county_chair, village_cadre, sibling_county_cadre):
    api = api_for(county_chair)
    listed = api.get("/api/v1/accounts").json()["items"]
    assert village_cadre.username in {a["username"] for a in listed}
    moved = api.put(f"/api/v1/accounts/{village_cadre.pk}", {
        "full_name": "杨春燕", "unit_code": "130123101201", "roles": ["staff"]}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["unit_code"] == "130123101201"
    outside = api.put(f"/api/v1/accounts/{village_cadre.pk}", {
        "full_name": "杨春燕", "unit_code": "130125100201", "roles": ["staff"]}, content_type="application/json")
    assert outside.status_code == 404
    assert api_for(sibling_county_cadre).put(f"/api/v1/accounts/{village_cadre.pk}", {
        "full_name": "x", "unit_code": "130125100201", "roles": []}, content_type="application/json"
    ).status_code == 404
    weak = api.post(f"/api/v1/accounts/{village_cadre.pk}/password", {"password": "aaaaaaaaaa1"},
                    content_type="application/json")
    assert weak.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["aaaaaaaaaa1", "woaini5201314", "yangchunyan1990", "13812345678ab",
                                      "qwerty123456", "zhangsan19900307"])
def test_predictable_passwords_are_refused(unit, password):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    cadre = UserFactory(username="hb-village-9", full_name="杨春燕", phone="13812345678", unit=unit("恒东社区"))
    with pytest.raises(ValidationError):
        validate_password(password, cadre)


@pytest.mark.django_db
def test_the_last_five_passwords_cannot_be_used_again(village_cadre):
    from django.core.exceptions import ValidationError

    passwords = [f"Hengdong{n}Spring{n}x" for n in range(6)]
    for password in passwords:
        services.account_set_password(actor=village_cadre, account=village_cadre, password=password)
    for old in passwords[1:]:  # the current one and the four before it
        with pytest.raises(ValidationError):
            services.account_set_password(actor=village_cadre, account=village_cadre, password=old)
    services.account_set_password(actor=village_cadre, account=village_cadre, password=passwords[0])
