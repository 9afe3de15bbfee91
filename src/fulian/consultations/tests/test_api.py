"""The consultations API from the outside: a draft through to its final text (versions 409 when stale, a second
review 409, bad input 400 with the service's words, once per client token); the public API — no drafts nor
committee consultations, a comment only with a proved phone and only within the period, shown once approved, a
budget per address; inquiries down the tree with their tally, answers once, the summary; proposals whose evidence
is figures only, the reply with its version, the public list; the county next door 404 on every record."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from fulian.consultations import comments, inquiries, proposals
from fulian.consultations.models import Comment, Consultation, Inquiry, Proposal
from fulian.core.figures import figures_add, period_of
from fulian.dispatch.models import Recipient
from fulian.portal.tests.otp import last_code_sent

from .conftest import village_rule

pytestmark = pytest.mark.django_db
PHONE = "13803110021"


def _post(api, url, body=None):
    return api.post(url, body if body is not None else {}, content_type="application/json")


def _put(api, url, body):
    return api.put(url, body, content_type="application/json")


def _rule_body(**extra):
    today = timezone.localdate()
    return {"kind": "village_rule", "title": "恒东社区居民公约（修订草案）", "audience": "subtree",
            "opens_on": str(today), "closes_on": str(today + dt.timedelta(days=14)), "intro": "请大家提意见",
            "sections": [{"heading": "第一条", "text": "男女平等，家庭和睦。"},
                         {"heading": "第二条", "text": "婚事新办，不要高价彩礼。"},
                         {"heading": "第三条", "text": "保护妇女儿童合法权益。"}], **extra}


# --- consultations --------------------------------------------------------------------------------------------------

def test_a_draft_through_the_api_to_its_final_text(api_for, village_cadre, registered):
    api = api_for(village_cadre)
    made = _post(api, "/api/v1/consultations", _rule_body(client_token="rule-1"))
    assert made.status_code == 201, made.content
    rule = made.json()
    assert (rule["state"], rule["unit_name"], len(rule["sections"]), rule["version"]) == ("draft", "恒东社区", 3, 1)
    again = _post(api, "/api/v1/consultations", _rule_body(client_token="rule-1"))
    assert again.status_code == 200 and again.json()["id"] == rule["id"] and Consultation.objects.count() == 1
    url = f"/api/v1/consultations/{rule['id']}"
    changed = _put(api, url, {**_rule_body(title="恒东社区居民公约（修订草案二稿）"), "version": 1})
    assert changed.status_code == 200 and changed.json()["version"] == 2
    stale = _put(api, url, {**_rule_body(), "version": 1})
    assert stale.status_code == 409 and "刚被别人修改过" in stale.json()["detail"]
    opened = _post(api, f"{url}/open", {})
    assert opened.status_code == 200 and opened.json()["state"] == "open"
    assert _post(api, f"{url}/open", {}).status_code == 409
    one, two, three = (s["id"] for s in opened.json()["sections"])

    gathered = {"text": "第二条写上彩礼不超过三万", "section_id": two, "woman_id": registered.pk,
                "client_token": "visit-1"}
    comment = _post(api, f"{url}/comments", gathered)
    assert comment.status_code == 201, comment.content
    assert (comment.json()["name"], comment.json()["channel"], comment.json()["section_number"]) == (
        "李秀梅", "cadre", 2)
    assert _post(api, f"{url}/comments", gathered).status_code == 200 and Comment.objects.count() == 1
    waiting = api.get(f"{url}/comments")
    assert [c["id"] for c in waiting.json()] == [comment.json()["id"]]
    review = f"/api/v1/consultations/comments/{comment.json()['id']}/review"
    no_reason = _post(api, review, {"approve": False})
    assert no_reason.status_code == 400 and "请写明不发布的原因" in no_reason.json()["detail"]
    assert _post(api, review, {"approve": True}).json()["state"] == "approved"
    assert _post(api, review, {"approve": True}).status_code == 409
    answered = _post(api, f"/api/v1/consultations/comments/{comment.json()['id']}/answer", {"answer": "已采纳"})
    assert answered.status_code == 200 and answered.json()["answer"] == "已采纳"
    assert [c["id"] for c in api.get(f"{url}/comments", {"state": "approved"}).json()] == [comment.json()["id"]]
    assert api.get(f"{url}/comments", {"state": "maybe"}).status_code == 400

    decide = "/api/v1/consultations/sections/{}/decision"
    assert _post(api, decide.format(one), {"outcome": "adopted"}).json()["outcome"] == "adopted"
    early = _post(api, f"{url}/publish", {"note": "x"})
    assert early.status_code == 400 and "还有第2、3条没有记录采纳情况" in early.json()["detail"]
    assert _post(api, decide.format(two), {"outcome": "changed", "reason": "采纳群众意见",
                                           "final_text": "婚事新办，彩礼不超过三万元。"}).status_code == 200
    no_reason = _post(api, decide.format(three), {"outcome": "not_adopted"})
    assert no_reason.status_code == 400 and "请填写理由" in no_reason.json()["detail"]
    assert _post(api, decide.format(three), {"outcome": "not_adopted", "reason": "已有法律规定"}).status_code == 200
    final = _post(api, f"{url}/publish", {"note": "采纳意见2条"})
    assert final.status_code == 200 and final.json()["state"] == "final"
    assert final.json()["final_text"] == "第一条\n男女平等，家庭和睦。\n\n第二条\n婚事新办，彩礼不超过三万元。"
    listed = api.get("/api/v1/consultations", {"state": "final"}).json()
    assert [c["id"] for c in listed["items"]] == [rule["id"]]
    assert api.get("/api/v1/consultations", {"state": "done"}).status_code == 400


def test_bad_input_is_400_with_the_message(api_for, village_cadre):
    api = api_for(village_cadre)
    today = timezone.localdate()
    backwards = _post(api, "/api/v1/consultations", _rule_body(closes_on=str(today - dt.timedelta(days=1))))
    assert backwards.status_code == 400 and "截止日期不能早于开始日期" in backwards.json()["detail"]
    empty = _post(api, "/api/v1/consultations", _rule_body(sections=[{"heading": "", "text": ""}]))
    assert empty.status_code == 400 and "请至少写一条草案内容" in empty.json()["detail"]
    assert _post(api, "/api/v1/consultations", _rule_body(kind="law")).status_code == 422
    assert not Consultation.objects.exists()


def test_the_next_county_gets_404_on_every_consultation_record(api_for, village_cadre, sibling_county_cadre, unit,
                                                               registered):
    draft = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    rule = village_rule(village_cadre, unit("恒东社区"))
    comment = comments.comment_submit(consultation=rule, text="意见", channel="cadre", actor=village_cadre,
                                      woman=registered)
    outsider = api_for(sibling_county_cadre)
    url = f"/api/v1/consultations/{draft.pk}"
    section = draft.sections.first().pk
    assert outsider.get(url).status_code == 404
    assert _put(outsider, url, {**_rule_body(), "version": 1}).status_code == 404
    for path, body in ((f"{url}/open", {}), (f"{url}/close", None), (f"{url}/publish", {}),
                       (f"{url}/comments", {"text": "x", "name": "x"}),
                       (f"/api/v1/consultations/sections/{section}/decision", {"outcome": "adopted"}),
                       (f"/api/v1/consultations/comments/{comment.pk}/review", {"approve": True}),
                       (f"/api/v1/consultations/comments/{comment.pk}/answer", {"answer": "x"})):
        assert _post(outsider, path, body).status_code == 404, path
    assert outsider.get(f"{url}/comments").status_code == 404
    assert outsider.get("/api/v1/consultations").json()["items"] == []
    assert outsider.get("/api/v1/consultations", {"unit_id": unit("恒东社区").pk}).status_code == 404
    assert not Comment.objects.exclude(pk=comment.pk).exists()


def test_a_comment_after_the_period_is_refused_through_the_api(api_for, village_cadre, unit, registered):
    rule = village_rule(village_cadre, unit("恒东社区"), days=3)
    api, anyone = api_for(village_cadre), Client()
    with time_machine.travel(timezone.now() + dt.timedelta(days=4), tick=False):
        gathered = _post(api, f"/api/v1/consultations/{rule.pk}/comments",
                         {"text": "晚了", "woman_id": registered.pk})
        assert gathered.status_code == 400 and "截止" in gathered.json()["detail"]
        code = _post(anyone, f"/api/v1/public/consultations/{rule.pk}/code", {"phone": PHONE})
        assert code.status_code == 400 and "截止" in code.json()["detail"]
        late = _post(anyone, f"/api/v1/public/consultations/{rule.pk}/comments",
                     {"text": "晚了", "phone": PHONE, "code": "123456"})
        assert late.status_code == 400 and "截止" in late.json()["detail"]
        assert anyone.get(f"/api/v1/public/consultations/{rule.pk}").json()["taking_comments"] is False
    assert not Comment.objects.exists()


# --- the public API -----------------------------------------------------------------------------------------------

def test_an_unverified_phone_is_refused_through_the_public_api(village_cadre, unit, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    section = rule.sections.get(number=2)
    anyone = Client()
    base = f"/api/v1/public/consultations/{rule.pk}"
    assert _post(anyone, f"{base}/code", {"phone": PHONE}).status_code == 204
    body = {"text": "彩礼不超过三万", "section_id": section.pk, "name": "李秀梅", "anonymous": True,
            "phone": PHONE, "code": "000000", "client_token": "app-comment-1"}
    wrong = _post(anyone, f"{base}/comments", body)
    assert wrong.status_code == 400 and "验证码" in wrong.json()["detail"]
    no_code = _post(anyone, f"{base}/comments", {**body, "code": ""})
    assert no_code.status_code == 400
    assert not Comment.objects.exists()
    made = _post(anyone, f"{base}/comments", {**body, "code": last_code_sent(PHONE)})
    assert made.status_code == 201, made.content
    assert made.json()["state"] == "pending" and Comment.objects.get().channel == "api"
    assert _post(anyone, f"{base}/comments", {**body, "code": last_code_sent(PHONE)}).status_code == 200
    assert Comment.objects.count() == 1
    assert anyone.get(base).json()["comments"] == []  # 先审后发
    comments.comment_review(actor=village_cadre, comment=Comment.objects.get(), approve=True)
    shown = anyone.get(base).json()["comments"]
    assert [(c["name"], c["text"], c["section_number"]) for c in shown] == [("匿名", "彩礼不超过三万", 2)]
    assert "phone" not in shown[0] and PHONE not in anyone.get(base).content.decode()


def test_a_stranger_may_not_comment_on_a_subtree_consultation(village_cadre, unit):
    rule = village_rule(village_cadre, unit("恒东社区"))
    anyone, stranger = Client(), "13900001111"
    base = f"/api/v1/public/consultations/{rule.pk}"
    _post(anyone, f"{base}/code", {"phone": stranger})
    refused = _post(anyone, f"{base}/comments", {"text": "我也说两句", "phone": stranger,
                                                 "code": last_code_sent(stranger)})
    assert refused.status_code == 400 and "登记在册的妇女" in refused.json()["detail"]


def test_the_public_api_shows_no_drafts_nor_committee_consultations(village_cadre, unit):
    draft = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    committee = village_rule(village_cadre, unit("恒东社区"), audience="committee")
    public = village_rule(village_cadre, unit("恒东社区"), audience="public")
    anyone = Client()
    listed = anyone.get("/api/v1/public/consultations")
    assert listed.status_code == 200 and [c["id"] for c in listed.json()] == [public.pk]
    assert listed.json()[0]["unit_name"] == "恒东社区妇联" and listed.json()[0]["taking_comments"] is True
    assert anyone.get("/api/v1/public/consultations", {"state": "final"}).json() == []
    assert anyone.get("/api/v1/public/consultations", {"state": "draft"}).status_code == 422
    for hidden in (draft, committee):
        base = f"/api/v1/public/consultations/{hidden.pk}"
        assert anyone.get(base).status_code == 404
        assert _post(anyone, f"{base}/code", {"phone": PHONE}).status_code == 404
        assert _post(anyone, f"{base}/comments", {"text": "x", "phone": PHONE, "code": "123456"}).status_code == 404
    detail = anyone.get(f"/api/v1/public/consultations/{public.pk}").json()
    assert [s["number"] for s in detail["sections"]] == [1, 2, 3] and detail["final_text"] == ""


def test_the_public_api_has_a_budget_per_address(village_cadre, unit, settings):
    rule = village_rule(village_cadre, unit("恒东社区"), audience="public")
    settings.CONSULT_VIEWS_PER_MINUTE = 2
    settings.CONSULT_POSTS_PER_HOUR = 1
    anyone = Client()
    assert anyone.get("/api/v1/public/consultations").status_code == 200
    assert anyone.get(f"/api/v1/public/consultations/{rule.pk}").status_code == 200
    assert anyone.get("/api/v1/public/proposals").status_code == 429
    assert _post(anyone, f"/api/v1/public/consultations/{rule.pk}/code", {"phone": PHONE}).status_code == 204
    busy = _post(anyone, f"/api/v1/public/consultations/{rule.pk}/code", {"phone": PHONE})
    assert busy.status_code == 429


# --- inquiries ----------------------------------------------------------------------------------------------------

def _inquiry_body(**extra):
    deadline = (timezone.now() + dt.timedelta(days=7)).isoformat()
    return {"question": "对县妇联2027年工作要点有何意见？", "deadline": deadline, "level": 5, **extra}


def test_inquiries_through_the_api(api_for, county_chair, village_cadre, unit):
    chair, cadre = api_for(county_chair), api_for(village_cadre)
    sent = _post(chair, "/api/v1/inquiries", _inquiry_body(client_token="ask-1"))
    assert sent.status_code == 201, sent.content
    inquiry = sent.json()
    assert (inquiry["recipient_count"], inquiry["unit_name"], inquiry["tally"]["asked"]) == (3, "正定县", 3)
    again = _post(chair, "/api/v1/inquiries", _inquiry_body(client_token="ask-1"))
    assert again.status_code == 200 and again.json()["id"] == inquiry["id"] and Inquiry.objects.count() == 1

    received = cadre.get("/api/v1/inquiries/received").json()["items"]
    assert [(r["asking_unit_name"], r["state"], r["answer"]) for r in received] == [("正定县", "received", None)]
    copy = f"/api/v1/inquiries/received/{received[0]['id']}"
    assert cadre.get(copy).json()["question"] == "对县妇联2027年工作要点有何意见？"
    no_text = _post(cadre, f"{copy}/answer", {"stance": "disagree"})
    assert no_text.status_code == 400 and "请写明具体意见" in no_text.json()["detail"]
    answered = _post(cadre, f"{copy}/answer", {"stance": "changes", "text": "增加留守妇女关爱内容"})
    assert answered.status_code == 200 and answered.json()["state"] == "done"
    assert answered.json()["answer"]["stance"] == "changes"
    assert _post(cadre, f"{copy}/answer", {"stance": "agree"}).status_code == 409
    assert _post(cadre, f"{copy}/answer", {"stance": "maybe"}).status_code == 422

    detail = chair.get(f"/api/v1/inquiries/{inquiry['id']}").json()
    assert {s["stance"]: s["count"] for s in detail["tally"]["stances"]} == {"agree": 0, "changes": 1,
                                                                              "disagree": 0, "none": 0}
    assert [a["unit_name"] for a in detail["answers"]] == ["恒东社区"]
    assert [w["unit_name"] for w in detail["waiting"]] == ["张家庄村", "西柏棠村"]
    empty = _post(chair, f"/api/v1/inquiries/{inquiry['id']}/summary", {"summary": " "})
    assert empty.status_code == 400 and "请填写意见汇总" in empty.json()["detail"]
    summed = _post(chair, f"/api/v1/inquiries/{inquiry['id']}/summary", {"summary": "多数赞成"})
    assert summed.status_code == 200 and summed.json()["summary"] == "多数赞成"
    assert [i["id"] for i in chair.get("/api/v1/inquiries").json()["items"]] == [inquiry["id"]]
    assert cadre.get(f"/api/v1/inquiries/{inquiry['id']}").status_code == 404  # the asking unit's page only
    assert _post(cadre, f"/api/v1/inquiries/{inquiry['id']}/summary", {"summary": "x"}).status_code == 404


def test_an_inquiry_refused_says_why(api_for, county_chair, village_cadre, unit):
    chair = api_for(county_chair)
    same_level = _post(chair, "/api/v1/inquiries", _inquiry_body(level=3))
    assert same_level.status_code == 400 and "只能下发到本级以下的层级" in same_level.json()["detail"]
    blank = _post(chair, "/api/v1/inquiries", _inquiry_body(question=" "))
    assert blank.status_code == 400 and "请填写要征求意见的问题" in blank.json()["detail"]
    past = _post(chair, "/api/v1/inquiries", _inquiry_body(deadline=(timezone.now() - dt.timedelta(hours=1))
                                                           .isoformat()))
    assert past.status_code == 400 and "截止时间必须晚于现在" in past.json()["detail"]
    unknown = _post(chair, "/api/v1/inquiries", _inquiry_body(unit_ids=[2**40]))
    assert unknown.status_code == 400 and "接收单位不正确" in unknown.json()["detail"]
    picked = _post(chair, "/api/v1/inquiries", _inquiry_body(level=None, unit_ids=[unit("恒东社区").pk]))
    assert picked.status_code == 201 and picked.json()["recipient_count"] == 1
    assert _post(api_for(village_cadre), "/api/v1/inquiries", _inquiry_body()).status_code == 404  # staff: no
    assert Inquiry.objects.count() == 1


def test_the_next_county_gets_404_on_inquiries(api_for, county_chair, sibling_county_cadre, unit):
    inquiry = inquiries.inquiry_send(actor=county_chair, unit=unit("正定县"), question="意见？",
                                     deadline=timezone.now() + dt.timedelta(days=7), level=5)
    copy = Recipient.objects.get(dispatch=inquiry.dispatch, unit=unit("恒东社区"))
    outsider = api_for(sibling_county_cadre)
    assert outsider.get(f"/api/v1/inquiries/{inquiry.pk}").status_code == 404
    assert outsider.get(f"/api/v1/inquiries/received/{copy.pk}").status_code == 404
    assert _post(outsider, f"/api/v1/inquiries/received/{copy.pk}/answer", {"stance": "agree"}).status_code == 404
    assert _post(outsider, f"/api/v1/inquiries/{inquiry.pk}/summary", {"summary": "x"}).status_code == 404
    assert outsider.get("/api/v1/inquiries/received", {"unit_id": unit("恒东社区").pk}).status_code == 404
    assert _post(outsider, "/api/v1/inquiries", _inquiry_body(unit_id=unit("正定县").pk)).status_code == 404


# --- proposals ----------------------------------------------------------------------------------------------------

def _proposal_body(unit, **extra):
    year = timezone.localdate().year
    return {"kind": "suggestion", "addressee": "congress", "addressee_name": "正定县人大常委会",
            "subject": "关于加强农村妇女反家暴工作的建议", "submitted_on": str(timezone.localdate()),
            "text": "建议设立反家暴庇护场所。",
            "evidence": [{"figure": "cases_opened", "unit_id": unit.pk, "start": year * 100 + 1,
                          "end": year * 100 + 12}], **extra}


def test_proposals_through_the_api(api_for, county_chair, unit):
    figures_add([(unit("恒东社区").path, period_of(timezone.now()), "cases_opened", 4)])
    api = api_for(county_chair)
    made = _post(api, "/api/v1/proposals", _proposal_body(unit("正定县"), client_token="prop-1"))
    assert made.status_code == 201, made.content
    proposal = made.json()
    assert [(e["figure"], e["unit"], e["value"]) for e in proposal["evidence"]] == [("cases_opened", "正定县", 4)]
    assert _post(api, "/api/v1/proposals", _proposal_body(unit("正定县"), client_token="prop-1")).status_code == 200
    assert Proposal.objects.count() == 1

    assert [p["id"] for p in api.get("/api/v1/proposals", {"q": "反家暴"}).json()["items"]] == [proposal["id"]]
    assert api.get("/api/v1/proposals", {"q": "留守"}).json()["items"] == []
    assert api.get("/api/v1/proposals", {"outcome": "waiting"}).json()["count"] == 1
    assert api.get("/api/v1/proposals", {"outcome": "adopted"}).json()["count"] == 0
    for bad in ({"outcome": "maybe"}, {"kind": "law"}, {"addressee": "court"}):
        assert api.get("/api/v1/proposals", bad).status_code == 400

    url = f"/api/v1/proposals/{proposal['id']}"
    reply = {"version": proposal["version"], "reply": "研究办理中", "replied_on": str(timezone.localdate()),
             "outcome": "studying", "public": True}
    refused = _post(api, f"{url}/reply", reply)
    assert refused.status_code == 400 and "只有采纳或部分采纳的可以公开" in refused.json()["detail"]
    done = _post(api, f"{url}/reply", {**reply, "reply": "已采纳", "outcome": "adopted"})
    assert done.status_code == 200 and (done.json()["outcome"], done.json()["public"]) == ("adopted", True)
    stale = _post(api, f"{url}/reply", {**reply, "public": False})
    assert stale.status_code == 409 and "刚被别人修改过" in stale.json()["detail"]
    assert api.get(url).json()["reply"] == "已采纳"
    public = Client().get("/api/v1/public/proposals")
    assert [(p["subject"], p["unit_name"], p["reply"]) for p in public.json()] == [
        ("关于加强农村妇女反家暴工作的建议", "正定县妇联", "已采纳")]


def test_a_proposals_evidence_takes_figures_only(api_for, county_chair, unit):
    api = api_for(county_chair)
    county = unit("正定县")
    item = _proposal_body(county)["evidence"][0]
    with_text = _post(api, "/api/v1/proposals", _proposal_body(county, evidence=[{**item, "text": "受害人张某某"}]))
    assert with_text.status_code == 422
    unknown = _post(api, "/api/v1/proposals", _proposal_body(county, evidence=[{**item,
                                                                               "figure": "case_description"}]))
    assert unknown.status_code == 400 and "没有这个统计指标" in unknown.json()["detail"]
    next_door = _post(api, "/api/v1/proposals", _proposal_body(county, evidence=[{**item,
                                                                                 "unit_id": unit("行唐县").pk}]))
    assert next_door.status_code == 400 and "不在您的范围内" in next_door.json()["detail"]
    backwards = _post(api, "/api/v1/proposals", _proposal_body(county, evidence=[{**item, "start": item["end"],
                                                                                 "end": item["start"]}]))
    assert backwards.status_code == 400 and "结束年月不能早于开始年月" in backwards.json()["detail"]
    assert not Proposal.objects.exists()


def test_the_next_county_gets_404_on_proposals(api_for, county_chair, sibling_county_cadre, unit):
    proposal = proposals.proposal_create(actor=county_chair, unit=unit("正定县"), kind="proposal",
                                         addressee="cppcc", subject="关于关爱留守妇女的提案",
                                         submitted_on=timezone.localdate(), text="……")
    outsider = api_for(sibling_county_cadre)
    assert outsider.get(f"/api/v1/proposals/{proposal.pk}").status_code == 404
    assert _post(outsider, f"/api/v1/proposals/{proposal.pk}/reply", {
        "version": 1, "reply": "x", "replied_on": str(timezone.localdate()), "outcome": "adopted"}).status_code == 404
    assert outsider.get("/api/v1/proposals").json()["items"] == []
    assert _post(outsider, "/api/v1/proposals", _proposal_body(unit("行唐县"), unit_id=unit("正定县").pk)
                 ).status_code == 404
