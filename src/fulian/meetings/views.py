"""Pages of meetings and decisions: parse, one access function, one service or selector, render. The rules (quorum,
majority, who records and who issues) are the services' (meetings.services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.consultations.drafts import access_consultation_by_id
from fulian.core.errors import Conflict
from fulian.core.excel import export_download
from fulian.core.params import param_int
from fulian.core.policy import Action, allows, may_issue_work
from fulian.orgs.selectors import access_unit_by_id, unit_home_for
from fulian.work.selectors import templates_usable, units_named

from . import selectors, services
from .forms import DecisionForm, DecisionTaskForm, MeetingEditForm, MeetingForm
from .models import AttendeeRole, MeetingKind

LIST_ROWS = 100
EXPORT_ROWS = 20000


def _unit(request):
    """The unit named by ?unit= (one she may see), else her own."""
    unit_id = param_int(request.GET, "unit")
    if unit_id is not None:
        return access_unit_by_id(request.user, unit_id)
    unit = unit_home_for(request.user)
    if unit is None:
        raise Http404("no unit")
    return unit


def _filters(request):
    kind = request.GET.get("kind") or ""
    if kind and kind not in MeetingKind.values:
        raise BadRequest("unknown kind")
    year = param_int(request.GET, "year", lo=2000, hi=2100)
    return kind, year


@login_required
def meeting_list(request):
    unit = _unit(request)
    kind, year = _filters(request)
    rows = selectors.meetings_for(request.user, unit=unit, kind=kind or None, year=year)
    this_year = timezone.localdate().year
    return render(request, "meetings/meeting_list.html", {
        "unit": unit, "meetings": rows[:LIST_ROWS], "kind": kind, "year": year, "kinds": MeetingKind.choices,
        "years": list(range(this_year, this_year - 6, -1)),
        "can_record": allows(request.user, Action.EDIT, unit.path),
        "query": request.GET.urlencode(),
    })


@login_required
def meeting_export(request):
    unit = _unit(request)
    kind, year = _filters(request)
    rows = selectors.meetings_for(request.user, unit=unit, kind=kind or None, year=year)[:EXPORT_ROWS]
    data = ([timezone.localtime(m.held_at).strftime("%Y-%m-%d %H:%M"), m.get_kind_display(), m.unit.name, m.place,
             m.chair_name, m.entitled, m.present, _("是") if m.has_quorum else _("否"), "、".join(m.organisations),
             "；".join(m.agenda_items), m.decision_count, m.passed_count] for m in rows)
    return export_download(
        actor=request.user, action="meeting.export", filename=f"{unit.name}-会议.xlsx",
        titles=[_("召开时间"), _("会议类型"), _("单位"), _("地点"), _("主持人"), _("应到"), _("实到"),
                _("达到法定人数"), _("参会单位"), _("议题"), _("决定事项"), _("通过")],
        rows=data, sheet_title=str(_("会议")), changes={"unit": unit.pk, "kind": kind, "year": year})


@login_required
def meeting_new(request):
    unit = unit_home_for(request.user)
    if unit is None or not allows(request.user, Action.EDIT, unit.path):
        raise Http404("may not record meetings")
    kind = request.GET.get("kind") or request.POST.get("kind") or ""
    if not kind:
        return render(request, "meetings/meeting_kind.html", {"unit": unit, "kinds": MeetingKind.choices})
    if kind not in MeetingKind.values:
        raise BadRequest("unknown kind")
    body, members = selectors.committee_members(unit, kind, timezone.localdate())
    form = MeetingForm(request.POST or None, kind=kind, members=members,
                       organisation_names=selectors.organisation_names(unit) if kind == MeetingKind.JOINT else ())
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_record(actor=request.user, unit=unit, kind=kind, **form.service_args())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("会议已记录。"))
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return render(request, "meetings/meeting_form.html", {
        "unit": unit, "kind": kind, "kind_label": MeetingKind(kind).label, "form": form, "body": body,
        "committee": kind in (MeetingKind.EXECUTIVE, MeetingKind.STANDING),
        "quorum_share": services.rule_words("MEETING_QUORUM"),
    })


def _consultation_voted(request, consultation_id):
    """The committee consultation a decision is the vote on (?consultation= or the form's field), or None."""
    if consultation_id is None:
        return None
    return access_consultation_by_id(request.user, consultation_id, need=Action.EDIT)


def _detail(request, meeting, *, decision_form=None, status=200, consultation=None):
    can_edit = allows(request.user, Action.EDIT, meeting.unit_path)
    voters = list(meeting.attendance.filter(role=AttendeeRole.MEMBER, present=True)) if meeting.is_committee else []
    if decision_form is None and can_edit and (meeting.has_quorum or not meeting.is_committee):
        initial = {"consultation": consultation.pk, "title": _("表决：%(title)s") % {"title": consultation.title}} \
            if consultation is not None else {}
        decision_form = DecisionForm(voters=voters, initial=initial)
    attendance = list(meeting.attendance.all())
    return render(request, "meetings/meeting_detail.html", {
        "quorum_share": services.rule_words("MEETING_QUORUM"),
        "majority_share": services.rule_words("MEETING_MAJORITY"),
        "meeting": meeting, "decisions": selectors.decisions_of(meeting), "can_edit": can_edit,
        "can_issue": may_issue_work(request.user, meeting.unit_path),
        "present": [a for a in attendance if a.present and a.role != AttendeeRole.OBSERVER],
        "absent": [a for a in attendance if not a.present],
        "observers": [a for a in attendance if a.role == AttendeeRole.OBSERVER],
        "decision_form": decision_form, "consultation": consultation,
    }, status=status)


@login_required
def meeting_detail(request, meeting_id: int):
    meeting = selectors.access_meeting_by_id(request.user, meeting_id)
    return _detail(request, meeting, consultation=_consultation_voted(request, param_int(request.GET, "consultation")))


@login_required
def meeting_edit(request, meeting_id: int):
    meeting = selectors.access_meeting_by_id(request.user, meeting_id, need=Action.EDIT)
    form = MeetingEditForm(request.POST or None, meeting=meeting)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, version=form.cleaned_data["version"],
                                    values=form.values())
        except Conflict as exc:
            form.add_error(None, exc)
            status = 409
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("会议记录已保存。"))
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return render(request, "meetings/meeting_edit.html", {"meeting": meeting, "form": form}, status=status)


