"""Consultations at the service level: a draft seen only in its scope, comments only within the period and from
its audience with a proved phone, shown only once approved, each section's outcome, the final text; inquiries down
the tree; proposals whose evidence is counts, never a case's content."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from fulian.consultations import comments, drafts, inquiries, proposals
from fulian.consultations.models import Comment, CommentState, ConsultationState, Stance
from fulian.core.errors import Conflict
from fulian.core.figures import figure_values, figures_add, period_of
from fulian.dispatch.models import Recipient, RecipientState
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold
from fulian.portal.tests.otp import last_code_sent

from .conftest import village_rule

PHONE = "13803110021"


def _values(unit, keys):
    year = timezone.localdate().year
    return figure_values([unit.pk], keys, start=year * 100 + 1, end=year * 100 + 12)[unit.pk]


@pytest.mark.django_db
def test_a_draft_is_seen_only_in_its_scope_and_not_on_the_portal(unit, village_cadre, sibling_county_cadre,
                                                                   county_chair):
    draft = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    with pytest.raises(Http404):
        drafts.access_consultation_by_id(sibling_county_cadre, draft.pk)
    with pytest.raises(Http404):
        drafts.public_consultation(draft.pk)
    assert drafts.access_consultation_by_id(county_chair, draft.pk) == draft
    drafts.consultation_open(actor=village_cadre, consultation=draft)
    assert drafts.public_consultation(draft.pk) == draft
    with pytest.raises(Http404):  # open, it is on the portal; still not in the sibling county's pages
        drafts.access_consultation_by_id(sibling_county_cadre, draft.pk)
    committee = village_rule(village_cadre, unit("恒东社区"), audience="committee")
    with pytest.raises(Http404):
        drafts.public_consultation(committee.pk)


@pytest.mark.django_db
def test_a_womans_comment_needs_her_proved_phone_and_shows_only_once_approved(unit, village_cadre, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    section = rule.sections.get(number=2)
    comments.comment_code_send(consultation=rule, phone=PHONE)
    with pytest.raises(ValidationError):  # an unverified phone: a wrong code
        comments.comment_submit(consultation=rule, text="彩礼不超过三万", channel="portal", section_id=section.pk,
                                phone=PHONE, code="000000")
    assert not Comment.objects.exists()
    comment = comments.comment_submit(consultation=rule, text="彩礼不超过三万", channel="portal", name="李秀梅",
                                      anonymous=True, section_id=section.pk, phone=PHONE,
                                      code=last_code_sent(PHONE))
    assert comment.state == CommentState.PENDING and comment.woman == registered
    assert list(comments.comments_shown(rule)) == []
    comments.comment_review(actor=village_cadre, comment=comment, approve=True)
    shown = list(comments.comments_shown(rule))
    assert shown == [comment] and shown[0].shown_name == "匿名"
    with pytest.raises(Conflict):
        comments.comment_review(actor=village_cadre, comment=comment, approve=False, note="重复")
    assert _values(unit("河北省"), ["consultation_comments", "consultations_opened"]) == {
        "consultation_comments": 1, "consultations_opened": 1}


@pytest.mark.django_db
def test_a_comment_after_the_period_is_refused(unit, village_cadre, registered):
    rule = village_rule(village_cadre, unit("恒东社区"), days=3)
    later = timezone.now() + dt.timedelta(days=4)
    with pytest.raises(ValidationError) as refused:
        comments.comment_submit(consultation=rule, text="晚了", channel="cadre", actor=village_cadre,
                                woman=registered, now=later)
    assert "截止" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        comments.comment_code_send(consultation=rule, phone=PHONE, now=later)


@pytest.mark.django_db
def test_a_subtree_consultation_hears_only_its_registered_women(unit, village_cadre):
    rule = village_rule(village_cadre, unit("恒东社区"))
    stranger = "13900001111"
    comments.comment_code_send(consultation=rule, phone=stranger)
    with pytest.raises(ValidationError) as refused:
        comments.comment_submit(consultation=rule, text="我也说两句", channel="portal", phone=stranger,
                                code=last_code_sent(stranger))
    assert refused.value.code == "comment_audience"
    public = village_rule(village_cadre, unit("恒东社区"), audience="public")
    comments.comment_code_send(consultation=public, phone=stranger)
    assert comments.comment_submit(consultation=public, text="我也说两句", channel="portal", phone=stranger,
                                   code=last_code_sent(stranger)).pk


@pytest.mark.django_db
def test_a_cadre_records_a_comment_gathered_on_a_visit_and_a_rejected_one_is_never_shown(unit, village_cadre,
                                                                                          registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    gathered = comments.comment_submit(consultation=rule, text="第三条加上反家暴", channel="cadre",
                                       actor=village_cadre, woman=registered, client_token="visit-1")
    again = comments.comment_submit(consultation=rule, text="第三条加上反家暴", channel="cadre",
                                    actor=village_cadre, woman=registered, client_token="visit-1")
    assert again.pk == gathered.pk and gathered.name == "李秀梅" and gathered.gathered_by == village_cadre
    with pytest.raises(ValidationError):
        comments.comment_review(actor=village_cadre, comment=gathered, approve=False)
    comments.comment_review(actor=village_cadre, comment=gathered, approve=False, note="与本公约无关")
    assert list(comments.comments_shown(rule)) == []


@pytest.mark.django_db
def test_outcomes_per_section_and_the_final_text(unit, village_cadre):
    rule = village_rule(village_cadre, unit("恒东社区"))
    one, two, three = rule.sections.all()
    with pytest.raises(ValidationError):
        drafts.consultation_publish(actor=village_cadre, consultation=rule)
    drafts.section_decide(actor=village_cadre, section=one, outcome="adopted")
    drafts.section_decide(actor=village_cadre, section=two, outcome="changed", reason="采纳群众意见",
                          final_text="婚事新办，彩礼不超过三万元。")
    with pytest.raises(ValidationError):
        drafts.section_decide(actor=village_cadre, section=three, outcome="not_adopted")  # needs a reason
    drafts.section_decide(actor=village_cadre, section=three, outcome="not_adopted", reason="已有法律规定")
    final = drafts.consultation_publish(actor=village_cadre, consultation=rule, note="采纳意见2条")
    assert final.state == ConsultationState.FINAL
    assert final.final_text == "第一条\n男女平等，家庭和睦。\n\n第二条\n婚事新办，彩礼不超过三万元。"
    values = _values(unit("正定县"), ["consultation_sections_decided", "consultation_adoption_rate"])
    assert values["consultation_sections_decided"] == 3
    assert values["consultation_adoption_rate"] == pytest.approx(2 / 3)
    with pytest.raises(ValidationError):
        drafts.section_decide(actor=village_cadre, section=one, outcome="not_adopted", reason="x")
    figures_fold()
    assert recount().differences == []


@pytest.mark.django_db
def test_asking_the_grassroots_is_recorded(unit, county_chair, village_cadre):
    deadline = timezone.now() + dt.timedelta(days=7)
    inquiry = inquiries.inquiry_send(actor=county_chair, unit=unit("正定县"), question="对县妇联工作要点有何意见？",
                                     deadline=deadline, level=5)
    copy = Recipient.objects.get(dispatch=inquiry.dispatch, unit=unit("恒东社区"))
    with pytest.raises(ValidationError):
        inquiries.inquiry_answer(actor=village_cadre, recipient=copy, stance=Stance.DISAGREE)
    inquiries.inquiry_answer(actor=village_cadre, recipient=copy, stance=Stance.AGREE_WITH_CHANGES,
                             text="增加留守妇女关爱内容")
    copy.refresh_from_db()
    assert copy.state == RecipientState.DONE
    with pytest.raises((Conflict, ValidationError)):
        inquiries.inquiry_answer(actor=village_cadre, recipient=copy, stance=Stance.AGREE)
    tally = inquiries.inquiry_tally(inquiry)
    assert tally["asked"] == 3 and tally["answered"] == 1 and tally["stances"]["changes"] == 1
    inquiries.inquiry_summarise(actor=county_chair, inquiry=inquiry, summary="多数赞成，建议增加关爱内容")
    assert _values(unit("正定县"), ["inquiries_sent", "inquiry_answers"]) == {"inquiries_sent": 1,
                                                                              "inquiry_answers": 1}


@pytest.mark.django_db
def test_a_proposals_evidence_holds_case_counts_never_a_cases_text(unit, county_chair, sibling_county_cadre):
    figures_add([(unit("恒东社区").path, period_of(timezone.now()), "cases_opened", 4)])
    year = timezone.localdate().year
    item = {"figure": "cases_opened", "unit_id": unit("正定县").pk, "start": year * 100 + 1, "end": year * 100 + 12}
    proposal = proposals.proposal_create(
        actor=county_chair, unit=unit("正定县"), kind="suggestion", addressee="congress",
        addressee_name="正定县人大常委会", subject="关于加强农村妇女反家暴工作的建议",
        submitted_on=timezone.localdate(), text="建议……", evidence=[item])
    assert proposal.evidence[0]["value"] == 4 and proposal.evidence[0]["unit"] == "正定县"
    for bad in ({**item, "text": "受害人张某某被丈夫殴打"}, {**item, "figure": "case_description"},
                {**item, "unit_id": unit("行唐县").pk}):
        with pytest.raises(ValidationError):
            proposals.proposal_create(actor=county_chair, unit=unit("正定县"), kind="suggestion",
                                      addressee="congress", subject="x", submitted_on=timezone.localdate(),
                                      text="y", evidence=[bad])
    with pytest.raises(Http404):
        proposals.access_proposal_by_id(sibling_county_cadre, proposal.pk)
    assert list(proposals.public_proposals()) == []
    with pytest.raises(ValidationError):
        proposals.proposal_reply(actor=county_chair, proposal=proposal, version=proposal.version, reply="研究中",
                                 replied_on=timezone.localdate(), outcome="studying", public=True)
    proposals.proposal_reply(actor=county_chair, proposal=proposal, version=proposal.version, reply="已采纳",
                             replied_on=timezone.localdate(), outcome="adopted", public=True)
    assert list(proposals.public_proposals()) == [proposal]
    assert _values(unit("正定县"), ["proposals_submitted", "proposal_adoption_rate"]) == {
        "proposals_submitted": 1, "proposal_adoption_rate": 1.0}
