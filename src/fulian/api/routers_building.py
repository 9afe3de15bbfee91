import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from fulian.accounts.selectors import access_cadre_by_id
from fulian.core.access import access_by_id
from fulian.core.certificates import certificate_by_code, certificate_code, masked_holder
from fulian.core.policy import Action
from fulian.orgs import building
from fulian.orgs.models import (
    Body,
    BodyKind,
    Election,
    MediaAccount,
    MemberRole,
    PostKind,
    SocialOrganisation,
    StaffMember,
    Volunteer,
)
from fulian.orgs.selectors import access_unit_by_id

from .pagination import CappedPagination
from .schemas import ErrorOut, enum_of

router = Router(tags=["building"])
public_router = Router(tags=["public"])


class Created(Schema):
    id: int
    warning: str | None = None


class BodyIn(Schema):
    kind: enum_of(BodyKind)
    term_start: dt.date
    term_end: dt.date


class MemberIn(Schema):
    name: str
    role: enum_of(MemberRole)
    is_grassroots: bool = False
    ethnicity: str = ""
    sector: str = ""
    birth_year: int | None = Field(None, ge=1900, le=2100)


class DateIn(Schema):
    date: dt.date


class PostIn(Schema):
    quota: int = Field(ge=0, le=100000)


class PostOut(Schema):
    id: int
    warning: str | None = None
    quota: int
    filled: int = Field(description="read-only: the unit's roster members of this kind in post today (a typed "
                                    "`filled` in the request is ignored)")


class StaffIn(Schema):
    name: str = Field(max_length=30)
    kind: enum_of(PostKind)
    post: str = Field("", max_length=40, description="职务")
    starts_on: dt.date
    ends_on: dt.date | None = Field(None, description="the day she leaves (exclusive); required for 挂职 (seconded)")
    seconded_from: str = Field("", max_length=100)
    phone: str = ""
    account_id: int | None = Field(None, description="her cadre account, of the unit")


class StaffOut(Schema):
    id: int
    unit_id: int
    unit_name: str = Field(validation_alias="unit.name")
    name: str
    account_id: int | None
    kind: enum_of(PostKind)
    post: str
    starts_on: dt.date
    ends_on: dt.date | None
    seconded_from: str
    phone: str


class StaffEndIn(Schema):
    ends_on: dt.date


class VolunteerIn(Schema):
    name: str
    phone: str = ""
    skills: str = ""
    team: str = ""


class HoursIn(Schema):
    served_on: dt.date
    hours: Decimal = Field(description="more than 0, at most 24")
    activity: str = ""


class SocialOrgIn(Schema):
    name: str
    category: enum_of(SocialOrganisation.Category)
    contact: str = ""
    support: str = ""


class MediaIn(Schema):
    platform: enum_of(MediaAccount.Platform)
    name: str
    url: str = ""


class FollowersIn(Schema):
    counted_on: dt.date
    followers: int = Field(ge=0)


class ChildElectionsOut(Schema):
    unit_id: int
    name: str
    townships: int
    held: int = Field(description="townships that held their election within the term")
    rate: float | None


class LeadersOut(Schema):
    level: int
    label: str
    chairs: int
    vice_chairs: int
    members: int


class PeopleOut(Schema):
    total: int
    grassroots: int
    minority: int
    young: int = Field(description="under 40")
    older: int = Field(description="60 and over")


class PostsOut(Schema):
    kind: enum_of(PostKind)
    label: str
    quota: int
    filled: int


class PostsByLevelOut(Schema):
    level: int
    label: str
    quota: int
    filled: int


class SectorOut(Schema):
    sector: str
    n: int


class SocialOrgsOut(Schema):
    category: enum_of(SocialOrganisation.Category)
    label: str
    n: int


class MediaOut(Schema):
    platform: enum_of(MediaAccount.Platform)
    label: str
    accounts: int
    followers: int | None = Field(description="the latest count of each account, summed")


