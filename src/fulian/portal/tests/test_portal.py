import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.cases.models import Case
from fulian.core.models import OneTimeCode, Outbox
from fulian.portal import services
from fulian.portal.models import Article, ArticleStatus, WomanAccount
from fulian.portal.tests.otp import last_code_sent


@pytest.fixture
def staff(unit):
    return UserFactory(username="county-staff", unit=unit("正定县"), roles=["staff"])


@pytest.mark.django_db
def test_a_notice_goes_from_draft_through_review_to_the_portal_and_its_channels(client, client_for, staff,
                                                                                 county_chair, unit):
    writer = client_for(staff)
    writer.post(reverse("publish_new"), {"category": "notice", "title": "关于开展三八节活动的通知",
                                         "body": "各乡镇妇联：……", "channels": ["wechat", "app"], "submit": "1"})
    article = Article.objects.get()
    assert article.status == ArticleStatus.REVIEW
    assert "三八节" not in client.get(reverse("portal_home")).content.decode()
    refused = writer.post(reverse("publish_detail", args=[article.pk]), {"action": "publish"}, follow=True)
    assert "主席、副主席" in refused.content.decode()
    client_for(county_chair).post(reverse("publish_detail", args=[article.pk]), {"action": "publish"})
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED and article.reviewer == county_chair
    assert set(Outbox.objects.values_list("channel", flat=True)) == {"wechat", "app"}
    home = client.get(reverse("portal_home")).content.decode()
    assert "关于开展三八节活动的通知" in home
    assert client.get(reverse("news_detail", args=[article.pk])).status_code == 200


@pytest.mark.django_db
def test_a_returned_article_is_a_draft_again_and_unpublished_ones_are_not_public(client, client_for, staff,
                                                                                 county_chair):
    client_for(staff).post(reverse("publish_new"), {"category": "bulletin", "title": "改革动态", "body": "x",
                                                    "submit": "1"})
    article = Article.objects.get()
    client_for(county_chair).post(reverse("publish_detail", args=[article.pk]), {"action": "return",
                                                                                "note": "请补充数据"})
    article.refresh_from_db()
    assert (article.status, article.review_note) == (ArticleStatus.DRAFT, "请补充数据")
    assert client.get(reverse("news_detail", args=[article.pk])).status_code == 404


@pytest.mark.django_db
def test_publishing_is_scoped(client_for, sibling_county_cadre, staff):
    client_for(staff).post(reverse("publish_new"), {"category": "notice", "title": "t", "body": "b", "submit": "1"})
    article = Article.objects.get()
    other = client_for(sibling_county_cadre)
    assert other.get(reverse("publish_detail", args=[article.pk])).status_code == 404
    other.post(reverse("publish_detail", args=[article.pk]), {"action": "publish"})
    assert Article.objects.get().status == ArticleStatus.REVIEW


@pytest.mark.django_db
def test_an_author_cannot_publish_her_own_piece(client_for, county_chair, province_chair, unit):
    from django.core.exceptions import ValidationError

    article = services.article_save(actor=county_chair, unit=unit("正定县"), title="通知", body="……",
                                    category="notice")
    services.article_submit(actor=county_chair, article=article)
    with pytest.raises(ValidationError):
        services.article_review(actor=county_chair, article=article, approve=True)
    page = client_for(county_chair).post(reverse("publish_detail", args=[article.pk]), {"action": "publish"})
    assert page.status_code in (200, 302)
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW
    services.article_review(actor=province_chair, article=article, approve=True)  # a leader above may
    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED


@pytest.mark.django_db
def test_policy_library_search(client, county_chair, staff, unit):
    for title, issuer in [("河北省妇女权益保障条例", "河北省人大常委会"), ("反家庭暴力法", "全国人大常委会")]:
        article = services.article_save(actor=staff, unit=unit("正定县"), title=title, body="……",
                                        category="policy", issuer=issuer)
        services.article_submit(actor=staff, article=article)
        services.article_review(actor=county_chair, article=article, approve=True)
    found = client.get(reverse("news_list", args=["policy"]), {"q": "河北"}).context["page"].object_list
    assert [a.title for a in found] == ["河北省妇女权益保障条例"]
    assert client.get(reverse("news_list", args=["nonsense"])).status_code == 404


def _code_from_outbox(phone):
    return last_code_sent(phone)


@pytest.mark.django_db
def test_a_woman_signs_in_with_a_code_sees_her_requests_and_deletes_her_account(client, tree):
    client.post(reverse("portal_me"), {"phone": "13800001111"})
    code = _code_from_outbox("13800001111")
    wrong = client.post(reverse("portal_me"), {"phone": "13800001111", "code": "000000" if code != "000000" else "1"})
    assert "验证码不对" in wrong.content.decode()
    client.post(reverse("portal_me"), {"phone": "13800001111", "code": code})
    account = WomanAccount.objects.get()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=10), tick=False):
        page = client.get(reverse("help_form"))
    form = page.context["form"]
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30), tick=False):
        client.post(reverse("help_form"), {"kind": "legal_aid", "place": "130123100001 恒东社区", "description": "x",
                                           "phone": "13800001111", "started": form["started"].value(),
                                           "client_token": "acc-1", "show_in_mine": "on"})
    case = Case.objects.get()
    assert case.account == account
    me = client.get(reverse("portal_me"))
    assert case.tracking_code in me.content.decode()
    client.post(reverse("portal_delete"), {"confirm": "yes"})
    assert not WomanAccount.objects.exists() and not OneTimeCode.objects.exists()
    assert Case.objects.get().account is None  # her request stays with the federation


@pytest.mark.django_db
def test_codes_expire_are_single_use_and_rate_limited(tree):
    now = dt.datetime(2026, 11, 25, 2, tzinfo=dt.UTC)
    services.code_request(phone="13800002222", now=now)
    code = _code_from_outbox("13800002222")
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.code_verify(phone="13800002222", code=code, now=now + dt.timedelta(minutes=6))
    services.code_request(phone="13800002222", now=now)
    code = _code_from_outbox("13800002222")
    services.code_verify(phone="13800002222", code=code, now=now)
    with pytest.raises(ValidationError):
        services.code_verify(phone="13800002222", code=code, now=now)
    for _ in range(3):
        services.code_request(phone="13800002222", now=now)
    with pytest.raises(ValidationError) as exc:
        services.code_request(phone="13800002222", now=now)
    assert exc.value.code == "otp_rate"
