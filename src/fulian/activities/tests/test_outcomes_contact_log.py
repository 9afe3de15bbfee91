"""A training's outcome recorded with a contact (issue 16: "follow-up outcomes recorded later, also through a contact
log"): the contact form offers her completed trainings, one save writes the contact and the outcome linked to it;
a completion that is not hers refuses the whole contact, on the page and in the API."""

# ruff: noqa: F811  (the fixtures imported from test_outcomes are used as test arguments, which ruff reads as redefining)
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.activities.models import Outcome
from fulian.contacts.models import ContactLog
from fulian.people.services import WomanData, woman_create

from .test_outcomes import course, graduate, woman  # noqa: F401  (the fixtures: a course she completed)

pytestmark = pytest.mark.django_db


def test_the_contact_form_records_what_her_training_led_to(graduate, woman, county_chair, client_for):
    client = client_for(county_chair)
    url = reverse("contact_new", args=[woman.pk])
    form = client.get(url).content.decode()
    assert "培训成效" in form and "家政服务技能培训班" in form
    answer = client.post(url, {"contacted_on": timezone.localdate().isoformat(), "channel": "home_visit",
                               "client_token": "c-1", "outcome_completion": str(graduate.pk),
                               "outcome_kind": "income", "outcome_amount": "800"})
    assert answer.status_code == 302
    outcome = Outcome.objects.get()
    assert (outcome.kind, outcome.amount, outcome.contact_log_id) == ("income", 800, ContactLog.objects.get().pk)


def test_a_kind_without_a_training_is_a_form_error_and_saves_nothing(graduate, woman, county_chair, client_for):
    answer = client_for(county_chair).post(reverse("contact_new", args=[woman.pk]), {
        "contacted_on": timezone.localdate().isoformat(), "channel": "home_visit", "client_token": "c-2",
        "outcome_kind": "employed"})
    assert answer.status_code == 200 and "同时选择培训和成效" in answer.content.decode()
    assert not ContactLog.objects.exists() and not Outcome.objects.exists()


def test_the_api_records_it_and_refuses_someone_elses_completion_with_nothing_saved(graduate, woman, county_chair,
                                                                                    api_for):
    api = api_for(county_chair)
    body = {"contacted_on": timezone.localdate().isoformat(), "channel": "phone",
            "training_outcome": {"completion_id": graduate.pk, "kind": "employed"}}
    made = api.post(f"/api/v1/women/{woman.pk}/contacts", json.dumps(body), content_type="application/json")
    assert made.status_code == 201 and Outcome.objects.get().contact_log_id == made.json()["id"]
    other = woman_create(actor=county_chair, data=WomanData(name="李红", home_unit=woman.home_unit))
    refused = api.post(f"/api/v1/women/{other.pk}/contacts", json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and "没有这次培训" in refused.json()["detail"]
    assert ContactLog.objects.count() == 1 and Outcome.objects.count() == 1
