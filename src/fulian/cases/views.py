import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.test.signals import setting_changed
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fulian.accounts.selectors import access_cadre_by_id, cadres_for
from fulian.core.access import access_by_id
from fulian.core.params import param_int
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import exports, selectors, services
from .forms import CadreIntakeForm, CaseCloseForm, CasePauseForm, HelpForm, PartnerForm
from .models import CaseKind, CaseStatus, RiskLevel, Source, Urgency


def _woman_account(request):
    """The woman signed in on this browser, if any (set by the portal's middleware)."""
    account = getattr(request, "woman_account", None)
    return account if account else None


def _survivor_safe(response):
    """Help pages are not cached nor kept by the browser, and stay out of search engines. (The referrer policy
    stays same-origin: "no-referrer" would make the browser send Origin: null and fail the CSRF check.)"""
    response["Cache-Control"] = "no-store, max-age=0"
    response["X-Robots-Tag"] = "noindex"
    return response


_CODE, _TOKEN = "FULIANTRACKINGCODE", "FULIANFORMTOKEN"  # stand-ins where a page's own values go (no markup in them)
_done_pages: dict = {}


@receiver(setting_changed)
def _forget_done_pages(**kwargs):
    _done_pages.clear()


def _help_done(request, case):
    """The page with her tracking code. For a visitor (not signed in, no messages waiting) it is one page per language
    and address but for the code and the form token: rendered once, then those two are put in (rendering it cost as
    much as the rest of the request's Python but the write)."""
    if request.user.is_authenticated or len(get_messages(request)):
        return render(request, "cases/help_done.html", {"case": case})
    key = (get_language(), request.get_full_path())
    page = _done_pages.get(key)
    if page is None:
        page = _done_pages[key] = render_to_string(
            "cases/help_done.html", {"case": {"tracking_display": _CODE}, "csrf_token": _TOKEN}, request=request)
    return HttpResponse(page.replace(_CODE, case.tracking_display).replace(_TOKEN, get_token(request)))


@never_cache
def help_form(request):
    form = HelpForm(request.POST or None)
    account = _woman_account(request)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if form.looks_automated():
            form.add_error(None, _("提交太快了，请稍候再试。"))
        else:
            try:
                case = services.case_intake(
                    kind=data["kind"], home_unit=data["place"], description=data["description"], source=Source.PORTAL,
                    anonymous=data["anonymous"], client_token=data["client_token"],
                    contact={"name": data["name"], "phone": data["phone"], "safe_time": data["safe_time"]},
                    account=account if data["show_in_mine"] else None, sms_tracking_code=data["sms_code"])
            except ValidationError as exc:
                form.add_error("sms_code" if getattr(exc, "code", "") == "case_sms_phone" else None, exc)
            else:
                return _survivor_safe(_help_done(request, case))
    return _survivor_safe(render(request, "cases/help_form.html", {"form": form, "signed_in": account is not None}))


@require_POST
def help_requests_mine(request):
    """She adds one of her requests to 我的 (the portal) with its tracking code, or takes one out."""
    account = _woman_account(request)
    if account is None:
        return _survivor_safe(redirect("portal_me"))
    if request.POST.get("unlink"):
        services.case_unlink_account(case_id=param_int(request.POST, "unlink"), account=account)
        messages.success(request, _("已从“我的”中移除。求助本身不受影响，仍可用查询码查看。"))
    else:
        try:
            services.case_link_account(tracking=request.POST.get("code", ""), account=account)
            messages.success(request, _("已添加到“我的”。"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return _survivor_safe(redirect("portal_me"))


@never_cache
def help_status(request):
    case = None
    code = request.POST.get("code") or request.GET.get("code") or ""
    if request.method == "POST" and request.POST.get("score"):
        try:
            services.case_rate(tracking=code, score=param_int(request.POST, "score", lo=1, hi=5))
            messages.success(request, _("谢谢您的评价。"))
        except (ValidationError, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [_("评价失败。")])))
    if code:
        case = selectors.case_public_status(code)
    return _survivor_safe(render(request, "cases/help_status.html", {
        "code": code, "case": case, "events": case.timeline.filter(is_public=True) if case else []}))


@login_required
def case_queue(request):
    unit = None
    unit_id = param_int(request.GET, "unit")
    if unit_id is not None:
        unit = access_unit_by_id(request.user, unit_id)
    status = request.GET.get("status", "open")
    page = Paginator(selectors.cases_for(request.user, status=status, unit=unit), 50).get_page(request.GET.get("page"))
    board_unit = unit or unit_home_for(request.user)
    board = selectors.case_dashboard(request.user, unit=board_unit) if board_unit else None
    return render(request, "cases/queue.html", {"page": page, "status": status, "unit": unit, "board": board,
                                                "now": timezone.now()})


