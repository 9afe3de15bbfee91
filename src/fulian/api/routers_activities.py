"""Organising activities (活动): a unit's activities with their sessions (draft → published, or cancelled), the
participants' Excel, the paper sign-in sheet's import, projects with targets against results, and theme campaigns
sent down the tree with their roll-up: the same selectors and services as the pages (activities.services,
.projects, .campaigns, .importing)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Router, Status, UploadedFile
from ninja.pagination import paginate

from fulian.activities import campaigns, projects, selectors, services
from fulian.activities.exports import participants_export
from fulian.activities.importing import attendance_sheet_import
from fulian.activities.models import Activity, Campaign, Project
from fulian.core.policy import Action
from fulian.orgs.models import WomensHome
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from .openapi import download
from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_activities import (
    ActivityCampaignDoneIn,
    ActivityCampaignIn,
    ActivityCampaignOut,
    ActivityCampaignRollupOut,
    ActivityCancelIn,
    ActivityCreateIn,
    ActivityDetailOut,
    ActivityOut,
    ActivityProjectCreateIn,
    ActivityProjectDetailOut,
    ActivityProjectOut,
    ActivityProjectUpdateIn,
    ActivitySheetOut,
    ActivityUpdateIn,
)

router = Router(tags=["activities"])


def _unit(request, unit_id):
    if unit_id:
        return access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    unit = unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    return unit


def _activity(activity: Activity) -> dict:
    return {"id": activity.pk, "unit_id": activity.unit_id, "unit_name": activity.unit.name, "kind": activity.kind,
            "title": activity.title, "description": activity.description, "home_id": activity.home_id,
            "address": activity.address, "starts_at": activity.starts_at, "ends_at": activity.ends_at,
            "capacity": activity.capacity, "audience": activity.audience, "organiser": activity.organiser,
            "partners": activity.partners, "for_families": activity.for_families, "project_id": activity.project_id,
            "campaign_id": activity.campaign_id, "status": activity.status,
            "signups_confirmed": activity.signups_confirmed, "signups_waiting": activity.signups_waiting,
            "version": activity.version}


def _detail(activity: Activity) -> dict:
    return {**_activity(activity), "sessions": [
        {"id": s.pk, "number": s.number, "title": s.title, "starts_at": s.starts_at, "ends_at": s.ends_at,
         "attended": s.attended, "checkin_path": f"/activities/sessions/{s.pk}/checkin/"}
        for s in selectors.sessions_with_attendance(activity)]}


def _values(payload) -> tuple[dict, list]:
    """The service's `values` and sessions from a payload; an id that names nothing is bad input (400)."""
    def pick(model, pk, message):
        if pk is None:
            return None
        found = model.objects.filter(pk=pk).first()
        if found is None:
            raise ValidationError(message)
        return found

    values = {"title": payload.title, "kind": payload.kind, "description": payload.description,
              "home": pick(WomensHome, payload.home_id, _("妇女之家不存在。")), "address": payload.address,
              "capacity": payload.capacity, "audience": payload.audience, "organiser": payload.organiser,
              "partners": payload.partners, "for_families": payload.for_families,
              "project": pick(Project, payload.project_id, _("项目不存在。")),
              "campaign": pick(Campaign, payload.campaign_id, _("主题活动不存在。"))}
    return values, [(s.starts_at, s.ends_at, s.title) for s in payload.sessions]


def _reloaded(request, activity_id) -> dict:
    return _detail(selectors.access_activity_by_id(request.auth, activity_id))


@router.get("/activities", response={200: list[ActivityOut], 400: ErrorOut})
@paginate(CappedPagination)
def activities_list(request, kind: str = "", status: str = "", month: str = "", project_id: int | None = None,
                    campaign_id: int | None = None):
    """Activities of your subtree, newest first; `month` as 2026-03 keeps those whose first session is in it."""
    number = None
    if month:
        try:
            parsed = timezone.datetime.strptime(month, "%Y-%m")
        except ValueError:
            raise ValidationError(_("请按“年-月”填写月份，例如 2026-03。")) from None
        number = parsed.year * 100 + parsed.month
    project = selectors.access_project_by_id(request.auth, project_id) if project_id else None
    campaign = campaigns.access_campaign_by_id(request.auth, campaign_id) if campaign_id else None
    return selectors.activities_for(request.auth, kind=kind or None, status=status or None, month=number,
                                    project=project, campaign=campaign)


@router.post("/activities", response={201: ActivityDetailOut, 400: ErrorOut, 404: ErrorOut})
def activity_create(request, payload: ActivityCreateIn):
    """A draft activity with its sessions (publish it with …/publish). The same `client_token` again returns the
    first activity."""
    unit = _unit(request, payload.unit_id)
    values, sessions = _values(payload)
    activity = services.activity_save(actor=request.auth, unit=unit, values=values, sessions=sessions,
                                      client_token=payload.client_token)
    return Status(201, _reloaded(request, activity.pk))


