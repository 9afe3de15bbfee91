"""Outside-in review probes of allocations: hostile rules through the API and the page, and who may confirm."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.policy import Role
from fulian.funding.models import Allocation

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.mark.parametrize("rule", [
    {"basis": "equal", "amount": "100", "level_keep": {"99": "5"}},
    {"basis": "equal", "amount": "100", "level_keep": {"-1": "5"}},
    {"basis": "equal", "amount": "100", "level_keep": {"4": "1e30"}},
    {"basis": "equal", "amount": "100", "level_keep": {"4": 1e300}},
    {"basis": "equal", "amount": "100", "level_keep": {"9999999999999999999999": "5"}},
    {"basis": "equal", "amount": "100", "target_level": 3},
    {"basis": "equal", "amount": "100", "target_level": 1},
    {"basis": "fixed", "per_village": "1e30"},
    {"basis": "fixed", "per_village": "99999999999"},
    {"basis": "women", "amount": "100", "care_weight": "1e30"},
    {"basis": "women", "amount": "100", "care_weight": "nan"},
    {"basis": "women", "amount": "100", "min_village_share": "-0"},
    {"basis": "equal", "amount": "0.01", "floor_per_village": "99999999999.99"},
    {"basis": "equal", "amount": "100", "year": 1999},
    {"basis": "equal", "amount": "100", "from_share_id": 9007199254740992},
    {"basis": "nonsense", "amount": "100"},
])
def test_a_wild_rule_preview_is_4xx(api_for, county_chair, unit, rule):
    answer = api_for(county_chair).post(f"/api/v1/funding/units/{unit('正定县').pk}/allocations/preview", rule,
                                        content_type="application/json")
    assert answer.status_code in (200, 400, 404, 422), answer.content


def test_staff_preview_but_may_not_confirm(api_for, client_for, unit):
    staff = UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])
    answer = api_for(staff).post(f"/api/v1/funding/units/{unit('正定县').pk}/allocations", {
        "basis": "equal", "amount": "100", "title": "x", "pay_by": (TODAY + dt.timedelta(days=5)).isoformat()},
        content_type="application/json")
    assert answer.status_code in (403, 404), answer.content
    assert not Allocation.objects.exists()


@pytest.mark.parametrize("query", ["year=abc", "year=%D9%A1", "page=-1", "year=99999999999999999999", "kind=<x>"])
def test_bad_parameters_on_the_funding_pages_are_400(client_for, county_chair, unit, query):
    county = unit("正定县")
    for name in ("funding_unit", "funding_villages_without", "funding_ledger", "funding_population"):
        got = client_for(county_chair).get(reverse(name, args=[county.pk]) + "?" + query)
        assert got.status_code in (200, 400), (name, query)


def test_a_sibling_county_gets_404_on_the_allocation_pages(client_for, county_chair, sibling_county_cadre, unit):
    county = unit("正定县")
    for name in ("funding_unit", "funding_villages_without", "funding_ledger", "funding_population",
                 "funding_allocate"):
        assert client_for(sibling_county_cadre).get(reverse(name, args=[county.pk])).status_code in (404, 405), name
