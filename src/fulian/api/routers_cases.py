import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status

from fulian.accounts.selectors import access_cadre_by_id
from fulian.cases import selectors, services
from fulian.cases.models import CaseKind, CaseStatus, RiskLevel, Source, Urgency
from fulian.orgs.selectors import help_place_by_code, unit_by_code_for

from .schemas import ErrorOut, enum_of
from .schemas_people import Id

router = Router(tags=["cases"])
public_router = Router(tags=["public"])


class PublicCaseIn(Schema):
    kind: enum_of(CaseKind)
    unit_code: str = Field(description="12-digit code of her village/community or township")
    description: str
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    safe_time: str = ""
    client_token: str = Field(max_length=40, description="resend the same token after a timeout: one case only")
    sms_tracking_code: bool = Field(False, description="text her the tracking code (only when she asks: anyone "
                                    "holding her phone could read it); the text names neither 妇联 nor 求助")


class EventOut(Schema):
    at: dt.datetime
    text: str


class TrackingOut(Schema):
    tracking_code: str
    status: enum_of(CaseStatus)
    events: list[EventOut] = Field(description="the entries shown to her, oldest first")


class TimelineOut(EventOut):
    action: str
    actor: str


class RequesterContactOut(Schema):
    name: str = ""
    phone: str = ""
    address: str = ""
    safe_time: str = Field("", description="when it is safe to call her")


class CaseRowOut(Schema):
    id: int
    tracking_code: str
    kind: enum_of(CaseKind)
    urgency: enum_of(Urgency)
    status: enum_of(CaseStatus)
    unit_id: int
    escalations: int
    first_action_due: dt.datetime
    first_action_at: dt.datetime | None
    resolve_due: dt.datetime
    created_at: dt.datetime


class CaseOut(CaseRowOut):
    description: str
    contact: RequesterContactOut = Field(description="empty for an anonymous request")
    details: dict[str, str]
    risk_level: enum_of(RiskLevel, blank=True) = Field("", description="风险等级 of a domestic-violence case; set it "
                                                     "with a note: details.risk_level = low, medium or high")
    outcome_public: str = Field("", description="what the handler chose to tell her when closing (she sees it "
                                                "with her tracking code)")
    version: int
    timeline: list[TimelineOut]


class CadreCaseIn(Schema):
    kind: enum_of(CaseKind)
    urgency: enum_of(Urgency) | None = None
    source: enum_of(Source) = "hotline"
    unit_code: str
    description: str
    anonymous: bool = False
    name: str = ""
    phone: str = ""
    address: str = ""
    woman_id: Id | None = None
    client_token: str | None = None


class ActionIn(Schema):
    action: Literal["note", "triage", "assign", "refer", "pause", "resume", "close"]
    version: int | None = Field(None, description="the version you read; a newer one answers 409, nothing written")
    text: str = ""
    public: bool = False
    details: dict[str, str] = Field(default_factory=dict)
    urgency: enum_of(Urgency, blank=True) = ""
    handler_id: Id | None = None
    partner_id: Id | None = None
    reason: str = ""
    outcome: str = ""
    outcome_public: str = Field("", description="close: the outcome she is told with her tracking code (optional)")


class RateIn(Schema):
    score: int


def _events(case):
    return [{"at": e.at, "text": e.text} for e in case.timeline.filter(is_public=True)]


def _full(case, sealed):
    data = {f: getattr(case, f) for f in CaseRowOut.model_fields}
    data.update(description=sealed.get("description", ""), details=sealed.get("details", {}), version=case.version,
                risk_level=case.risk_level, outcome_public=case.outcome_public,
                contact={} if case.is_anonymous else {k: sealed.get(k, "") for k in ("name", "phone", "address",
                                                                                     "safe_time")},
                timeline=[{"at": e.at, "action": e.action, "actor": str(e.actor or ""), "text": e.text}
                          for e in case.timeline.select_related("actor")])
    data["unit_id"] = case.unit_id
    return data


