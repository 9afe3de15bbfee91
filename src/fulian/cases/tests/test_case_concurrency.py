"""Two cadres act on one case at the same moment (PostgreSQL: real row locks between real connections)."""

import threading

import pytest
from django.db import connection

from fulian.cases import services
from fulian.core.figures import period_of
from fulian.evaluation.models import Tally
from fulian.evaluation.tallies import figures_fold

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_two_notes_at_once_count_the_first_action_once(tree, unit, county_chair, province_chair, monkeypatch):
    case = services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    both_ready = threading.Barrier(2, timeout=10)
    may_handle = services.may_handle

    def meet_then_check(user, checked_case):  # both actions pass the check before either takes the lock
        both_ready.wait()
        return may_handle(user, checked_case)

    monkeypatch.setattr(services, "may_handle", meet_then_check)
    errors = []

    def note(actor):
        try:
            services.case_note(actor=actor, case=services.Case.objects.get(pk=case.pk), text="已联系")
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=note, args=(who,)) for who in (county_chair, province_chair)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert errors == []
    figures_fold()  # the figures a write adds wait in the journal until a fold; read them from Tally after it
    acted = Tally.objects.get(unit=unit("恒东社区"), period=period_of(case.created_at), metric="cases_acted")
    assert acted.value == 1
