"""导出 of consultations and representation: the page with the Excel downloads — her scope's consultations a row
per section, the reviewed comments (never a phone), the proposals with their evidence. The pages only parse, call
consultations.exports and answer; a unit or consultation outside her scope is 404, a bad parameter 400."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fulian.core.params import param_choice, param_int
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from . import exports
from .drafts import access_consultation_by_id
from .models import Addressee, ConsultationState, ProposalKind
from .views_proposals import outcome_param


def _unit(request):
    unit_id = param_int(request.GET, "unit")
    return access_unit_by_id(request.user, unit_id) if unit_id is not None else None


def _download(make):
    """A refusal of the export (too many rows) is a 400 that says what to do, not a server error."""
    try:
        return make()
    except ValidationError as exc:
        raise BadRequest(" ".join(exc.messages)) from exc


@login_required
@require_GET
def exchange(request):
    return render(request, "consultations/exchange.html", {
        "unit": unit_home_for(request.user), "states": ConsultationState.choices, "kinds": ProposalKind.choices,
        "addressees": Addressee.choices})


@login_required
@require_GET
def export_consultations(request):
    """?unit= (default her whole scope), ?state=: a row per section with its outcome and comments counted."""
    unit = _unit(request)
    state = param_choice(request.GET, "state", ConsultationState.values)
    return _download(lambda: exports.consultations_export(actor=request.user, unit=unit, state=state))


@login_required
@require_GET
def export_comments(request):
    """?unit= or ?consultation=: the published and not published comments, without phones."""
    unit = _unit(request)
    consultation_id = param_int(request.GET, "consultation")
    consultation = access_consultation_by_id(request.user, consultation_id) if consultation_id is not None else None
    return _download(lambda: exports.comments_export(actor=request.user, unit=unit, consultation=consultation))


@login_required
@require_GET
def export_proposals(request):
    """The proposal list's filters (?q=, ?kind=, ?addressee=, ?outcome=)."""
    q = (request.GET.get("q") or "").strip()[:100]
    kind = param_choice(request.GET, "kind", ProposalKind.values)
    addressee = param_choice(request.GET, "addressee", Addressee.values)
    outcome = outcome_param(request.GET)
    return _download(lambda: exports.proposals_export(actor=request.user, q=q, kind=kind, addressee=addressee,
                                                      outcome=outcome))
