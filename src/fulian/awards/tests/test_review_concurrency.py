"""Two reviewers of a county recommend at the same moment with one place left (PostgreSQL: real row locks between
real connections): one recommendation goes up, the other is refused with the quota's message; the quota, the
figures and the recount stay exact."""

import threading
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection

from fulian.accounts.tests.factories import UserFactory
from fulian.awards import review
from fulian.awards.models import Decision, DecisionKind, Nomination
from fulian.core.policy import Role

from .test_review_support import nominate

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_racing_for_the_last_place_one_goes_up_one_is_refused(campaign, unit, monkeypatch):
    county = unit("正定县")
    reviewers = [UserFactory(username=f"county-{i}", unit=county, roles=[Role.STAFF]) for i in range(2)]
    nominations = [nominate(campaign, unit("恒东社区"), name, at=county) for name in ("王家", "李家")]
    both_ready = threading.Barrier(2, timeout=10)
    closed = review.review_closed_message

    def meet_then_check(*args, **kwargs):  # both pass every check before either takes the campaign's lock
        both_ready.wait()
        return closed(*args, **kwargs)

    monkeypatch.setattr(review, "review_closed_message", meet_then_check)
    refused, errors = [], []

    def run(actor, nomination):
        try:
            review.decide(actor=actor, nomination=nomination, kind=DecisionKind.RECOMMEND)
        except ValidationError as exc:
            refused.append(exc.messages)
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in zip(reviewers, nominations, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert refused == [["正定县推荐名额为1个，已推荐1个。"]]
    assert Decision.objects.filter(kind=DecisionKind.RECOMMEND, unit=county).count() == 1
    assert sorted(Nomination.objects.values_list("at_unit__name", flat=True)) == ["正定县", "石家庄市"]
    call_command("indicators_recount", stdout=StringIO())
