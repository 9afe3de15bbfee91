"""Review of issue 21 (level 3): the concurrent-session limit holds when two sign-ins happen at once (PostgreSQL:
real row locks between real connections)."""

import contextlib
import threading

import pytest
from django.db import connection

from fulian.accounts import sessions
from fulian.accounts.models import CadreSession
from fulian.accounts.tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_two_sign_ins_at_once_keep_to_the_limit(settings, monkeypatch):
    settings.SESSIONS_PER_ACCOUNT = 3
    cadre = UserFactory(username="village-cadre-x")
    for key in ("a" * 32, "b" * 32):
        sessions.session_start(user=cadre, session_key=key, user_agent="", ip=None)
    # each sign-in waits, with its own row written and not yet committed, for the other to write its row too; when
    # the other cannot come (it waits for the account's lock) the wait gives up and the sign-in goes on
    both_written = threading.Barrier(2, timeout=3)
    write = CadreSession.objects.update_or_create

    def write_then_meet(**kwargs):
        row = write(**kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_written.wait()
        return row

    monkeypatch.setattr(CadreSession.objects, "update_or_create", write_then_meet)
    errors = []

    def sign_in(key):
        try:
            sessions.session_start(user=cadre, session_key=key, user_agent="", ip=None)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in, args=(key,)) for key in ("c" * 32, "d" * 32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert errors == []
    assert CadreSession.objects.filter(user=cadre).count() == 3
