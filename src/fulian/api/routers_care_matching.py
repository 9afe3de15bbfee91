"""The matching engine for the app: resources proposed for an open goal (nearest first), the women a resource fits,
offers (sent, answered, withdrawn, their outcome) and a county's batch matching with its approval. The same
services and reads as the pages (care.matching)."""

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.care import matching, plans, resources
from fulian.care.models import MatchBatch, Offer, OfferState
from fulian.core.paging import count_capped
from fulian.core.policy import Action, allows, scope_path
from fulian.orgs.selectors import access_unit_by_id, unit_home_for
from fulian.people.selectors import access_woman_by_id

from .pagination import CappedPagination
from .routers_care_plans import goal_out
from .routers_care_registry import Dressed
from .routers_care_resources import resource_out
from .schemas import ErrorOut
from .schemas_care import (
    CareBatchDecidedOut,
    CareBatchDecideIn,
    CareBatchIn,
    CareBatchOut,
    CareOfferAnswerIn,
    CareOfferIn,
    CareOfferOut,
    CareOfferOutcomeIn,
    CareProposalOut,
    CareWomanProposalOut,
)

router = Router(tags=["care"])


@router.get("/care/goals/{care_goal_id}/proposals", response={200: list[CareProposalOut], 404: ErrorOut})
def care_goal_proposals(request, care_goal_id: int, limit: int = Query(10, ge=1, le=50)):
    """Resources for an open goal: of a kind it asks for, visible where she lives, open today with places left and
    whose eligibility she meets; nearest first (tree, then km), then the least used."""
    goal = plans.access_goal_by_id(request.auth, care_goal_id)
    return [{"resource": resource_out(p["resource"]), "tree_distance": p["tree_distance"], "km": p["km"],
             "used": p["used"]} for p in matching.proposals_for_goal(goal, on=timezone.localdate(), limit=limit)]


@router.get("/care/resources/{care_resource_id}/women", response={200: list[CareWomanProposalOut], 404: ErrorOut})
def care_resource_women(request, care_resource_id: int, limit: int = Query(20, ge=1, le=50)):
    """Open goals of your scope the resource fits, nearest its place first."""
    resource = resources.access_resource_by_id(request.auth, care_resource_id)
    found = matching.women_for_resource(resource, on=timezone.localdate(), limit=limit,
                                        within=scope_path(request.auth))
    mine = [p for p in found if allows(request.auth, Action.VIEW, p["goal"].unit_path)]
    return [{"goal": goal_out(p["goal"]), "woman_name": p["goal"].woman.name,
             "unit_name": p["goal"].woman.home_unit.name,
             "tree_distance": p["tree_distance"], "km": p["km"]} for p in mine]


def offer_out(o: Offer) -> dict:
    return {"id": o.pk, "resource_id": o.resource_id, "resource_title": o.resource.title,
            "resource_kind": o.resource.kind, "provider": o.resource.provider, "goal_id": o.goal_id,
            "goal_text": o.goal.text, "woman_id": o.woman_id, "woman_name": o.woman.name, "state": o.state,
            "sent_at": o.sent_at, "answered_at": o.answered_at, "answered_by_self": o.answered_by_self,
            "signup_id": o.signup_id, "outcome": o.outcome, "outcome_on": o.outcome_on,
            "outcome_note": o.outcome_note, "batch_id": o.batch_id}


def _offer(request, offer_id: int) -> dict:
    return offer_out(matching.access_offer_by_id(request.auth, offer_id))


@router.get("/care/offers", response={200: list[CareOfferOut], 400: ErrorOut, 404: ErrorOut})
@paginate(CappedPagination)
def care_offers_list(request, state: str = Query("", max_length=10), woman_id: int | None = None,
                     resource_id: int | None = None):
    """Offers of your scope, newest first."""
    if state and state not in OfferState.values:
        raise BadRequest("state must be one of " + ", ".join(OfferState.values))
    woman = access_woman_by_id(request.auth, woman_id) if woman_id is not None else None
    resource = resources.access_resource_by_id(request.auth, resource_id) if resource_id is not None else None
    rows = matching.offers_for(request.auth, state=state, woman=woman, resource=resource)
    request.known_count = count_capped(rows)
    return Dressed(rows, offer_out)


@router.post("/care/offers", response={200: CareOfferOut, 201: CareOfferOut, 400: ErrorOut, 404: ErrorOut,
                                       409: ErrorOut})
