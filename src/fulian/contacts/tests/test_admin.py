import pytest

from fulian.contacts.models import LevelQuota
from fulian.contacts.services import quota_for


@pytest.mark.django_db
def test_system_administrator_sets_the_quota_per_level(client_for, province_admin, village_cadre):
    quota = LevelQuota.objects.get(level=5)
    response = client_for(province_admin).post(f"/admin/contacts/levelquota/{quota.pk}/change/",
                                               {"level": 5, "quota": 40})
    assert response.status_code == 302
    assert quota_for(village_cadre) == 40


@pytest.mark.django_db
def test_chairs_cannot_reach_the_quota_settings(client_for, county_chair):
    response = client_for(county_chair).get("/admin/contacts/levelquota/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
