"""Resources units and partners offer (jobs, course seats, micro-loans, donations, volunteer hours, charity) and the
provinces' cooperation agreements, for the app. The same services and reads as the pages (care.resources): a
resource is seen by its publisher's subtree, the province or the partner provinces, as its visibility says."""

from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.care import plans, resources
from fulian.care.models import PartnerAgreement, Resource, ResourceKind, ResourceState
from fulian.core.paging import count_capped
from fulian.core.policy import Action
from fulian.orgs.models import Unit
from fulian.orgs.selectors import access_unit_by_id, unit_home_for

from .pagination import CappedPagination
from .routers_care_registry import Dressed
from .schemas import ErrorOut
from .schemas_care import (
    CareAgreementIn,
    CareAgreementOut,
    CareResourceIn,
    CareResourceOut,
    CareResourceUpdateIn,
)

router = Router(tags=["care"])


def resource_out(r: Resource) -> dict:
    return {"id": r.pk, "unit_id": r.unit_id, "unit_name": r.unit.name, "kind": r.kind, "title": r.title,
            "description": r.description, "provider": r.provider, "provider_kind": r.provider_kind,
            "capacity": r.capacity, "remaining": r.remaining,
            "amount": float(r.amount) if r.amount is not None else None, "activity_id": r.activity_id,
            "groups": resources.groups_of(r.groups_mask), "skills": plans.skills_of(r.skills_mask),
            "age_min": r.age_min, "age_max": r.age_max, "place_unit_id": r.place_unit_id,
            "place_unit_name": r.place_unit.name, "address": r.address, "lat": r.lat, "lng": r.lng,
            "starts_on": r.starts_on, "ends_on": r.ends_on, "visibility": r.visibility, "state": r.state,
            "version": r.version, "created_at": r.created_at}


@router.get("/care/resources", response={200: list[CareResourceOut], 400: ErrorOut})
@paginate(CappedPagination)
def care_resources_list(request, kind: str = Query("", max_length=12), state: str = Query("open", max_length=8),
                        own: bool = False):
    """Resources you may offer (visible where you work) and those your subtree publishes, newest first; `own`:
    only the latter; `state`: open (default), closed, or empty for both."""
    if kind and kind not in ResourceKind.values:
        raise BadRequest("kind must be one of " + ", ".join(ResourceKind.values))
    if state and state not in ResourceState.values:
        raise BadRequest("state must be one of " + ", ".join(ResourceState.values))
    rows = resources.resources_for(request.auth, kind=kind, state=state, own=own)
    request.known_count = count_capped(rows)
    return Dressed(rows, resource_out)


@router.post("/care/resources", response={200: CareResourceOut, 201: CareResourceOut, 400: ErrorOut, 404: ErrorOut})
def care_resource_create(request, payload: CareResourceIn):
    """发布资源 from a unit of your scope (default yours). A course seat takes a course of the activities module
    (`activity_id`) and its places. The same `client_token` again answers 200 with the first."""
    unit = access_unit_by_id(request.auth, payload.unit_id, need=Action.EDIT) if payload.unit_id \
        else unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    place = access_unit_by_id(request.auth, payload.place_unit_id) if payload.place_unit_id else None
    existed = bool(payload.client_token) and Resource.objects.filter(client_token=payload.client_token).exists()
    resource = resources.resource_create(
        actor=request.auth, unit=unit, kind=payload.kind, title=payload.title, provider=payload.provider,
        provider_kind=payload.provider_kind, starts_on=payload.starts_on, ends_on=payload.ends_on,
        capacity=payload.capacity, visibility=payload.visibility, place_unit=place, lat=payload.lat,
        lng=payload.lng, age_min=payload.age_min, age_max=payload.age_max, groups=payload.groups,
        skills=payload.skills, amount=payload.amount, activity_id=payload.activity_id,
        description=payload.description, address=payload.address, client_token=payload.client_token)
    return Status(200 if existed else 201, resource_out(resources.access_resource_by_id(request.auth, resource.pk)))


@router.get("/care/resources/{care_resource_id}", response={200: CareResourceOut, 404: ErrorOut})
def care_resource_get(request, care_resource_id: int):
    return resource_out(resources.access_resource_by_id(request.auth, care_resource_id))


@router.put("/care/resources/{care_resource_id}", response={200: CareResourceOut, 400: ErrorOut, 404: ErrorOut,
                                                            409: ErrorOut})
def care_resource_update(request, care_resource_id: int, payload: CareResourceUpdateIn):
    """What may change once offers exist (the fields sent): title, text, end date, visibility, and the capacity
    (never below the places taken). 409 when `version` is no longer current."""
    resource = resources.access_resource_by_id(request.auth, care_resource_id, need=Action.EDIT)
    resource = resources.resource_update(
        actor=request.auth, resource=resource, version=payload.version, capacity=payload.capacity,
        title=payload.title, description=payload.description, ends_on=payload.ends_on,
        visibility=payload.visibility)
    return resource_out(resource)


@router.post("/care/resources/{care_resource_id}/close", response={200: CareResourceOut, 400: ErrorOut,
                                                                  404: ErrorOut, 409: ErrorOut})
def care_resource_close(request, care_resource_id: int):
    """关闭: nothing more is offered from it (offers sent stand); twice is 409."""
    resource = resources.access_resource_by_id(request.auth, care_resource_id, need=Action.EDIT)
    return resource_out(resources.resource_close(actor=request.auth, resource=resource))


def agreement_out(a: PartnerAgreement) -> dict:
    return {"id": a.pk, "name": a.name, "starts_on": a.starts_on, "ends_on": a.ends_on,
            "provinces": [{"id": p.pk, "name": p.name} for p in a.provinces.all()]}


@router.get("/care/agreements", response=list[CareAgreementOut])
def care_agreements_list(request):
    """The cooperation agreements (京津冀妇女发展协作) of your province, newest first."""
    return [agreement_out(a) for a in resources.agreements_for(request.auth)[:200]]


@router.post("/care/agreements", response={201: CareAgreementOut, 400: ErrorOut})
def care_agreement_create(request, payload: CareAgreementIn):
    """A cooperation agreement between provincial federations, entered by a leader of one of them: each one's
    resources marked "partners" are seen by the others while it runs."""
    provinces = list(Unit.objects.filter(pk__in=set(payload.province_ids)))
    if len(provinces) != len(set(payload.province_ids)):
        raise ValidationError(_("协作省份不正确。"))
    agreement = resources.agreement_create(actor=request.auth, name=payload.name, provinces=provinces,
                                           starts_on=payload.starts_on, ends_on=payload.ends_on,
                                           now=timezone.now())
    return Status(201, agreement_out(agreement))
