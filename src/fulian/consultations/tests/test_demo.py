"""The demo's consultations on the fixture tree: an open convention with comments reviewed, a village rule decided
and published, a committee plan, an inquiry half answered, two proposals (one adopted and public); the figures
equal the recount; a second run adds nothing."""

import pytest

from fulian.accounts.tests.factories import UserFactory
from fulian.consultations.demo import demo_consultations
from fulian.consultations.drafts import public_consultations
from fulian.consultations.models import Comment, Consultation, ConsultationState, InquiryAnswer, Proposal
from fulian.consultations.proposals import public_proposals
from fulian.core.policy import Role
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold
from fulian.people.services import WomanData, woman_create

pytestmark = pytest.mark.django_db


def test_the_demo_consultations_are_consistent_and_made_once(unit, province_chair, county_chair, village_cadre):
    chair = UserFactory(username="hd-chair", unit=unit("恒东社区"), roles=[Role.CHAIR])
    for i, name in enumerate(("恒东社区", "恒东社区", "恒东社区", "张家庄村", "张家庄村")):
        woman_create(actor=county_chair, data=WomanData(name=f"妇女{i}", home_unit=unit(name),
                                                        phone=f"1380311010{i}"))
    users = {"hb-village-chair": chair, "hb-village": village_cadre, "hb-county": county_chair,
             "hb-province": province_chair}
    made = demo_consultations(users=users)
    assert made["created"] and made["consultations"] == 3 and made["proposals"] == 2
    assert sorted(Consultation.objects.values_list("state", flat=True)) == [
        ConsultationState.FINAL, ConsultationState.OPEN, ConsultationState.OPEN]
    assert {c.title for c in public_consultations()} == {"恒东社区居民公约（修订草案）", "张家庄村村规民约（修订）"}
    assert Comment.objects.filter(state="approved").count() == 4
    assert Comment.objects.filter(state="pending").count() == 1
    assert InquiryAnswer.objects.count() == made["inquiry_answers"] >= 1
    assert [p.subject for p in public_proposals()] == ["关于将农村留守妇女关爱服务纳入乡村振兴考核的建议"]
    figures_fold()
    assert recount().differences == []
    counts = (Consultation.objects.count(), Comment.objects.count(), Proposal.objects.count())
    assert demo_consultations(users=users) == {"created": False}
    assert (Consultation.objects.count(), Comment.objects.count(), Proposal.objects.count()) == counts