def care_offer_send(request, payload: CareOfferIn):
    """推荐: offer a resource for an open goal of your scope (she is told by SMS). 409 if it was offered for the goal
    already; the same `client_token` again answers 200 with the first."""
    goal = plans.access_goal_by_id(request.auth, payload.goal_id, need=Action.EDIT)
    resource = resources.access_resource_by_id(request.auth, payload.resource_id)
    existed = bool(payload.client_token) and Offer.objects.filter(client_token=payload.client_token).exists()
    offer = matching.offer_send(actor=request.auth, goal=goal, resource=resource, today=timezone.localdate(),
                                client_token=payload.client_token)
    return Status(200 if existed else 201, _offer(request, offer.pk))


@router.get("/care/offers/{care_offer_id}", response={200: CareOfferOut, 404: ErrorOut})
def care_offer_get(request, care_offer_id: int):
    return _offer(request, care_offer_id)


@router.post("/care/offers/{care_offer_id}/answer", response={200: CareOfferOut, 400: ErrorOut, 404: ErrorOut,
                                                              409: ErrorOut})
def care_offer_answer(request, care_offer_id: int, payload: CareOfferAnswerIn):
    """Her answer, recorded by her cadre: accepting takes a place at once (409 when the last one was just taken,
    or it was answered otherwise already); the same answer twice stands."""
    offer = matching.access_offer_by_id(request.auth, care_offer_id, need=Action.EDIT)
    matching.offer_answer(actor=request.auth, offer=offer, accept=payload.accept)
    return _offer(request, offer.pk)


@router.post("/care/offers/{care_offer_id}/withdraw", response={200: CareOfferOut, 404: ErrorOut, 409: ErrorOut})
def care_offer_withdraw(request, care_offer_id: int):
    """撤回 an offer not answered yet; 409 once answered."""
    offer = matching.access_offer_by_id(request.auth, care_offer_id, need=Action.EDIT)
    matching.offer_withdraw(actor=request.auth, offer=offer)
    return _offer(request, offer.pk)


@router.post("/care/offers/{care_offer_id}/outcome", response={200: CareOfferOut, 400: ErrorOut, 404: ErrorOut,
                                                               409: ErrorOut})
def care_offer_outcome(request, care_offer_id: int, payload: CareOfferOutcomeIn):
    """落实情况 of an accepted offer: employed, trained or received meets the goal (its need closes) and records the
    help; not taken gives the place back. Twice is 409."""
    offer = matching.access_offer_by_id(request.auth, care_offer_id, need=Action.EDIT)
    matching.offer_outcome(actor=request.auth, offer=offer, outcome=payload.outcome, on=payload.on,
                           today=timezone.localdate(), note=payload.note)
    return _offer(request, offer.pk)


def batch_out(b: MatchBatch) -> dict:
    return {"id": b.pk, "unit_id": b.unit_id, "unit_name": b.unit.name, "state": b.state,
            "pairs": [{"goal_id": g, "resource_id": r, "km": km} for g, r, km in b.pairs], "needs": b.needs,
            "places": b.places, "matched": b.matched, "mean_distance": b.mean_distance,
            "greedy_matched": b.greedy_matched, "greedy_mean_distance": b.greedy_mean_distance,
            "created_at": b.created_at, "decided_at": b.decided_at}


@router.get("/care/batches", response=list[CareBatchOut])
def care_batches_list(request):
    """Batch matchings of your scope, newest first (at most 50)."""
    return [batch_out(b) for b in matching.batches_for(request.auth).select_related("unit")[:50]]


@router.post("/care/batches", response={201: CareBatchOut, 400: ErrorOut, 404: ErrorOut})
def care_batch_propose(request, payload: CareBatchIn):
    """批量对接: the open employment goals under a unit (default yours) against the open job places they may be
    offered — as many matched as possible at the least total distance, with the nearest-first pass beside it.
    Nothing is sent until it is approved."""
    unit = access_unit_by_id(request.auth, payload.unit_id, need=Action.EDIT) if payload.unit_id \
        else unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    batch = matching.batch_propose(actor=request.auth, unit=unit, today=timezone.localdate())
    return Status(201, batch_out(batch))


@router.get("/care/batches/{care_batch_id}", response={200: CareBatchOut, 404: ErrorOut})
def care_batch_get(request, care_batch_id: int):
    return batch_out(matching.access_batch_by_id(request.auth, care_batch_id))


@router.post("/care/batches/{care_batch_id}/decide", response={200: CareBatchDecidedOut, 404: ErrorOut,
                                                               409: ErrorOut})
def care_batch_decide(request, care_batch_id: int, payload: CareBatchDecideIn):
    """Approve (an offer is sent for each pair still possible) or discard; deciding twice is 409."""
    batch = matching.access_batch_by_id(request.auth, care_batch_id, need=Action.EDIT)
    result = matching.batch_decide(actor=request.auth, batch=batch, approve=payload.approve,
                                   today=timezone.localdate())
    return {**batch_out(matching.access_batch_by_id(request.auth, batch.pk)), **result}
