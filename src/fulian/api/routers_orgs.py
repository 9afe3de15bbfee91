from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.core.policy import Action
from fulian.orgs import selectors, services

from .pagination import CappedPagination
from .schemas import ConversionIn, ErrorOut, OrganisationIn, UnitChildOut, UnitDetailOut, UnitOut

router = Router(tags=["units"])


@router.get("/units", response=list[UnitOut])
@paginate(CappedPagination)
def units_list(request, q: str = "", under: int | None = None, level: int | None = Query(None, ge=1, le=5)):
    """Units in your scope; `q` matches a code prefix, pinyin initials/syllables or part of the name."""
    under_unit = selectors.access_unit_by_id(request.auth, under) if under else None
    request.known_count = selectors.units_count(request.auth, q=q, under=under_unit, level=level)
    return selectors.units_for(request.auth, q=q, under=under_unit, level=level)


@router.get("/units/{unit_id}", response={200: UnitDetailOut, 404: ErrorOut})
def unit_get(request, unit_id: int):
    unit = selectors.access_unit_by_id(request.auth, unit_id)
    unit.ancestors = selectors.unit_ancestors(unit)
    unit.summary = selectors.unit_summary(unit)
    for row in unit.summary["levels"]:
        row["label"] = str(row["label"])
    return unit


@router.get("/units/{unit_id}/children", response={200: list[UnitChildOut], 404: ErrorOut})
def unit_children(request, unit_id: int):
    unit = selectors.access_unit_by_id(request.auth, unit_id)
    return selectors.unit_children_with_counts(unit)


@router.post("/units/{unit_id}/organisations", response={201: UnitOut, 400: ErrorOut, 404: ErrorOut})
def organisation_create(request, unit_id: int, payload: OrganisationIn):
    """Add a women's organisation of a new economic/social organisation under a county or township."""
    parent = selectors.access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    unit = services.unit_create_organisation(actor=request.auth, parent=parent, name=payload.name,
                                             kind=payload.kind)
    return Status(201, unit)


@router.put("/units/{unit_id}/conversion", response={200: UnitOut, 400: ErrorOut, 404: ErrorOut})
def unit_conversion_set(request, unit_id: int, payload: ConversionIn):
    unit = selectors.access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return services.unit_set_conversion(actor=request.auth, unit=unit, conversion=payload.conversion)
