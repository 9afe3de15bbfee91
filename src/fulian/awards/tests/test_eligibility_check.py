"""Eligibility: an open family case of a member holds the nomination for those with need-to-know; everyone else
sees an ordinary 未推荐; every check is in the read log."""

import pytest
from django.utils import timezone

from fulian.awards import nominations
from fulian.awards.eligibility import (
    checks_for,
    eligibility_check,
    eligibility_decide,
    history_for,
    reason_shown,
    state_label,
    state_shown,
)
from fulian.awards.models import Decision, DecisionKind, EligibilityCheck, Nomination, NominationState
from fulian.cases.services import case_intake
from fulian.core.models import ReadLog


def nomination_of(family, campaign, actor):
    return nominations.nomination_create(actor=actor, campaign=campaign, channel="org", family=family,
                                         story="孝老爱亲二十年，邻里和睦，热心公益，远近闻名。",
                                         members=[{"name": "王秀兰", "consent": True}])


@pytest.fixture
def nomination(family, campaign, village_cadre):
    return nomination_of(family, campaign, village_cadre)


@pytest.fixture
def open_case(unit, woman):
    return case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)


def test_no_open_case_lets_it_move_on_and_the_check_is_in_the_read_log(nomination, village_cadre):
    assert eligibility_check(nomination=nomination, actor=village_cadre, kind="recommend") is True
    assert ReadLog.objects.filter(purpose="award_eligibility", object_id=str(nomination.pk)).count() == 1
    nomination.refresh_from_db()
    assert nomination.state == NominationState.PENDING and nomination.eligibility_checked_at is not None
    # asked once: a later move on does not ask again
    assert eligibility_check(nomination=nomination, actor=village_cadre) is True
    assert ReadLog.objects.filter(purpose="award_eligibility").count() == 1


def test_open_case_holds_it_and_hides_the_reason_from_a_cadre_without_need_to_know(
        nomination, open_case, village_cadre, township_cadre, county_chair):
    assert eligibility_check(nomination=nomination, actor=village_cadre, kind="recommend") is False
    assert ReadLog.objects.filter(purpose="award_eligibility", actor=village_cadre).exists()
    nomination = Nomination.objects.get(pk=nomination.pk)
    assert nomination.state == NominationState.HELD
    check = EligibilityCheck.objects.get(nomination=nomination)
    assert (check.case_id, check.wanted_kind, check.wanted_unit.name) == (open_case.pk, "recommend", "恒东社区")
    for outsider in (village_cadre, township_cadre):
        fresh = Nomination.objects.get(pk=nomination.pk)
        assert state_shown(outsider, fresh) == NominationState.DECLINED
        assert state_label(outsider, fresh) == "未推荐"
        assert reason_shown(outsider, fresh) == "经评审，未予推荐。"
        assert checks_for(outsider) == []
    assert state_label(county_chair, nomination) == "待核查"  # the county's chair leads the case's unit
    assert [c.pk for c in checks_for(county_chair)] == [check.pk]
    # asked again while held: still no
    assert eligibility_check(nomination=nomination, actor=village_cadre) is False


def test_not_eligible_stays_declined_and_history_reads_as_an_ordinary_decline(
        nomination, open_case, village_cadre, county_chair):
    eligibility_check(nomination=nomination, actor=village_cadre, kind="recommend")
    check = EligibilityCheck.objects.get(nomination=nomination)
    done = eligibility_decide(actor=county_chair, check=check, clear=False, note="案件未结")
    assert done.state == NominationState.DECLINED and done.reason == "经评审，未予推荐。"
    # the hold stood as an ordinary decline by the holding unit; the check's own row is for need-to-know only
    assert [d.kind for d in Decision.objects.filter(nomination=nomination).order_by("pk")] == [
        DecisionKind.DECLINE, DecisionKind.HOLD_DECLINE]
    shown = history_for(village_cadre, Nomination.objects.get(pk=nomination.pk))
    assert [(d.kind, d.reason, d.decided_by) for d in shown] == [
        (DecisionKind.DECLINE, "经评审，未予推荐。", village_cadre)]
    assert history_for(county_chair, done)[-1].kind == DecisionKind.HOLD_DECLINE
    assert eligibility_check(nomination=done, actor=village_cadre) is False


def test_cleared_goes_back_to_pending_and_the_clearance_is_hidden_from_others(
        nomination, open_case, village_cadre, county_chair):
    eligibility_check(nomination=nomination, actor=village_cadre)
    check = EligibilityCheck.objects.get(nomination=nomination)
    done = eligibility_decide(actor=county_chair, check=check, clear=True)
    assert done.state == NominationState.PENDING
    assert history_for(village_cadre, done) == []
    assert eligibility_check(nomination=done, actor=village_cadre) is True


def test_only_need_to_know_may_decide(nomination, open_case, village_cadre, sibling_county_cadre):
    from django.http import Http404

    eligibility_check(nomination=nomination, actor=village_cadre)
    check = EligibilityCheck.objects.get(nomination=nomination)
    for outsider in (village_cadre, sibling_county_cadre):
        with pytest.raises(Http404):
            eligibility_decide(actor=outsider, check=check, clear=True)


def test_a_cleared_hold_carries_out_the_decision_the_unit_wanted(nomination, open_case, village_cadre, county_chair):
    from io import StringIO

    from django.core.management import call_command

    from fulian.awards import review

    held = review.decide(actor=village_cadre, nomination=nomination, kind=DecisionKind.RECOMMEND)
    assert held.state == NominationState.HELD and held.at_unit.name == "恒东社区"
    assert not Decision.objects.filter(nomination=nomination, kind=DecisionKind.RECOMMEND).exists()
    check = EligibilityCheck.objects.get(nomination=nomination)
    done = eligibility_decide(actor=county_chair, check=check, clear=True, note="已调解结案")
    assert (done.state, done.at_unit.name, done.level_reached) == (NominationState.PENDING, "正定镇", 4)
    recommended = Decision.objects.get(nomination=nomination, kind=DecisionKind.RECOMMEND)
    assert recommended.decided_by == village_cadre and recommended.unit.name == "恒东社区"
    call_command("indicators_recount", stdout=StringIO())


def test_a_hold_counts_as_an_ordinary_decline_in_the_figures_until_it_is_cleared(
        nomination, open_case, village_cadre, county_chair):
    """A village that declines one family and has another held shows two reviews either way (the figure would
    otherwise give the hold away); clearing takes the hold's decline back and the wanted decision counts instead."""
    from fulian.core.figures import figure_values, period_of
    from fulian.evaluation.recount import recount

    def reviewed():
        period = period_of(timezone.now())
        values = figure_values([nomination.unit_id], ["award_reviewed"], start=period, end=period)
        return values[nomination.unit_id]["award_reviewed"]

    eligibility_check(nomination=nomination, actor=village_cadre, kind="recommend")
    assert reviewed() == 1 and recount().differences == []
    check = EligibilityCheck.objects.get(nomination=nomination)
    done = eligibility_decide(actor=county_chair, check=check, clear=True)
    assert reviewed() == 1 and recount().differences == []  # the decline taken back, the recommendation made
    assert [d.kind for d in history_for(village_cadre, done)] == [DecisionKind.RECOMMEND]