class BuildingOut(Schema):
    townships: int
    held: int
    election_rate: float | None
    children: list[ChildElectionsOut]
    levels: list[LeadersOut] = Field(description="leaders of the current bodies by level")
    people: PeopleOut
    posts: list[PostsOut]
    posts_by_level: list[PostsByLevelOut]
    sectors: list[SectorOut]
    overruns: int = Field(description="units with more posts filled than their quota")
    volunteers: int
    hours: float
    social_orgs: list[SocialOrgsOut]
    media: list[MediaOut]
    last_count: dt.date | None


def _own(model, request, object_id):
    return access_by_id(request.auth, model, object_id, need=Action.EDIT)


@router.get("/units/{unit_id}/building", response={200: BuildingOut, 404: ErrorOut})
def unit_building(request, unit_id: int):
    """Election completion per child, leaders by level, representativeness, staffing, volunteers, media."""
    unit = access_unit_by_id(request.auth, unit_id)
    summary = building.building_summary(unit, today=timezone.localdate())
    summary["children"] = [
        {
            "unit_id": r["unit"].pk,
            "name": r["unit"].name,
            "townships": r["townships"],
            "held": r["held"],
            "rate": r["rate"],
        }
        for r in summary["children"]
    ]
    summary["levels"] = [{**r, "level": int(r["level"]), "label": str(r["label"])} for r in summary["levels"]]
    summary["posts_by_level"] = [{"level": r["unit__level"], "label": str(r["label"]), "quota": r["quota"],
                                  "filled": r["filled"]} for r in summary["posts_by_level"]]
    for key in ("posts", "media", "social_orgs"):
        summary[key] = [{k: (str(v) if k == "label" else v) for k, v in row.items()} for row in summary[key]]
    return summary


