"""Publishing (draft → review → publish, pushed to channels through the outbox) and women's own accounts
(phone + one-time code; she sees her requests and may delete her account)."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.context import current_origin
from fulian.core.otp import LINK_PREFIX, PLACEHOLDER, otp_hash, otp_matches, otp_new
from fulian.core.outbox import logger as outbox_logger
from fulian.core.outbox import outbox_put
from fulian.core.phone import normalize_phone
from fulian.core.policy import LEADER_ROLES, Action, allows
from fulian.core.ratelimit import rate_count, rate_hit

from .models import Article, ArticleStatus, Category, OneTimeCode, WomanAccount

CHANNELS = {"wechat": _("微信公众号"), "weibo": _("微博"), "app": _("客户端推送")}
CODE_MINUTES = 5
CODE_ATTEMPTS = 5


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
    if not allows(actor, Action.EDIT, unit.path):
        raise ValidationError(_("不在您的工作范围内。"), code="out_of_scope")
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
    if not allows(actor, Action.EDIT, article.unit_path):
        raise ValidationError(_("不在您的工作范围内。"), code="out_of_scope")
    if article.status != ArticleStatus.DRAFT:
        raise ValidationError(_("只有草稿可以提交审核。"), code="article_not_draft")
    with transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status=ArticleStatus.REVIEW)
        article.status = ArticleStatus.REVIEW
        audit_record(actor=actor, action="article.submit", obj=article)
    return article


def may_review(user, article: Article) -> bool:
    """Chairs and vice-chairs of the article's unit or of a unit above it."""
    return allows(user, Action.EDIT, article.unit_path) and bool(user.is_superuser or LEADER_ROLES & set(user.roles))


def article_review(*, actor, article: Article, approve: bool, note: str = "", now=None) -> Article:
    """Publish (and push to the chosen channels) or send back with a note."""
    now = now or timezone.now()
    if not may_review(actor, article):
        raise ValidationError(_("审核发布需要本级或上级妇联主席、副主席。"), code="not_reviewer")
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
        else:
            Article.objects.filter(pk=article.pk).update(
                status=ArticleStatus.DRAFT, reviewer=actor, review_note=note[:200]
            )
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


def _limit(name: str, ident: str | None, limit: int, now) -> None:
    if not rate_hit(name, ident, limit=limit, seconds=3600, now=now.timestamp()):
        raise ValidationError(_("操作太频繁，请一小时后再试。"), code="otp_rate")


def code_request(*, phone: str, now=None) -> None:
    """Send a six-digit code by SMS through the outbox; the code itself is stored nowhere (see core.otp).

    Limited per phone and per address (the same client address the audit records)."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    if not phone.startswith("1"):
        raise ValidationError(_("请填写手机号。"), code="phone_not_mobile")
    _limit("otp-request-phone", phone, settings.OTP_REQUESTS_PER_PHONE, now)
    _limit("otp-request-address", current_origin().ip, settings.OTP_REQUESTS_PER_ADDRESS, now)
    nonce, code = otp_new()
    with transaction.atomic():
        OneTimeCode.objects.create(
            phone=phone, code_hash=otp_hash(phone, code), expires_at=now + dt.timedelta(minutes=CODE_MINUTES)
        )
        outbox_put(
            channel="sms",
            address=phone,
            subject=_("网上妇女之家验证码：%(code)s，%(m)d分钟内有效。") % {"code": PLACEHOLDER, "m": CODE_MINUTES},
            link=LINK_PREFIX + nonce,
            now=now,
        )
    if settings.OTP_ECHO:
        outbox_logger.warning("one-time code for %s: %s (OTP_ECHO, development only)", phone, code)


def code_verify(*, phone: str, code: str, now=None) -> WomanAccount:
    """Sign her in with the latest code sent to her phone.

    A wrong guess is counted in its own committed write, before the refusal is raised, so no rollback can
    undo it; a code dies after CODE_ATTEMPTS wrong guesses; guesses are limited per address and failures per
    phone across codes, so requesting new codes does not buy more guesses."""
    now = now or timezone.now()
    phone = normalize_phone(phone)
    _limit("otp-verify-address", current_origin().ip, settings.OTP_VERIFY_PER_ADDRESS, now)
    if rate_count("otp-fail-phone", phone, seconds=3600, now=now.timestamp()) >= settings.OTP_FAILURES_PER_PHONE:
        raise ValidationError(_("验证码错误次数太多，请一小时后再试。"), code="otp_rate")
    refusal = None
    with transaction.atomic():
        otp = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-id")
            .first()
        )
        if otp is None or otp.attempts >= CODE_ATTEMPTS:
            refusal = ValidationError(_("验证码已失效，请重新获取。"), code="otp_expired")
        elif not otp_matches(otp.code_hash, phone, (code or "").strip()):
            OneTimeCode.objects.filter(pk=otp.pk).update(attempts=otp.attempts + 1)
            refusal = ValidationError(_("验证码不对。"), code="otp_wrong")
        else:
            OneTimeCode.objects.filter(pk=otp.pk).update(used_at=now)
            account, _created = WomanAccount.objects.get_or_create(phone=phone)
            WomanAccount.objects.filter(pk=account.pk).update(last_login_at=now)
    if refusal is not None:
        rate_hit("otp-fail-phone", phone, limit=10**9, seconds=3600, now=now.timestamp())
        raise refusal
    return account


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
        OneTimeCode.objects.filter(phone=account.phone).delete()
        audit_record(actor=None, action="woman_account.delete", changes={"account": account.pk})
        account.delete()
