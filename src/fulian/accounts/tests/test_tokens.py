import pytest
from django.urls import reverse

from fulian.accounts.models import ApiToken


@pytest.mark.django_db
def test_token_is_shown_once_and_only_its_hash_is_stored(client_for, village_cadre):
    client = client_for(village_cadre)
    response = client.post(reverse("token_new"), {"name": "村务小程序"}, follow=True)
    key = response.context["new_key"]
    assert key.startswith("fl_")
    token = ApiToken.objects.get(user=village_cadre)
    assert key not in (token.key_hash, token.prefix) and token.prefix == key[:10]
    assert client.get(reverse("account_me")).context["new_key"] is None


@pytest.mark.django_db
def test_a_cadre_cannot_revoke_someone_elses_token(client_for, village_cadre, county_chair):
    client_for(county_chair).post(reverse("token_new"), {"name": "县里"})
    token = ApiToken.objects.get(user=county_chair)
    response = client_for(village_cadre).post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