@login_required
def case_new(request):
    form = CadreIntakeForm(request.POST or None, initial={"client_token": uuid.uuid4().hex})
    form.fields["unit_code"].limit_to(user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = data["unit_code"]
        try:
            case = services.case_intake(
                kind=data["kind"], urgency=data["urgency"] or None, home_unit=unit, description=data["description"],
                source=data["source"], actor=request.user, anonymous=data["anonymous"],
                client_token=data["client_token"],
                contact={"name": data["name"], "phone": data["phone"], "address": data["address"]})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记，查询码 %(code)s。") % {"code": case.tracking_code})
            return redirect("case_queue")
    return render(request, "cases/case_new.html", {"form": form})


def _case_page(request, case, sealed, *, pause_form=None, close_form=None, status=200):
    return render(request, "cases/case_detail.html", {
        "case": case, "sealed": sealed, "details": sealed.get("details", {}),
        "fields": [(f, services.FIELD_LABELS[f]) for f in services.KIND_FIELDS.get(case.kind, [])],
        "asks_risk": case.kind in services.RISK_KINDS, "risk_levels": RiskLevel.choices,
        "timeline": case.timeline.select_related("actor"), "action_labels": services.ACTION_LABELS,
        "referrals": case.referrals.select_related("partner"), "partners": selectors.partners_for(case),
        "handlers": case.handlers.all(), "urgencies": Urgency.choices,
        "handler_choices": cadres_for(request.user).order_by("unit__path", "username")[:200],
        "pause_reason": selectors.case_pause_reason(case) if case.status == CaseStatus.PAUSED else "",
        "pause_form": pause_form or CasePauseForm(), "close_form": close_form or CaseCloseForm(),
        "now": timezone.now(),
    }, status=status)


@login_required
def case_detail(request, case_id: int):
    case, sealed = selectors.access_case_by_id(request.user, case_id, purpose="view")
    return _case_page(request, case, sealed)


ACTIONS = {
    "note": lambda r, case, v: services.case_note(actor=r.user, case=case, text=r.POST.get("text", ""), version=v,
                                                  public=r.POST.get("public") == "on",
                                                  details={k[7:]: val for k, val in r.POST.items()
                                                           if k.startswith("detail_") and val}),
    "triage": lambda r, case, v: services.case_triage(actor=r.user, case=case, urgency=r.POST.get("urgency", ""),
                                                      version=v),
    "resume": lambda r, case, v: services.case_resume(actor=r.user, case=case, version=v),
}


@login_required
@require_POST
def case_action(request, case_id: int, action: str):
    case, sealed = selectors.access_case_by_id(request.user, case_id, purpose=action)
    version = param_int(request.POST, "version", hi=2**31 - 1)
    try:
        if action == "pause":
            form = CasePauseForm(request.POST)
            if not form.is_valid():
                return _case_page(request, case, sealed, pause_form=form, status=400)
            services.case_pause(actor=request.user, case=case, reason=form.cleaned_data["reason"], version=version)
        elif action == "close":
            form = CaseCloseForm(request.POST)
            if not form.is_valid():  # without the 确认办结 tick nothing is closed; what she wrote stays in the form
                return _case_page(request, case, sealed, close_form=form, status=400)
            services.case_close(actor=request.user, case=case, outcome=form.cleaned_data["outcome"],
                                outcome_public=form.cleaned_data["outcome_public"], version=version)
        elif action == "assign":
            handler = access_cadre_by_id(request.user, request.POST.get("handler"))
            services.case_assign(actor=request.user, case=case, handler=handler, version=version)
        elif action == "refer":
            partner = selectors.partners_for(case).filter(pk=request.POST.get("partner") or 0).first()
            if partner is None:
                raise Http404("partner")
            services.referral_create(actor=request.user, case=case, partner=partner, note=request.POST.get("text", ""),
                                     version=version)
        elif action in ACTIONS:
            ACTIONS[action](request, case, version)
        else:
            raise Http404("action")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("case_detail", case_id=case.pk)
    messages.success(request, _("已保存。"))
    return redirect("case_detail", case_id=case.pk)


@never_cache
def referral_ack(request, code: str):
    """The partner confirms it received the referral (a link or code sent to it)."""
    referral = selectors.referral_by_ack_code(code)
    if referral is None:
        raise Http404("referral")
    if request.method == "POST":
        referral = services.referral_acknowledge(code=code)
    return render(request, "cases/referral_ack.html", {"referral": referral})


@login_required
def need_to_case(request, need_id: int):
    """A need found on a visit becomes a service case: she picks its kind and confirms (the need's status and
    sealing follow through the "need.became_case" hook)."""
    need = access_by_id(request.user, "contacts.Need", need_id, need=Action.EDIT)
    woman = need.woman
    if request.method != "POST":
        return render(request, "cases/need_to_case.html", {"need": need, "woman": woman, "kinds": CaseKind.choices})
    try:
        case = services.case_intake(kind=request.POST.get("kind", "other"), home_unit=woman.home_unit,
                                    description=need.description or need.get_category_display(),
                                    source=Source.CONTACT, actor=request.user, woman=woman, need=need,
                                    contact={"name": woman.name, "phone": woman.phone})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("woman_detail", woman_id=woman.pk)
    messages.success(request, _("已转为服务个案，查询码 %(code)s。") % {"code": case.tracking_code})
    return redirect("case_detail", case_id=case.pk)


@login_required
@require_POST
def case_export(request):
    """Case data leaves the system only with a stated reason; the export and every case in it are logged."""
    reason = request.POST.get("reason", "").strip()[:200]
    if len(reason) < 4:
        messages.error(request, _("导出个案数据需要写明用途。"))
        return redirect("case_queue")
    status = request.POST.get("status", "")
    cases = list(selectors.cases_for(request.user, status=status if status in ("open", *CaseStatus.values) else "")
                 .select_related("home_unit"))
    return exports.cases_export(actor=request.user, cases=cases, reason=reason)


@login_required
def partners(request):
    """The partner directory of her unit and the units above; editors add and retire partners of their unit."""
    unit = unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    form = PartnerForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("retire"):
            partner = selectors.access_partner_by_id(request.user, request.POST["retire"], need=Action.EDIT)
            services.partner_retire(actor=request.user, partner=partner)
            return redirect("partners")
        if form.is_valid():
            try:
                services.partner_create(actor=request.user, unit=unit, **form.cleaned_data)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已添加。"))
                return redirect("partners")
    items = selectors.partners_of_unit(unit.path)
    return render(request, "cases/partners.html", {"items": items, "form": form,
                                                   "unit": unit})
