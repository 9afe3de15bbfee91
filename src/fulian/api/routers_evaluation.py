import datetime as dt

from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from fulian.core.policy import Action
from fulian.evaluation import selectors, services
from fulian.evaluation.models import Question, Rate, Response, Survey
from fulian.orgs.selectors import access_unit_by_id, help_place_by_code, unit_by_code_for
from fulian.people.selectors import access_woman_by_id

from .schemas import ErrorOut, enum_of
from .schemas_people import Id

router = Router(tags=["evaluation"])
public_router = Router(tags=["public"])


class QuestionIn(Schema):
    text: str
    kind: enum_of(Question.Kind) = Field(description="single, multiple, scale (1–5) or text")
    choices: list[str] = Field(default_factory=list)
    required: bool = True
    rate: enum_of(Rate, blank=True) = Field("", description="the rate it counts in, or empty")
    positive: list[int] = Field(
        default_factory=list, description="choice indexes (from 0) counting as positive; scale: [lowest positive]"
    )


class SurveyIn(Schema):
    title: str
    starts_on: dt.date
    ends_on: dt.date
    standard: bool = Field(False, description="use the standard four-rate questionnaire (questions ignored)")
    questions: list[QuestionIn] = Field(default_factory=list)


class QuestionOut(Schema):
    id: int
    position: int
    text: str
    kind: enum_of(Question.Kind)
    choices: list[str]
    required: bool
    rate: enum_of(Rate, blank=True)


class SurveyOut(Schema):
    id: int
    unit_id: int
    title: str
    is_standard: bool
    starts_on: dt.date
    ends_on: dt.date
    status: enum_of(Survey.Status)
    public_token: str
    questions: list[QuestionOut]

    @staticmethod
    def resolve_questions(obj):
        return list(obj.questions.all())


class StatusIn(Schema):
    status: enum_of(Survey.Status)


class ResponseIn(Schema):
    answers: dict[str, int | list[int] | str] = Field(
        description="{question id: choice index, [indexes], score or text}"
    )
    woman_id: Id | None = Field(None, description="cadre entry on a registered woman's behalf")
    unit_code: str | None = Field(None, description="the village of an unregistered respondent")
    phone: str = Field("", description="identifies the respondent: one answer per person")


class PublicResponseIn(Schema):
    answers: dict[str, int | list[int] | str]
    unit_code: str
    phone: str
    code: str = Field("", description="the one-time code from POST …/code: only verified answers count in the rates")


class CodeRequestIn(Schema):
    phone: str


class ResponseOut(Schema):
    id: int
    survey_id: int
    unit_id: int
    channel: enum_of(Response.Channel)
    submitted_at: dt.datetime
    is_verified: bool = Field(description="counted in the rates (phone proved by a code, or entered by a cadre)")


class RatesOut(Schema):
    """The four rates, each a share from 0 to 1; null = no data (nobody answered), never 0."""

    awareness: float | None
    participation: float | None
    satisfaction: float | None
    benefit: float | None


class MonthOut(Schema):
    period: int = Field(description="YYYYMM")
    values: dict[str, int] = Field(description="the month's counted figures by name")
    rates: RatesOut


class RankedOut(Schema):
    unit_id: int
    name: str
    rank: int | None = Field(description="null when the unit has no data")
    score: float | None
    rates: RatesOut


class RankedChildOut(RankedOut):
    values: dict[str, int]


class DashboardOut(Schema):
    unit_id: int
    year: int
    totals: dict[str, int] = Field(description="the year's counted figures by name")
    rates: RatesOut
    months: list[MonthOut]
    children: list[RankedChildOut]


def _board_json(board) -> dict:
    def row(r):
        return {
            "unit_id": r["unit"].pk,
            "name": r["unit"].name,
            "rank": r["rank"],
            "score": r["score"],
            "rates": r["rates"],
            "values": r["values"],
        }

    return {
        "unit_id": board["unit"].pk,
        "year": board["year"],
        "totals": board["totals"],
        "rates": board["rates"],
        "months": [{"period": m["period"], "values": m["values"], "rates": m["rates"]} for m in board["months"]],
        "children": [row(r) for r in board["children"]],
    }


@router.get("/surveys", response=list[SurveyOut])
def surveys_list(request):
    return list(selectors.surveys_for(request.auth).prefetch_related("questions")[:200])


