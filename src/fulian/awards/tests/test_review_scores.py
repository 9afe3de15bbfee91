"""Scores: each reviewer of the unit holding a nomination scores every criterion within its full marks (a clear
message otherwise); saving again replaces hers; once the unit has decided nobody scores there any more; the
summary shows each reviewer, the average, the outliers and the live votes beside."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from fulian.accounts.tests.factories import UserFactory
from fulian.awards import review
from fulian.awards.models import DecisionKind, Score
from fulian.core.policy import OutOfScope, Role

from .test_review_support import nominate, points

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(campaign, unit):
    return nominate(campaign, unit("恒东社区"), "王秀兰家", at=unit("正定镇"))


def reviewers(unit, n):
    return [UserFactory(username=f"reviewer-{i}", full_name=f"评委{i}", unit=unit("正定镇"), roles=[Role.STAFF])
            for i in range(n)]


def test_saving_again_replaces_her_score(waiting, township_cadre, campaign):
    review.score_save(actor=township_cadre, nomination=waiting, points=points(campaign, 0.5), comment="初评")
    score = review.score_save(actor=township_cadre, nomination=waiting, points=points(campaign, 0.9))
    assert Score.objects.filter(nomination=waiting).count() == 1
    assert score.level == 4 and score.total == Decimal(90) and score.comment == ""


@pytest.mark.parametrize("change, message", [
    ({"family_virtue": 31}, "“家风家教”的得分须在0到30之间（最多一位小数）。"),
    ({"family_virtue": -1}, "“家风家教”的得分须在0到30之间（最多一位小数）。"),
    ({"family_virtue": "12.25"}, "“家风家教”的得分须在0到30之间（最多一位小数）。"),
    ({"family_virtue": None}, "请为“家风家教”打分。"),
    ({"unknown": 3}, "没有这个评分项：unknown。"),
])
def test_a_score_out_of_range_is_refused_with_a_clear_message(waiting, township_cadre, campaign, change, message):
    with pytest.raises(ValidationError) as refused:
        review.score_save(actor=township_cadre, nomination=waiting, points=points(campaign) | change)
    assert refused.value.messages == [message]


def test_half_points_are_kept(waiting, township_cadre, campaign):
    score = review.score_save(actor=township_cadre, nomination=waiting,
                              points=points(campaign, 0.5) | {"family_virtue": "12.5"})
    assert score.points["family_virtue"] == 12.5 and score.total == Decimal("47.5")


def test_no_score_once_the_unit_has_decided(waiting, township_cadre, campaign):
    review.decide(actor=township_cadre, nomination=waiting, kind=DecisionKind.KEEP)
    with pytest.raises(ValidationError) as refused:
        review.score_save(actor=township_cadre, nomination=waiting, points=points(campaign))
    assert refused.value.messages == ["本级已作出决定，不能再修改评分。"]


def test_only_reviewers_of_the_holding_unit_or_above_score(waiting, village_cadre, sibling_county_cadre,
                                                           county_chair, campaign):
    for outsider in (village_cadre, sibling_county_cadre):
        with pytest.raises(OutOfScope):
            review.score_save(actor=outsider, nomination=waiting, points=points(campaign))
    assert review.score_save(actor=county_chair, nomination=waiting, points=points(campaign)).level == 4


def test_summary_shows_each_reviewer_the_average_and_the_outlier(waiting, unit, campaign):
    for person, share in zip(reviewers(unit, 4), (0.8, 0.82, 0.78, 0.3), strict=True):
        review.score_save(actor=person, nomination=waiting, points=points(campaign, share))
    summary = review.scores_summary(waiting, 4, votes={waiting.pk: 7})
    assert summary["count"] == 4 and summary["votes"] == 7
    assert [r["total"] for r in summary["reviewers"]] == [Decimal(80), Decimal(82), Decimal(78), Decimal(30)]
    assert summary["outliers"] == [summary["reviewers"][3]["reviewer_id"]]
    assert summary["average"] == Decimal("67.50") and summary["average_without_outliers"] == Decimal("80.00")
    assert summary["criteria"][0] == {"key": "family_virtue", "label": "家风家教", "max": 30,
                                      "average": Decimal("20.25")}


def test_two_reviewers_far_apart_are_not_called_outliers(waiting, unit, campaign):
    for person, share in zip(reviewers(unit, 2), (0.9, 0.3), strict=True):
        review.score_save(actor=person, nomination=waiting, points=points(campaign, share))
    assert review.scores_summary(waiting, 4, votes={})["outliers"] == []


def test_scores_of_another_level_stay_apart(waiting, township_cadre, county_chair, campaign):
    review.score_save(actor=township_cadre, nomination=waiting, points=points(campaign, 0.6))
    moved = review.decide(actor=township_cadre, nomination=waiting, kind=DecisionKind.RECOMMEND)
    review.score_save(actor=county_chair, nomination=moved, points=points(campaign, 0.9))
    assert review.scores_summary(moved, 4, votes={})["average"] == Decimal("60.00")
    assert review.scores_summary(moved, 3, votes={})["average"] == Decimal("90.00")