@login_required
@require_POST
def decision_add(request, meeting_id: int):
    meeting = selectors.access_meeting_by_id(request.user, meeting_id, need=Action.EDIT)
    voters = list(meeting.attendance.filter(role=AttendeeRole.MEMBER, present=True)) if meeting.is_committee else []
    form = DecisionForm(request.POST, voters=voters)
    consultation = None
    if form.is_valid():
        consultation = _consultation_voted(request, form.cleaned_data["consultation"])
        try:
            decision = services.decision_record(actor=request.user, meeting=meeting, consultation=consultation,
                                                **form.service_args())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if decision.passed:
                messages.success(request, _("决定事项已记录：通过。"))
            else:
                base = _("应到会委员人数") if meeting.is_committee else _("到会人数")
                messages.warning(request, _("决定事项已记录：赞成票未达到%(base)s的%(share)s，未通过。")
                                 % {"base": base, "share": services.rule_words("MEETING_MAJORITY")})
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return _detail(request, meeting, decision_form=form, status=400, consultation=consultation)


@login_required
def decision_task_new(request, decision_id: int):
    decision = selectors.access_decision_by_id(request.user, decision_id)
    meeting = decision.meeting
    if not may_issue_work(request.user, meeting.unit_path):
        raise Http404("may not issue work")
    form = DecisionTaskForm(request.POST or None, decision=decision, unit=meeting.unit,
                            templates=templates_usable(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            picked = units_named(meeting.unit, data["units"]) if data["units"].strip() else None
            task = services.decision_task_issue(
                actor=request.user, decision=decision, title=data["title"], body=data["body"],
                deadline=data["deadline"], period_start=data["period_start"], period_end=data["period_end"],
                template=data["template"], level=None if picked else data["level"], units=picked,
                client_token=data.get("client_token") or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("任务已下发给%(n)d个单位。") % {"n": task.dispatch.recipient_count})
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return render(request, "meetings/decision_task_form.html", {"decision": decision, "meeting": meeting,
                                                                 "form": form})

