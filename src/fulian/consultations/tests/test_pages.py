"""The organiser's consultation pages through the HTTP client: a draft written with its rows of sections (再加3条
keeps what was typed), saved once per form, bad input kept with the reason, changed with its version (a stale one is
a conflict), put out and closed; comments reviewed (不发布 needs the reason, a second tap changes nothing), answered,
gathered on a visit from a woman of the registry; each section's outcome and the final text; a committee consultation
voted in a meeting; a sibling county gets 404 on every URL of it, before and after it is out; bad parameters 400."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.consultations import comments, drafts
from fulian.consultations.models import Comment, CommentState, Consultation, ConsultationState

from .conftest import village_rule

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _draft_post(**over) -> dict:
    data = {"kind": "village_rule", "title": "恒东社区居民公约（修订草案）", "intro": "请大家提意见",
            "audience": "subtree", "opens_on": TODAY.isoformat(),
            "closes_on": (TODAY + dt.timedelta(days=14)).isoformat(), "client_token": "tok-new-1",
            "s-TOTAL_FORMS": "3", "s-INITIAL_FORMS": "0", "s-MIN_NUM_FORMS": "0", "s-MAX_NUM_FORMS": "200",
            "s-0-heading": "第一条", "s-0-text": "男女平等，家庭和睦。",
            "s-1-heading": "第二条", "s-1-text": "婚事新办，不要高价彩礼。",
            "s-2-heading": "", "s-2-text": "", "save": "1"}
    data.update(over)
    return data


def _gathered(rule, cadre, text="第二条写上彩礼上限", **kw):
    return comments.comment_submit(consultation=rule, text=text, channel="cadre", actor=cadre, name="王秀英",
                                   section_id=rule.sections.get(number=2).pk, **kw)


def test_a_new_draft_with_its_sections_is_saved_once_per_form(client_for, village_cadre):
    client = client_for(village_cadre)
    page = client.get(reverse("consultation_new"))
    assert page.status_code == 200 and page.content.decode().count('name="s-') >= 6  # three empty rows
    assert page.context["form"]["opens_on"].value() == TODAY
    done = client.post(reverse("consultation_new"), _draft_post())
    rule = Consultation.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("consultation_detail", args=[rule.pk])
    assert client.post(reverse("consultation_new"), _draft_post()).status_code == 302  # a double tap
    assert Consultation.objects.count() == 1
    assert [(s.number, s.heading) for s in rule.sections.all()] == [(1, "第一条"), (2, "第二条")]
    detail = client.get(done["Location"]).content.decode()
    assert "草案已保存" in detail and "发布征求意见" in detail and "婚事新办，不要高价彩礼。" in detail


def test_more_rows_keep_what_was_typed_and_save_nothing(client_for, village_cadre):
    page = client_for(village_cadre).post(reverse("consultation_new"), _draft_post(more="1", save=""))
    assert page.status_code == 200 and not Consultation.objects.exists()
    html = page.content.decode()
    assert len(page.context["sections"].forms) == 6  # the three typed or blank, and three more
    assert "婚事新办，不要高价彩礼。" in html and 'value="恒东社区居民公约（修订草案）"' in html


@pytest.mark.parametrize("over, says", [
    ({"title": ""}, "这个字段是必填项"),
    ({"closes_on": (TODAY - dt.timedelta(days=1)).isoformat()}, "截止日期不能早于开始日期"),
    ({"opens_on": (TODAY - dt.timedelta(days=9)).isoformat(), "closes_on": (TODAY - dt.timedelta(days=2)).isoformat()},
     "截止日期已经过了"),
    ({"s-0-heading": "", "s-0-text": "", "s-1-heading": "", "s-1-text": ""}, "请至少写一条草案内容"),
    ({"s-1-text": ""}, "第2条没有内容"),
    ({"s-TOTAL_FORMS": "x"}, "ManagementForm"),
])
def test_a_bad_draft_is_refused_with_the_reason_and_what_was_typed_kept(client_for, village_cadre, over, says):
    page = client_for(village_cadre).post(reverse("consultation_new"), _draft_post(**over))
    assert page.status_code == 400
    html = page.content.decode()
    assert says in html, html[html.find('class="error"'):][:400]
    assert "请大家提意见" in html
    assert not Consultation.objects.exists()


def test_editing_a_draft_keeps_its_dates_and_a_stale_version_is_a_conflict(client_for, village_cadre, county_chair,
                                                                            unit):
    rule = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    client = client_for(village_cadre)
    page = client.get(reverse("consultation_edit", args=[rule.pk]))
    assert f'value="{rule.closes_on.isoformat()}"' in page.content.decode()
    form, rows = page.context["form"], page.context["sections"]
    data = {name: form[name].value() for name in form.fields}
    data.update({"s-TOTAL_FORMS": str(len(rows.forms)), "s-INITIAL_FORMS": str(rows.initial_form_count()),
                 "s-MIN_NUM_FORMS": "0", "s-MAX_NUM_FORMS": "200"})
    for i, row in enumerate(rows.forms):
        data[f"s-{i}-heading"], data[f"s-{i}-text"] = row["heading"].value() or "", row["text"].value() or ""
    data["title"] = "恒东社区居民公约（第二稿）"
    assert client.post(reverse("consultation_edit", args=[rule.pk]), data).status_code == 302
    rule.refresh_from_db()
    assert rule.title == "恒东社区居民公约（第二稿）" and rule.closes_on == TODAY + dt.timedelta(days=14)
    assert rule.sections.count() == 3 and rule.version == 2
    stale = client_for(county_chair).post(reverse("consultation_edit", args=[rule.pk]),
                                          {**data, "title": "县里改的标题"})  # version 1, now 2
    assert stale.status_code == 409
    assert "刚被别人修改过" in stale.content.decode() and "县里改的标题" in stale.content.decode()


def test_a_draft_is_put_out_once_and_closed(client_for, village_cadre, unit):
    rule = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    client = client_for(village_cadre)
    done = client.post(reverse("consultation_open", args=[rule.pk]), {"version": rule.version}, follow=True)
    assert "已发布征求意见" in done.content.decode()
    again = client.post(reverse("consultation_open", args=[rule.pk]), {"version": rule.version}, follow=True)
    assert "刚被别人修改过" in again.content.decode() or "已经发布了" in again.content.decode()
    assert client.get(reverse("consultation_edit", args=[rule.pk]), follow=True).redirect_chain  # no edits now
    closed = client.post(reverse("consultation_close", args=[rule.pk]), follow=True)
    assert "已结束征求意见" in closed.content.decode()
    rule.refresh_from_db()
    assert rule.state == ConsultationState.CLOSED
    assert client.get(reverse("consultation_open", args=[rule.pk])).status_code == 405


def test_comments_wait_for_review_and_a_rejection_needs_its_reason(client_for, village_cadre, unit):
    rule = village_rule(village_cadre, unit("恒东社区"))
    good, off = _gathered(rule, village_cadre), _gathered(rule, village_cadre, text="隔壁家的狗太吵")
    client = client_for(village_cadre)
    page = client.get(reverse("consultation_detail", args=[rule.pk])).content.decode()
    assert "待审核的意见" in page and "第二条写上彩礼上限" in page and "隔壁家的狗太吵" in page
    refused = client.post(reverse("consultation_comment_review", args=[off.pk]), {"decision": "reject", "note": ""})
    assert refused.status_code == 400 and "请写明不发布的原因" in refused.content.decode()
    client.post(reverse("consultation_comment_review", args=[off.pk]), {"decision": "reject", "note": "与公约无关"})
    client.post(reverse("consultation_comment_review", args=[good.pk]), {"decision": "approve"})
    twice = client.post(reverse("consultation_comment_review", args=[good.pk]), {"decision": "approve"}, follow=True)
    assert "已经审核过了" in twice.content.decode()
    rule.refresh_from_db()
    assert (rule.comments_approved, rule.comments_pending) == (1, 0)
    assert Comment.objects.get(pk=off.pk).review_note == "与公约无关"
    page = client.get(reverse("consultation_detail", args=[rule.pk])).content.decode()
    assert "没有待审核的意见" in page and "未发布的意见（1条）" in page
    bad = client.post(reverse("consultation_comment_review", args=[good.pk]), {"decision": "maybe"})
    assert bad.status_code == 400


def test_an_answer_under_a_published_comment_shows_on_the_portal(client, client_for, village_cadre, unit):
    rule = village_rule(village_cadre, unit("恒东社区"))
    comment = _gathered(rule, village_cadre)
    staff = client_for(village_cadre)
    url = reverse("consultation_comment_answer", args=[comment.pk])
    early = staff.post(url, {f"a{comment.pk}-answer": "谢谢"}, follow=True)
    assert "只能答复已发布的意见" in early.content.decode() and not Comment.objects.get().answer
    comments.comment_review(actor=village_cadre, comment=comment, approve=True)
    assert staff.post(url, {f"a{comment.pk}-answer": ""}).status_code == 400
    assert staff.post(url, {f"a{comment.pk}-answer": "已按您的意见修改第二条"}).status_code == 302
    portal = client.get(reverse("consult_detail", args=[rule.pk])).content.decode()
    assert "第二条写上彩礼上限" in portal and "已按您的意见修改第二条" in portal and "王秀英" in portal


def test_a_comment_gathered_on_a_visit_from_a_woman_of_the_registry(client_for, village_cadre, unit, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    client = client_for(village_cadre)
    found = client.get(reverse("consultation_detail", args=[rule.pk]), {"woman_q": "李秀"}).content.decode()
    assert f'name="woman" value="{registered.pk}"' in found and "李秀梅" in found
    token = "visit-tok-1"
    posted = {"woman": str(registered.pk), "section": str(rule.sections.get(number=3).pk), "text": "加上反家暴",
              "name": "", "client_token": token}
    url = reverse("consultation_comment_gather", args=[rule.pk])
    assert client.post(url, posted).status_code == 302
    assert client.post(url, posted).status_code == 302  # a double tap
    comment = Comment.objects.get()
    assert (comment.name, comment.woman, comment.channel, comment.state) == ("李秀梅", registered, "cadre",
                                                                             CommentState.PENDING)
    nameless = client.post(url, {**posted, "woman": "", "client_token": "visit-tok-2"})
    assert nameless.status_code == 400 and "请填写提意见人的姓名" in nameless.content.decode()
    assert "加上反家暴" in nameless.content.decode()
    assert client.get(reverse("consultation_detail", args=[rule.pk]), {"woman_q": "x" * 31}).status_code == 400


def test_each_sections_outcome_and_the_final_text(client, client_for, village_cadre, unit):
    rule = village_rule(village_cadre, unit("恒东社区"))
    one, two, three = rule.sections.all()
    staff = client_for(village_cadre)
    early = staff.post(reverse("consultation_publish", args=[rule.pk]), {"note": "", "version": rule.version})
    assert early.status_code == 400 and "还有第1、2、3条没有记录采纳情况" in early.content.decode()

    def decide(section, **data):
        return staff.post(reverse("consultation_section_decide", args=[section.pk]),
                          {f"s{section.pk}-{k}": v for k, v in data.items()})

    assert decide(one, outcome="adopted").status_code == 302
    missing = decide(two, outcome="changed", reason="采纳群众意见", final_text="")
    assert missing.status_code == 400 and "请填写修改后的内容" in missing.content.decode()
    assert "采纳群众意见" in missing.content.decode()
    changed = decide(two, outcome="changed", reason="采纳群众意见", final_text="婚事新办，彩礼不超过三万元。")
    assert changed.status_code == 302
    assert decide(three, outcome="not_adopted", reason="").status_code == 400
    assert decide(three, outcome="not_adopted", reason="已有法律规定").status_code == 302
    assert decide(three, outcome="sideways", reason="x").status_code == 400
    done = staff.post(reverse("consultation_publish", args=[rule.pk]), {"note": "采纳意见2条", "version": rule.version},
                      follow=True)
    assert "定稿已公布" in done.content.decode()
    rule.refresh_from_db()
    assert rule.state == ConsultationState.FINAL and "彩礼不超过三万元" in rule.final_text
    portal = client.get(reverse("consult_detail", args=[rule.pk])).content.decode()
    assert "已于" in portal and "彩礼不超过三万元" in portal and "采纳意见2条" in portal and "已有法律规定" in portal
    assert "提交意见" not in portal


def test_the_list_shows_her_scopes_consultations_and_filters_by_state(client_for, village_cadre, county_chair, unit):
    draft = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    out = village_rule(village_cadre, unit("恒东社区"), audience="public")
    Consultation.objects.filter(pk=out.pk).update(title="恒东社区公共场所管理公约")
    client = client_for(county_chair)
    page = client.get(reverse("consultation_list")).content.decode()
    assert reverse("consultation_detail", args=[draft.pk]) in page and "恒东社区公共场所管理公约" in page
    only_open = client.get(reverse("consultation_list"), {"state": "open"}).content.decode()
    assert "恒东社区公共场所管理公约" in only_open and reverse("consultation_detail", args=[draft.pk]) not in only_open
    for bad in ({"state": "nonsense"}, {"page": "x"}, {"page": "0"}):
        assert client.get(reverse("consultation_list"), bad).status_code == 400
    assert "新建议事协商" in client_for(village_cadre).get(reverse("consultation_list")).content.decode()


def test_the_menu_has_consultations(client_for, village_cadre):
    page = client_for(village_cadre).get(reverse("today")).content.decode()
    assert 'data-menu="consultations"' in page


def test_a_sibling_county_gets_404_on_every_url_before_and_after_it_is_out(client_for, village_cadre,
                                                                          sibling_county_cadre, unit):
    rule = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    comment_rule = village_rule(village_cadre, unit("恒东社区"))
    comment = _gathered(comment_rule, village_cadre)
    outsider = client_for(sibling_county_cadre)
    for consultation in (rule, comment_rule):
        section = consultation.sections.first()
        for name, arg in [("consultation_detail", consultation.pk), ("consultation_edit", consultation.pk),
                          ("consultation_open", consultation.pk), ("consultation_close", consultation.pk),
                          ("consultation_publish", consultation.pk), ("consultation_comment_gather", consultation.pk),
                          ("consultation_section_decide", section.pk), ("consultation_comment_review", comment.pk),
                          ("consultation_comment_answer", comment.pk)]:
            for method in ("get", "post"):
                answer = getattr(outsider, method)(reverse(name, args=[arg]), {"decision": "approve"})
                assert answer.status_code in (404, 405), (name, method, answer.status_code)
    listed = outsider.get(reverse("consultation_list")).content.decode()
    assert rule.title not in listed
    assert drafts.consultations_for(sibling_county_cadre).count() == 0


def test_a_committee_consultation_is_voted_in_a_meeting_from_its_page(client_for, county_chair, unit):
    from fulian.meetings.models import Decision
    from fulian.meetings.tests.conftest import MEMBERS, TERM
    from fulian.meetings.tests.test_meetings import standing_meeting
    from fulian.orgs import building

    body = building.body_create(actor=county_chair, unit=unit("正定县"), kind="standing", term_start=TERM[0],
                                term_end=TERM[1])
    members = [building.member_add(actor=county_chair, body=body, name=n, role="member") for n in MEMBERS]
    meeting = standing_meeting(county_chair, unit, members, present=5)
    draft = drafts.consultation_create(
        actor=county_chair, unit=unit("正定县"), kind="decision", title="县妇联2027年工作要点", audience="committee",
        opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=10), sections=[{"heading": "一", "text": "深化妇联改革"}])
    client = client_for(county_chair)
    page = client.get(reverse("consultation_detail", args=[draft.pk])).content.decode()
    assert "会议表决" in page and "?consultation=" not in page  # a draft is not voted on
    drafts.consultation_open(actor=county_chair, consultation=draft)
    page = client.get(reverse("consultation_detail", args=[draft.pk])).content.decode()
    link = f'{reverse("meeting_detail", args=[meeting.pk])}?consultation={draft.pk}'
    assert link in page and "在网上妇女之家查看" not in page  # a committee's is not on the portal
    form_page = client.get(link)
    assert "县妇联2027年工作要点" in form_page.content.decode()
    form = form_page.context["decision_form"]
    data = {"title": form["title"].value(), "consultation": str(draft.pk), "client_token": "vote-1",
            **{f"vote_{m.pk}": "for" for m in members[:5]}}
    assert client.post(reverse("decision_add", args=[meeting.pk]), data).status_code == 302
    decision = Decision.objects.get()
    assert decision.consultation == draft and decision.passed
    page = client.get(reverse("consultation_detail", args=[draft.pk])).content.decode()
    assert "表决：县妇联2027年工作要点" in page and "通过" in page and "?consultation=" not in page
    assert client.get(reverse("meeting_detail", args=[meeting.pk]), {"consultation": "x"}).status_code == 400
