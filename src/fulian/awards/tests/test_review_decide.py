"""Deciding level by level: recommend up within the unit's quota (a clear message when it is full), keep, decline
with a reason, shortlist by tier at the awarding unit; a stale version is a conflict and a double tap one
decision; after the review deadline only the awarding unit's leaders decide; 撤回 frees the quota place; the
eligibility check holds a nomination without telling the actor; figures equal the recount."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from fulian.awards import review
from fulian.awards.models import Decision, DecisionKind, Nomination, NominationState
from fulian.cases.services import case_intake
from fulian.core.errors import Conflict
from fulian.core.figures import figure_values, period_of
from fulian.core.policy import OutOfScope

from .test_review_support import after_deadline, nominate

pytestmark = pytest.mark.django_db


def recount_agrees():
    call_command("indicators_recount", stdout=StringIO())  # exits non-zero on any difference


def reviewed_at(unit) -> int:
    from django.utils import timezone

    month = period_of(timezone.now())
    return figure_values([unit.pk], ["award_reviewed"], start=month, end=month)[unit.pk]["award_reviewed"]


def test_a_village_recommends_up_to_its_township_and_the_figure_counts_at_the_village(campaign, unit,
                                                                                        village_cadre):
    n = nominate(campaign, unit("恒东社区"), "王秀兰家")
    done = review.decide(actor=village_cadre, nomination=n, kind=DecisionKind.RECOMMEND)
    assert (done.at_unit.name, done.level_reached, done.state) == ("正定镇", 4, NominationState.PENDING)
    assert reviewed_at(unit("恒东社区")) == 1 and reviewed_at(unit("正定县")) == 1
    recount_agrees()


def test_quota_overflow_is_refused_with_a_message_naming_the_quota_and_the_used(campaign, unit, county_chair):
    county = unit("正定县")
    first, second = (nominate(campaign, unit("恒东社区"), name, at=county) for name in ("王家", "李家"))
    review.decide(actor=county_chair, nomination=first, kind=DecisionKind.RECOMMEND)
    with pytest.raises(ValidationError) as refused:
        review.decide(actor=county_chair, nomination=second, kind=DecisionKind.RECOMMEND)
    assert refused.value.messages == ["正定县推荐名额为1个，已推荐1个。"]
    assert Nomination.objects.get(pk=second.pk).at_unit == county
    assert review.quota_of_unit(campaign, county) == {"quota": 1, "used": 1, "left": 0}


def test_undo_frees_the_quota_place_and_takes_the_figure_back(campaign, unit, county_chair):
    county = unit("正定县")
    first, second = (nominate(campaign, unit("恒东社区"), name, at=county) for name in ("王家", "李家"))
    review.decide(actor=county_chair, nomination=first, kind=DecisionKind.RECOMMEND)
    assert reviewed_at(county) == 1
    back = review.decision_undo(actor=county_chair, nomination=first)
    assert (back.at_unit, back.level_reached, back.state) == (county, 3, NominationState.PENDING)
    assert reviewed_at(county) == 0 and review.quota_used(campaign, county) == 0
    review.decide(actor=county_chair, nomination=second, kind=DecisionKind.RECOMMEND)
    assert Nomination.objects.get(pk=second.pk).at_unit.name == "石家庄市"
    recount_agrees()


def test_undo_is_refused_once_the_parent_has_decided(campaign, unit, county_chair, city_chair):
    n = nominate(campaign, unit("恒东社区"), "王家", at=unit("正定县"))
    review.decide(actor=county_chair, nomination=n, kind=DecisionKind.RECOMMEND)
    review.decide(actor=city_chair, nomination=n, kind=DecisionKind.SHORTLIST, tier="百优")
    with pytest.raises(ValidationError) as refused:
        review.decision_undo(actor=county_chair, nomination=n)
    assert refused.value.code == "award_undo_late"


def test_a_decline_is_not_taken_back(campaign, unit, township_cadre):
    n = nominate(campaign, unit("恒东社区"), "王家", at=unit("正定镇"))
    review.decide(actor=township_cadre, nomination=n, kind=DecisionKind.DECLINE, reason="事迹不够突出")
    assert review.undoable(Nomination.objects.get(pk=n.pk)) is None
    with pytest.raises(ValidationError) as refused:
        review.decision_undo(actor=township_cadre, nomination=n)
    assert refused.value.code == "award_undo_decline"


def test_a_cadre_below_may_not_undo_the_county_decision(campaign, unit, county_chair, township_cadre):
    n = nominate(campaign, unit("恒东社区"), "王家", at=unit("正定县"))
    review.decide(actor=county_chair, nomination=n, kind=DecisionKind.KEEP)
    with pytest.raises(OutOfScope):
        review.decision_undo(actor=township_cadre, nomination=n)


def test_keep_and_decline_with_its_reason(campaign, unit, township_cadre):
    kept, declined = (nominate(campaign, unit("恒东社区"), name, at=unit("正定镇")) for name in ("王家", "李家"))
    assert review.decide(actor=township_cadre, nomination=kept, kind=DecisionKind.KEEP).state == NominationState.KEPT
    with pytest.raises(ValidationError) as refused:
        review.decide(actor=township_cadre, nomination=declined, kind=DecisionKind.DECLINE)
    assert refused.value.code == "award_reason"
    done = review.decide(actor=township_cadre, nomination=declined, kind=DecisionKind.DECLINE, reason="事迹不够突出")
    assert (done.state, done.reason) == (NominationState.DECLINED, "事迹不够突出")


def test_each_level_has_its_own_decisions(campaign, unit, township_cadre, city_chair):
    below = nominate(campaign, unit("恒东社区"), "王家", at=unit("正定镇"))
    top = nominate(campaign, unit("恒东社区"), "李家", at=unit("石家庄市"))
    for actor, n, kind in ((township_cadre, below, DecisionKind.SHORTLIST), (city_chair, top, DecisionKind.KEEP),
                           (city_chair, top, DecisionKind.RECOMMEND)):
        with pytest.raises(ValidationError) as refused:
            review.decide(actor=actor, nomination=n, kind=kind)
        assert refused.value.code == "award_decision_kind"


def test_shortlist_needs_a_tier_and_keeps_within_its_quota(campaign, unit, city_chair):
    city = unit("石家庄市")
    first, second = (nominate(campaign, unit("恒东社区"), name, at=city) for name in ("王家", "李家"))
    with pytest.raises(ValidationError) as refused:
        review.decide(actor=city_chair, nomination=first, kind=DecisionKind.SHORTLIST)
    assert refused.value.code == "award_tier"
    done = review.decide(actor=city_chair, nomination=first, kind=DecisionKind.SHORTLIST, tier="十佳")
    assert (done.state, done.tier) == (NominationState.SHORTLISTED, "十佳")
    with pytest.raises(ValidationError) as refused:
        review.decide(actor=city_chair, nomination=second, kind=DecisionKind.SHORTLIST, tier="十佳")
    assert refused.value.messages == ["“十佳”名额为1个，已确定入围1个。"]
    assert review.decide(actor=city_chair, nomination=second, kind=DecisionKind.SHORTLIST, tier="百优").tier == "百优"
    assert [(t["name"], t["used"], t["left"]) for t in review.tiers_of(campaign)] == [("十佳", 1, 0), ("百优", 1, 1)]
    recount_agrees()


def test_a_stale_version_is_a_conflict_and_a_double_tap_is_one_decision(campaign, unit, village_cadre):
    n = nominate(campaign, unit("恒东社区"), "王家")
    seen = n.version
    review.decide(actor=village_cadre, nomination=n, kind=DecisionKind.RECOMMEND, version=seen)
    again = review.decide(actor=village_cadre, nomination=n, kind=DecisionKind.RECOMMEND, version=seen)
    assert again.at_unit.name == "正定镇"
    assert Decision.objects.filter(nomination=n).count() == 1
    with pytest.raises(Conflict):
        review.decide(actor=village_cadre, nomination=n, kind=DecisionKind.KEEP, version=seen)


def test_after_the_deadline_only_the_awarding_unit_leaders_decide(campaign, unit, county_chair, city_chair):
    n = nominate(campaign, unit("恒东社区"), "王家", at=unit("正定县"))
    late = after_deadline(campaign)
    with pytest.raises(ValidationError) as refused:
        review.decide(actor=county_chair, nomination=n, kind=DecisionKind.RECOMMEND, now=late)
    assert "只有石家庄市的主席、副主席可以作出决定" in refused.value.messages[0]
    done = review.decide(actor=city_chair, nomination=n, kind=DecisionKind.RECOMMEND, now=late)
    assert done.at_unit.name == "石家庄市"


def test_an_outsider_may_not_decide(campaign, unit, sibling_county_cadre, village_cadre):
    n = nominate(campaign, unit("恒东社区"), "王家", at=unit("正定镇"))
    for outsider in (sibling_county_cadre, village_cadre):  # the village is below the township holding it
        with pytest.raises(OutOfScope):
            review.decide(actor=outsider, nomination=n, kind=DecisionKind.KEEP)


def test_eligibility_holds_it_and_the_actor_is_answered_as_for_any_decision(campaign, unit, family, woman,
                                                                           village_cadre, county_chair):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    n = nominate(campaign, unit("恒东社区"), family.name, family=family,
                 members=[{"name": woman.name, "relation": "本人", "woman_id": woman.pk, "consent": True}])
    answer = review.decide(actor=village_cadre, nomination=n, kind=DecisionKind.RECOMMEND)
    assert answer.state == NominationState.HELD and answer.at_unit.name == "恒东社区"
    from fulian.awards.eligibility import reason_shown, state_label

    assert state_label(village_cadre, answer) == "未推荐"
    assert reason_shown(village_cadre, answer) == "经评审，未予推荐。"
    assert state_label(county_chair, answer) == "待核查"
    # not the recommendation: what stands is an ordinary decline by the village (counted as one), no quota used
    assert [(d.kind, d.unit.name) for d in Decision.objects.filter(nomination=n)] == [
        (DecisionKind.DECLINE, "恒东社区")]
    assert review.quota_used(campaign, unit("恒东社区")) == 0
    recount_agrees()


def test_cleared_check_carries_out_the_recommendation(campaign, unit, family, woman, village_cadre, county_chair):
    from fulian.awards.eligibility import eligibility_decide
    from fulian.awards.models import EligibilityCheck

    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    n = nominate(campaign, unit("恒东社区"), family.name, family=family,
                 members=[{"name": woman.name, "relation": "本人", "woman_id": woman.pk, "consent": True}])
    review.decide(actor=village_cadre, nomination=n, kind=DecisionKind.RECOMMEND)
    done = eligibility_decide(actor=county_chair, check=EligibilityCheck.objects.get(nomination=n), clear=True)
    assert (done.state, done.at_unit.name) == (NominationState.PENDING, "正定镇")
    assert Decision.objects.get(nomination=n, kind=DecisionKind.RECOMMEND).unit.name == "恒东社区"
    recount_agrees()
