"""The organiser's consultation pages (/consultations/): her scope's consultations, a draft written and changed, put
out for comment, closed; its page with the comments to review, answer or add from a visit, each section's outcome
and the final text. Parse, one access function, one service or selector, render; the rules are consultations.drafts'
and consultations.comments'. Everything here is scoped: another county's consultation is a 404, also once it is on
the portal."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.errors import Conflict
from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action
from fulian.people.selectors import access_woman_by_id, women_for

from . import comments, drafts
from .forms import (
    AnswerForm,
    ConsultationForm,
    DecideForm,
    FilterForm,
    GatherForm,
    PublishForm,
    ReviewForm,
    VersionForm,
    errors_to_form,
    section_rows,
)
from .models import CommentChannel, CommentState, ConsultationState, Outcome

PER_PAGE = 30
WOMEN_FOUND = 10
MORE_ROWS = 3


def _own_unit(request):
    unit = getattr(request.user, "unit", None)
    if unit is None or not drafts.may_organise(request.user, unit.path):
        raise Http404("no unit to consult for")
    return unit


def _organised(request, consultation_id):
    """Her consultation to act on (edit rights in its unit's scope), or 404."""
    consultation = drafts.access_consultation_by_id(request.user, consultation_id, need=Action.EDIT)
    if not drafts.may_organise(request.user, consultation.unit_path):
        raise Http404("may not organise here")
    return consultation


def _to_detail(consultation, anchor: str = ""):
    return redirect(reverse("consultation_detail", args=[consultation.pk]) + (f"#{anchor}" if anchor else ""))


@login_required
def consultation_list(request):
    """Her scope's consultations, newest first; ?state= filters (an unknown state is a 400)."""
    state = (request.GET.get("state") or "").strip()
    if state and state not in ConsultationState.values:
        raise BadRequest("parameter 'state' is not one of the states")
    form = FilterForm(initial={"state": state})
    rows = drafts.consultations_for(request.user, state=state)
    number = param_int(request.GET, "page", default=1, lo=1, hi=10**6)
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(number) if rows.exists() else Page([], 1, paginator)
    unit = getattr(request.user, "unit", None)
    return render(request, "consultations/consultation_list.html", {
        "form": form, "page": page, "query": f"state={state}" if state else "", "state": state,
        "can_create": unit is not None and drafts.may_organise(request.user, unit.path)})


def _draft_args(form, sections) -> dict:
    data = form.cleaned_data
    return {"title": data["title"], "intro": data["intro"], "audience": data["audience"],
            "opens_on": data["opens_on"], "closes_on": data["closes_on"], "sections": sections.rows()}


def _more_rows(sections):
    """再加几条: the page again with what she typed and more empty rows (nothing saved)."""
    return section_rows(None, initial=sections.rows(), blank=MORE_ROWS)


@login_required
def consultation_new(request):
    """A new draft of her unit: kind, title, intro, audience, period and its sections (saved as a draft)."""
    unit = _own_unit(request)
    today = timezone.localdate()
    form = ConsultationForm(request.POST or None, initial={"opens_on": today, "closes_on": today +
                                                           dt.timedelta(days=14)})
    sections = section_rows(request.POST or None)
    status = 200
    if request.method == "POST":
        if "more" in request.POST:
            sections = _more_rows(sections)
        elif form.is_valid() and sections.is_valid():
            try:
                consultation = drafts.consultation_create(
                    actor=request.user, unit=unit, kind=form.cleaned_data["kind"],
                    client_token=form.cleaned_data["client_token"] or None, **_draft_args(form, sections))
            except ValidationError as exc:
                errors_to_form(form, exc, sections=sections)
            else:
                messages.success(request, _("草案已保存。核对无误后点“发布征求意见”。"))
                return _to_detail(consultation)
        status = 200 if "more" in request.POST else 400
    return render(request, "consultations/consultation_form.html", {
        "form": form, "sections": sections, "unit": unit}, status=status)


@login_required
def consultation_edit(request, consultation_id: int):
    """Change a draft (once out for comment its text stays as it was put to the women)."""
    consultation = _organised(request, consultation_id)
    if consultation.state != ConsultationState.DRAFT:
        messages.error(request, _("已发布的草案不能再修改。"))
        return _to_detail(consultation)
    initial = {"title": consultation.title, "intro": consultation.intro, "audience": consultation.audience,
               "opens_on": consultation.opens_on, "closes_on": consultation.closes_on,
               "version": consultation.version}
    form = ConsultationForm(request.POST or None, initial=initial, editing=True)
    rows = [{"heading": s.heading, "text": s.text} for s in consultation.sections.all()]
    sections = section_rows(request.POST or None, initial=rows, blank=1)
    status = 200
    if request.method == "POST":
        if "more" in request.POST:
            sections = _more_rows(sections)
        elif form.is_valid() and sections.is_valid():
            try:
                drafts.consultation_update(actor=request.user, consultation=consultation,
                                           version=form.cleaned_data["version"], **_draft_args(form, sections))
            except Conflict as exc:
                form.add_error(None, exc)
                status = 409
            except ValidationError as exc:
                errors_to_form(form, exc, sections=sections)
            else:
                messages.success(request, _("草案已修改。"))
                return _to_detail(consultation)
        if "more" not in request.POST and status == 200:
            status = 400
    return render(request, "consultations/consultation_form.html", {
        "form": form, "sections": sections, "unit": consultation.unit, "consultation": consultation},
        status=status)


def _women_found(request, consultation):
    """The registry's women matching ?woman_q= (name, pinyin, phone's last four) under the consultation's unit."""
    q = (request.GET.get("woman_q") or "").strip()
    if len(q) > 30:
        raise BadRequest("parameter 'woman_q' is too long")
    if not q:
        return q, []
    return q, list(women_for(request.user, q=q, unit=consultation.unit).select_related("home_unit")[:WOMEN_FOUND])


def _detail(request, consultation, *, status: int = 200, **forms):
    can_organise = drafts.may_organise(request.user, consultation.unit_path)
    sections = list(consultation.sections.all())
    shown = list(comments.comments_shown(consultation))
    waiting = list(comments.comments_waiting(consultation)) if can_organise else []
    rejected = list(consultation.comments.filter(state=CommentState.REJECTED).select_related("section")
                    .order_by("-created_at")[:50]) if can_organise else []
    deciding = can_organise and consultation.state in (ConsultationState.OPEN, ConsultationState.CLOSED)
    decide_forms = {}
    if deciding:
        bound = forms.get("decide_form")
        for s in sections:
            if bound is not None and bound.prefix == f"s{s.pk}":
                decide_forms[s.pk] = bound
            else:
                decide_forms[s.pk] = DecideForm(prefix=f"s{s.pk}", initial={
                    "outcome": s.outcome or None, "reason": s.reason,
                    "final_text": s.final_text if s.outcome == Outcome.CHANGED else s.text})
    by_section: dict = {}
    for c in shown:
        by_section.setdefault(c.section_id, []).append(c)
    answer_forms = forms.get("answer_forms", {})
    for c in shown:
        c.answer_form = (answer_forms.get(c.pk) or AnswerForm(prefix=f"a{c.pk}", initial={"answer": c.answer})
                         ) if can_organise else None
    for c in waiting:
        c.review_form = forms["review_form"] if forms.get("review_for") == c.pk else ReviewForm()
    gathering = can_organise and consultation.state == ConsultationState.OPEN
    woman_q, women = _women_found(request, consultation) if gathering else ("", [])
    gather_form = forms.get("gather_form") or (GatherForm(sections=sections) if gathering else None)
    return render(request, "consultations/consultation_detail.html", {
        "consultation": consultation, "can_organise": can_organise, "deciding": deciding,
        "rows": [{"section": s, "comments": by_section.get(s.pk, []), "form": decide_forms.get(s.pk)}
                 for s in sections],
        "whole": by_section.get(None, []), "shown": shown, "waiting": waiting, "rejected": rejected,
        "gather_form": gather_form, "woman_q": woman_q, "women": women,
        "decided": sum(1 for s in sections if s.outcome), "publish_form": forms.get("publish_form") or
        PublishForm(initial={"version": consultation.version}),
        "version_form": VersionForm(initial={"version": consultation.version}),
        "today": timezone.localdate(), "channels": CommentChannel,
        "sections_html": panels_for("consultation.sections", request, consultation),
    }, status=status)


@login_required
def consultation_detail(request, consultation_id: int):
    return _detail(request, drafts.access_consultation_by_id(request.user, consultation_id))


@login_required
@require_POST
def consultation_open(request, consultation_id: int):
    """发布征求意见."""
    consultation = _organised(request, consultation_id)
    form = VersionForm(request.POST)
    try:
        drafts.consultation_open(actor=request.user, consultation=consultation,
                                 version=form.cleaned_data["version"] if form.is_valid() else None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已发布征求意见。"))
    return _to_detail(consultation)


@login_required
@require_POST
def consultation_close(request, consultation_id: int):
    """结束征求意见 (before the period's end)."""
    consultation = _organised(request, consultation_id)
    try:
        drafts.consultation_close(actor=request.user, consultation=consultation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已结束征求意见。"))
    return _to_detail(consultation)


@login_required
@require_POST
def consultation_publish(request, consultation_id: int):
    """公布定稿 with a note on what was adopted."""
    consultation = _organised(request, consultation_id)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            drafts.consultation_publish(actor=request.user, consultation=consultation,
                                        note=form.cleaned_data["note"], version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("定稿已公布。"))
            return _to_detail(consultation)
    return _detail(request, consultation, publish_form=form, status=409 if _is_conflict(form) else 400)


def _is_conflict(form) -> bool:
    return any(e.code in ("consultation_version", "not_publishable", "already_open")
               for e in form.errors.as_data().get("__all__", []))


@login_required
@require_POST
def section_decide(request, section_id: int):
    """A section's outcome (采纳 / 修改后采纳 / 未采纳)."""
    section = drafts.access_section_by_id(request.user, section_id)
    consultation = _organised(request, section.consultation_id)
    form = DecideForm(request.POST, prefix=f"s{section.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            drafts.section_decide(actor=request.user, section=section, outcome=data["outcome"],
                                  reason=data["reason"], final_text=data["final_text"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("第%(n)d条的采纳情况已记录。") % {"n": section.number})
            return _to_detail(consultation, f"section-{section.pk}")
    return _detail(request, consultation, decide_form=form, status=400)


@login_required
@require_POST
def comment_review(request, comment_id: int):
    """先审后发: 发布, or 不发布 with the reason."""
    comment = comments.access_comment_by_id(request.user, comment_id)
    consultation = _organised(request, comment.consultation_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            comments.comment_review(actor=request.user, comment=comment,
                                    approve=form.cleaned_data["decision"] == "approve", note=form.cleaned_data["note"])
        except Conflict as exc:
            messages.info(request, " ".join(exc.messages))  # a second tap, or a colleague was quicker
            return _to_detail(consultation, "waiting")
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("意见已发布。") if form.cleaned_data["decision"] == "approve"
                             else _("意见不发布，原因已记录。"))
            return _to_detail(consultation, "waiting")
    return _detail(request, consultation, review_form=form, review_for=comment.pk, status=400)


@login_required
@require_POST
def comment_answer(request, comment_id: int):
    """The organiser's answer under a published comment."""
    comment = comments.access_comment_by_id(request.user, comment_id)
    consultation = _organised(request, comment.consultation_id)
    form = AnswerForm(request.POST, prefix=f"a{comment.pk}")
    if comment.state != CommentState.APPROVED:  # its answer form is not on the page: say it above
        messages.error(request, _("只能答复已发布的意见。"))
        return _to_detail(consultation, "waiting")
    if form.is_valid():
        try:
            comments.comment_answer(actor=request.user, comment=comment, answer=form.cleaned_data["answer"])
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("答复已保存。"))
            return _to_detail(consultation, f"comment-{comment.pk}")
    return _detail(request, consultation, answer_forms={comment.pk: form}, status=400)


@login_required
@require_POST
def comment_gather(request, consultation_id: int):
    """A comment gathered on a visit (channel 干部走访收集): from a woman of the registry or by name."""
    consultation = _organised(request, consultation_id)
    form = GatherForm(request.POST, sections=consultation.sections.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            woman = None
            if data["woman"]:
                try:
                    woman = access_woman_by_id(request.user, data["woman"], need=Action.EDIT)
                except Http404:
                    raise ValidationError(_("名册中找不到这位妇女，请重新查找。"), code="woman") from None
            comments.comment_submit(consultation=consultation, text=data["text"], channel=CommentChannel.CADRE,
                                    section_id=data["section"] or None, name=data["name"],
                                    anonymous=data["anonymous"], actor=request.user, woman=woman,
                                    client_token=data["client_token"] or None)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("走访收集的意见已记录，审核后发布。"))
            return _to_detail(consultation, "waiting")
    return _detail(request, consultation, gather_form=form, status=400)
