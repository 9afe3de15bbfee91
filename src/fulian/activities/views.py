"""Organising pages (/activities/): a unit's activities, projects and the campaigns sent down to it. Parse, one
access function, one service or selector, render; the rules are the services' (activities.services, .projects,
.campaigns, .importing)."""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fulian.core.excel import xlsx_response
from fulian.core.panels import panels_for
from fulian.core.params import param_int
from fulian.core.policy import Action, allows, may_act_for_unit, may_issue_work

from . import campaigns, projects, selectors, services
from .exports import participants_export
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    AttendanceSheetForm,
    CampaignForm,
    CancelForm,
    ProjectForm,
    names_split,
    session_formset,
    session_rows,
    target_formset,
    target_rows,
)
from .importing import attendance_sheet_import, attendance_template
from .models import ActivityStatus, Campaign

PER_PAGE = 50
LIST_ROWS = 50
ERRORS_KEPT_BYTES = 256 * 1024  # an error report this small is kept in her session for its download


def _own_unit(request):
    unit = getattr(request.user, "unit", None)
    if unit is None or not may_act_for_unit(request.user, unit.path):
        raise Http404("no unit to organise for")
    return unit


def _error(request, exc: ValidationError) -> None:
    messages.error(request, " ".join(exc.messages))


# activities


@login_required
def activity_list(request):
    unit = getattr(request.user, "unit", None)
    form = ActivityFilterForm(request.GET or None, projects=projects.projects_for(request.user),
                              campaigns=_campaign_choices(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.activities_for(request.user, status=filters.get("status") or None,
                                    kind=filters.get("kind") or None, month=filters.get("month"),
                                    project=filters.get("project"), campaign=filters.get("campaign"))
    number = param_int(request.GET, "page", default=1, lo=1, hi=10**6)
    paginator = Paginator(rows, PER_PAGE)
    page = paginator.get_page(number) if rows.exists() else Page([], 1, paginator)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/activity_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "can_create": unit is not None and may_act_for_unit(request.user, unit.path)})


def _campaign_choices(user):
    ids = set(campaigns.campaigns_launched(user).values_list("pk", flat=True)[:200]) | set(
        campaigns.campaigns_received(user).values_list("pk", flat=True)[:200])
    return Campaign.objects.filter(pk__in=ids).select_related("dispatch").order_by("-pk")


def _campaigns_offered(unit, activity):
    """Open campaigns the activity may go under, and the one it is under (closed since, it stays on an edit)."""
    offered = campaigns.campaigns_usable(unit)
    if activity is not None and activity.campaign_id:
        offered = Campaign.objects.filter(pk__in=[*offered.values_list("pk", flat=True), activity.campaign_id]) \
            .select_related("dispatch", "dispatch__unit").order_by("-pk")
    return offered


def _activity_form(request, unit, activity=None):
    initial = {}
    if activity is not None:
        initial = {"kind": activity.kind, "title": activity.title, "description": activity.description,
                   "home": activity.home_id, "address": activity.address if activity.home_id is None or
                   activity.address != activity.home.address else "", "capacity": activity.capacity,
                   "audience": activity.audience, "organiser": activity.organiser,
                   "partners": "\n".join(activity.partners), "for_families": activity.for_families,
                   "project": activity.project_id, "campaign": activity.campaign_id, "version": activity.version}
    else:
        for name in ("project", "campaign", "home"):  # 新建活动 from a project, a campaign or a Women's Home
            picked = param_int(request.GET, name)
            if picked is not None:
                initial[name] = picked
        campaign = campaigns.campaigns_usable(unit).filter(pk=initial.get("campaign")).first()
        if campaign is not None and campaign.kind:
            initial["kind"] = campaign.kind
    form = ActivityForm(request.POST or None, initial=initial,
                        homes=selectors.homes_for_activity(unit, current=activity.home if activity else None),
                        projects=projects.projects_usable(unit), campaigns=_campaigns_offered(unit, activity))
    sessions = session_formset(request.POST or None,
                               sessions=activity.sessions.order_by("number") if activity else (),
                               extra=1 if activity else 3)
    return form, sessions


@login_required
def activity_new(request):
    unit = _own_unit(request)
    form, sessions = _activity_form(request, unit)
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        try:
            activity = services.activity_save(actor=request.user, unit=unit, values=form.values(),
                                              sessions=session_rows(sessions),
                                              client_token=form.cleaned_data["client_token"] or None)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("活动已保存为草稿，核对后点“发布”。"))
            return redirect("activity_detail", activity_id=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "sessions": sessions, "unit": unit})


@login_required
def activity_edit(request, activity_id: int):
    activity = selectors.access_activity_by_id(request.user, activity_id, need=Action.EDIT)
    if not may_act_for_unit(request.user, activity.unit_path):
        raise Http404("may not organise here")
    form, sessions = _activity_form(request, activity.unit, activity)
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        try:
            services.activity_save(actor=request.user, unit=activity.unit, activity=activity, values=form.values(),
                                   sessions=session_rows(sessions), version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("活动已修改。"))
            return redirect("activity_detail", activity_id=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "sessions": sessions,
                                                             "unit": activity.unit, "activity": activity})


