"""Dates in <input type=date> are ISO: every date field shows its saved value and survives a save."""

import datetime as dt
import importlib

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from fulian.core.forms import DateInput

FORM_MODULES = ["fulian.contacts.forms", "fulian.evaluation.forms", "fulian.orgs.forms_homes", "fulian.people.forms",
                "fulian.accounts.forms", "fulian.cases.forms", "fulian.orgs.forms", "fulian.supervision.forms",
                "fulian.activities.forms", "fulian.care.forms_registry", "fulian.care.forms_plans",
                "fulian.care.forms_resources", "fulian.funding.forms_ledger", "fulian.funding.forms_allocations",
                "fulian.consultations.forms", "fulian.core.forms_audit"]


def _date_fields():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, forms.BaseForm) and form.__module__ == name:
                for field_name, field in form.base_fields.items():
                    if isinstance(field, forms.DateField):
                        yield f"{form.__name__}.{field_name}", field


def test_the_scan_finds_the_date_fields():
    assert len(list(_date_fields())) >= 8


@pytest.mark.parametrize("label,field", list(_date_fields()), ids=lambda v: v if isinstance(v, str) else "")
def test_every_date_field_renders_iso_in_chinese(label, field):
    with translation.override("zh-hans"):
        assert isinstance(field.widget, DateInput), label
        html = field.widget.render("d", dt.date(2026, 3, 8))
    assert 'value="2026-03-08"' in html and 'type="date"' in html


@pytest.mark.django_db
def test_editing_a_woman_keeps_her_consent_date(client_for, county_chair, unit):
    from fulian.people.models import Woman
    from fulian.people.services import WomanData, woman_create

    woman = woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                           consent_purpose="妇联联系服务",
                                                           consent_on=dt.date(2026, 3, 8)))
    page = client_for(county_chair).get(reverse("woman_edit", args=[woman.pk]))
    assert 'value="2026-03-08"' in page.content.decode()
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {k: v for k, v in data.items() if v is not None}
    saved = client_for(county_chair).post(reverse("woman_edit", args=[woman.pk]), data)
    assert saved.status_code == 302, saved.context["form"].errors
    assert Woman.objects.get(pk=woman.pk).consent_on == dt.date(2026, 3, 8)
