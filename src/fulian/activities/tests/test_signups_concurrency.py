"""Two sign-ups at the same moment (PostgreSQL: real row locks between real connections): the last place goes to one
and the other waits; the same phone twice is one sign-up; the counters stay exact."""

import threading

import pytest
from django.db import connection

from fulian.activities import signups
from fulian.activities.models import Activity, SignUp, SignUpChannel, SignUpState
from fulian.portal.models import WomanAccount

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def at_once(monkeypatch, calls):
    """Run the sign-ups in threads that all pass the checks before any takes the activity's lock."""
    both_ready = threading.Barrier(len(calls), timeout=10)
    write = signups._signup_write

    def meet_then_write(**kwargs):
        both_ready.wait()
        return write(**kwargs)

    monkeypatch.setattr(signups, "_signup_write", meet_then_write)
    errors, made = [], []

    def run(kwargs):
        try:
            made.append(signups.signup_create(**kwargs))
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(kwargs,)) for kwargs in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert errors == []
    return made


@pytest.mark.django_db(transaction=True)
def test_two_women_at_once_for_the_last_place_one_gets_it_and_one_waits(activity, monkeypatch):
    Activity.objects.filter(pk=activity.pk).update(capacity=1)
    activity.refresh_from_db()
    accounts = [WomanAccount.objects.create(phone=p) for p in ("13800000001", "13800000002")]
    at_once(monkeypatch, [{"activity": activity, "name": "李秀梅", "channel": SignUpChannel.ACCOUNT, "account": a}
                          for a in accounts])
    assert sorted(SignUp.objects.values_list("state", flat=True)) == [SignUpState.CONFIRMED, SignUpState.WAITING]
    row = Activity.objects.get(pk=activity.pk)
    assert (row.signups_confirmed, row.signups_waiting) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_the_same_phone_twice_at_once_is_one_sign_up(activity, monkeypatch):
    account = WomanAccount.objects.create(phone="13800000001")
    made = at_once(monkeypatch, [{"activity": activity, "name": "李秀梅", "channel": SignUpChannel.ACCOUNT,
                                  "account": account, "client_token": f"tap-{i}-0123456789"} for i in (1, 2)])
    assert len({s.pk for s in made}) == 1 and SignUp.objects.count() == 1
    assert Activity.objects.get(pk=activity.pk).signups_confirmed == 1
