"""The portal's consultations (/consult/, no login, read on a phone): those out for comment and those decided, newest
first; one of them by section with its published comments, the organiser's answers, each section's outcome and the
final text; and her comment — with her phone proved by a one-time code, or signed in to 我的 — which is shown only
after the organiser approves it. Pages and posts are rate-limited per address; a page with her form is never cached."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from fulian.core.context import client_ip
from fulian.core.params import param_int
from fulian.core.ratelimit import rate_hit

from . import comments, drafts
from .forms_public import CommentForm, errors_to_form
from .models import CommentChannel, ConsultationState

PER_PAGE = 20


def _busy(request) -> bool:
    limit = int(getattr(settings, "CONSULT_VIEWS_PER_MINUTE", 300))
    return not rate_hit("consult-page", client_ip(request), limit=limit, seconds=60)


def _posting_too_much(request) -> bool:
    """Codes asked and comments sent from one address (a phone's own limits are core.otp's and the service's)."""
    limit = int(getattr(settings, "CONSULT_POSTS_PER_HOUR", 60))
    return not rate_hit("consult-post", client_ip(request), limit=limit, seconds=3600)


def _too_many(request):
    return _private(render(request, "public_busy.html", status=429))


def _private(response):
    """Her own pages: never cached, never indexed."""
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _woman_account(request):
    """The woman signed in to 我的 on this browser, if any (set by the portal's middleware)."""
    account = getattr(request, "woman_account", None)
    return account if account else None


def consult_list(request):
    """Consultations for comment and decided ones, newest first, each with its unit."""
    if _busy(request):
        return _too_many(request)
    rows = drafts.public_consultations().order_by("-opened_at", "-pk")
    number = param_int(request.GET, "page", default=1, lo=1, hi=10**6)
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(number) if rows.exists() else Page([], 1, paginator)
    return render(request, "consultations/public_list.html", {"page": page, "today": timezone.localdate()})


def consult_detail(request, consultation_id: int):
    """The draft by section with its published comments and answers, outcomes and the final text once decided; the
    comment form while it is open (获取验证码 sends her the code; signed in to 我的 she needs none)."""
    if _busy(request):
        return _too_many(request)
    consultation = drafts.public_consultation(consultation_id)
    now = timezone.now()
    today = timezone.localdate(now)
    account = _woman_account(request)
    sections = list(consultation.sections.all())
    picked = param_int(request.GET, "section", lo=1)
    initial = {"section": str(picked)} if any(s.pk == picked for s in sections) else {}
    form = CommentForm(request.POST or None, sections=sections, signed_in=account is not None, initial=initial)
    status, code_sent, code_error = 200, False, ""
    if request.method == "POST":
        if _posting_too_much(request):
            return _too_many(request)
        if "send_code" in request.POST and account is None:
            form = CommentForm(None, sections=sections, signed_in=False, initial={
                k: request.POST.get(k, "") for k in ("section", "text", "name", "phone", "client_token")} | {
                "anonymous": bool(request.POST.get("anonymous"))})
            try:
                comments.comment_code_send(consultation=consultation, phone=request.POST.get("phone", ""), now=now)
            except ValidationError as exc:
                code_error = " ".join(exc.messages)  # said beside the button (the page opens at #comment)
                status = 400
            else:
                code_sent = True
        elif form.is_valid():
            data = form.cleaned_data
            try:
                comments.comment_submit(
                    consultation=consultation, text=data["text"], section_id=data["section"] or None,
                    name=data["name"], anonymous=data["anonymous"], phone=data.get("phone", ""),
                    code=data.get("code", ""), account=account, client_token=data["client_token"], now=now,
                    channel=CommentChannel.ACCOUNT if account is not None else CommentChannel.PORTAL)
            except ValidationError as exc:
                errors_to_form(form, exc)
                status = 400
            else:
                messages.success(request, _("您的意见已提交，经审核后公开显示。谢谢您的参与！"))
                return _private(redirect("consult_detail", consultation_id=consultation.pk))  # the message on top
        else:
            status = 400
    shown = list(comments.comments_shown(consultation))
    by_section: dict = {}
    for c in shown:
        by_section.setdefault(c.section_id, []).append(c)
    response = render(request, "consultations/public_detail.html", {
        "consultation": consultation, "form": form, "account": account, "code_sent": code_sent,
        "code_error": code_error,
        "open": consultation.is_open_on(today), "not_yet": consultation.state == ConsultationState.OPEN and
        today < consultation.opens_on, "final": consultation.state == ConsultationState.FINAL,
        "ended_on": timezone.localdate(consultation.closed_at) if consultation.closed_at else consultation.closes_on,
        "rows": [{"section": s, "comments": by_section.get(s.pk, [])} for s in sections],
        "whole": by_section.get(None, []), "shown": len(shown)}, status=status)
    if request.method == "POST" or account is not None:
        return _private(response)
    add_never_cache_headers(response)  # the form's token and what she typed are hers; the text itself may be indexed
    return response
