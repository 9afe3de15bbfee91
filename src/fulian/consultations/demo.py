"""Demo 议事协商 in 河北: 恒东社区's residents' convention (revision draft) open for the comments of its women —
some gathered by its cadre on visits, published after review, one answered, one waiting —; 张家庄村's village rule
consulted last month, each article's outcome recorded and the final text published; 正定县妇联's work plan for next
year put to its executive committee; 正定县 asking its villages for their views (征求基层意见), half of them
answered, with its summary; and two proposals with evidence from the registry — 正定县's suggestion to the county
people's congress (answered: adopted, on the portal) and the province's CPPCC proposal (waiting). Everything goes
through the services, so the figures are live and equal `indicators_recount`. Safe to run twice."""

import datetime as dt

from django.utils import timezone

from fulian.core.tree import subtree_q
from fulian.orgs.models import Level, Unit
from fulian.people.models import Woman

from . import comments, drafts, inquiries, proposals
from .models import Consultation, Inquiry, Proposal

MARK = "demo-consult-"
CONVENTION = [
    ("第一条 家庭和睦", "倡导男女平等，夫妻互敬互爱，共同承担家务和养育子女的责任。"),
    ("第二条 移风易俗", "婚事新办、丧事简办，反对高价彩礼和铺张浪费。"),
    ("第三条 权益保障", "保护妇女、儿童和老人的合法权益，反对家庭暴力，发现家暴及时报告社区。"),
    ("第四条 邻里互助", "邻里之间互相关心，帮助留守妇女、独居老人解决生活困难。"),
]
VILLAGE_RULE = [
    ("第一条", "村民婚嫁彩礼不超过五万元，提倡零彩礼。"),
    ("第二条", "出嫁女及其子女依法享有本村集体经济组织成员权益。"),
    ("第三条", "村里设立“最美家庭”光荣榜，每年评选一次。"),
]
WORK_PLAN = [
    ("一、深化妇联改革", "推进网上妇女之家建设，村(社区)妇联执委联系妇女全覆盖。"),
    ("二、关爱帮扶", "建立留守妇女、低收入妇女关爱台账，年内帮扶到人。"),
]


def _moment(today: dt.date, days: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(10, 0)))


def _women(unit: Unit, n: int) -> list[Woman]:
    return list(Woman.objects.filter(subtree_q(unit.path, "unit_path"), merged_into__isnull=True).order_by("pk")[:n])


