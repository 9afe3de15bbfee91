"""Publishing (draft → review → publish, pushed to channels through the outbox) and women's own accounts
(phone + one-time code; she sees her requests and may delete her account)."""


import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.hooks import hook_call
from fulian.core.otp import otp_check, otp_forget, otp_send
from fulian.core.outbox import outbox_put
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, may_review_article, require

from .models import Article, ArticleStatus, Category, WomanAccount

CHANNELS = {"wechat": _("微信公众号"), "weibo": _("微博"), "app": _("客户端推送")}


def _check_article(title: str, body: str, category: str, channels: list[str]) -> None:
    if not (title or "").strip() or not (body or "").strip():
        raise ValidationError(_("请填写标题和正文。"), code="article_blank")
    if category not in Category.values:
        raise ValidationError(_("栏目不正确。"), code="article_category")
    if set(channels) - set(CHANNELS):
        raise ValidationError(_("推送渠道不正确。"), code="article_channel")


def article_save(
    *, actor, unit, title: str, body: str, category: str, issuer: str = "", channels=(), article: Article | None = None
) -> Article:
    """Write or edit a draft (an article sent back from review is a draft again)."""
    require(actor, Action.EDIT, unit.path)
    channels = sorted(set(channels))
    _check_article(title, body, category, channels)
    values = {
        "title": title.strip()[:120],
        "body": body.strip(),
        "category": category,
        "issuer": issuer[:120],
        "channels": channels,
    }
    with transaction.atomic():
        if article is None:
            article = Article.objects.create(unit=unit, unit_path=unit.path, author=actor, **values)
            audit_record(actor=actor, action="article.create", obj=article)
        else:
            if article.status not in (ArticleStatus.DRAFT, ArticleStatus.WITHDRAWN):
                raise ValidationError(_("只有草稿可以修改。"), code="article_not_draft")
            Article.objects.filter(pk=article.pk).update(status=ArticleStatus.DRAFT, **values)
            article.refresh_from_db()
            audit_record(actor=actor, action="article.update", obj=article)
    return article


def article_submit(*, actor, article: Article) -> Article:
    require(actor, Action.EDIT, article.unit_path)
    if article.status != ArticleStatus.DRAFT:
        raise ValidationError(_("只有草稿可以提交审核。"), code="article_not_draft")
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=ArticleStatus.REVIEW)
        article.status = ArticleStatus.REVIEW
        audit_record(actor=actor, action="article.submit", obj=article)
    return article


def may_review(user, article: Article) -> bool:
    """Chairs and vice-chairs of the article's unit or of a unit above it, never its author (core.policy)."""
    return may_review_article(user, article.unit_path, author_id=article.author_id)


def article_review(*, actor, article: Article, approve: bool, note: str = "", now=None) -> Article:
    """Publish (and push to the chosen channels) or send back with a note."""
    now = now or timezone.now()
    if not may_review(actor, article):
        raise ValidationError(_("审核发布需要本级或上级妇联主席、副主席，且不能审核自己写的文章。"),
                              code="not_reviewer")
    if article.status != ArticleStatus.REVIEW:
        raise ValidationError(_("这篇文章不在待审核状态。"), code="article_not_in_review")
    with transaction.atomic():
        if approve:
            Article.objects.filter(pk=article.pk).update(
                status=ArticleStatus.PUBLISHED, reviewer=actor, published_at=now, review_note=note[:200]
            )
            for channel in article.channels:
                outbox_put(
                    channel=channel,
                    subject=article.title,
                    body=article.body[:500],
                    link=f"/news/{article.pk}/",
                    now=now,
                )
            from .practices import practice_article_published

            practice_article_published(actor=actor, article=article, now=now)
        else:
            Article.objects.filter(pk=article.pk).update(
                status=ArticleStatus.DRAFT, reviewer=actor, review_note=note[:200]
            )
            from .practices import practice_article_returned

            practice_article_returned(actor=actor, article=article, note=note, now=now)
        article.refresh_from_db()
        audit_record(actor=actor, action="article.publish" if approve else "article.return", obj=article)
    return article


def article_withdraw(*, actor, article: Article) -> Article:
    if not may_review(actor, article):
        raise ValidationError(_("审核发布需要本级或上级妇联主席、副主席。"), code="not_reviewer")
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=ArticleStatus.WITHDRAWN)
        article.status = ArticleStatus.WITHDRAWN
        audit_record(actor=actor, action="article.withdraw", obj=article)
    return article


def code_request(*, phone: str, now=None) -> None:
    """Send her a sign-in code (see core.otp for what is stored and the limits)."""
    otp_send(phone=normalize_phone(phone), now=now)


def code_verify(*, phone: str, code: str, now=None) -> WomanAccount:
    """Sign her in with the latest code sent to her phone; her account is made on first sign-in."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    otp_check(phone=phone, code=code, now=now)
    with transaction.atomic():
        account, created = WomanAccount.objects.select_for_update().get_or_create(phone=phone)
        last_seen = account.last_login_at or account.created_at
        if not created and last_seen < now - dt.timedelta(days=settings.WOMAN_ACCOUNT_DORMANT_DAYS):
            account_forget_links(account=account, now=now)
        WomanAccount.objects.filter(pk=account.pk).update(last_login_at=now)
    return account


def account_forget_links(*, account: WomanAccount, now) -> None:
    """A number unused this long may have been given to someone else (carriers recycle numbers): whoever signs in
    with it now starts with nothing of the previous holder's. Her requests stay with the federation, and she can add
    them back to 我的 with their tracking codes; the old holder's app tokens die too."""
    unlinked = account.cases.update(account=None)
    hook_call("woman_account.forgotten", account=account, now=now)  # e.g. her activity sign-ups leave 我的
    WomanAccount.objects.filter(pk=account.pk).update(tokens_valid_after=now)
    audit_record(actor=None, action="woman_account.dormant_reset", changes={"account": account.pk,
                                                                            "requests_unlinked": unlinked})


def account_signout_everywhere(*, account: WomanAccount, now=None) -> None:
    """Every app token she holds stops working (her web session is ended by the caller)."""
    now = now or timezone.now()
    with transaction.atomic():
        WomanAccount.objects.filter(pk=account.pk).update(tokens_valid_after=now)
        audit_record(actor=None, action="woman_account.signout_everywhere", changes={"account": account.pk})


def account_delete(*, account: WomanAccount) -> None:
    """PIPL: her account and codes go; her requests stay with the federation, no longer linked to her."""
    with transaction.atomic():
        account.cases.update(account=None)
        otp_forget(phone=account.phone)
        audit_record(actor=None, action="woman_account.delete", changes={"account": account.pk})
        account.delete()
