"""The care registry for the app: women in care groups (with dates in and out, and counts per group on any day),
children of the registry's families — need-to-know, every read logged — and the care figures. The same services and
reads as the pages (care.registry, core.figures)."""

import datetime as dt

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.pagination import paginate

from fulian.care import registry
from fulian.care.models import CareGroup, CareMembership, Child, ChildSituation
from fulian.core.figures import figure_get, figure_values, figures_defined
from fulian.core.paging import count_capped
from fulian.core.policy import Action
from fulian.orgs.selectors import access_unit_by_id, unit_home_for
from fulian.people.families import access_family_by_id
from fulian.people.selectors import access_woman_by_id

from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_care import (
    CareChildEndIn,
    CareChildIn,
    CareChildOut,
    CareChildUpdateIn,
    CareCountsOut,
    CareFiguresOut,
    CareMembershipEndIn,
    CareMembershipIn,
    CareMembershipOut,
)

router = Router(tags=["care"])
CHILD_PURPOSE = "api"
FIGURE_MONTHS = 120  # a figure request spans at most ten years


def unit_or_home(request, unit_id: int | None):
    """The unit asked for (in her scope, else 404) or her own."""
    unit = access_unit_by_id(request.auth, unit_id) if unit_id is not None else unit_home_for(request.auth)
    if unit is None:
        raise Http404("unit")
    return unit


def membership_out(m: CareMembership) -> dict:
    return {"id": m.pk, "woman_id": m.woman_id, "woman_name": m.woman.name, "unit_name": m.woman.home_unit.name,
            "group": m.group, "group_label": str(m.get_group_display()), "low_income_kind": m.low_income_kind,
            "disability_grade": m.disability_grade, "note": m.note, "start_on": m.start_on, "end_on": m.end_on,
            "end_reason": m.end_reason, "created_at": m.created_at}


class Dressed:
    """A queryset (or list) whose slices come out as the schema's dicts; `seen` is told of each slice shown."""

    def __init__(self, rows, out, seen=None):
        self.rows, self.out, self.seen = rows, out, seen

    def __getitem__(self, item):
        rows = list(self.rows[item])
        if self.seen is not None:
            self.seen(rows)
        return [self.out(r) for r in rows]


@router.get("/care/memberships", response={200: list[CareMembershipOut], 400: ErrorOut, 404: ErrorOut})
@paginate(CappedPagination)
def care_memberships_list(request, group: str = Query("", max_length=14), on: dt.date | None = None,
                          unit_id: int | None = None):
    """Care-group memberships of your scope (or under `unit_id`), newest first; `on`: only those in their group on
    that day; `group`: one group."""
    if group and group not in CareGroup.values:
        raise BadRequest("group must be one of " + ", ".join(CareGroup.values))
    unit = access_unit_by_id(request.auth, unit_id) if unit_id is not None else None
    rows = registry.memberships_for(request.auth, group=group, on=on, under=unit.path if unit else None)
    request.known_count = count_capped(rows)
    return Dressed(rows.select_related("woman__home_unit"), membership_out)


@router.get("/care/memberships/counts", response={200: CareCountsOut, 400: ErrorOut, 404: ErrorOut})
def care_group_counts(request, on: dt.date | None = None, unit_id: int | None = None):
    """Women in each care group on `on` (default today) under `unit_id` (default your unit), from the records."""
    unit = unit_or_home(request, unit_id)
    on = on or timezone.localdate()
    counts = registry.group_counts(unit.path, on)
    return {"unit_id": unit.pk, "unit_name": unit.name, "on": on, "women": counts["women"],
            "groups": [{"group": g, "label": str(label), "women": counts[g]} for g, label in CareGroup.choices]}


@router.post("/care/memberships", response={200: CareMembershipOut, 201: CareMembershipOut, 400: ErrorOut,
                                            404: ErrorOut, 409: ErrorOut})
def care_membership_create(request, payload: CareMembershipIn):
    """纳入关爱: she is in `group` from `start_on`. A second open membership of the group is 409; the same
    `client_token` again answers 200 with the first."""
    woman = access_woman_by_id(request.auth, payload.woman_id, need=Action.EDIT)
    existed = bool(payload.client_token) and CareMembership.objects.filter(client_token=payload.client_token).exists()
    made = registry.membership_add(
        actor=request.auth, woman=woman, group=payload.group, start_on=payload.start_on,
        today=timezone.localdate(), low_income_kind=payload.low_income_kind,
        disability_grade=payload.disability_grade, note=payload.note, client_token=payload.client_token)
    return Status(200 if existed else 201, membership_out(registry.access_membership_by_id(request.auth, made.pk)))


@router.get("/care/memberships/{care_membership_id}", response={200: CareMembershipOut, 404: ErrorOut})
def care_membership_get(request, care_membership_id: int):
    return membership_out(registry.access_membership_by_id(request.auth, care_membership_id))


