"""The portal's consultations through the HTTP client: the list (open and decided ones, never a draft or a committee's,
newest first, with the unit), a consultation by section; her comment with the code sent to her phone (获取验证码
keeps what she typed; a wrong code is refused; a double tap is one comment), shown only once approved; signed in to
我的 she needs no code; after the period the form is gone and a late post is refused on the page; the pages are
rate-limited per address and her page is never cached; bad parameters 400."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from fulian.consultations import comments
from fulian.consultations.models import Comment, Consultation, ConsultationState
from fulian.portal.tests.otp import last_code_sent

from .conftest import village_rule

pytestmark = pytest.mark.django_db

PHONE = "13803110021"  # 李秀梅's, registered at 恒东社区 (conftest.registered)


@pytest.fixture(autouse=True)
def _fresh_limits():
    from django.core.cache import cache

    cache.clear()  # the rate limits count per address in the shared cache
    yield
    cache.clear()


def _page(client, rule, **params):
    return client.get(reverse("consult_detail", args=[rule.pk]), params)


def _comment(rule, **over):
    section = rule.sections.get(number=2)
    data = {"section": str(section.pk), "text": "彩礼不超过三万元", "name": "李秀梅", "anonymous": "on",
            "phone": PHONE, "code": "", "client_token": "tok-c-1", "submit": "1"}
    data.update(over)
    return data


def test_the_list_shows_open_and_decided_consultations_newest_first_never_drafts(client, unit, village_cadre):
    draft = village_rule(village_cadre, unit("恒东社区"), open_it=False)
    committee = village_rule(village_cadre, unit("恒东社区"), audience="committee")
    older = village_rule(village_cadre, unit("恒东社区"))
    newer = village_rule(village_cadre, unit("恒东社区"), audience="public")
    Consultation.objects.filter(pk=older.pk).update(title="恒东社区卫生公约", opened_at=timezone.now() -
                                                    dt.timedelta(days=3))
    Consultation.objects.filter(pk=newer.pk).update(title="恒东社区文明公约")
    for c in (draft, committee):
        Consultation.objects.filter(pk=c.pk).update(title=f"不该出现{c.pk}")
    page = client.get(reverse("consult_list"))
    html = page.content.decode()
    assert page.status_code == 200 and "恒东社区妇联" in html
    assert html.index("恒东社区文明公约") < html.index("恒东社区卫生公约")
    assert "不该出现" not in html and "征求意见中" in html
    assert client.get(reverse("consult_list"), {"page": "二"}).status_code == 400
    for hidden in (draft, committee):
        assert _page(client, hidden).status_code == 404
    home = client.get(reverse("portal_home")).content.decode()
    assert reverse("consult_list") in home and "恒东社区文明公约" in home


def test_she_comments_with_the_code_sent_to_her_phone_and_it_shows_only_once_approved(client, unit, village_cadre,
                                                                                     registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    page = _page(client, rule, section=rule.sections.get(number=2).pk)
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert page.context["form"]["section"].value() == str(rule.sections.get(number=2).pk)
    url = reverse("consult_detail", args=[rule.pk])
    sent = client.post(url, _comment(rule, send_code="1", submit=""))
    html = sent.content.decode()
    assert sent.status_code == 200 and "验证码已发送到您的手机" in html
    assert "彩礼不超过三万元" in html and f'value="{PHONE}"' in html and "checked" in html  # kept
    assert sent["X-Robots-Tag"] == "noindex, nofollow"
    posted = _comment(rule, code=last_code_sent(PHONE))
    done = client.post(url, posted)
    assert done.status_code == 302 and done["Location"] == url
    assert client.post(url, posted).status_code == 302  # a double tap: the same comment
    comment = Comment.objects.get()
    assert (comment.woman, comment.channel, comment.anonymous) == (registered, "portal", True)
    after = client.get(done["Location"]).content.decode()
    assert "审核后公开显示" in after and "还没有公开的意见" in after
    comments.comment_review(actor=village_cadre, comment=comment, approve=True)
    shown = _page(client, rule).content.decode()
    assert "彩礼不超过三万元" in shown and "匿名" in shown and "李秀梅" not in shown and PHONE not in shown


def test_a_wrong_code_is_refused_and_what_she_typed_kept(client, unit, village_cadre, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    url = reverse("consult_detail", args=[rule.pk])
    client.post(url, _comment(rule, send_code="1", submit=""))
    code = last_code_sent(PHONE)
    wrong = client.post(url, _comment(rule, code="000000" if code != "000000" else "111111"))
    html = wrong.content.decode()
    assert wrong.status_code == 400 and "验证码不对" in html and "彩礼不超过三万元" in html
    bad_phone = client.post(url, _comment(rule, phone="12345", send_code="1", submit=""))
    assert bad_phone.status_code == 400 and "手机号应为11位" in bad_phone.content.decode()
    assert "彩礼不超过三万元" in bad_phone.content.decode()
    missing = client.post(url, _comment(rule, code=""))
    assert missing.status_code == 400 and "请先获取验证码" in missing.content.decode()
    empty = client.post(url, _comment(rule, code=code, text=""))
    assert empty.status_code == 400
    assert not Comment.objects.exists()


def test_a_phone_not_in_the_subtrees_registry_is_told_whom_to_ask(client, unit, village_cadre):
    rule = village_rule(village_cadre, unit("恒东社区"))
    url = reverse("consult_detail", args=[rule.pk])
    stranger = "13900001111"
    client.post(url, _comment(rule, phone=stranger, send_code="1", submit=""))
    refused = client.post(url, _comment(rule, phone=stranger, code=last_code_sent(stranger)))
    assert refused.status_code == 400 and "登记在册的妇女" in refused.content.decode()
    assert not Comment.objects.exists()


def test_after_the_period_the_form_is_gone_and_a_late_comment_is_refused(client, unit, village_cadre, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    url = reverse("consult_detail", args=[rule.pk])
    client.post(url, _comment(rule, send_code="1", submit=""))
    code = last_code_sent(PHONE)
    today = timezone.localdate()
    Consultation.objects.filter(pk=rule.pk).update(opens_on=today - dt.timedelta(days=10),
                                                   closes_on=today - dt.timedelta(days=1))
    page = client.get(url).content.decode()
    assert "不再接收新的意见" in page and "提交意见" not in page and "获取验证码" not in page
    late = client.post(url, _comment(rule, code=code))  # the page was open on her phone since yesterday
    html = late.content.decode()
    assert late.status_code == 400 and "截止，不能再提意见" in html
    assert not Comment.objects.exists()
    code_late = client.post(url, _comment(rule, send_code="1", submit="")).content.decode()
    assert "截止" in code_late


def _signed_in_woman(phone: str):
    """A browser signed in to 我的 with her phone (as the portal's sign-in leaves it)."""
    import time

    from django.test import Client

    from fulian.portal.models import WomanAccount
    from fulian.portal.views import SEEN_KEY, SESSION_KEY

    account = WomanAccount.objects.create(phone=phone)
    client = Client()
    session = client.session
    session[SESSION_KEY], session[SEEN_KEY] = account.pk, time.time()
    session.save()
    return client


def test_signed_in_to_me_she_comments_without_a_code(unit, village_cadre, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    client = _signed_in_woman(PHONE)
    page = _page(client, rule).content.decode()
    assert "不用再获取验证码" in page and "获取验证码" not in page.replace("不用再获取验证码", "")
    done = client.post(reverse("consult_detail", args=[rule.pk]), {
        "section": "", "text": "整体很好", "name": "", "client_token": "tok-me-1", "submit": "1"})
    assert done.status_code == 302
    comment = Comment.objects.get()
    assert (comment.channel, comment.woman, comment.section) == ("account", registered, None)
    assert "no-cache" in client.get(done["Location"])["Cache-Control"]


def test_outcomes_and_the_final_text_show_once_decided(client, unit, village_cadre):
    from fulian.consultations import drafts

    rule = village_rule(village_cadre, unit("恒东社区"))
    one, two, three = rule.sections.all()
    drafts.section_decide(actor=village_cadre, section=two, outcome="changed", reason="采纳群众意见",
                          final_text="婚事新办，彩礼不超过三万元。")
    page = _page(client, rule).content.decode()
    assert "修改后采纳" in page and "彩礼不超过三万元" in page and "定稿" not in page.replace("公布定稿", "")
    drafts.section_decide(actor=village_cadre, section=one, outcome="adopted")
    drafts.section_decide(actor=village_cadre, section=three, outcome="not_adopted", reason="已有法律规定")
    drafts.consultation_publish(actor=village_cadre, consultation=rule, note="采纳意见2条")
    final = _page(client, rule)
    html = final.content.decode()
    assert final.context["final"] and 'id="final"' in html and "采纳意见2条" in html and "已有法律规定" in html
    assert Consultation.objects.get(pk=rule.pk).state == ConsultationState.FINAL
    assert "不再接收新的意见" in html


def test_bad_parameters_are_400(client, unit, village_cadre):
    rule = village_rule(village_cadre, unit("恒东社区"))
    for bad in ({"section": "abc"}, {"section": "-1"}, {"section": "１"}):
        assert _page(client, rule, **bad).status_code == 400
    assert _page(client, rule, section="999999").status_code == 200  # a number, just not one of its sections
    assert client.post(reverse("consult_detail", args=[rule.pk]), _comment(rule, section="999999", code="123456")
                       ).status_code == 400
    assert client.get("/consult/99999999/").status_code == 404


@override_settings(CONSULT_VIEWS_PER_MINUTE=3, CONSULT_POSTS_PER_HOUR=2)
def test_pages_and_posts_are_rate_limited_per_address(client, unit, village_cadre, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    assert [client.get(reverse("consult_list")).status_code for _ in range(4)] == [200, 200, 200, 429]
    other = client.__class__(REMOTE_ADDR="10.0.0.9")
    url = reverse("consult_detail", args=[rule.pk])
    answers = [other.post(url, _comment(rule, send_code="1", submit="")).status_code for _ in range(3)]
    assert answers[-1] == 429 and "请稍候再试" in other.post(url, _comment(rule)).content.decode()
