"""征求基层意见 pages: her unit's inquiries (those it sent, those it received), 征求意见 — a question sent by a leader
to the units of a level below (or picked ones), optionally on one of the unit's consultations — the asking unit's
page (the tally by stance, every answer, the units not answered yet, the summary), and a receiving unit's copy with
its answer form. Parse, one access function, one service or selector, render; the rules are
consultations.inquiries'."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.errors import Conflict
from fulian.core.paging import page_of
from fulian.core.params import param_int
from fulian.core.policy import Action, may_act_for_unit, may_issue_work
from fulian.dispatch.models import RecipientState
from fulian.orgs.models import SourceStatus, Unit
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import inquiries
from .drafts import access_consultation_by_id, consultations_for
from .forms_work import InquiryAnswerForm, InquiryForm, InquirySummaryForm
from .models import Inquiry, Stance

PER_PAGE = 30
ANSWERS_PER_PAGE = 50
WAITING_SHOWN = 200




def inquiry_send_once(*, client_token: str | None, actor, **kwargs) -> tuple[Inquiry, bool]:
    """inquiries.inquiry_send with her form's (or app's) client token: (the inquiry, whether this call sent it)."""
    inquiry = inquiries.inquiry_send(actor=actor, client_token=client_token or None, **kwargs)
    return inquiry, getattr(inquiry, "created", True)


inquiries_sent = inquiries.inquiries_sent


def _unit_param(request, *, need: str = Action.VIEW) -> Unit:
    unit_id = param_int(request.GET, "unit")
    unit = access_unit_by_id(request.user, unit_id, need=need) if unit_id is not None else unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return unit


@login_required
def inquiry_list(request):
    """征求基层意见 of her unit (or ?unit= of her scope): those it received, to answer, and those it sent."""
    user = request.user
    unit = _unit_param(request)
    return render(request, "consultations/inquiries.html", {
        "unit": unit, "received": page_of(request, inquiries.inquiries_received(user, unit), PER_PAGE),
        "sent": page_of(request, inquiries_sent(user, unit), PER_PAGE, name="sent_page"),
        "can_ask": may_issue_work(user, unit.path), "done": RecipientState.DONE})


@login_required
def inquiry_new(request):
    """征求意见 from her unit (or ?unit=, a unit she leads): the question, the deadline, a level below or picked
    units, and optionally one of the unit's consultations."""
    user = request.user
    unit = _unit_param(request, need=Action.EDIT)
    if not may_issue_work(user, unit.path):
        raise Http404("may not ask here")
    children = list(unit.children.exclude(source_status=SourceStatus.REMOVED).order_by("code")[:500])
    consultations = list(consultations_for(user, unit).filter(unit=unit)[:50])
    picked_consultation = param_int(request.GET, "consultation")  # from a consultation's page
    form = InquiryForm(request.POST or None, unit=unit, children=children, consultations=consultations,
                       initial={"consultation": picked_consultation} if picked_consultation else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        picked = [u for u in children if str(u.pk) in set(data["units"])] or None
        consultation = access_consultation_by_id(user, data["consultation"]) if data["consultation"] else None
        try:
            inquiry, created = inquiry_send_once(
                client_token=data["client_token"] or None, actor=user, unit=unit, question=data["question"],
                deadline=form.deadline_at, level=None if picked else data["level"], units=picked,
                consultation=consultation)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, _("已向%(n)d个单位征求意见。") % {"n": inquiry.dispatch.recipient_count})
            return redirect("inquiry_detail", inquiry_id=inquiry.pk)
    return render(request, "consultations/inquiry_form.html", {"form": form, "unit": unit},
                  status=400 if request.method == "POST" else 200)


def _detail(request, inquiry: Inquiry, *, summary_form=None, status=200):
    user = request.user
    tally = inquiries.inquiry_tally(inquiry)
    counts = tally["stances"]
    waiting = inquiry.dispatch.recipients.exclude(state=RecipientState.DONE).select_related("unit").order_by(
        "unit_path")
    answers = inquiry.answers.select_related("unit", "answered_by").order_by("unit_path")
    can_summarise = may_issue_work(user, inquiry.unit_path)
    return render(request, "consultations/inquiry_detail.html", {
        "inquiry": inquiry, "dispatch": inquiry.dispatch, "tally": tally,
        "stances": [(value, label, counts.get(value, 0)) for value, label in Stance.choices],
        "answers": page_of(request, answers, ANSWERS_PER_PAGE),
        "waiting": list(waiting[:WAITING_SHOWN]), "waiting_count": max(0, tally["asked"] - tally["answered"]),
        "can_summarise": can_summarise,
        "summary_form": summary_form or (InquirySummaryForm(initial={"summary": inquiry.summary})
                                         if can_summarise else None)}, status=status)


@login_required
def inquiry_detail(request, inquiry_id: int):
    """The asking unit's page: the question, the tally by stance, every answer, the units not answered yet and the
    summary (its form for a leader)."""
    return _detail(request, inquiries.access_inquiry_by_id(request.user, inquiry_id))


@login_required
@require_POST
def inquiry_summarise(request, inquiry_id: int):
    """意见汇总: written (and rewritten as answers arrive) by a leader of the asking unit."""
    inquiry = inquiries.access_inquiry_by_id(request.user, inquiry_id, need=Action.EDIT)
    if not may_issue_work(request.user, inquiry.unit_path):
        raise Http404("may not summarise here")
    form = InquirySummaryForm(request.POST)
    if form.is_valid():
        try:
            inquiries.inquiry_summarise(actor=request.user, inquiry=inquiry, summary=form.cleaned_data["summary"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已保存意见汇总。"))
            return redirect("inquiry_detail", inquiry_id=inquiry.pk)
    return _detail(request, inquiry, summary_form=form, status=400)


@login_required
def inquiry_copy(request, inquiry_copy_id: int):
    """A receiving unit's copy: the question, who asks and by when, and its answer (the form until it answers)."""
    user = request.user
    copy = inquiries.access_inquiry_copy_by_id(user, inquiry_copy_id,
                                               need=Action.EDIT if request.method == "POST" else Action.VIEW)
    inquiry = Inquiry.objects.select_related("unit", "consultation").get(dispatch_id=copy.dispatch_id)
    answer = inquiry.answers.filter(unit_id=copy.unit_id).select_related("answered_by").first()
    may_answer = may_act_for_unit(user, copy.unit_path)
    form = InquiryAnswerForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_answer:
            raise Http404("not her unit's inquiry")
        if answer is not None:  # a second tap, or someone else of the unit answered first
            messages.info(request, _("本单位已经反馈过意见了。"))
            return redirect("inquiry_copy", inquiry_copy_id=copy.pk)
        status = 400
        if form.is_valid():
            try:
                inquiries.inquiry_answer(actor=user, recipient=copy, stance=form.cleaned_data["stance"],
                                         text=form.cleaned_data["text"])
            except Conflict as exc:
                messages.info(request, " ".join(exc.messages))
                return redirect("inquiry_copy", inquiry_copy_id=copy.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("已反馈意见。"))
                return redirect("inquiry_copy", inquiry_copy_id=copy.pk)
    return render(request, "consultations/inquiry_copy.html", {
        "copy": copy, "inquiry": inquiry, "answer": answer, "form": form,
        "can_answer": answer is None and may_answer}, status=status)
