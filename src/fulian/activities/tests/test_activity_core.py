"""The core of an activity: saved with its sessions, published once, edited with its version, cancelled with a
reason; bad times and places save nothing; an outsider may not organise for the county."""

import pytest
from django.core.exceptions import ValidationError

from fulian.activities import services
from fulian.activities.models import Activity, ActivityStatus
from fulian.core.errors import Conflict
from fulian.core.figures import figure_values, period_of
from fulian.core.policy import OutOfScope

from .conftest import at

pytestmark = pytest.mark.django_db

VALUES = {"title": "家风讲坛", "kind": "lecture", "address": "正定县文化馆", "audience": "open"}


def test_an_activity_is_saved_with_sessions_in_time_order_and_published_once(activity, unit):
    assert activity.status == ActivityStatus.PUBLISHED
    assert [s.number for s in activity.sessions.all()] == [1, 2]
    assert (activity.starts_at, activity.ends_at) == (at(2), at(3, 11))
    with pytest.raises(Conflict):
        services.activity_publish(actor=activity.created_by, activity=activity)
    held = figure_values([unit("石家庄市").pk], ["activities_held"], start=period_of(at(2)), end=period_of(at(2)))
    assert held[unit("石家庄市").pk]["activities_held"] == 1


def test_the_same_client_token_saves_one_activity(unit, county_chair):
    for _ in range(2):
        services.activity_save(actor=county_chair, unit=unit("正定县"), values=VALUES,
                               sessions=[(at(1), at(1, 11))], client_token="tok-1")
    assert Activity.objects.count() == 1


@pytest.mark.parametrize("sessions,code", [
    ([], "session_none"),
    ([(at(1, 11), at(1, 9))], "session_order"),
    ([(at(1), at(9))], "session_too_long"),
])
def test_bad_sessions_save_nothing(unit, county_chair, sessions, code):
    with pytest.raises(ValidationError) as refused:
        services.activity_save(actor=county_chair, unit=unit("正定县"), values=VALUES, sessions=sessions)
    assert refused.value.code == code and not Activity.objects.exists()


def test_a_place_is_required_and_capacity_is_positive(unit, county_chair):
    with pytest.raises(ValidationError, match="活动地点"):
        services.activity_save(actor=county_chair, unit=unit("正定县"), values={**VALUES, "address": ""},
                               sessions=[(at(1), at(1, 11))])
    with pytest.raises(ValidationError, match="名额"):
        services.activity_save(actor=county_chair, unit=unit("正定县"), values={**VALUES, "capacity": 0},
                               sessions=[(at(1), at(1, 11))])


def test_a_stale_edit_is_a_conflict_and_a_cancel_needs_a_reason(activity, county_chair, unit):
    services.activity_save(actor=county_chair, unit=unit("正定县"), activity=activity, version=activity.version,
                           values={**VALUES, "capacity": 5}, sessions=[(at(2), at(2, 11))])
    with pytest.raises(Conflict):
        services.activity_save(actor=county_chair, unit=unit("正定县"), activity=activity, version=activity.version,
                               values=VALUES, sessions=[(at(2), at(2, 11))])
    with pytest.raises(ValidationError, match="取消原因"):
        services.activity_cancel(actor=county_chair, activity=activity, reason=" ")
    services.activity_cancel(actor=county_chair, activity=activity, reason="天气原因")
    held = figure_values([unit("正定县").pk], ["activities_held"], start=period_of(at(2)), end=period_of(at(2)))
    assert held[unit("正定县").pk]["activities_held"] == 0


def test_the_next_county_may_not_organise_for_this_one(unit, sibling_county_cadre):
    with pytest.raises(OutOfScope):
        services.activity_save(actor=sibling_county_cadre, unit=unit("正定县"), values=VALUES,
                               sessions=[(at(1), at(1, 11))])