@router.post("/units/{unit_id}/surveys", response={201: SurveyOut, 400: ErrorOut, 404: ErrorOut})
def survey_create(request, unit_id: int, payload: SurveyIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    survey = services.survey_create(
        actor=request.auth,
        unit=unit,
        title=payload.title,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        standard=payload.standard,
        questions=[q.dict() for q in payload.questions],
    )
    return Status(201, survey)


@router.get("/surveys/{survey_id}", response={200: SurveyOut, 404: ErrorOut})
def survey_get(request, survey_id: int):
    return selectors.access_survey_by_id(request.auth, survey_id)


@router.put("/surveys/{survey_id}/status", response={200: SurveyOut, 400: ErrorOut, 404: ErrorOut})
def survey_status_set(request, survey_id: int, payload: StatusIn):
    survey = selectors.access_survey_by_id(request.auth, survey_id, need=Action.EDIT)
    return services.survey_set_status(actor=request.auth, survey=survey, status=payload.status)


@router.post("/surveys/{survey_id}/responses", response={201: ResponseOut, 400: ErrorOut, 404: ErrorOut})
def survey_response_submit(request, survey_id: int, payload: ResponseIn):
    """A cadre (or an app acting for her) enters a woman's answers; 400 if she has answered already."""
    survey = selectors.access_survey_by_id(request.auth, survey_id)
    woman = access_woman_by_id(request.auth, payload.woman_id, need=Action.EDIT) if payload.woman_id else None
    if woman is not None:
        unit = woman.home_unit
    else:
        unit = unit_by_code_for(request.auth, payload.unit_code or "", need=Action.EDIT)
        if unit is None:
            raise Http404("unit")
    response = services.response_submit(
        survey=survey,
        unit=unit,
        answers=payload.answers,
        channel="api",
        phone=payload.phone,
        woman=woman,
        entered_by=request.auth,
    )
    return Status(201, response)


@router.get("/units/{unit_id}/dashboard", response={200: DashboardOut, 404: ErrorOut})
def unit_dashboard(request, unit_id: int, year: int | None = Query(None, ge=2000, le=2100)):
    """The four rates and the operational figures of a unit's subtree for a year: totals, months, children."""
    unit = access_unit_by_id(request.auth, unit_id)
    return _board_json(selectors.dashboard(unit, year=year or timezone.localdate().year))


@router.get("/rankings", response={200: list[RankedOut], 400: ErrorOut})
def rankings_list(
    request,
    level: int = 3,
    year: int | None = Query(None, ge=2000, le=2100),
    under: int | None = None,
    awareness: int = 25,
    participation: int = 25,
    satisfaction: int = 25,
    benefit: int = 25,
):
    """Units of one level in your scope ranked by the weighted rates (weights are relative)."""
    under_unit = access_unit_by_id(request.auth, under) if under else None
    weights = {"awareness": awareness, "participation": participation, "satisfaction": satisfaction, "benefit": benefit}
    try:
        rows = selectors.rankings(
            request.auth, level=level, year=year or timezone.localdate().year, weights=weights, under=under_unit
        )
    except ValueError:
        return Status(400, {"detail": "too many units: pass `under` (a city or county)"})
    return [
        {"unit_id": r["unit"].pk, "name": r["unit"].name, "rank": r["rank"], "score": r["score"], "rates": r["rates"]}
        for r in rows
    ]


@public_router.get("/public/surveys/{token}", response={200: SurveyOut, 404: ErrorOut}, auth=None)
def public_survey_get(request, token: str):
    return selectors.survey_by_token(token, open_only=True)


@public_router.post(
    "/public/surveys/{token}/responses", response={201: ResponseOut, 400: ErrorOut, 404: ErrorOut}, auth=None
)
def public_survey_response_submit(request, token: str, payload: PublicResponseIn):
    """For the app and mini-program: a woman answers herself; her phone number keeps it to one answer."""
    survey = selectors.survey_by_token(token)
    unit = help_place_by_code(payload.unit_code)
    if unit is None:
        raise Http404("unit")
    response = services.response_submit(
        survey=survey, unit=unit, answers=payload.answers, channel="api", phone=payload.phone, code=payload.code
    )
    return Status(201, response)


@public_router.post("/public/surveys/{token}/code", response={204: None, 400: ErrorOut, 404: ErrorOut}, auth=None)
def public_survey_code_send(request, token: str, payload: CodeRequestIn):
    """Send a one-time code to her phone; answering with it makes her answer count in the rates."""
    selectors.survey_by_token(token, open_only=True)
    services.survey_code_send(phone=payload.phone)
    return Status(204, None)
