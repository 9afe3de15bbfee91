from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.contacts import offline, selectors, services
from fulian.contacts.models import LevelQuota, NeedStatus, StaffKindQuota
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id
from fulian.people.selectors import access_woman_by_id, women_of_unit

from .pagination import CappedPagination
from .schemas import ErrorOut, enum_of
from .schemas_people import (
    AssignmentIn,
    AssignmentOut,
    CadreCoverageOut,
    ContactIn,
    ContactOut,
    ContactQuotasOut,
    CoverageRowOut,
    FieldWeekIn,
    FieldWeekMissingOut,
    FieldWeekOut,
    FieldWeekRemindIn,
    FieldWeekRemindOut,
    NeedOut,
    OfflineOut,
    ResolveIn,
    SpreadIn,
    SpreadOut,
    StaffKindQuotaIn,
    SummaryIn,
    SyncIn,
    SyncOut,
    TodayOut,
    TransferOut,
    UnitCoverageOut,
)

router = Router(tags=["contacts"])


def _cadres(request, ids):
    return selectors.cadres_by_ids(request.auth, ids)


@router.get("/women/{woman_id}/contacts", response=list[ContactOut])
@paginate(CappedPagination)
def contacts_list(request, woman_id: int):
    woman = access_woman_by_id(request.auth, woman_id)
    return selectors.contact_logs_for(request.auth, woman=woman).prefetch_related("needs")


@router.post("/women/{woman_id}/contacts", response={201: ContactOut, 400: ErrorOut, 404: ErrorOut})
def contact_create(request, woman_id: int, payload: ContactIn):
    """Record a contact with her; sending the same `client_token` again returns the first one."""
    woman = access_woman_by_id(request.auth, woman_id)
    week = selectors.access_field_week_by_id(request.auth, payload.field_week_id) if payload.field_week_id else None
    log = services.contact_log_create(
        actor=request.auth, woman=woman, contacted_on=payload.contacted_on, channel=payload.channel,
        today=timezone.localdate(), views=payload.views, help_given=payload.help_given,
        follow_up_on=payload.follow_up_on, needs=[(n.category, n.description) for n in payload.needs],
        field_week=week, client_token=payload.client_token,
        training_outcome=payload.training_outcome.dict() if payload.training_outcome else None,
    )
    return Status(201, log)


@router.post("/contacts/sync", response={200: SyncOut, 400: ErrorOut})
def contacts_sync(request, payload: SyncIn):
    """A phone's offline queue (今日工作 without a signal): contacts, needs met and help requests, applied in order,
    each once — the same items sent again (the answer was lost) change nothing. Each result says applied, applied
    with a note (`noted`: she was reassigned or moved, the need was already met…) or refused with the reason;
    one refused item does not stop the others."""
    items = [item.dict() for item in payload.items]
    return {"results": offline.sync_apply(actor=request.auth, items=items)}


@router.get("/me/offline", response=OfflineOut, tags=["account"])
def my_offline(request):
    """What a phone needs to queue items offline for her."""
    return {"owner": offline.owner_key(request.auth), "max_items": offline.MAX_ITEMS,
            "max_age_days": offline.MAX_AGE_DAYS}


@router.get("/needs", response=list[NeedOut])
@paginate(CappedPagination)
def needs_list(request, status: enum_of(NeedStatus, blank=True) = ""):
    return selectors.needs_for(request.auth, status=status)


@router.post("/needs/{need_id}/resolve", response={200: NeedOut, 400: ErrorOut, 404: ErrorOut})
def need_resolve(request, need_id: int, payload: ResolveIn):
    need = selectors.access_need_by_id(request.auth, need_id, need=Action.EDIT)
    return services.need_resolve(actor=request.auth, need=need, resolution=payload.resolution,
                                 today=timezone.localdate())


@router.post("/women/{woman_id}/assignments", response={201: AssignmentOut, 400: ErrorOut, 404: ErrorOut})
def assignment_create(request, woman_id: int, payload: AssignmentIn):
    woman = access_woman_by_id(request.auth, woman_id, need=Action.EDIT)
    cadre = _cadres(request, [payload.cadre_id])[0]
    assignment, warning = services.assignment_create(actor=request.auth, woman=woman, cadre=cadre,
                                                     today=timezone.localdate())
    assignment.warning = warning
    return Status(201, assignment)


@router.post("/assignments/{assignment_id}/end", response={204: None, 400: ErrorOut, 404: ErrorOut})
def assignment_end(request, assignment_id: int):
    assignment = selectors.access_assignment_by_id(request.auth, assignment_id)
    services.assignment_end(actor=request.auth, assignment=assignment, today=timezone.localdate())
    return Status(204, None)


