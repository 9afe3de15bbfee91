from decimal import Decimal

from ninja import Field, Query, Router, Schema, Status

from fulian.core.policy import Action
from fulian.orgs import homes
from fulian.orgs.selectors import access_unit_by_id

from .schemas import ErrorOut

router = Router(tags=["homes"])
public_router = Router(tags=["public"])


class HomeIn(Schema):
    name: str
    address: str
    latitude: Decimal | None = Field(None, ge=-90, le=90)
    longitude: Decimal | None = Field(None, ge=-180, le=180)
    opening_hours: str = ""
    facilities: str = ""
    phone: str = ""


class HomeOut(Schema):
    id: int
    unit_id: int
    name: str
    address: str
    latitude: float | None
    longitude: float | None
    opening_hours: str
    facilities: str
    phone: str


class NearestOut(HomeOut):
    distance_km: float


@router.get("/homes", response=list[HomeOut])
def homes_list(request):
    return list(homes.homes_for(request.auth)[:1000])


@router.post("/units/{unit_id}/homes", response={201: HomeOut, 400: ErrorOut, 404: ErrorOut})
def home_create(request, unit_id: int, payload: HomeIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, homes.home_save(actor=request.auth, unit=unit, **payload.dict()))


@public_router.get("/public/homes/nearest", response=list[NearestOut], auth=None)
def public_homes_nearest(
    request,
    lat: float = Query(..., ge=-90, le=90),
    lng: float = Query(..., ge=-180, le=180),
    limit: int = Query(10, ge=1, le=50),
):
    """For the app and mini-program: the open Women's Homes nearest to a point, nearest first."""
    return homes.homes_nearest(latitude=lat, longitude=lng, limit=limit)