@router.get("/activities/{activity_id}", response={200: ActivityDetailOut, 404: ErrorOut})
def activity_get(request, activity_id: int):
    return _detail(selectors.access_activity_by_id(request.auth, activity_id))


@router.put("/activities/{activity_id}", response={200: ActivityDetailOut, 400: ErrorOut, 404: ErrorOut,
                                                   409: ErrorOut})
def activity_update(request, activity_id: int, payload: ActivityUpdateIn):
    """Edit an activity and replace its sessions (a session with check-ins is kept). A stale `version` is 409."""
    activity = selectors.access_activity_by_id(request.auth, activity_id, need=Action.EDIT)
    values, sessions = _values(payload)
    services.activity_save(actor=request.auth, unit=activity.unit, activity=activity, values=values,
                           sessions=sessions, version=payload.version)
    return _reloaded(request, activity.pk)


@router.post("/activities/{activity_id}/publish", response={200: ActivityDetailOut, 404: ErrorOut, 409: ErrorOut})
def activity_publish(request, activity_id: int):
    """On the calendar (an open activity) and counted as held; publishing twice is 409."""
    activity = selectors.access_activity_by_id(request.auth, activity_id, need=Action.EDIT)
    services.activity_publish(actor=request.auth, activity=activity)
    return _reloaded(request, activity.pk)


@router.post("/activities/{activity_id}/cancel", response={200: ActivityDetailOut, 400: ErrorOut, 404: ErrorOut,
                                                          409: ErrorOut})
def activity_cancel(request, activity_id: int, payload: ActivityCancelIn):
    """取消 with a reason; everyone signed up is told. Cancelling twice is 409."""
    activity = selectors.access_activity_by_id(request.auth, activity_id, need=Action.EDIT)
    services.activity_cancel(actor=request.auth, activity=activity, reason=payload.reason)
    return _reloaded(request, activity.pk)


@router.get("/activities/{activity_id}/participants.xlsx", response={404: ErrorOut},
            openapi_extra=download(description="Every sign-up and walk-in with the sessions attended (phones masked)"))
def activity_participants(request, activity_id: int):
    activity = selectors.access_activity_by_id(request.auth, activity_id, need=Action.EDIT)
    return participants_export(actor=request.auth, activity=activity)


@router.post("/activities/{activity_id}/attendance-sheet", response={200: ActivitySheetOut, 400: ErrorOut,
                                                                    404: ErrorOut})
def activity_attendance_sheet(request, activity_id: int, file: UploadedFile | None = File(None)):  # noqa: B008  (ninja declares files so)
    """签到表: an xlsx of 姓名, 手机号, 场次 (multipart, field `file`). Good rows are recorded (a re-import records
    nothing twice); every bad row is listed with its row number, column and reason."""
    activity = selectors.access_activity_by_id(request.auth, activity_id, need=Action.EDIT)
    if file is None:
        raise ValidationError(_("请上传 .xlsx 格式的 Excel 文件。"))
    result = attendance_sheet_import(actor=request.auth, activity=activity, upload=file)
    return {"created": result.created, "unchanged": result.unchanged, "error_rows": result.error_rows,
            "errors": [{"row": e.row, "column": e.column, "value": "" if e.value is None else str(e.value),
                        "message": e.message} for e in result.errors]}


# projects


def _project(project: Project, *, results: bool = False) -> dict:
    out = {"id": project.pk, "unit_id": project.unit_id, "name": project.name, "kind": project.kind,
           "description": project.description, "partners": project.partners, "budget": project.budget,
           "starts_on": project.starts_on, "ends_on": project.ends_on,
           "targets": [{"figure": t["figure"], "target": t["target"]} for t in project.targets],
           "version": project.version}
    if results:
        out["results"] = projects.project_report(project)
    return out


def _project_values(payload) -> dict:
    return {"name": payload.name, "kind": payload.kind, "description": payload.description,
            "partners": payload.partners, "budget": payload.budget, "starts_on": payload.starts_on,
            "ends_on": payload.ends_on, "targets": [t.dict() for t in payload.targets]}


@router.get("/activity-projects", response=list[ActivityProjectOut])
@paginate(CappedPagination)
def projects_list(request, kind: str = ""):
    """Projects of units in your scope, newest first."""
    return projects.projects_for(request.auth, kind=kind or None)


@router.post("/activity-projects", response={201: ActivityProjectDetailOut, 400: ErrorOut, 404: ErrorOut})
def project_create(request, payload: ActivityProjectCreateIn):
    """A project with its targets (figures of the registry) and period."""
    unit = _unit(request, payload.unit_id)
    project = projects.project_save(actor=request.auth, unit=unit, values=_project_values(payload))
    return Status(201, _project(project, results=True))


