"""表彰: only a leader of the awarding unit, only once 公示 is over with every objection found, a numbered certificate
that anyone verifies, the figure award_awarded at the family's village equal to the recount."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.awards import awarding
from fulian.awards.models import CampaignStatus, Decision, DecisionKind, NominationState, Objection, ObjectionOutcome
from fulian.core.certificates import certificate_code
from fulian.core.errors import Conflict
from fulian.core.models import AuditEvent, Certificate
from fulian.core.policy import OutOfScope, Role

from .outsiders_awarding import notice_over, shortlisted

pytestmark = pytest.mark.django_db


def _figures(path_of):
    """award_awarded this month at a unit, as the live figures hold it."""
    from fulian.core.figures import figure_values, period_of

    month = period_of(timezone.now())
    return figure_values([path_of.pk], ["award_awarded"], start=month, end=month)[path_of.pk]["award_awarded"]


def test_a_leader_awards_a_shortlisted_family_with_a_numbered_certificate(campaign, unit, city_chair):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    done = awarding.award(actor=city_chair, nomination=nomination)
    assert (done.state, done.tier) == (NominationState.AWARDED, "十佳")
    assert done.awarded_at is not None
    certificate = done.certificate
    assert certificate.kind == "family_award" and certificate.subject_key == f"nomination:{done.pk}"
    assert certificate.holder == "王秀兰家"
    assert certificate.title == "2026年度石家庄市最美家庭（十佳）"
    assert certificate.unit_name == "石家庄市妇联" and certificate.number.startswith("FL")
    decision = Decision.objects.get(nomination=done, kind=DecisionKind.AWARD)
    assert (decision.unit_id, decision.tier) == (unit("石家庄市").pk, "十佳")
    assert AuditEvent.objects.filter(action="award.award", object_id=str(done.pk)).exists()


def test_the_certificate_verifies_publicly_and_a_tampered_code_does_not(campaign, unit, city_chair):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    done = awarding.award(actor=city_chair, nomination=nomination)
    code = certificate_code(done.certificate)
    page = Client().get(f"/verify/{code}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "证书真实有效" in text and "2026年度石家庄市最美家庭（十佳）" in text and "王**家" in text
    assert "王秀兰家" not in text  # the holder is masked
    number, _sep, signature = code.rpartition("-")
    forged = f"{number}-{'0' * len(signature)}" if signature != "0" * len(signature) else f"{number}-11111111"
    assert Client().get(f"/verify/{forged}/").status_code == 404
    other = f"{number[:-1]}{(int(number[-1]) + 1) % 10}-{signature}"
    assert Client().get(f"/verify/{other}/").status_code == 404


def test_awarding_twice_gives_one_certificate_and_counts_once(campaign, unit, city_chair):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    first = awarding.award(actor=city_chair, nomination=nomination)
    again = awarding.award(actor=city_chair, nomination=nomination)
    assert again.certificate_id == first.certificate_id
    assert Certificate.objects.filter(kind="family_award").count() == 1
    assert Decision.objects.filter(kind=DecisionKind.AWARD).count() == 1
    assert _figures(unit("恒东社区")) == 1 and _figures(unit("河北省")) == 1


def test_no_award_before_the_notice_period_ends(campaign, unit, city_chair):
    nomination = shortlisted(notice_over(campaign, days_ago=-2), unit("恒东社区"), tier="十佳")
    with pytest.raises(ValidationError) as refused:
        awarding.award(actor=city_chair, nomination=nomination)
    assert refused.value.code == "award_blocked"
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SHORTLISTED and nomination.certificate_id is None
    assert not Certificate.objects.exists()


def test_an_open_objection_blocks_the_award_until_its_finding(campaign, unit, city_chair):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    objection = Objection.objects.create(nomination=nomination, campaign=campaign, unit_path=campaign.unit_path,
                                         text="邻里纠纷未解决", lodged_at=timezone.now() - dt.timedelta(days=3))
    assert awarding.award_blockers(nomination, now=timezone.now())
    with pytest.raises(ValidationError):
        awarding.award(actor=city_chair, nomination=nomination)
    Objection.objects.filter(pk=objection.pk).update(outcome=ObjectionOutcome.DISMISSED, finding="经核查不属实",
                                                     found_by=city_chair, found_at=timezone.now())
    assert awarding.award(actor=city_chair, nomination=nomination).state == NominationState.AWARDED


def test_only_a_leader_of_the_awarding_unit_awards(campaign, unit, county_chair):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    city_staff = UserFactory(username="city-staff", unit=unit("石家庄市"), roles=[Role.STAFF])
    for actor in (city_staff, county_chair):
        with pytest.raises(OutOfScope):
            awarding.award(actor=actor, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.state == NominationState.SHORTLISTED


def test_a_nomination_not_shortlisted_is_not_awarded(campaign, unit, city_chair):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    type(nomination).objects.filter(pk=nomination.pk).update(state=NominationState.PENDING)
    with pytest.raises(ValidationError, match="只有确定入围"):
        awarding.award(actor=city_chair, nomination=nomination)


def test_a_stale_version_is_a_conflict(campaign, unit, city_chair):
    nomination = shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    with pytest.raises(Conflict):
        awarding.award(actor=city_chair, nomination=nomination, version=nomination.version + 1)
    assert awarding.award(actor=city_chair, nomination=nomination, version=nomination.version).certificate_id


def test_award_all_awards_the_unblocked_and_closes_the_campaign_when_none_is_left(campaign, unit, city_chair):
    notice_over(campaign)
    first = shortlisted(campaign, unit("恒东社区"), name="王秀兰家", tier="十佳")
    second = shortlisted(campaign, unit("张家庄村"), name="李玉梅家", tier="百优")
    objection = Objection.objects.create(nomination=second, campaign=campaign, unit_path=campaign.unit_path,
                                         text="不属实", lodged_at=timezone.now() - dt.timedelta(days=2))
    done = awarding.campaign_award_all(actor=city_chair, campaign=campaign)
    assert done["awarded"] == [first.pk]
    assert [n.pk for n, _reasons in done["blocked"]] == [second.pk] and not done["campaign_awarded"]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.NOTICE
    Objection.objects.filter(pk=objection.pk).update(outcome=ObjectionOutcome.DISMISSED, finding="不属实",
                                                     found_at=timezone.now())
    done = awarding.campaign_award_all(actor=city_chair, campaign=campaign)
    assert done["awarded"] == [second.pk] and done["blocked"] == [] and done["campaign_awarded"]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.AWARDED and campaign.awarded_at is not None
    assert _figures(unit("正定县")) == 2


def test_award_all_is_for_leaders_only(campaign, unit, township_cadre):
    shortlisted(notice_over(campaign), unit("恒东社区"), tier="十佳")
    with pytest.raises(OutOfScope):
        awarding.campaign_award_all(actor=township_cadre, campaign=campaign)


def test_the_figures_equal_the_recount_after_awards(campaign, unit, city_chair):
    from fulian.evaluation.recount import recount

    notice_over(campaign)
    first = shortlisted(campaign, unit("恒东社区"), tier="十佳")
    second = shortlisted(campaign, unit("西柏棠村"), name="张淑珍家", tier="百优")
    for nomination in (first, second):
        awarding.award(actor=city_chair, nomination=nomination)
    assert [d for d in recount().differences if d[2].startswith("award_")] == []