@public_router.post("/public/cases", response={201: TrackingOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                                               429: ErrorOut}, auth=None)
def public_case_create(request, payload: PublicCaseIn):
    """For the app and mini-program: ask for help without an account; keep the tracking code it returns."""
    unit = help_place_by_code(payload.unit_code)
    if unit is None:
        raise Http404("unit")
    try:
        case = services.case_intake(kind=payload.kind, home_unit=unit, description=payload.description,
                                    source=Source.API, anonymous=payload.anonymous, client_token=payload.client_token,
                                    contact={"name": payload.name, "phone": payload.phone,
                                             "safe_time": payload.safe_time},
                                    sms_tracking_code=payload.sms_tracking_code)
    except services.TooManyRequests as exc:
        return Status(429, {"detail": " ".join(exc.messages)})
    except services.TokenReused as exc:
        return Status(409, {"detail": " ".join(exc.messages)})
    return Status(201, {"tracking_code": case.tracking_code, "status": case.status, "events": _events(case)})


@public_router.get("/public/cases/{code}", response={200: TrackingOut, 404: ErrorOut}, auth=None)
def public_case_get(request, code: str):
    case = selectors.case_public_status(code)
    if case is None:
        raise Http404("unknown code")
    return {"tracking_code": case.tracking_code, "status": case.status, "events": _events(case)}


@public_router.post("/public/cases/{code}/rating", response={200: TrackingOut, 400: ErrorOut}, auth=None)
def public_case_rate(request, code: str, payload: RateIn):
    case = services.case_rate(tracking=code, score=payload.score)
    return {"tracking_code": case.tracking_code, "status": case.status, "events": _events(case)}


@router.get("/cases", response=list[CaseRowOut])
def cases_list(request, status: Literal[("open", "", *CaseStatus.values)] = "open", unit_id: int | None = None):
    """Cases you handle, and (chairs, vice-chairs) every case of your subtree. No contact details here."""
    from fulian.orgs.selectors import access_unit_by_id

    unit = access_unit_by_id(request.auth, unit_id) if unit_id else None
    return list(selectors.cases_for(request.auth, status=status, unit=unit)[:500])


@router.post("/cases", response={201: CaseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def case_create(request, payload: CadreCaseIn):
    unit = unit_by_code_for(request.auth, payload.unit_code)
    if unit is None:
        raise Http404("unit")
    woman = None
    if payload.woman_id:
        from fulian.people.selectors import access_woman_by_id

        woman = access_woman_by_id(request.auth, payload.woman_id)
    case = services.case_intake(kind=payload.kind, urgency=payload.urgency, home_unit=unit, actor=request.auth,
                                description=payload.description, source=payload.source, anonymous=payload.anonymous,
                                woman=woman, client_token=payload.client_token,
                                contact={"name": payload.name, "phone": payload.phone, "address": payload.address})
    case, sealed = selectors.access_case_by_id(request.auth, case.pk, purpose="api")
    return Status(201, _full(case, sealed))


@router.get("/cases/{case_id}", response={200: CaseOut, 404: ErrorOut})
def case_get(request, case_id: int):
    """Need-to-know: handlers and the chairs above; every call is in the read log."""
    case, sealed = selectors.access_case_by_id(request.auth, case_id, purpose="api")
    return _full(case, sealed)


@router.post("/cases/{case_id}/actions", response={200: CaseOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def case_act(request, case_id: int, payload: ActionIn):
    case, _sealed = selectors.access_case_by_id(request.auth, case_id, purpose=payload.action)
    actor, version = request.auth, payload.version
    if payload.action == "note":
        services.case_note(actor=actor, case=case, text=payload.text, public=payload.public, details=payload.details,
                           version=version)
    elif payload.action == "triage":
        services.case_triage(actor=actor, case=case, urgency=payload.urgency, version=version)
    elif payload.action == "assign":
        handler = access_cadre_by_id(actor, payload.handler_id)
        services.case_assign(actor=actor, case=case, handler=handler, version=version)
    elif payload.action == "refer":
        partner = selectors.partners_for(case).filter(pk=payload.partner_id or 0).first()
        if partner is None:
            raise Http404("partner")
        services.referral_create(actor=actor, case=case, partner=partner, note=payload.text, version=version)
    elif payload.action == "pause":
        services.case_pause(actor=actor, case=case, reason=payload.reason, version=version)
    elif payload.action == "resume":
        services.case_resume(actor=actor, case=case, version=version)
    elif payload.action == "close":
        services.case_close(actor=actor, case=case, outcome=payload.outcome, outcome_public=payload.outcome_public,
                            version=version)
    else:
        return Status(400, {"detail": f"unknown action {payload.action}"})
    case, sealed = selectors.access_case_by_id(request.auth, case_id, purpose="api")
    return _full(case, sealed)