@login_required
def activity_detail(request, activity_id: int):
    activity = selectors.access_activity_by_id(request.user, activity_id)
    can_edit = may_act_for_unit(request.user, activity.unit_path)
    return render(request, "activities/activity_detail.html", {
        "activity": activity, "sessions": selectors.sessions_with_attendance(activity),
        "can_edit": can_edit and activity.status != ActivityStatus.CANCELLED,
        "can_publish": can_edit and activity.status == ActivityStatus.DRAFT,
        "can_import": can_edit and activity.status == ActivityStatus.PUBLISHED,
        "cancel_form": CancelForm() if can_edit and activity.status != ActivityStatus.CANCELLED else None,
        "sections": panels_for("activity.sections", request, activity)})


@login_required
@require_POST
def activity_publish(request, activity_id: int):
    activity = selectors.access_activity_by_id(request.user, activity_id, need=Action.EDIT)
    try:
        services.activity_publish(actor=request.user, activity=activity)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("活动已发布。"))
    return redirect("activity_detail", activity_id=activity.pk)


@login_required
@require_POST
def activity_cancel(request, activity_id: int):
    activity = selectors.access_activity_by_id(request.user, activity_id, need=Action.EDIT)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("请填写取消原因。"))
        services.activity_cancel(actor=request.user, activity=activity, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("活动已取消，已报名的人会收到通知。"))
    return redirect("activity_detail", activity_id=activity.pk)


@login_required
@require_POST
def activity_participants_export(request, activity_id: int):
    activity = selectors.access_activity_by_id(request.user, activity_id, need=Action.EDIT)
    return participants_export(actor=request.user, activity=activity)


@login_required
def attendance_sheet(request, activity_id: int):
    """签到表导入: the upload form, and after an upload what was recorded and every bad row with its reason."""
    activity = selectors.access_activity_by_id(request.user, activity_id, need=Action.EDIT)
    form = AttendanceSheetForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if not upload.name.lower().endswith(".xlsx"):
                raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件（可以先下载模板）。"))
            result = attendance_sheet_import(actor=request.user, activity=activity, upload=upload)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            key = f"attendance_errors:{activity.pk}"
            if result.error_file and len(result.error_file) <= ERRORS_KEPT_BYTES:
                request.session[key] = base64.b64encode(result.error_file).decode()
            else:
                request.session.pop(key, None)
    return render(request, "activities/activity_sheet.html", {
        "activity": activity, "form": form, "result": result,
        "sessions": activity.sessions.order_by("number"),
        "errors_kept": f"attendance_errors:{activity.pk}" in request.session})


@login_required
def attendance_sheet_template(request, activity_id: int):
    activity = selectors.access_activity_by_id(request.user, activity_id, need=Action.EDIT)
    return xlsx_response(attendance_template(activity), f"签到表模板-{activity.title[:60]}.xlsx")


@login_required
def attendance_sheet_errors(request, activity_id: int):
    """The error report of her last sheet import of this activity (kept in her session only)."""
    activity = selectors.access_activity_by_id(request.user, activity_id, need=Action.EDIT)
    kept = request.session.get(f"attendance_errors:{activity.pk}")
    if not kept:
        raise Http404("no error report")
    return xlsx_response(base64.b64decode(kept), f"签到表错误报告-{activity.pk}.xlsx")


# projects


@login_required
def project_list(request):
    unit = getattr(request.user, "unit", None)
    return render(request, "activities/project_list.html", {
        "projects": projects.projects_for(request.user)[:LIST_ROWS],
        "can_create": unit is not None and may_act_for_unit(request.user, unit.path)})


def _project_values(form, targets) -> dict:
    data = form.cleaned_data
    return {"name": data["name"], "kind": data["kind"], "description": data["description"],
            "partners": names_split(data["partners"]), "budget": data["budget"], "starts_on": data["starts_on"],
            "ends_on": data["ends_on"], "targets": target_rows(targets)}


@login_required
def project_new(request):
    unit = _own_unit(request)
    form = ProjectForm(request.POST or None)
    targets = target_formset(request.POST or None, choices=projects.target_choices())
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        try:
            project = projects.project_save(actor=request.user, unit=unit, values=_project_values(form, targets))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("项目已保存。"))
            return redirect("activity_project", project_id=project.pk)
    return render(request, "activities/project_form.html", {"form": form, "targets": targets, "unit": unit})


