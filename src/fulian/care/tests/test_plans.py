"""Help plans: a contact log's need opens or joins a plan once; goals, help and the plan's close."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from fulian.care import plans
from fulian.care.models import GoalState, HelpGiven, HelpGoal, HelpPlan, PlanState
from fulian.contacts.models import Need
from fulian.contacts.services import contact_log_create
from fulian.core.errors import Conflict
from fulian.evaluation.recount import recount


def _needs(cadre, woman, *needs):
    today = timezone.localdate()
    log = contact_log_create(actor=cadre, woman=woman, contacted_on=today, channel="phone", today=today,
                             needs=list(needs))
    return list(Need.objects.filter(contact_log=log).order_by("id"))


@pytest.mark.django_db
def test_needs_open_one_plan_then_join_it(village_cadre, mother, mother_family, sibling_county_cadre):
    today = timezone.localdate()
    job, money = _needs(village_cadre, mother, ("employment", "想学家政"), ("hardship", "孩子学费困难"))
    first = plans.plan_from_need(actor=village_cadre, need_id=job.pk, today=today)
    second = plans.plan_from_need(actor=village_cadre, need_id=money.pk, today=today)
    assert first.plan_id == second.plan_id and HelpPlan.objects.count() == 1
    assert (first.category, second.category, second.text) == ("employment", "hardship", "孩子学费困难")
    with pytest.raises(Http404):
        plans.plan_from_need(actor=sibling_county_cadre, need_id=job.pk, today=today)
    with pytest.raises(Http404):
        plans.plan_from_need(actor=village_cadre, need_id=999999, today=today)

    plans.goal_close(actor=village_cadre, goal=second, state=GoalState.MET, today=today, resolution="助学金到位")
    money.refresh_from_db()
    assert (money.status, money.resolution) == ("met", "助学金到位")
    with pytest.raises(Conflict):
        plans.goal_close(actor=village_cadre, goal=HelpGoal.objects.get(pk=second.pk), state=GoalState.MET,
                         today=today)
    with pytest.raises(ValidationError):
        plans.plan_from_need(actor=village_cadre, need_id=money.pk, today=today)  # met already


@pytest.mark.django_db
def test_help_given_and_the_plans_close(village_cadre, mother, county_chair):
    today = timezone.localdate()
    plan = plans.plan_open(actor=village_cadre, woman=mother, title="困难帮扶", responsible=village_cadre,
                           review_on=today + dt.timedelta(days=30), today=today,
                           goals=[{"category": "hardship", "text": "冬季取暖"}])
    with pytest.raises(ValidationError):
        plans.help_add(actor=village_cadre, plan=plan, given_on=today, kind="money", provider="", today=today)
    with pytest.raises(ValidationError):
        plans.help_add(actor=village_cadre, plan=plan, given_on=today, kind="money", provider="县妇联", amount="abc",
                       today=today)
    plans.help_add(actor=village_cadre, plan=plan, given_on=today, kind="money", provider="县妇联", amount="500",
                   today=today, client_token="t1")
    plans.help_add(actor=village_cadre, plan=plan, given_on=today, kind="money", provider="县妇联", amount="500",
                   today=today, client_token="t1")
    assert HelpGiven.objects.count() == 1
    with pytest.raises(ValidationError):  # the responsible cadre must work there
        plans.plan_update(actor=village_cadre, plan=plan, version=plan.version, title="x", review_on=today,
                          responsible=county_chair.__class__.objects.create(username="nobody"))
    closed = plans.plan_close(actor=village_cadre, plan=plan, version=plan.version, outcome="goal_met", today=today)
    assert closed.state == PlanState.CLOSED and closed.goals.get().state == GoalState.DROPPED
    with pytest.raises(Conflict):
        plans.plan_close(actor=village_cadre, plan=plan, version=plan.version, outcome="goal_met", today=today)
    assert recount().differences == []
