"""Two cadres at the same moment (PostgreSQL, two connections): a share is never paid twice over, and a village
receiving two payments at once is counted reached once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.core.errors import Conflict
from fulian.core.figures import figure_values
from fulian.core.policy import Role
from fulian.funding.allocations import allocation_confirm, rule_clean
from fulian.funding.ledger import disbursement_post, receipt_post
from fulian.funding.models import Basis, Entry

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks between connections"),
    pytest.mark.django_db(transaction=True),
]


def _together(calls) -> list:
    start = threading.Barrier(len(calls), timeout=10)
    outcomes = []

    def run(call):
        try:
            start.wait()
            call()
            outcomes.append("ok")
        except Conflict as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return sorted(outcomes)


def test_a_share_is_paid_once_when_two_cadres_pay_it_together(unit, county_chair, heads):
    other = UserFactory(username="zd-staff", unit=unit("正定县"), roles=[Role.STAFF])
    today = timezone.localdate()
    allocation = allocation_confirm(actor=county_chair, unit=unit("正定县"), year=today.year, title="到乡",
                                    amount="1000.00", rule=rule_clean(unit("正定县"), basis=Basis.EQUAL),
                                    pay_by=today + dt.timedelta(days=5))
    share = allocation.shares.get(unit=unit("正定镇"))
    outcomes = _together([
        lambda who=who: disbursement_post(actor=who, unit=unit("正定县"), to_unit=unit("正定镇"), on_date=today,
                                          amount="500.00", share=share)
        for who in (county_chair, other)])
    assert outcomes == ["ok", "share_paid"]
    assert Entry.objects.filter(kind="disbursement").count() == 1
    share.refresh_from_db()
    assert share.paid == share.amount


def test_two_receipts_at_once_count_a_village_reached_once(unit, village_cadre):
    other = UserFactory(username="hd-staff", unit=unit("恒东社区"), roles=[Role.STAFF])
    today = timezone.localdate()
    outcomes = _together([
        lambda who=who: receipt_post(actor=who, unit=unit("恒东社区"), on_date=today, amount="100.00",
                                     source="parent")
        for who in (village_cadre, other)])
    assert outcomes == ["ok", "ok"]
    values = figure_values([unit("河北省").pk], ["funds_villages_reached", "funds_in_village"],
                           start=today.year * 100 + 1, end=today.year * 100 + 12)[unit("河北省").pk]
    assert values["funds_villages_reached"] == 1 and str(values["funds_in_village"]) == "200.00"