@router.post("/units/{unit_id}/bodies", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def body_create(request, unit_id: int, payload: BodyIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, {"id": building.body_create(actor=request.auth, unit=unit, **payload.dict()).pk})


@router.post("/bodies/{body_id}/members", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def body_member_add(request, body_id: int, payload: MemberIn):
    body = _own(Body, request, body_id)
    return Status(201, {"id": building.member_add(actor=request.auth, body=body, **payload.dict()).pk})


@router.post("/units/{unit_id}/elections", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def election_plan(request, unit_id: int, payload: DateIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, {"id": building.election_plan(actor=request.auth, unit=unit, planned_on=payload.date).pk})


@router.post("/elections/{election_id}/held", response={200: Created, 400: ErrorOut, 404: ErrorOut})
def election_hold(request, election_id: int, payload: DateIn):
    election = _own(Election, request, election_id)
    building.election_hold(actor=request.auth, election=election, held_on=payload.date, today=timezone.localdate())
    return {"id": election.pk}


@router.put("/units/{unit_id}/posts/{kind}", response={200: PostOut, 400: ErrorOut, 404: ErrorOut})
def post_set(request, unit_id: int, kind: enum_of(PostKind), payload: PostIn):
    """The quota (编制) of one kind; `filled` comes back counted from the named roster; warns on overrun."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    post, warning = building.post_set(actor=request.auth, unit=unit, kind=kind, quota=payload.quota,
                                      today=timezone.localdate())
    return {"id": post.pk, "warning": warning, "quota": post.quota, "filled": post.filled}


@router.get("/units/{unit_id}/staff", response={200: list[StaffOut], 404: ErrorOut})
@paginate(CappedPagination)
def staff_list(request, unit_id: int, current: bool = True, kind: enum_of(PostKind, blank=True) = ""):
    """人员花名册 of the unit's subtree: in post today (`current`, the default) or everyone ever listed."""
    unit = access_unit_by_id(request.auth, unit_id)
    return building.staff_for(request.auth, unit=unit, today=timezone.localdate() if current else None, kind=kind)


@router.post("/units/{unit_id}/staff", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def staff_add(request, unit_id: int, payload: StaffIn):
    """A cadre joins the unit's named roster; `warning` when her kind is now over its quota."""
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    data = payload.dict()
    account_id = data.pop("account_id")
    account = None
    if account_id is not None:
        account = access_cadre_by_id(request.auth, account_id)
        if account.unit_id != unit.pk:
            raise ValidationError(_("干部账号不属于这个组织。"))
    member, warning = building.staff_add(actor=request.auth, unit=unit, account=account,
                                         today=timezone.localdate(), **data)
    return Status(201, {"id": member.pk, "warning": warning})


@router.post("/staff/{staff_member_id}/end", response={200: StaffOut, 400: ErrorOut, 404: ErrorOut})
def staff_end(request, staff_member_id: int, payload: StaffEndIn):
    """离岗: from `ends_on` she no longer counts in the staffing."""
    member = access_by_id(request.auth, StaffMember, staff_member_id, need=Action.EDIT,
                          queryset=StaffMember.objects.select_related("unit"))
    return building.staff_end(actor=request.auth, member=member, ends_on=payload.ends_on)


@router.post("/units/{unit_id}/volunteers", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def volunteer_add(request, unit_id: int, payload: VolunteerIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, {"id": building.volunteer_add(actor=request.auth, unit=unit, **payload.dict()).pk})


class CertificateOut(Schema):
    number: str
    code: str = Field(description="the verification code printed on the certificate")
    verify_url: str
    holder: str = Field(description="masked on the public check")
    title: str
    unit_name: str
    issued_at: dt.datetime
    is_valid: bool


def _certificate_out(request, certificate, *, holder: str) -> dict:
    code = certificate_code(certificate)
    return {"number": certificate.number, "code": code, "verify_url": request.build_absolute_uri(f"/verify/{code}/"),
            "holder": holder, "title": certificate.title, "unit_name": certificate.unit_name,
            "issued_at": certificate.issued_at, "is_valid": certificate.revoked_at is None}


@router.post("/volunteers/{volunteer_id}/certificate", response={200: CertificateOut, 404: ErrorOut})
def volunteer_certificate_issue(request, volunteer_id: int):
    """Issue (or fetch again) the numbered certificate of her registered hours, with its public check link."""
    volunteer = _own(Volunteer, request, volunteer_id)
    certificate = building.volunteer_certificate_issue(actor=request.auth, volunteer=volunteer)
    return _certificate_out(request, certificate, holder=certificate.holder)


@public_router.get("/public/certificates/{code}", response={200: CertificateOut, 404: ErrorOut}, auth=None)
def public_certificate_check(request, code: str):
    """Anyone checks a certificate by the code printed on it (the holder's name comes back masked)."""
    certificate = certificate_by_code(code)
    if certificate is None:
        raise Http404("certificate")
    return _certificate_out(request, certificate, holder=masked_holder(certificate.holder))


@router.post("/volunteers/{volunteer_id}/hours", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def volunteer_hours_add(request, volunteer_id: int, payload: HoursIn):
    volunteer = _own(Volunteer, request, volunteer_id)
    record = building.service_record_add(
        actor=request.auth, volunteer=volunteer, today=timezone.localdate(), **payload.dict()
    )
    return Status(201, {"id": record.pk})


@router.post("/units/{unit_id}/social-orgs", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def social_org_add(request, unit_id: int, payload: SocialOrgIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, {"id": building.social_org_add(actor=request.auth, unit=unit, **payload.dict()).pk})


@router.post("/units/{unit_id}/media", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def media_account_add(request, unit_id: int, payload: MediaIn):
    unit = access_unit_by_id(request.auth, unit_id, need=Action.EDIT)
    return Status(201, {"id": building.media_account_add(actor=request.auth, unit=unit, **payload.dict()).pk})


@router.post("/media/{account_id}/followers", response={201: Created, 400: ErrorOut, 404: ErrorOut})
def media_followers_record(request, account_id: int, payload: FollowersIn):
    account = _own(MediaAccount, request, account_id)
    count = building.follower_count_record(actor=request.auth, account=account, **payload.dict())
    return Status(201, {"id": count.pk})
