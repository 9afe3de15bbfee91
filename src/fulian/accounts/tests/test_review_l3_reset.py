"""Review of issue 21 (level 3): a chair resets a factor because a phone is lost — the sessions on that phone must not
outlive the factor (a finder holding a verified session would otherwise enrol his own factor, or, for an optional
factor, simply go on)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fulian.accounts import twofactor
from fulian.accounts.models import CadreSession
from fulian.accounts.tests.security_helpers import totp_enrolled, verified_client
from fulian.core.models import AuditEvent

START = dt.datetime(2026, 11, 25, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _duty_on(settings):
    settings.SECOND_FACTOR_REQUIRED = True


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["county_chair", "village_cadre"])  # a required factor, an optional one
def test_a_reset_signs_out_her_sessions(request, province_chair, who):
    account = request.getfixturevalue(who)
    with time_machine.travel(START, tick=False):
        totp_enrolled(account)
        totp_enrolled(province_chair)
    lost_phone = verified_client(account)
    assert lost_phone.get("/account/").status_code == 200
    assert CadreSession.objects.filter(user=account).count() == 1
    twofactor.second_factor_reset(actor=province_chair, account=account, password="Xinmima2026fl")
    answer = lost_phone.get("/account/")
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("login"))
    assert lost_phone.get(reverse("twofactor_totp")).status_code == 302  # no enrolment in that session either
    assert not CadreSession.objects.filter(user=account).exists()
    assert AuditEvent.objects.get(action="2fa.reset").changes["sessions_ended"] == 1