@router.post("/care/memberships/{care_membership_id}/end",
             response={200: CareMembershipOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def care_membership_end(request, care_membership_id: int, payload: CareMembershipEndIn):
    """退出: she leaves the group on `end_on` (exclusive); ending it twice is 409."""
    membership = registry.access_membership_by_id(request.auth, care_membership_id, need=Action.EDIT)
    registry.membership_end(actor=request.auth, membership=membership, end_on=payload.end_on,
                            reason=payload.reason, today=timezone.localdate())
    return membership_out(registry.access_membership_by_id(request.auth, membership.pk))


# --- children: need-to-know, every read in the read log ---------------------------------------------------------

def child_out(c: Child) -> dict:
    return {"id": c.pk, "family_id": c.family_id, "family_name": c.family.name, "name": c.name, "sex": c.sex,
            "birth_date": c.birth_date, "school": c.school, "situation": c.situation,
            "situation_note": c.situation_note, "guardian_id": c.guardian_id, "guardian_name": c.guardian_name,
            "guardian_relation": c.guardian_relation, "guardian_phone": c.guardian_phone,
            "consent_by": c.consent_by, "consent_on": c.consent_on, "consent_note": c.consent_note,
            "ended_on": c.ended_on, "version": c.version, "created_at": c.created_at}


@router.get("/care/children", response={200: list[CareChildOut], 400: ErrorOut, 404: ErrorOut})
@paginate(CappedPagination)
def care_children_list(request, family_id: int | None = None, situation: str = Query("", max_length=12)):
    """Children of the families you care for (or, as a chair or vice-chair, of your unit and below); others see
    none. Each child returned is written to the read log."""
    if situation and situation not in ChildSituation.values:
        raise BadRequest("situation must be one of " + ", ".join(ChildSituation.values))
    family = access_family_by_id(request.auth, family_id) if family_id is not None else None
    rows = registry.children_for(request.auth, family=family, situation=situation)
    request.known_count = (len(rows), False)

    def seen(shown):
        registry.children_read(request.auth, shown, purpose=CHILD_PURPOSE)

    return Dressed(rows, child_out, seen)


@router.post("/care/children", response={200: CareChildOut, 201: CareChildOut, 400: ErrorOut, 404: ErrorOut})
def care_child_create(request, payload: CareChildIn):
    """Register a child under a family of your scope, with the guardian's consent (who and when) — without it
    nothing is kept. The same `client_token` again answers 200 with the first."""
    family = access_family_by_id(request.auth, payload.family_id, need=Action.EDIT)
    guardian = access_woman_by_id(request.auth, payload.guardian_id) if payload.guardian_id else None
    existed = bool(payload.client_token) and Child.objects.filter(client_token=payload.client_token).exists()
    values = payload.dict(exclude={"family_id", "guardian_id", "client_token"})
    child = registry.child_create(actor=request.auth, family=family, guardian=guardian, today=timezone.localdate(),
                                  client_token=payload.client_token, **values)
    return Status(200 if existed else 201, child_out(registry.access_child_by_id(request.auth, child.pk,
                                                                                 purpose=CHILD_PURPOSE)))


@router.get("/care/children/{care_child_id}", response={200: CareChildOut, 404: ErrorOut})
def care_child_get(request, care_child_id: int):
    """One child, if you have need-to-know (else 404, as for none); the read is logged."""
    return child_out(registry.access_child_by_id(request.auth, care_child_id, purpose=CHILD_PURPOSE))


@router.put("/care/children/{care_child_id}", response={200: CareChildOut, 400: ErrorOut, 404: ErrorOut,
                                                        409: ErrorOut})
def care_child_update(request, care_child_id: int, payload: CareChildUpdateIn):
    """Change the fields sent (the others stay); 409 when `version` is no longer current."""
    child = registry.access_child_by_id(request.auth, care_child_id, purpose=CHILD_PURPOSE)
    fields = payload.dict(exclude_unset=True, exclude={"version", "guardian_id"})
    fields = {k: v for k, v in fields.items() if v is not None}
    if "guardian_id" in payload.model_fields_set:
        fields["guardian"] = (access_woman_by_id(request.auth, payload.guardian_id) if payload.guardian_id
                              else None)
    child = registry.child_update(actor=request.auth, child=child, version=payload.version,
                                  today=timezone.localdate(), **fields)
    return child_out(child)


@router.post("/care/children/{care_child_id}/end", response={200: CareChildOut, 400: ErrorOut, 404: ErrorOut,
                                                             409: ErrorOut})
def care_child_end(request, care_child_id: int, payload: CareChildEndIn):
    """不再关爱 from `ended_on` (the record stays); twice is 409."""
    child = registry.access_child_by_id(request.auth, care_child_id, purpose=CHILD_PURPOSE)
    return child_out(registry.child_end(actor=request.auth, child=child, ended_on=payload.ended_on,
                                        today=timezone.localdate()))


# --- figures ----------------------------------------------------------------------------------------------------

def _month(value: int, name: str) -> int:
    if not (200001 <= value <= 299912) or value % 100 not in range(1, 13):
        raise BadRequest(f"{name} must be a month as YYYYMM from 200001")
    return value


def care_figure_keys() -> list[str]:
    keys = [f.key for f in figures_defined() if f.key.startswith("care_")]
    if "care_benefit" in keys and figure_get("rate_benefit") is not None:
        keys.insert(keys.index("care_benefit") + 1, "rate_benefit")
    return keys


@router.get("/care/figures", response={200: CareFiguresOut, 400: ErrorOut, 404: ErrorOut})
def care_figures(request, start: int, end: int, unit_id: int | None = None):
    """The care figures of a unit's subtree (default yours) over the months `start`..`end` (YYYYMM, ten years at
    most): stocks at the end, flows summed; 受益率 from the records (care_benefit) beside the survey's
    (rate_benefit)."""
    start, end = _month(start, "start"), _month(end, "end")
    if start > end:
        raise BadRequest("start is after end")
    if (end // 100 - start // 100) * 12 + end % 100 - start % 100 >= FIGURE_MONTHS:
        raise BadRequest(f"at most {FIGURE_MONTHS} months")
    unit = unit_or_home(request, unit_id)
    keys = care_figure_keys()
    values = figure_values([unit.pk], keys, start=start, end=end).get(unit.pk, {})
    return {"unit_id": unit.pk, "unit_name": unit.name, "start": start, "end": end,
            "figures": [{"key": k, "label": str(figure_get(k).label), "value": values.get(k)} for k in keys]}