@router.post("/units/{unit_id}/assignments/spread", response={200: SpreadOut, 400: ErrorOut, 404: ErrorOut})
def assignments_spread(request, unit_id: int, payload: SpreadIn):
    """Spread the unit's women who have no cadre evenly across the given cadres."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    women = women_of_unit(request.auth, unit)
    return services.assign_women_round_robin(actor=request.auth, women=women,
                                             cadres=_cadres(request, payload.cadre_ids), today=timezone.localdate())


@router.post("/cadres/{cadre_id}/transfer", response={200: TransferOut, 400: ErrorOut, 404: ErrorOut})
def assignments_transfer(request, cadre_id: int, payload: SpreadIn):
    """A cadre leaves: end her links and hand her women to the given cadres."""
    cadre = _cadres(request, [cadre_id])[0]
    return services.assignments_transfer(actor=request.auth, from_cadre=cadre,
                                         to_cadres=_cadres(request, payload.cadre_ids), today=timezone.localdate())


@router.get("/units/{unit_id}/coverage", response={200: UnitCoverageOut, 404: ErrorOut})
def unit_coverage(request, unit_id: int):
    unit = access_unit_by_id(request.auth, unit_id)
    cov = selectors.unit_coverage(unit, today=timezone.localdate())
    cov["children"] = [CoverageRowOut(unit_id=r["unit"].pk, unit_name=r["unit"].name,
                                      **{k: r[k] for k in ("women", "assigned", "recent", "follow_ups_overdue",
                                                           "rate")}) for r in cov["children"]]
    return cov


@router.get("/me/coverage", response=CadreCoverageOut, tags=["account"])
def my_coverage(request):
    return selectors.cadre_coverage(request.auth, today=timezone.localdate())


@router.get("/me/today", response=TodayOut, tags=["account"])
def my_today(request):
    """Follow-ups due and women not contacted in the recent window: "my work today"."""
    work = selectors.cadre_worklist(request.auth, today=timezone.localdate())
    return {k: [w for w in v] for k, v in work.items()}


@router.get("/field-weeks", response=list[FieldWeekOut])
@paginate(CappedPagination)
def field_weeks_list(request):
    return selectors.field_weeks_for(request.auth).prefetch_related("participants")


@router.post("/units/{unit_id}/field-weeks", response={201: FieldWeekOut, 400: ErrorOut, 404: ErrorOut})
def field_week_create(request, unit_id: int, payload: FieldWeekIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    week = services.field_week_create(actor=request.auth, unit=unit, title=payload.title, starts_on=payload.starts_on,
                                      ends_on=payload.ends_on,
                                      participants=_cadres(request, payload.participant_ids))
    return Status(201, week)


def _check(request, level, window):
    return selectors.field_week_check_params(request.auth, level=level, window=window or "",
                                             today=timezone.localdate())


@router.get("/field-weeks/missing", response={200: list[FieldWeekMissingOut], 400: ErrorOut})
@paginate(CappedPagination)
def field_weeks_missing(request, filters: Query[FieldWeekRemindIn]):
    """双月下基层工作周 check: the units of `level` under the caller's unit that held no field week overlapping the
    two-month `window` (Jan–Feb, Mar–Apr, …; default the last completed)."""
    params = _check(request, filters.level, filters.window)
    return selectors.units_without_field_week(request.auth, **{k: params[k] for k in ("under", "level", "start",
                                                                                       "end")})


@router.post("/field-weeks/missing/remind", response={200: FieldWeekRemindOut, 400: ErrorOut, 404: ErrorOut})
def field_weeks_remind(request, payload: FieldWeekRemindIn):
    """提醒 them through the outbox: once per unit and window (a second call reminds nobody twice); leaders only."""
    params = _check(request, payload.level, payload.window)
    count = services.field_weeks_remind(actor=request.auth, **{k: params[k] for k in ("under", "level", "start",
                                                                                      "end")})
    return {"window_start": params["start"], "window_end": params["end"], "reminded": count}


@router.get("/contact-quotas", response=ContactQuotasOut)
def contact_quotas(request):
    """How many women a cadre keeps in touch with: by level, and by staff type (which wins where it is set)."""
    levels = {r.level: r.quota for r in LevelQuota.objects.all()}
    return {"levels": [{"level": lv, "quota": levels.get(lv, q)} for lv, q in services.DEFAULT_QUOTAS.items()],
            "staff_kinds": list(StaffKindQuota.objects.order_by("kind").values("kind", "quota"))}


@router.put("/contact-quotas/staff-kinds", response={200: ContactQuotasOut, 400: ErrorOut, 404: ErrorOut})
def staff_kind_quota_set(request, payload: StaffKindQuotaIn):
    """Set (or with `quota: null` remove) a staff type's quota: the platform's superusers only."""
    services.staff_kind_quota_set(actor=request.auth, kind=payload.kind, quota=payload.quota)
    return contact_quotas(request)


@router.get("/field-weeks/{week_id}", response={200: FieldWeekOut, 404: ErrorOut})
def field_week_get(request, week_id: int):
    return selectors.access_field_week_by_id(request.auth, week_id)


@router.put("/field-weeks/{week_id}/summary", response={200: FieldWeekOut, 400: ErrorOut, 404: ErrorOut})
def field_week_summarize(request, week_id: int, payload: SummaryIn):
    week = selectors.access_field_week_by_id(request.auth, week_id, need=Action.EDIT)
    return services.field_week_summarize(actor=request.auth, week=week, summary=payload.summary)


