"""Completion (结业), certificates and outcomes of trainings, and a woman's activities on her record: the same
access functions and services as the pages (activities.outcomes, activities.panels)."""

from django.http import Http404
from ninja import Router, Status

from fulian.activities import outcomes
from fulian.activities.models import Completion
from fulian.activities.panels import woman_activity_rows
from fulian.activities.selectors import access_activity_by_id, access_signup_by_id
from fulian.core.policy import Action
from fulian.people.selectors import access_woman_by_id

from .schemas import ErrorOut, certificate_out
from .schemas_activities_outcomes import (
    TrainingCompletionOut,
    TrainingOutcomeIn,
    TrainingOutcomeOut,
    TrainingParticipantOut,
    WomanActivityOut,
)

router = Router(tags=["activities"])


def _completion(request, completion):
    return {"id": completion.pk, "activity_id": completion.activity_id, "activity_title": completion.activity.title,
            "signup_id": completion.signup_id, "woman_id": completion.woman_id, "name": completion.signup.name,
            "completed_at": completion.completed_at, "certificate": certificate_out(request, completion.certificate),
            "outcomes": list(completion.outcomes.order_by("recorded_on", "pk"))}


@router.get("/activities/{activity_id}/completions", response={200: list[TrainingParticipantOut], 404: ErrorOut})
def training_participants_list(request, activity_id: int):
    """A training's confirmed participants: sessions attended, what completion needs, and her completion."""
    activity = access_activity_by_id(request.auth, activity_id)
    if not activity.is_training:
        raise Http404("not a training")
    return [{"signup_id": r["signup"].pk, "name": r["signup"].name, "woman_id": r["signup"].woman_id,
             "attended": r["attended"], "needed": r["needed"], "total": r["total"], "eligible": r["eligible"],
             "completion_id": r["completion"].pk if r["completion"] else None}
            for r in outcomes.participants_for_completion(activity)]


@router.post("/activities/signups/{signup_id}/completion",
             response={200: TrainingCompletionOut, 201: TrainingCompletionOut, 400: ErrorOut, 404: ErrorOut})
def training_completion_record(request, signup_id: int):
    """结业 with its numbered certificate (201); recorded already: the same completion (200). A participant who
    attended fewer than two thirds of the sessions, or is waiting or cancelled, is refused (400)."""
    signup = access_signup_by_id(request.auth, signup_id, need=Action.EDIT)
    existed = Completion.objects.filter(signup_id=signup.pk).exists()
    completion = outcomes.completion_record(actor=request.auth, signup=signup)
    completion = outcomes.access_completion_by_id(request.auth, completion.pk)
    return Status(200 if existed else 201, _completion(request, completion))


@router.get("/activities/completions/{completion_id}", response={200: TrainingCompletionOut, 404: ErrorOut})
def training_completion_get(request, completion_id: int):
    return _completion(request, outcomes.access_completion_by_id(request.auth, completion_id))


@router.post("/activities/completions/{completion_id}/outcomes",
             response={201: TrainingOutcomeOut, 400: ErrorOut, 404: ErrorOut})
def training_outcome_record(request, completion_id: int, payload: TrainingOutcomeIn):
    """A follow-up outcome (employed, business, income with its monthly amount, other), by the training's unit or
    her village's cadres. The same outcome sent again returns the first; a second, different one of the same
    counted kind is refused (400)."""
    completion = outcomes.access_completion_by_id(request.auth, completion_id)
    outcome = outcomes.outcome_record(actor=request.auth, completion=completion, kind=payload.kind,
                                      amount=payload.amount, note=payload.note, recorded_on=payload.recorded_on)
    return Status(201, outcome)


@router.delete("/activities/outcomes/{outcome_id}", response={204: None, 404: ErrorOut})
def training_outcome_remove(request, outcome_id: int):
    outcome = outcomes.access_outcome_by_id(request.auth, outcome_id)
    outcomes.outcome_remove(actor=request.auth, outcome=outcome)
    return Status(204, None)


@router.get("/women/{woman_id}/activities", response={200: list[WomanActivityOut], 404: ErrorOut})
def woman_activities_list(request, woman_id: int):
    """Her sign-ups, attendance, completions with certificates and outcomes (matched by her registry record)."""
    woman = access_woman_by_id(request.auth, woman_id)
    rows = []
    for r in woman_activity_rows(woman):
        a, signup, completion = r["activity"], r["signup"], r["completion"]
        rows.append({"activity_id": a.pk, "title": a.title, "kind": a.kind, "starts_at": a.starts_at,
                     "unit_id": a.unit_id, "signup_id": signup.pk if signup else None,
                     "signup_state": signup.state if signup else "", "attended": r["attended"],
                     "completion": _completion(request, completion) if completion else None})
    return rows
