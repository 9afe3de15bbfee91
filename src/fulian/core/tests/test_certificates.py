"""Numbered certificates with a public check (the kit; service hours are its first use)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from fulian.core.certificates import certificate_code, certificate_revoke, masked_holder
from fulian.core.models import AuditEvent, Certificate
from fulian.orgs import building


@pytest.fixture
def volunteer(county_chair, unit):
    volunteer = building.volunteer_add(actor=county_chair, unit=unit("正定县"), name="李秀梅")
    building.service_record_add(actor=county_chair, volunteer=volunteer, served_on=dt.date(2026, 11, 1), hours=3.5,
                                activity="陪伴留守儿童", today=dt.date(2026, 11, 25))
    return volunteer


@pytest.mark.django_db
def test_a_certificate_is_numbered_once_and_checked_by_anyone(client_for, county_chair, volunteer):
    page = client_for(county_chair)
    url = reverse("volunteer_certificate", args=[volunteer.pk])
    page.post(url)
    page.post(url)  # a double click issues nothing more
    certificate = Certificate.objects.get()
    assert certificate.number.startswith("FL") and "3.5" in certificate.title
    assert AuditEvent.objects.filter(action="certificate.issue").count() == 1
    shown = page.get(url).content.decode()
    assert certificate.number in shown and "<svg" in shown and certificate_code(certificate) in shown
    check = Client().get(reverse("certificate_verify", args=[certificate_code(certificate)]))
    text = check.content.decode()
    assert check.status_code == 200 and "真实有效" in text and "李*梅" in text and "李秀梅" not in text


@pytest.mark.django_db
def test_a_wrong_code_finds_nothing_and_a_revoked_one_says_so(county_chair, volunteer):
    certificate = building.volunteer_certificate_issue(actor=county_chair, volunteer=volunteer)
    forged = certificate.number + "-00000000"
    assert Client().get(reverse("certificate_verify", args=[forged])).status_code == 404
    certificate_revoke(actor=county_chair, certificate=certificate)
    assert "已作废" in Client().get(reverse("certificate_verify", args=[certificate_code(certificate)])
                                   ).content.decode()


@pytest.mark.django_db
def test_checks_are_rate_limited_per_address(county_chair, volunteer, settings):
    settings.CERTIFICATE_CHECKS_PER_HOUR = 2
    code = certificate_code(building.volunteer_certificate_issue(actor=county_chair, volunteer=volunteer))
    answers = [Client().get(reverse("certificate_verify", args=[code])).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


@pytest.mark.django_db
def test_a_view_only_member_sees_the_page_but_issues_nothing(client_for, unit, volunteer):
    from fulian.accounts.tests.factories import UserFactory

    member = UserFactory(username="zd-exec", unit=unit("正定县"), roles=["executive"])
    page = client_for(member)
    assert page.get(reverse("volunteer_certificate", args=[volunteer.pk])).status_code == 200
    page.post(reverse("volunteer_certificate", args=[volunteer.pk]))
    assert not Certificate.objects.exists()


@pytest.mark.django_db
def test_certificates_through_the_api(api_for, county_chair, sibling_county_cadre, volunteer):
    issued = api_for(county_chair).post(f"/api/v1/volunteers/{volunteer.pk}/certificate").json()
    assert issued["holder"] == "李秀梅" and issued["verify_url"].endswith(f"/verify/{issued['code']}/")
    public = Client().get(f"/api/v1/public/certificates/{issued['code']}").json()
    assert public["holder"] == "李*梅" and public["is_valid"] is True
    assert api_for(sibling_county_cadre).post(f"/api/v1/volunteers/{volunteer.pk}/certificate").status_code == 404


def test_names_are_masked_as_on_paper():
    assert [masked_holder(n) for n in ("王秀兰", "李梅", "欧阳娜娜", "英")] == ["王*兰", "李*", "欧**娜", "英"]
