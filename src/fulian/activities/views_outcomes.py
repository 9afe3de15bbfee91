"""结业与成效 pages: a training's participants with their attendance and completion, the printable certificate,
and an outcome recorded from the participant list or from her page. Parse, one access function, one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.certificates import certificate_code, certificate_qr
from fulian.core.params import is_ascii_digits
from fulian.core.policy import Action, allows, may_act_for_unit

from . import outcomes
from .forms_outcomes import OutcomeForm
from .models import OutcomeKind, SignUp
from .selectors import access_activity_by_id

MAX_MARKED = 500


@login_required
def completions_page(request, activity_id: int):
    """The participants of a training: sessions attended against what completion needs; tick and 记录结业."""
    activity = access_activity_by_id(request.user, activity_id)
    if not activity.is_training:
        raise Http404("not a training")
    can_record = may_act_for_unit(request.user, activity.unit_path)
    if request.method == "POST":
        if not can_record:
            raise Http404("may not record completions")
        ids = [int(v) for v in request.POST.getlist("signup")[:MAX_MARKED] if is_ascii_digits(v) and len(v) < 19]
        done, refused = 0, []
        for signup in SignUp.objects.filter(activity=activity, pk__in=ids).order_by("name", "pk"):
            try:
                outcomes.completion_record(actor=request.user, signup=signup)
            except ValidationError as exc:
                refused.append(" ".join(exc.messages))
            else:
                done += 1
        if done:
            messages.success(request, _("已记录%(n)d人结业，证书已生成。") % {"n": done})
        for message in refused:
            messages.error(request, message)
        if not ids:
            messages.error(request, _("请先勾选结业的学员。"))
        return redirect("activity_completions", activity_id=activity.pk)
    return render(request, "activities/outcome_completions.html", {
        "activity": activity, "rows": outcomes.participants_for_completion(activity), "can_record": can_record,
        "share": outcomes.COMPLETION_SHARE,
    })


@login_required
def certificate_page(request, completion_id: int):
    """结业证书, printable: numbered, with its verification code and a QR code of the public /verify/ link."""
    completion = outcomes.access_completion_by_id(request.user, completion_id)
    certificate = completion.certificate
    if certificate is None:
        raise Http404("no certificate")
    return render(request, "activities/outcome_certificate.html", {
        "completion": completion, "activity": completion.activity, "certificate": certificate,
        "code": certificate_code(certificate),
        "qr": certificate_qr(certificate, base_url=request.build_absolute_uri("/")),
        "issued_on": timezone.localdate(certificate.issued_at),
    })


def _back(request, completion) -> str:
    if request.GET.get("from") == "woman" and completion.woman_id:
        return reverse("woman_detail", args=[completion.woman_id])
    if allows(request.user, Action.VIEW, completion.unit_path):
        return reverse("activity_completions", args=[completion.activity_id])
    return reverse("woman_detail", args=[completion.woman_id]) if completion.woman_id else reverse("home")


@login_required
def outcome_new(request, completion_id: int):
    """记录培训成效 of one completion: employed, started a business, income up by a monthly amount, other."""
    completion = outcomes.access_completion_by_id(request.user, completion_id)
    if not outcomes.may_follow_up(request.user, completion):
        raise Http404("may not record outcomes")
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcomes.outcome_record(actor=request.user, completion=completion, kind=data["kind"],
                                    amount=data["amount"], note=data["note"], recorded_on=data["recorded_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("培训成效已记录。"))
            return redirect(_back(request, completion))
    return render(request, "activities/outcome_form.html", {
        "completion": completion, "activity": completion.activity, "form": form,
        "outcomes": completion.outcomes.order_by("recorded_on", "pk"), "back": _back(request, completion),
        "income": OutcomeKind.INCOME,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def outcome_remove(request, outcome_id: int):
    outcome = outcomes.access_outcome_by_id(request.user, outcome_id)
    completion = outcomes.access_completion_by_id(request.user, outcome.completion_id)
    outcomes.outcome_remove(actor=request.user, outcome=outcome)  # OutOfScope is a 404
    messages.success(request, _("已删除这条成效记录。"))
    return redirect(_back(request, completion))