def demo_consultations(*, users: dict, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    if Consultation.objects.filter(client_token=f"{MARK}convention").exists():
        return {"created": False}
    chair, staff, county = users["hb-village-chair"], users["hb-village"], users["hb-county"]
    community = chair.unit
    zhengding = county.unit
    women = _women(community, 4)
    made = {"created": True, "comments": 0}

    # 恒东社区's convention: open, comments gathered on visits, reviewed, one answered, one waiting
    opened = _moment(today, -5)
    convention = drafts.consultation_create(
        actor=chair, unit=community, kind="convention", title="恒东社区居民公约（修订草案）", audience="subtree",
        opens_on=opened.date(), closes_on=today + dt.timedelta(days=10),
        intro="请社区妇女对居民公约修订草案提出意见建议。",
        sections=[{"heading": h, "text": t} for h, t in CONVENTION], client_token=f"{MARK}convention", now=opened)
    drafts.consultation_open(actor=chair, consultation=convention, now=opened)
    sections = list(convention.sections.all())
    said = [(1, "建议写明彩礼的上限，大家好执行。", True), (2, "希望社区公布反家暴求助电话。", True),
            (3, "可以组织志愿者每周看望独居老人。", False)]
    for i, (number, text, approve) in enumerate(said):
        if i >= len(women):
            break
        comment = comments.comment_submit(consultation=convention, text=text, channel="cadre", actor=staff,
                                          woman=women[i], section_id=sections[number].pk, anonymous=i == 1,
                                          client_token=f"{MARK}c{i}", now=_moment(today, -4 + i))
        made["comments"] += 1
        if approve:
            comments.comment_review(actor=chair, comment=comment, approve=True, now=_moment(today, -2 + i))
            if number == 2:
                comments.comment_answer(actor=chair, comment=comment, answer="已采纳，社区公示栏将公布求助电话。",
                                        now=_moment(today, -1))

    # 张家庄村's village rule: consulted last month, decided article by article, the final text published
    village = Unit.objects.filter(parent=community.parent, level=Level.VILLAGE).exclude(pk=community.pk).order_by(
        "code").first() or community
    start = _moment(today, -40)
    rule = drafts.consultation_create(
        actor=county, unit=village, kind="village_rule", title=f"{village.name}村规民约（修订）", audience="subtree",
        opens_on=start.date(), closes_on=start.date() + dt.timedelta(days=15), intro="村规民约修订征求意见。",
        sections=[{"heading": h, "text": t} for h, t in VILLAGE_RULE], client_token=f"{MARK}village-rule", now=start)
    drafts.consultation_open(actor=county, consultation=rule, now=start)
    for woman in _women(village, 2):
        comment = comments.comment_submit(consultation=rule, text="赞成零彩礼，希望村里带头。", channel="cadre",
                                          actor=county, woman=woman, section_id=rule.sections.first().pk,
                                          now=_moment(today, -35))
        comments.comment_review(actor=county, comment=comment, approve=True, now=_moment(today, -34))
        made["comments"] += 1
    decided = _moment(today, -20)
    one, two, three = rule.sections.all()
    drafts.section_decide(actor=county, section=one, outcome="changed", reason="多数妇女建议降低上限",
                          final_text="村民婚嫁彩礼不超过三万元，提倡零彩礼。", now=decided)
    drafts.section_decide(actor=county, section=two, outcome="adopted", now=decided)
    drafts.section_decide(actor=county, section=three, outcome="not_adopted",
                          reason="并入全县“最美家庭”评选，不单设", now=decided)
    drafts.consultation_publish(actor=county, consultation=rule, note="收到意见2条，采纳2条(其中1条修改后采纳)。",
                                now=_moment(today, -18))

    # 正定县妇联's plan, for its executive committee
    plan = drafts.consultation_create(
        actor=county, unit=zhengding, kind="decision",
        title=f"{zhengding.name}妇联{today.year + 1}年工作要点（征求意见稿）",
        audience="committee", opens_on=today, closes_on=today + dt.timedelta(days=14),
        sections=[{"heading": h, "text": t} for h, t in WORK_PLAN], client_token=f"{MARK}plan")
    drafts.consultation_open(actor=county, consultation=plan)

    # asking the villages
    if not Inquiry.objects.filter(consultation=plan).exists():
        inquiry = inquiries.inquiry_send(actor=county, unit=zhengding, question=f"对{plan.title}有何意见建议？",
                                         deadline=_moment(today, 10), level=Level.VILLAGE, consultation=plan,
                                         now=_moment(today, -3))
        copies = list(inquiry.dispatch.recipients.select_related("unit").order_by("unit_path"))
        answered = copies[: len(copies) // 2]
        for i, copy in enumerate(answered):
            stance = ("agree", "changes", "agree", "none")[i % 4]
            inquiries.inquiry_answer(actor=county, recipient=copy, stance=stance,
                                     text="建议增加农村妇女技能培训" if stance == "changes" else "",
                                     now=_moment(today, -2))
        inquiries.inquiry_summarise(actor=county, inquiry=inquiry, now=_moment(today, -1),
                                    summary=f"共征求{len(copies)}个村(社区)，已反馈{len(answered)}个，多数同意，"
                                            "建议增加农村妇女技能培训。")
        made["inquiry_units"], made["inquiry_answers"] = len(copies), len(answered)

    # proposals with the registry's figures as evidence
    year = today.year
    period = {"start": year * 100 + 1, "end": year * 100 + today.month}
    suggestion = proposals.proposal_create(
        actor=county, unit=zhengding, kind="suggestion", addressee="congress",
        addressee_name=f"{zhengding.name}人大常委会", subject="关于将农村留守妇女关爱服务纳入乡村振兴考核的建议",
        submitted_on=today - dt.timedelta(days=60), text="建议将留守妇女关爱服务纳入乡镇乡村振兴考核，明确经费保障。",
        evidence=[{"figure": "women_registered", "unit_id": zhengding.pk, **period},
                  {"figure": "cases_opened", "unit_id": zhengding.pk, **period}],
        client_token=f"{MARK}suggestion", now=_moment(today, -60))
    if not suggestion.outcome:
        proposals.proposal_reply(actor=county, proposal=suggestion, version=suggestion.version,
                                 reply="县人大常委会已将该建议交县政府办理，纳入年度乡村振兴考核。",
                                 replied_on=today - dt.timedelta(days=10), outcome="adopted", public=True)
    province = users["hb-province"]
    proposals.proposal_create(
        actor=province, unit=province.unit, kind="proposal", addressee="cppcc", addressee_name="河北省政协",
        subject="关于加快制定《河北省反家庭暴力条例》实施细则的提案", submitted_on=today - dt.timedelta(days=7),
        text="建议细化告诫书、人身安全保护令的执行衔接。",
        evidence=[{"figure": "cases_opened", "unit_id": province.unit.pk, **period}],
        client_token=f"{MARK}cppcc", now=_moment(today, -7))
    made["consultations"] = Consultation.objects.filter(client_token__startswith=MARK).count()
    made["proposals"] = Proposal.objects.filter(client_token__startswith=MARK).count()
    return made