@router.get("/activity-projects/{project_id}", response={200: ActivityProjectDetailOut, 404: ErrorOut})
def project_get(request, project_id: int):
    """The project with its targets against results: its own activities' (`own`) and its unit's figure over the
    period (`unit_value`), side by side."""
    return _project(selectors.access_project_by_id(request.auth, project_id), results=True)


@router.put("/activity-projects/{project_id}", response={200: ActivityProjectDetailOut, 400: ErrorOut, 404: ErrorOut,
                                                         409: ErrorOut})
def project_update(request, project_id: int, payload: ActivityProjectUpdateIn):
    project = selectors.access_project_by_id(request.auth, project_id, need=Action.EDIT)
    project = projects.project_save(actor=request.auth, unit=project.unit, project=project,
                                    values=_project_values(payload), version=payload.version)
    return _project(project, results=True)


# campaigns


def _campaign(request, campaign: Campaign) -> dict:
    dispatch = campaign.dispatch
    unit = getattr(request.auth, "unit", None)
    mine = campaigns.recipient_of(campaign, unit)
    return {"id": campaign.pk, "unit_id": dispatch.unit_id, "unit_name": dispatch.unit.name, "title": dispatch.title,
            "body": campaign.body, "kind": campaign.kind, "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on, "deadline": dispatch.deadline, "status": dispatch.status,
            "activities_each": campaign.activities_each, "recipient_count": dispatch.recipient_count,
            "my_recipient_id": mine.pk if mine else None, "my_state": mine.state if mine else None,
            "my_held": campaigns.held_under(campaign, mine.unit_path) if mine else None}


@router.get("/activity-campaigns", response=list[ActivityCampaignOut])
def campaigns_list(request, side: str = "received"):
    """`side`: received (by your unit or a unit above it: what you hold activities under) or launched (in your
    scope), newest first."""
    rows = campaigns.campaigns_launched(request.auth) if side == "launched" else \
        campaigns.campaigns_received(request.auth)
    return [_campaign(request, c) for c in rows[:200]]


@router.post("/activity-campaigns", response={201: ActivityCampaignOut, 400: ErrorOut, 404: ErrorOut})
def campaign_launch(request, payload: ActivityCampaignIn):
    """发起主题活动 (a chair or vice-chair): every unit of `level` below receives it and holds `activities_each`."""
    unit = _unit(request, payload.unit_id)
    campaign = campaigns.campaign_launch(
        actor=request.auth, unit=unit, title=payload.title, body=payload.body, kind=payload.kind,
        starts_on=payload.starts_on, ends_on=payload.ends_on, deadline=payload.deadline, level=payload.level,
        activities_each=payload.activities_each)
    return Status(201, _campaign(request, campaign))


@router.get("/activity-campaigns/{campaign_id}", response={200: ActivityCampaignOut, 404: ErrorOut})
def campaign_get(request, campaign_id: int):
    return _campaign(request, campaigns.access_campaign_by_id(request.auth, campaign_id))


def _rollup_row(unit, row) -> dict:
    return {"unit_id": unit.pk, "unit_name": unit.name, "total": row.get("total", 0), "done": row.get("done", 0),
            "held": row["held"], "planned": row["planned"], "signups": row["signups"],
            "attendances": row["attendances"], "people": row["people"]}


@router.get("/activity-campaigns/{campaign_id}/rollup", response={200: ActivityCampaignRollupOut, 404: ErrorOut})
def campaign_rollup(request, campaign_id: int, unit_id: int | None = None):
    """Per child unit of `unit_id` (default: the launching unit if you see it, else yours): receiving units done,
    activities held, sign-ups, check-ins and people, counted from the records under each."""
    campaign = campaigns.access_campaign_by_id(request.auth, campaign_id)
    at = campaigns.rollup_unit(request.auth, campaign, unit_id) if unit_id else \
        campaigns.rollup_start(request.auth, campaign)
    if at is None:
        raise Http404("no roll-up for you")
    rollup = campaigns.campaign_rollup(campaign, at=at)
    return {"unit_id": at.pk, "unit_name": at.name, "own": _rollup_row(at, rollup["own"]),
            "rows": [_rollup_row(r["unit"], r) for r in rollup["rows"]], "totals": _rollup_row(at, rollup["totals"])}


@router.post("/activity-campaigns/{campaign_id}/done", response={200: ActivityCampaignOut, 400: ErrorOut,
                                                                404: ErrorOut, 409: ErrorOut})
def campaign_done(request, campaign_id: int, payload: ActivityCampaignDoneIn):
    """Your unit's part is done: refused (400) until its subtree held the activities asked; twice is 409."""
    campaign = campaigns.access_campaign_by_id(request.auth, campaign_id)
    mine = campaigns.recipient_of(campaign, getattr(request.auth, "unit", None))
    if mine is None:
        raise Http404("your unit did not receive it")
    campaigns.campaign_part_done(actor=request.auth, recipient=mine, version=payload.version)
    return _campaign(request, campaign)

