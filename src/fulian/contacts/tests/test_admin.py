import pytest

from fulian.accounts.tests.factories import UserFactory
from fulian.contacts.models import LevelQuota
from fulian.contacts.services import quota_for
from fulian.core.models import AuditEvent


@pytest.mark.django_db
def test_the_platform_superuser_sets_the_quota_per_level_and_it_is_audited(client_for, village_cadre):
    top = UserFactory(username="platform", is_superuser=True)
    quota = LevelQuota.objects.get(level=5)
    response = client_for(top).post(f"/admin/contacts/levelquota/{quota.pk}/change/", {"level": 5, "quota": 40})
    assert response.status_code == 302
    assert quota_for(village_cadre) == 40
    event = AuditEvent.objects.get(action="level_quota.set")
    assert event.actor == top and event.changes == {"level": 5, "quota": 40}


@pytest.mark.django_db
def test_a_province_administrator_sees_but_cannot_change_a_setting_for_every_unit(client_for, province_admin,
                                                                                 village_cadre):
    quota = LevelQuota.objects.get(level=5)
    admin = client_for(province_admin)
    assert admin.get("/admin/contacts/levelquota/").status_code == 200
    assert admin.post(f"/admin/contacts/levelquota/{quota.pk}/change/", {"level": 5, "quota": 1}).status_code == 403
    assert quota_for(village_cadre) == quota.quota


@pytest.mark.django_db
def test_chairs_cannot_reach_the_quota_settings(client_for, county_chair):
    response = client_for(county_chair).get("/admin/contacts/levelquota/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
