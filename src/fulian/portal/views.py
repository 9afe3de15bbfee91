import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import practices, selectors, services
from .models import Category, WomanAccount

SESSION_KEY = "woman_account"


SEEN_KEY = "woman_seen"


def current_account(request) -> WomanAccount | None:
    """Her account while her session is signed in and not idle longer than SESSION_IDLE_MINUTES."""
    account_id = request.session.get(SESSION_KEY)
    if not account_id:
        return None
    now = time.time()
    if now - request.session.get(SEEN_KEY, 0) > settings.SESSION_IDLE_MINUTES * 60:
        request.session.flush()
        return None
    if now - request.session.get(SEEN_KEY, 0) > 60:
        request.session[SEEN_KEY] = now
    return WomanAccount.objects.filter(pk=account_id).first()


def _private(response):
    """Her own pages: never cached, never indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def portal_home(request):
    """The public home; other apps add their sections (open surveys, later activities …) through core.panels."""
    columns = (Category.NOTICE, Category.BULLETIN, Category.PRACTICE)
    latest = {c: list(selectors.articles_published(category=c)[:5]) for c in columns}
    return render(request, "portal/home.html", {"latest": latest, "categories": Category,
                                                "sections": panels_for("portal.home", request, None)})


def neutral_page(request):
    """A page with nothing about the federation or help on it: the help pages put it in the browser history in
    their own place, so "back" on a shared phone never shows them."""
    return _private(render(request, "portal/neutral.html"))


def news_list(request, category: str):
    if category not in Category.values:
        raise Http404("category")
    q = request.GET.get("q", "").strip()
    articles = selectors.articles_published(category=category, q=q)
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "portal/news_list.html", {"page": page, "category": Category(category), "q": q})


def news_detail(request, article_id: int):
    article = selectors.article_published(article_id)
    return render(request, "portal/news_detail.html", {"article": article,
                                                       "photos": practices.photos_of_article(article)})


def me(request):
    """Her own account: sign in with phone + code, see her requests, delete the account."""
    account = current_account(request)
    step = "phone"
    phone = request.POST.get("phone", "")
    if request.method == "POST" and account is None:
        try:
            if request.POST.get("code"):
                account = services.code_verify(phone=phone, code=request.POST["code"])
                request.session.cycle_key()
                request.session[SESSION_KEY] = account.pk
                request.session[SEEN_KEY] = time.time()
                return _private(redirect("portal_me"))
            services.code_request(phone=phone)
            step = "code"
            messages.info(request, _("验证码已发送到您的手机。"))
        except ValidationError as exc:
            step = "code" if request.POST.get("code") else "phone"
            messages.error(request, " ".join(exc.messages))
    cases = list(account.cases.order_by("-created_at")) if account else []
    sections = panels_for("portal.me", request, account) if account else []  # e.g. her activity sign-ups
    return _private(render(request, "portal/me.html", {"account": account, "step": step, "phone": phone,
                                                       "cases": cases, "sections": sections}))


@require_POST
def me_signout(request):
    """Ends the session and starts a new one (a new key), so nothing of it can be reused."""
    request.session.flush()
    return _private(redirect("portal_home"))


@require_POST
def me_delete(request):
    account = current_account(request)
    if account is None or request.POST.get("confirm") != "yes":
        return redirect("portal_me")
    services.account_delete(account=account)
    request.session.flush()
    messages.success(request, _("您的账号已删除。"))
    return redirect("portal_home")


# cadres: publishing


@login_required
def publish_list(request):
    articles = selectors.articles_for(request.user)
    page = Paginator(articles.order_by("status", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "portal/publish_list.html", {"page": page,
                                                        "sections": panels_for("publish_list", request, None)})


@login_required
def publish_edit(request, article_id: int | None = None):
    article = None
    if article_id is not None:
        article = selectors.access_article_by_id(request.user, article_id, need=Action.EDIT)
    unit = article.unit if article else unit_home_for(request.user)
    unit_id = param_int(request.GET, "unit")
    if unit_id is not None:
        unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    if request.method == "POST":
        try:
            article = services.article_save(
                actor=request.user,
                unit=unit,
                title=request.POST.get("title", ""),
                body=request.POST.get("body", ""),
                category=request.POST.get("category", ""),
                issuer=request.POST.get("issuer", ""),
                channels=request.POST.getlist("channels"),
                article=article,
            )
            if request.POST.get("submit"):
                services.article_submit(actor=request.user, article=article)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已保存。"))
            return redirect("publish_detail", article_id=article.pk)
    form = {
        key: request.POST.get(key, getattr(article, key, "") if article else "")
        for key in ("title", "body", "issuer", "category")
    }
    form["channels"] = (
        request.POST.getlist("channels") if request.method == "POST" else (article.channels if article else [])
    )
    return render(
        request,
        "portal/publish_edit.html",
        {
            "article": article,
            "unit": unit,
            "categories": Category.choices,
            "channels": services.CHANNELS,
            "form": form,
        },
    )


@login_required
def publish_detail(request, article_id: int):
    article = selectors.access_article_by_id(request.user, article_id)
    if request.method == "POST":
        try:
            action = request.POST.get("action")
            if action in ("publish", "return"):
                services.article_review(
                    actor=request.user, article=article, approve=action == "publish", note=request.POST.get("note", "")
                )
            elif action == "withdraw":
                services.article_withdraw(actor=request.user, article=article)
            elif action == "submit":
                services.article_submit(actor=request.user, article=article)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("publish_detail", article_id=article.pk)
    return render(
        request,
        "portal/publish_detail.html",
        {"article": article, "may_review": services.may_review(request.user, article)},
    )
