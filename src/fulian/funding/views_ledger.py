"""A unit's ledger (账目): its lines of a year page by page, and the forms that post to it — 收入, 支出 (with a receipt
file and a link to an activity, project or help plan), 拨付下级 — each once per form (its client token); a warning
(spent or passed on more than received) shown after saving; 更正 of a line (a reversal, and the right line anew);
确认到账 of money passed down to her unit; a line's receipt file. Parse, one access function, one service, render;
the rules are funding.ledger's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.errors import Conflict
from fulian.core.paging import page_of
from fulian.core.params import param_choice
from fulian.core.policy import Action, may_keep_funds
from fulian.orgs.models import Level
from fulian.orgs.selectors import access_unit_by_id

from . import ledger
from .forms_ledger import ConfirmForm, CorrectForm, DisbursementForm, ExpenseForm, ReceiptForm
from .models import EntryKind
from .population import year_range
from .views_common import ancestors_in_scope, errors_to_form, param_year

PER_PAGE = 30


def _ledger_url(unit, year: int) -> str:
    return reverse("funding_ledger", args=[unit.pk]) + "?" + urlencode({"year": year})


def _ledger_page(request, unit, *, receipt_form=None, expense_form=None, disbursement_form=None, status=200):
    user = request.user
    year = param_year(request.GET)
    kind = param_choice(request.GET, "kind", EntryKind.values)
    rows = ledger.ledger_for(user, unit, kind=kind, year=year).select_related(
        "reversed_by", "confirmed_by", "share__allocation")
    can_keep = may_keep_funds(user, unit.path)
    today = timezone.localdate()
    return render(request, "funding/ledger.html", {
        "unit": unit, "year": year, "years": list(reversed(year_range(today))), "kind": kind,
        "kinds": EntryKind.choices, "page": page_of(request, rows, PER_PAGE),
        "query": urlencode({k: v for k, v in (("year", year), ("kind", kind)) if v}),
        "ancestors": ancestors_in_scope(user, unit), "here": _("账目"), "can_keep": can_keep,
        "can_pass_on": can_keep and unit.level < Level.VILLAGE,
        "receipt_form": receipt_form or ReceiptForm(initial={"on_date": today}),
        "expense_form": expense_form or ExpenseForm(initial={"on_date": today}),
        "disbursement_form": disbursement_form or DisbursementForm(initial={"on_date": today}, unit=unit, user=user),
    }, status=status)


@login_required
def ledger_page(request, unit_id: int):
    return _ledger_page(request, access_unit_by_id(request.user, unit_id))


def _saved(request, unit, entry, done: str):
    messages.success(request, done)
    if entry.warning:
        messages.warning(request, entry.warning)
    return redirect(_ledger_url(unit, entry.on_date.year))


@login_required
@require_POST
def receipt_new(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = ledger.receipt_post(actor=request.user, unit=unit, on_date=data["on_date"], amount=data["amount"],
                                        source=data["source"], payer=data["payer"], note=data["note"],
                                        client_token=data["client_token"] or None)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return _saved(request, unit, entry, _("已登记收入%(amount)s元。") % {"amount": entry.amount})
    return _ledger_page(request, unit, receipt_form=form, status=400)


@login_required
@require_POST
def expense_new(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = ExpenseForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = ledger.expense_post(actor=request.user, unit=unit, on_date=data["on_date"], amount=data["amount"],
                                        purpose=data["purpose"], note=data["note"], file=data["file"] or None,
                                        link_kind=data["link_kind"], link_id=data["link_id"] or None,
                                        client_token=data["client_token"] or None)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return _saved(request, unit, entry, _("已登记支出%(amount)s元。") % {"amount": entry.amount})
    return _ledger_page(request, unit, expense_form=form, status=400)


@login_required
@require_POST
def disbursement_new(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = DisbursementForm(request.POST, unit=unit, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = ledger.disbursement_post(actor=request.user, unit=unit, to_unit=data["to_unit"],
                                             on_date=data["on_date"], amount=data["amount"], note=data["note"],
                                             client_token=data["client_token"] or None)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            return _saved(request, unit, entry, _("已登记拨付给%(name)s %(amount)s元，等对方确认到账。")
                          % {"name": entry.other_unit.name, "amount": entry.amount})
    return _ledger_page(request, unit, disbursement_form=form, status=400)


@login_required
def entry_correct(request, entry_id: int):
    """更正 a line: its reversal, and with the right amount (and date) the right line anew."""
    entry = ledger.access_entry_by_id(request.user, entry_id, need=Action.EDIT)
    closed = None  # why it cannot be corrected
    if entry.reverses_id is not None:
        closed = _("这是一条冲销记录，不能再更正。")
    elif getattr(entry, "reversed_by", None) is not None:
        closed = _("这笔账已经更正过了。")
    elif getattr(entry, "confirmed_by", None) is not None:
        closed = _("对方已确认到账，请对方先更正到账记录。")
    form = CorrectForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                reversal, replacement = ledger.entry_correct(actor=request.user, entry=entry, reason=data["reason"],
                                                             amount=data["amount"] or None, on_date=data["on_date"])
            except Conflict as exc:  # corrected already (a second tap, or someone else): nothing is posted twice
                messages.warning(request, " ".join(exc.messages))
                return redirect(_ledger_url(entry.unit, entry.on_date.year))
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                done = _("已冲销原记录%(amount)s元。") % {"amount": entry.amount}
                if replacement is not None:
                    done += _("已按正确的金额重记%(amount)s元。") % {"amount": replacement.amount}
                messages.success(request, done)
                return redirect(_ledger_url(entry.unit, entry.on_date.year))
    return render(request, "funding/entry_correct.html", {
        "entry": entry, "unit": entry.unit, "year": entry.on_date.year, "form": form, "closed": closed,
        "ancestors": ancestors_in_scope(request.user, entry.unit), "here": _("更正")}, status=status)


@login_required
@require_POST
def receipt_confirm(request, entry_id: int):
    """确认到账 of a disbursement to her unit (the disbursement's id): the receipt takes its amount."""
    disbursement = ledger.access_disbursement_by_id(request.user, entry_id, need=Action.EDIT)
    unit = disbursement.other_unit
    form = ConfirmForm(request.POST)
    on_date = form.cleaned_data["on_date"] if form.is_valid() else None
    year = on_date.year if on_date else timezone.localdate().year
    back = reverse("funding_unit", args=[unit.pk]) + "?" + urlencode({"year": year})
    if on_date is None:
        messages.error(request, _("请填写到账日期。"))
        return redirect(back)
    try:
        receipt = ledger.receipt_confirm(actor=request.user, disbursement=disbursement, on_date=on_date)
    except Conflict as exc:  # confirmed already: a second tap changes nothing
        messages.info(request, " ".join(exc.messages))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已确认到账%(amount)s元(%(from)s拨付)。")
                         % {"amount": receipt.amount, "from": disbursement.unit.federation_name})
    return redirect(back)


@login_required
def entry_file(request, entry_id: int):
    """A line's receipt file (票据), to those who may see the line."""
    entry = ledger.access_entry_by_id(request.user, entry_id)
    if not entry.file:
        raise Http404("no file")
    suffix = entry.file.name.rsplit(".", 1)[-1] if "." in entry.file.name else "bin"
    name = f"票据-{entry.on_date:%Y%m%d}-{entry.pk}.{suffix}"
    return FileResponse(entry.file.open("rb"), as_attachment=True, filename=name,
                        content_type=entry.file_type or "application/octet-stream")
