"""提案建议 pages (源头维权): her scope's proposals and suggestions to the people's congress, the government and the
CPPCC, searched by words, kind, body addressed and outcome; a new one with its evidence — registry figures of her
unit or a unit below over months, numbers only; its page with the evidence's values; the reply and its outcome
(with the version she saw). And the portal's list of adopted ones made public (no login, rate-limited per address,
for a phone). Parse, one access function, one service or selector, render; the rules are
consultations.proposals'."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from fulian.core.context import client_ip
from fulian.core.errors import Conflict
from fulian.core.figures import RATE, figure_get
from fulian.core.paging import page_of
from fulian.core.params import param_choice
from fulian.core.policy import Action, allows
from fulian.core.ratelimit import rate_hit
from fulian.orgs.models import SourceStatus
from fulian.orgs.selectors import unit_home_for

from . import proposals
from .forms_work import EvidenceFormSet, ProposalForm, ProposalReplyForm
from .models import Addressee, Proposal, ProposalKind, ProposalOutcome

PER_PAGE = 30
PUBLIC_PER_PAGE = 20
WAITING = "waiting"  # the list's word for outcome "" (no reply yet)
PAGE_LIMIT = "consult-page"  # the portal consultation pages' budget per address (views_public)




def outcome_param(data) -> str | None:
    """?outcome=: None for all, "" for those waiting for a reply (written `waiting`), or one outcome."""
    raw = param_choice(data, "outcome", [WAITING, *(v for v in ProposalOutcome.values if v)])
    if not raw:
        return None
    return "" if raw == WAITING else raw


def evidence_units(unit) -> list:
    """Her unit and the units directly below it: where the evidence's figures are read."""
    return [unit, *unit.children.exclude(source_status=SourceStatus.REMOVED).order_by("code")[:500]]


def evidence_shown(proposal: Proposal) -> list[dict]:
    """The evidence rows with each value as it reads: a rate as a percentage."""
    rows = []
    for item in proposal.evidence or []:
        figure = figure_get(item.get("figure", ""))
        value = item.get("value")
        if value is None:
            shown = "—"
        elif figure is not None and figure.kind == RATE:
            shown = f"{float(value) * 100:.1f}%"
        else:
            shown = str(value)
        start, end = int(item.get("start") or 0), int(item.get("end") or 0)
        period = f"{start // 100}-{start % 100:02d} – {end // 100}-{end % 100:02d}"
        rows.append({**item, "shown": shown, "period": period})
    return rows


@login_required
@require_GET
def proposal_list(request):
    """Her scope's proposals, newest first: ?q= in the subject and text, ?kind=, ?addressee=, ?outcome= (waiting
    for those not replied yet)."""
    user = request.user
    q = (request.GET.get("q") or "").strip()[:100]
    kind = param_choice(request.GET, "kind", ProposalKind.values)
    addressee = param_choice(request.GET, "addressee", Addressee.values)
    outcome = outcome_param(request.GET)
    rows = proposals.proposals_for(user, q=q, kind=kind, addressee=addressee, outcome=outcome)
    unit = unit_home_for(user)
    return render(request, "consultations/proposals.html", {
        "page": page_of(request, rows, PER_PAGE), "q": q, "kind": kind, "addressee": addressee,
        "outcome": WAITING if outcome == "" else (outcome or ""), "kinds": ProposalKind.choices,
        "addressees": Addressee.choices, "outcomes": [(WAITING, _("待答复"))] + [
            (v, label) for v, label in ProposalOutcome.choices if v],
        "can_propose": unit is not None and allows(user, Action.EDIT, unit.path),
        "query": urlencode({k: v for k, v in (("q", q), ("kind", kind), ("addressee", addressee),
                                                 ("outcome", request.GET.get("outcome", "").strip())) if v})})


@login_required
def proposal_new(request):
    """A new proposal of her unit: kind, body addressed, subject, date, text, and the evidence — a figure of the
    registry for her unit or one below, over months (the value is read when it is saved)."""
    user = request.user
    unit = unit_home_for(user)
    if unit is None or not allows(user, Action.EDIT, unit.path):
        raise Http404("may not propose here")
    units = evidence_units(unit)
    form = ProposalForm(request.POST or None)
    evidence = EvidenceFormSet(request.POST or None, units=units, prefix="evidence")
    if request.method == "POST" and form.is_valid() and evidence.is_valid():
        data = form.cleaned_data
        try:
            proposal = proposals.proposal_create(
                actor=user, unit=unit, kind=data["kind"], addressee=data["addressee"],
                addressee_name=data["addressee_name"], subject=data["subject"], submitted_on=data["submitted_on"],
                text=data["text"], evidence=evidence.items(), client_token=data["client_token"] or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记“%(subject)s”。") % {"subject": proposal.subject})
            return redirect("proposal_detail", proposal_id=proposal.pk)
    return render(request, "consultations/proposal_form.html", {"form": form, "evidence": evidence, "unit": unit},
                  status=400 if request.method == "POST" else 200)


def _detail(request, proposal: Proposal, *, reply_form=None, status=200):
    can_reply = allows(request.user, Action.EDIT, proposal.unit_path)
    if reply_form is None and can_reply:
        reply_form = ProposalReplyForm(initial={
            "reply": proposal.reply, "replied_on": proposal.replied_on, "outcome": proposal.outcome,
            "public": proposal.public, "version": proposal.version})
    return render(request, "consultations/proposal_detail.html", {
        "proposal": proposal, "evidence": evidence_shown(proposal), "can_reply": can_reply,
        "reply_form": reply_form}, status=status)


@login_required
@require_GET
def proposal_detail(request, proposal_id: int):
    return _detail(request, proposals.access_proposal_by_id(request.user, proposal_id))


@login_required
def proposal_reply(request, proposal_id: int):
    """The body's reply: its text, date and outcome, and whether an adopted one is shown on the portal. A reply
    saved by someone else meanwhile (the version) is refused with a message (409)."""
    proposal = proposals.access_proposal_by_id(request.user, proposal_id, need=Action.EDIT)
    if request.method != "POST":
        return redirect("proposal_detail", proposal_id=proposal.pk)
    form = ProposalReplyForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            proposals.proposal_reply(actor=request.user, proposal=proposal, version=data["version"],
                                     reply=data["reply"], replied_on=data["replied_on"], outcome=data["outcome"],
                                     public=data["public"])
        except Conflict as exc:
            form.add_error(None, exc)
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已记录答复。"))
            return redirect("proposal_detail", proposal_id=proposal.pk)
    return _detail(request, proposal, reply_form=form, status=status)


def _views_per_minute() -> int:
    return int(getattr(settings, "CONSULT_VIEWS_PER_MINUTE", 300))


def portal_busy(request) -> bool:
    """True once this address has used up the portal's consultation pages for the minute."""
    return not rate_hit(PAGE_LIMIT, client_ip(request), limit=_views_per_minute(), seconds=60)


@require_GET
def proposals_public(request):
    """代表妇女发声: the adopted proposals made public — subject, body addressed, dates, text and reply."""
    if portal_busy(request):
        return render(request, "public_busy.html", status=429)
    return render(request, "consultations/proposals_public.html", {
        "page": page_of(request, proposals.public_proposals(), PUBLIC_PER_PAGE)})
