"""Records of the consultations id routes for api/tests/test_outsiders.py (and the schemathesis seed): 恒东社区's
draft village rule (not yet seen outside 正定县's scope) and a section of it, a comment waiting for review on an
open one, an inquiry 正定县 put to its villages and 恒东社区's copy of it, and a proposal of 正定县. The public
routes (the portal's consultations, a code, a comment) are allowed on purpose in PUBLIC there."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.consultations import comments, drafts, inquiries, proposals
    from fulian.dispatch.models import Recipient

    today = timezone.localdate()
    sections = [{"heading": "第一条", "text": "男女平等，家庭和睦。"}, {"heading": "第二条", "text": "婚事新办。"}]
    draft = drafts.consultation_create(actor=chair, unit=village, kind="village_rule", title="恒东社区居民公约（草案）",
                                       audience="subtree", opens_on=today, closes_on=today + dt.timedelta(days=14),
                                       sections=sections)
    opened = drafts.consultation_open(actor=chair, consultation=drafts.consultation_create(
        actor=chair, unit=village, kind="convention", title="恒东社区文明公约", audience="public", opens_on=today,
        closes_on=today + dt.timedelta(days=14), sections=sections))
    comment = comments.comment_submit(consultation=opened, text="第二条写上彩礼上限", channel="cadre", actor=chair,
                                      name="李秀梅")
    inquiry = inquiries.inquiry_send(actor=chair, unit=county, question="对县妇联年度工作要点有何意见？",
                                     deadline=timezone.now() + dt.timedelta(days=7), level=5)
    proposal = proposals.proposal_create(actor=chair, unit=county, kind="suggestion", addressee="congress",
                                         subject="关于加强农村妇女反家暴工作的建议", submitted_on=today, text="建议……")
    return {"consultation_id": draft.pk, "section_id": draft.sections.first().pk, "comment_id": comment.pk,
            "inquiry_id": inquiry.pk,
            "inquiry_copy_id": Recipient.objects.get(dispatch=inquiry.dispatch, unit=village).pk,
            "proposal_id": proposal.pk}
