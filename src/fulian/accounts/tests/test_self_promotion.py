"""A province system administrator tries to widen her own reach by every route there is."""

import pytest
from django.urls import reverse

from fulian.accounts.models import User
from fulian.accounts.services import token_create


@pytest.mark.django_db
def test_a_province_administrator_cannot_promote_or_move_herself_by_any_route(client_for, province_admin, unit):
    me = province_admin
    page = client_for(me)
    _token, key = token_create(user=me, name="mine")
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    from django.test import Client

    program = Client(**api)
    attempts = [
        # the admin: accounts are read-only there
        page.post(f"/admin/accounts/user/{me.pk}/change/", {"username": me.username, "is_superuser": "on",
                                                              "roles": ["sysadmin", "chair"],
                                                              "unit": unit("黑龙江省").pk}),
        # the accounts page: no self-change of roles, unit or state, no superuser field at all
        page.post(reverse("account_edit", args=[me.pk]), {"full_name": "x", "unit_code": "230000000000",
                                                          "roles": ["sysadmin", "chair"], "is_active": "on",
                                                          "is_superuser": "on"}),
        page.post(reverse("account_edit", args=[me.pk]), {"full_name": "x", "unit_code": "130000000000",
                                                          "roles": ["sysadmin", "chair"], "is_active": "on"}),
        # the API: the same service; unknown fields are ignored, never applied
        program.put(f"/api/v1/accounts/{me.pk}", {"full_name": "x", "unit_code": "130000000000",
                                                  "roles": ["sysadmin", "chair"], "is_superuser": True},
                    content_type="application/json"),
        program.put(f"/api/v1/accounts/{me.pk}", {"full_name": "x", "unit_code": "230000000000",
                                                  "roles": ["sysadmin"]}, content_type="application/json"),
        # a second account she makes for herself stays inside her scope and below superuser
        page.post(reverse("account_new", args=[unit("黑龙江省").pk]), {
            "username": "me-too", "full_name": "x", "roles": ["sysadmin"], "password": "Hengdong2026spring"}),
    ]
    assert all(a.status_code in (200, 302, 400, 403, 404) for a in attempts)
    me.refresh_from_db()
    assert not me.is_superuser and me.roles == ["sysadmin"] and me.unit == unit("河北省")
    assert not User.objects.filter(username="me-too").exists()
    assert not User.objects.filter(is_superuser=True).exists()
