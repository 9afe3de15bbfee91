"""Activities' figures: every one is in the registry the report forms offer, every one is recounted from the records,
completions and outcomes count per unit and up the tree by month and year, and an activity moved to another month
moves its 开展活动 with it — live figures equal to indicators_recount."""

import pytest
from django.utils import timezone

from fulian.activities import outcomes, services
from fulian.activities.figures import activity_figures
from fulian.activities.models import Attendance, SignUp
from fulian.core.figures import figure_get, figure_values, period_of
from fulian.evaluation.recount import recount
from fulian.people import families
from fulian.work.forms import TemplateFieldForm

from .conftest import at

pytestmark = pytest.mark.django_db

FIGURES = ["activities_held", "activity_signups", "activity_attendances", "women_reached", "families_reached",
           "trainings_completed", "outcomes_employed", "outcomes_business", "outcomes_income"]


def test_report_forms_offer_every_activities_figure():
    offered = {key for key, _label in TemplateFieldForm().fields["figure"].choices}
    assert set(FIGURES) <= offered
    assert all(figure_get(key).kind == "flow" for key in FIGURES)


def _participant(activity, county_chair, unit, *, family=None):
    now = timezone.now()
    signup = SignUp.objects.create(activity=activity, unit_path=activity.unit_path, name="王秀兰", phone="13900000001",
                                   channel="cadre", state="confirmed", created_at=now, confirmed_at=now, family=family)
    for session in activity.sessions.all():
        Attendance.objects.create(session=session, activity=activity, unit_path=activity.unit_path, signup=signup,
                                  family=family, name=signup.name, phone=signup.phone, method="tick",
                                  checked_at=session.starts_at)
    return signup


def test_every_activities_figure_is_recounted_from_the_records(activity, county_chair, unit):
    family = families.family_create(actor=county_chair, unit=unit("恒东社区"), name="王家")
    signup = _participant(activity, county_chair, unit, family=family)
    completion = outcomes.completion_record(actor=county_chair, signup=signup)
    for kind, amount in (("employed", None), ("business", None), ("income", 500)):
        outcomes.outcome_record(actor=county_chair, completion=completion, kind=kind, amount=amount,
                                recorded_on=timezone.localdate())
    counted = {metric for _path, _period, metric, n in activity_figures() if n}
    assert {figure_get(key).metric for key in FIGURES} <= counted


def test_completions_and_outcomes_count_per_unit_up_the_tree_by_month_and_year(activity, county_chair, unit):
    completion = outcomes.completion_record(actor=county_chair, signup=_participant(activity, county_chair, unit))
    outcomes.outcome_record(actor=county_chair, completion=completion, kind="employed",
                            recorded_on=timezone.localdate())
    month, year = period_of(timezone.now()), timezone.localdate().year
    keys = ["trainings_completed", "outcomes_employed"]
    ids = [unit(name).pk for name in ("正定县", "石家庄市", "河北省", "行唐县", "正定镇")]
    by_month = figure_values(ids, keys, start=month, end=month)
    by_year = figure_values(ids, keys, start=year * 100 + 1, end=year * 100 + 12)
    for name, expected in (("正定县", 1), ("石家庄市", 1), ("河北省", 1), ("行唐县", 0), ("正定镇", 0)):
        assert by_month[unit(name).pk] == by_year[unit(name).pk] == dict.fromkeys(keys, expected), name
    mine = set(keys) | {"outcomes_business", "outcomes_income"}
    assert [d for d in recount().differences if d[2] in mine] == []


def test_an_activity_moved_to_another_month_moves_its_count(activity, county_chair, unit):
    later = at(70)
    services.activity_save(actor=county_chair, unit=unit("正定县"), activity=activity, version=activity.version,
                           values={"title": "家政服务技能培训班", "kind": "course", "address": "县文化馆"},
                           sessions=[(later, at(70, 11))])
    held = figure_values([unit("正定县").pk], ["activities_held"], start=period_of(at(2)), end=period_of(at(2)))
    moved = figure_values([unit("正定县").pk], ["activities_held"], start=period_of(later), end=period_of(later))
    assert held[unit("正定县").pk]["activities_held"] == 0 and moved[unit("正定县").pk]["activities_held"] == 1
    assert recount().differences == []
