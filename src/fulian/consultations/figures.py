"""Consultations' counted facts (core.figures), live from the records and rolled up the tree:

consultations_opened — consultations opened for comment, by the month; consultation_comments — comments published
(approved), by the month approved; consultation_sections_decided / consultation_sections_adopted — sections whose
outcome was recorded, and of them adopted or adopted with changes (the adoption rate), by the month decided;
inquiries_sent / inquiry_answers — questions put to the units below and their answers; proposals_submitted,
proposals_replied and proposals_adopted (adopted or partly) — the federation's proposals to the congress, the
government and the CPPCC. Writers call `figures_add` inside their write path.
"""

from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, RATE, figure_define, figures_counter, period_rows

from .models import Comment, CommentState, Consultation, Inquiry, InquiryAnswer, Outcome, Proposal, ProposalOutcome

ADOPTED = (Outcome.ADOPTED, Outcome.CHANGED)
PROPOSAL_ADOPTED = (ProposalOutcome.ADOPTED, ProposalOutcome.PARTLY)


@figures_counter
def consultation_figures():
    from .models import Section

    yield from period_rows(Consultation.objects.filter(opened_at__isnull=False), "unit_path", "opened_at",
                           "consultations_opened")
    yield from period_rows(Comment.objects.filter(state=CommentState.APPROVED), "unit_path", "reviewed_at",
                           "consultation_comments")
    decided = Section.objects.filter(decided_at__isnull=False).exclude(outcome="")
    yield from period_rows(decided, "consultation__unit_path", "decided_at", "consultation_sections_decided")
    yield from period_rows(decided.filter(outcome__in=ADOPTED), "consultation__unit_path", "decided_at",
                           "consultation_sections_adopted")
    yield from period_rows(Inquiry.objects.all(), "unit_path", "created_at", "inquiries_sent")
    yield from period_rows(InquiryAnswer.objects.all(), "unit_path", "answered_at", "inquiry_answers")
    yield from period_rows(Proposal.objects.all(), "unit_path", "submitted_on", "proposals_submitted")
    replied = Proposal.objects.filter(replied_on__isnull=False).exclude(outcome="")
    yield from period_rows(replied, "unit_path", "replied_on", "proposals_replied")
    yield from period_rows(replied.filter(outcome__in=PROPOSAL_ADOPTED), "unit_path", "replied_on",
                           "proposals_adopted")


figure_define("consultations_opened", _("开展议事协商(次)"), kind=FLOW, source=_("议事协商：发布征求意见的记录"))
figure_define("consultation_comments", _("收到并发布的意见(条)"), kind=FLOW, source=_("议事协商：审核发布的意见"))
figure_define("consultation_sections_decided", _("已作出采纳决定的条目(条)"), kind=FLOW,
              source=_("议事协商：逐条记录的采纳情况"))
figure_define("consultation_adoption_rate", _("意见采纳率"), kind=RATE, metric="consultation_sections_adopted",
              per="consultation_sections_decided", source=_("采纳和修改后采纳的条目 ÷ 已作决定的条目"))
figure_define("inquiries_sent", _("征求基层意见(次)"), kind=FLOW, source=_("征求基层意见的记录"))
figure_define("inquiry_answers", _("基层反馈意见(份)"), kind=FLOW, source=_("下级单位反馈的意见"))
figure_define("proposals_submitted", _("提出提案建议(件)"), kind=FLOW, source=_("提案建议：提交记录"))
figure_define("proposals_replied", _("提案建议得到答复(件)"), kind=FLOW, source=_("提案建议：答复记录"))
figure_define("proposal_adoption_rate", _("提案建议采纳率"), kind=RATE, metric="proposals_adopted",
              per="proposals_replied", source=_("采纳和部分采纳 ÷ 已答复的提案建议"))
