"""Families (家庭) of the registry: list, create, read, edit, members in and out — the same access function and
services as the pages (people.families). Reused by family awards and care."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id, unit_by_code_for
from fulian.people import families
from fulian.people.models import Family
from fulian.people.selectors import access_woman_by_id

from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_families import FamilyIn, FamilyMemberIn, FamilyMemberOut, FamilyOut, FamilyUpdateIn

router = Router(tags=["families"])


def _unit(request, code: str):
    unit = unit_by_code_for(request.auth, code, need=Action.EDIT)
    if unit is None:
        raise ValidationError(_("没有代码为%(code)s的村(社区)，或不在您的工作范围内。") % {"code": code[:24]})
    return unit


@router.get("/families", response=list[FamilyOut])
@paginate(CappedPagination)
def families_list(request, q: str = "", unit_id: int | None = None):
    """Families of your subtree (or under `unit_id`), newest first; `q`: part of the family's or a member's name."""
    unit = access_unit_by_id(request.auth, unit_id) if unit_id is not None else None
    return families.families_for(request.auth, q=q[:30], unit=unit).prefetch_related("members")


@router.post("/families", response={200: FamilyOut, 201: FamilyOut, 400: ErrorOut, 404: ErrorOut})
def family_create(request, payload: FamilyIn):
    """创建家庭 in a village of your scope; with `woman_id` she is its first member. The same `client_token` again
    returns the first family (200)."""
    woman = access_woman_by_id(request.auth, payload.woman_id, need=Action.EDIT) if payload.woman_id else None
    existed = bool(payload.client_token) and Family.objects.filter(
        client_token=payload.client_token).exists()
    family = families.family_create(actor=request.auth, unit=_unit(request, payload.unit_code), name=payload.name,
                                    address=payload.address, phone=payload.phone, woman=woman,
                                    relation=payload.relation, client_token=payload.client_token)
    return Status(200 if existed else 201, families.access_family_by_id(request.auth, family.pk))


@router.get("/families/{family_id}", response={200: FamilyOut, 404: ErrorOut})
def family_get(request, family_id: int):
    return families.access_family_by_id(request.auth, family_id)


@router.put("/families/{family_id}", response={200: FamilyOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def family_update(request, family_id: int, payload: FamilyUpdateIn):
    family = families.access_family_by_id(request.auth, family_id, need=Action.EDIT)
    return families.family_update(actor=request.auth, family=family, unit=_unit(request, payload.unit_code),
                                  name=payload.name, address=payload.address, phone=payload.phone,
                                  version=payload.version)


@router.post("/families/{family_id}/members", response={201: FamilyMemberOut, 400: ErrorOut, 404: ErrorOut})
def family_member_add(request, family_id: int, payload: FamilyMemberIn):
    """A registry woman (`woman_id`, at most once per family), or a man or a child by name, sex and birth year (an
    adult woman joins by her registry record)."""
    family = families.access_family_by_id(request.auth, family_id, need=Action.EDIT)
    woman = access_woman_by_id(request.auth, payload.woman_id, need=Action.EDIT) if payload.woman_id else None
    if woman is not None and (payload.name or payload.sex or payload.birth_year):
        raise ValidationError(_("名册中的妇女只需给出woman_id，姓名、性别和出生年份取自名册。"))
    member = families.family_member_add(actor=request.auth, family=family, relation=payload.relation, woman=woman,
                                        name=payload.name, sex=payload.sex, birth_year=payload.birth_year)
    return Status(201, member)


@router.delete("/families/{family_id}/members/{member_id}", response={204: None, 404: ErrorOut})
def family_member_remove(request, family_id: int, member_id: int):
    family = families.access_family_by_id(request.auth, family_id, need=Action.EDIT)
    member = families.access_member_by_id(request.auth, family, member_id)
    families.family_member_remove(actor=request.auth, family=family, member=member)
    return Status(204, None)


@router.get("/women/{woman_id}/families", response={200: list[FamilyOut], 404: ErrorOut})
def woman_families_list(request, woman_id: int):
    """The families she belongs to (in your scope)."""
    woman = access_woman_by_id(request.auth, woman_id)
    return list(families.families_of_woman(request.auth, woman).prefetch_related("members")[:50])