@login_required
def project_edit(request, project_id: int):
    project = selectors.access_project_by_id(request.user, project_id, need=Action.EDIT)
    initial = {"name": project.name, "kind": project.kind, "description": project.description,
               "partners": "\n".join(project.partners), "budget": project.budget, "starts_on": project.starts_on,
               "ends_on": project.ends_on, "version": project.version}
    form = ProjectForm(request.POST or None, initial=initial)
    targets = target_formset(request.POST or None, targets=project.targets, choices=projects.target_choices(),
                             extra=1)
    if request.method == "POST" and form.is_valid() and targets.is_valid():
        try:
            projects.project_save(actor=request.user, unit=project.unit, project=project,
                                  values=_project_values(form, targets), version=form.cleaned_data["version"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("项目已修改。"))
            return redirect("activity_project", project_id=project.pk)
    return render(request, "activities/project_form.html", {"form": form, "targets": targets, "unit": project.unit,
                                                            "project": project})


@login_required
def project_detail(request, project_id: int):
    project = selectors.access_project_by_id(request.user, project_id)
    return render(request, "activities/project_detail.html", {
        "project": project, "report": projects.project_report(project),
        "activities": selectors.activities_for(request.user, project=project)[:LIST_ROWS],
        "can_edit": may_act_for_unit(request.user, project.unit_path)})


# campaigns


@login_required
def campaign_list(request):
    unit = getattr(request.user, "unit", None)
    return render(request, "activities/campaign_list.html", {
        "todo": campaigns.campaigns_to_do(request.user),
        "received": campaigns.campaigns_received(request.user)[:LIST_ROWS],
        "launched": campaigns.campaigns_launched(request.user)[:LIST_ROWS],
        "can_launch": unit is not None and unit.level < 5 and may_issue_work(request.user, unit.path)})


@login_required
def campaign_new(request):
    unit = getattr(request.user, "unit", None)
    if unit is None or not may_issue_work(request.user, unit.path):
        raise Http404("may not launch campaigns")
    form = CampaignForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = campaigns.campaign_launch(
                actor=request.user, unit=unit, title=data["title"], body=data["body"], kind=data["kind"],
                starts_on=data["starts_on"], ends_on=data["ends_on"], deadline=data["deadline"], level=data["level"],
                activities_each=data["activities_each"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("主题活动已下发给%(n)d个单位。") % {"n": campaign.dispatch.recipient_count})
            return redirect("activity_campaign", campaign_id=campaign.pk)
    return render(request, "activities/campaign_form.html", {"form": form, "unit": unit})


def _campaign_page(request, campaign, at):
    unit = getattr(request.user, "unit", None)
    up = at.parent if at is not None and at.pk != campaign.dispatch.unit_id else None
    if up is not None and not (up.path.startswith(campaign.unit_path) and allows(request.user, Action.VIEW, up.path)):
        up = None
    mine = campaigns.recipient_of(campaign, unit)
    now = timezone.now()
    return render(request, "activities/campaign_detail.html", {
        "campaign": campaign, "dispatch": campaign.dispatch, "mine": mine, "now": now,
        "held": campaigns.held_under(campaign, mine.unit_path, now=now) if mine else None,
        "needed": campaigns.needed(campaign),
        "can_hold": unit is not None and campaign.dispatch.is_open and unit.path.startswith(campaign.unit_path)
        and may_act_for_unit(request.user, unit.path),
        "can_done": mine is not None and campaign.dispatch.is_open and not mine.is_done
        and may_act_for_unit(request.user, mine.unit_path),
        "can_issue": campaign.dispatch.is_open and may_issue_work(request.user, campaign.unit_path),
        "rollup": campaigns.campaign_rollup(campaign, at=at, now=now) if at is not None else None, "up": up,
        "activities": selectors.activities_for(request.user, campaign=campaign)[:LIST_ROWS]})


@login_required
def campaign_detail(request, campaign_id: int):
    campaign = campaigns.access_campaign_by_id(request.user, campaign_id)
    return _campaign_page(request, campaign, campaigns.rollup_start(request.user, campaign))


@login_required
def campaign_rollup(request, campaign_id: int, unit_id: int):
    campaign = campaigns.access_campaign_by_id(request.user, campaign_id)
    return _campaign_page(request, campaign, campaigns.rollup_unit(request.user, campaign, unit_id))


@login_required
def campaign_part(request, recipient_id: int):
    """A receiving unit's part (where a reminder links): its campaign's page."""
    part = campaigns.access_part_by_id(request.user, recipient_id)
    return redirect("activity_campaign", campaign_id=part.dispatch_id)


@login_required
@require_POST
def campaign_done(request, campaign_id: int):
    campaign = campaigns.access_campaign_by_id(request.user, campaign_id)
    mine = campaigns.recipient_of(campaign, getattr(request.user, "unit", None))
    if mine is None:
        raise Http404("her unit did not receive it")
    try:
        campaigns.campaign_part_done(actor=request.user, recipient=mine, version=param_int(request.POST, "version"))
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("本单位的主题活动已完成。"))
    return redirect("activity_campaign", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_remind(request, campaign_id: int):
    campaign = campaigns.access_campaign_by_id(request.user, campaign_id)
    try:
        count = campaigns.campaign_remind(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("已催办%(n)d个未完成的单位。") % {"n": count} if count else
                         _("没有需要催办的单位（一小时内已催办过的不再重复）。"))
    return redirect("activity_campaign", campaign_id=campaign.pk)


@login_required
@require_POST
def campaign_close(request, campaign_id: int):
    campaign = campaigns.access_campaign_by_id(request.user, campaign_id)
    try:
        campaigns.campaign_close(actor=request.user, campaign=campaign)
    except ValidationError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("主题活动已关闭。"))
    return redirect("activity_campaign", campaign_id=campaign.pk)
