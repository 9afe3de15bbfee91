"""The recipient table has no foreign-key constraints in the database (dispatch/models.py says why): the ORM
keeps its keys whole instead — a unit that received work cannot be deleted, a dispatch takes its copies with it."""

import datetime as dt

import pytest
from django.db.models import ProtectedError
from django.utils import timezone

from fulian.dispatch.models import Dispatch, Recipient, Rollup
from fulian.dispatch.services import dispatch_send, recipient_delegate


@pytest.fixture
def sent(unit, province_chair, county_chair):
    dispatch = dispatch_send(actor=province_chair, kind="test", unit=unit("河北省"), title="t", level=3,
                             deadline=timezone.now() + dt.timedelta(days=3))
    recipient_delegate(actor=county_chair, recipient=Recipient.objects.get(dispatch=dispatch, unit=unit("正定县")),
                       level=4)
    return dispatch


def test_a_unit_that_received_work_cannot_be_deleted(sent, unit):
    with pytest.raises(ProtectedError) as refused:
        unit("正定镇").delete()
    assert any(isinstance(obj, Recipient) for obj in refused.value.protected_objects)


def test_a_dispatch_takes_its_copies_and_roll_up_with_it(sent):
    assert Recipient.objects.count() == 4 and Rollup.objects.exists()
    Dispatch.objects.get(pk=sent.pk).delete()
    assert not Recipient.objects.exists() and not Rollup.objects.exists()


def test_a_unit_receives_a_dispatch_once(sent, unit, county_chair):
    from django.core.exceptions import ValidationError

    county = Recipient.objects.get(dispatch=sent, unit=unit("正定县"))
    with pytest.raises(ValidationError, match="都已收到"):
        recipient_delegate(actor=county_chair, recipient=county, level=4)
    assert Recipient.objects.filter(dispatch=sent, unit=unit("正定镇")).count() == 1
