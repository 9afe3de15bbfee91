"""家庭 (households) of the registry: what parent–child reading and family education count, and what family awards
and care will build on. A family lives in one village (社区) of the cadre's scope; its members are women of the
registry (each at most once per family) or — men and children — a name, relation, sex and birth year only: the
registry never keeps a man's or a child's ID number, and nothing here accepts one. An adult woman joins by her
registry record (register her first), so her details live in one place.

Reads are scoped by the family's unit_path (core.policy); a family outside her scope is a 404 like one that does
not exist. Writes take the write path with their audit row; an edit carries the version it was made on.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.access import access_by_id
from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, OutOfScope, allows, scope_q
from fulian.core.tree import subtree_q
from fulian.core.writes import write_path
from fulian.orgs.models import Level, Unit

from .models import Family, FamilyMember, MemberSex, Relation, Woman
from .services import clean_name

ADULT_AGE = 18
MAX_MEMBERS = 30
SINGLE_RELATIONS = (Relation.HEAD,)  # a household has one 户主


# ---- reads -------------------------------------------------------------------------------------------------------

def access_family_by_id(user, family_id, *, need: str = Action.VIEW) -> Family:
    return access_by_id(user, Family, family_id, need=need, queryset=Family.objects.select_related("unit"))


def access_member_by_id(user, family: Family, member_id) -> FamilyMember:
    """A member of this family (the family's access already checked); 404 for another family's member."""
    try:
        member = family.members.filter(pk=int(member_id)).select_related("woman").first()
    except (TypeError, ValueError, OverflowError):
        member = None
    if member is None:
        raise Http404("member not found")
    return member


def families_for(user, *, q: str = "", unit: Unit | None = None):
    """Families of her subtree (optionally under one unit), by name or a member's name, newest first."""
    rows = Family.objects.filter(scope_q(user, field="unit_path")).select_related("unit")
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    q = " ".join((q or "").split())[:30]
    if q:
        rows = rows.filter(Q(name__contains=q) | Q(pk__in=FamilyMember.objects.filter(name__contains=q)
                                                    .values("family_id")))
    return rows.annotate(member_count=Count("members")).order_by("-id")


def members_of(family: Family):
    """Members in household order: 户主 first, then by birth year."""
    order = {value: n for n, value in enumerate(Relation.values)}
    members = list(family.members.select_related("woman"))
    members.sort(key=lambda m: (order.get(m.relation, 99), m.birth_year or 9999, m.pk))
    return members


def families_of_woman(user, woman: Woman):
    """The families she belongs to that the viewer may see."""
    return (Family.objects.filter(scope_q(user, field="unit_path"), members__woman=woman).select_related("unit")
            .distinct().order_by("-id"))


def families_to_join(user, woman: Woman, *, q: str = ""):
    """Families she may be added to: of her village (or a search by name within the viewer's scope), not hers."""
    rows = families_for(user, q=q) if q else families_for(user).filter(unit_path=woman.unit_path)
    return rows.exclude(members__woman=woman)


# ---- writes ------------------------------------------------------------------------------------------------------

def _clean_family(*, actor, unit: Unit, name, address, phone) -> dict:
    if unit is None:
        raise ValidationError(_("请选择家庭所在的村(社区)。"), code="family_unit_blank")
    if not allows(actor, Action.EDIT, unit.path):
        raise ValidationError(_("所在村(社区)不在您的工作范围内。"), code="family_unit_scope")
    if unit.level != Level.VILLAGE or not unit.is_geographic:
        raise ValidationError(_("“%(name)s”不是村(社区)；家庭登记到所在的村(社区)。") % {"name": unit.name},
                              code="family_unit_level")
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError(_("请填写家庭名称，如：张秀英家。"), code="family_name_blank")
    if len(name) > 60:
        raise ValidationError(_("家庭名称超过60个字。"), code="family_name_long")
    address = " ".join(str(address or "").split())
    if len(address) > 200:
        raise ValidationError(_("住址超过200个字。"), code="family_address_long")
    return {"unit": unit, "unit_path": unit.path, "name": name, "address": address,
            "phone": normalize_phone(phone)}


def _clean_member(*, actor, family: Family, woman: Woman | None, name, relation, sex, birth_year,
                  today: dt.date) -> dict:
    if relation not in Relation.values:
        raise ValidationError(_("请选择与户主的关系。"), code="member_relation")
    if relation in SINGLE_RELATIONS and family.members.filter(relation=relation).exists():
        raise ValidationError(_("这个家庭已经有户主了。"), code="member_head_twice")
    if family.members.count() >= MAX_MEMBERS:
        raise ValidationError(_("一个家庭最多%(n)d名成员。") % {"n": MAX_MEMBERS}, code="member_many")
    if woman is not None:
        if woman.merged_into_id or not allows(actor, Action.EDIT, woman.unit_path):
            raise ValidationError(_("只能添加您工作范围内的妇女。"), code="member_woman_scope")
        if family.members.filter(woman=woman).exists():
            raise ValidationError(_("%(name)s已经是这个家庭的成员了。") % {"name": woman.name}, code="member_twice")
        birth = woman.birth_date.year if woman.birth_date else None
        return {"woman": woman, "name": woman.name, "relation": relation, "sex": MemberSex.FEMALE,
                "birth_year": birth}
    name = clean_name(name)
    if sex not in MemberSex.values:
        raise ValidationError(_("请选择性别。"), code="member_sex")
    if not isinstance(birth_year, int) or isinstance(birth_year, bool):
        raise ValidationError(_("请填写出生年份。"), code="member_birth_year")
    if not 1900 <= birth_year <= today.year:
        raise ValidationError(_("出生年份须在1900年到今年之间。"), code="member_birth_year_range")
    if sex == MemberSex.FEMALE and today.year - birth_year >= ADULT_AGE:
        raise ValidationError(_("成年女性请先登记到妇女名册，再从名册加入家庭。"), code="member_adult_woman")
    return {"woman": None, "name": name, "relation": relation, "sex": sex, "birth_year": birth_year}


def family_create(*, actor, unit: Unit, name: str, address: str = "", phone: str = "", woman: Woman | None = None,
                  relation: str = Relation.HEAD, client_token: str | None = None, now=None) -> Family:
    """创建家庭 in a village of her scope; with `woman`, she is its first member (as `relation`, 户主 by default).
    The same client token twice creates one family."""
    now = now or timezone.now()
    if client_token:
        done = Family.objects.filter(client_token=client_token).first()
        if done is not None:
            return done
    values = _clean_family(actor=actor, unit=unit, name=name, address=address, phone=phone)
    try:
        with write_path():
            family = Family.objects.create(created_at=now, updated_at=now, created_by=actor,
                                           client_token=client_token or None, **values)
            audit_record(actor=actor, action="family.create", obj=family, changes={"unit": unit.code}, now=now)
            if woman is not None:
                member = _clean_member(actor=actor, family=family, woman=woman, name="", relation=relation, sex="",
                                       birth_year=None, today=timezone.localdate(now))
                FamilyMember.objects.create(family=family, **member)
    except IntegrityError:
        if client_token:
            done = Family.objects.filter(client_token=client_token).first()
            if done is not None:
                return done
        raise
    return family


def family_update(*, actor, family: Family, unit: Unit, name: str, address: str = "", phone: str = "",
                  version: int, now=None) -> Family:
    """Change a family's name, village, address or phone; a stale `version` is a Conflict."""
    now = now or timezone.now()
    if not allows(actor, Action.EDIT, family.unit_path):
        raise OutOfScope("family")
    values = _clean_family(actor=actor, unit=unit, name=name, address=address, phone=phone)
    with write_path():
        current = Family.objects.select_for_update().get(pk=family.pk)
        if current.version != version:
            raise Conflict(_("这个家庭的信息刚被其他人修改过，请刷新后再改。"), code="family_stale")
        changes = {k: [str(getattr(current, k)), str(v)] for k, v in values.items()
                   if k not in ("unit", "unit_path") and getattr(current, k) != v}
        if current.unit_id != unit.pk:
            changes["unit"] = [current.unit.code, unit.code]
        Family.objects.filter(pk=current.pk).update(version=current.version + 1, updated_at=now, **values)
        audit_record(actor=actor, action="family.update", obj=current, changes=changes, now=now)
    return Family.objects.select_related("unit").get(pk=family.pk)


def family_member_add(*, actor, family: Family, relation: str, woman: Woman | None = None, name: str = "",
                      sex: str = "", birth_year: int | None = None, today: dt.date | None = None) -> FamilyMember:
    """Add a registry woman (by her record), or a man or a child by name, sex and birth year."""
    today = today or timezone.localdate()
    if not allows(actor, Action.EDIT, family.unit_path):
        raise OutOfScope("family")
    try:
        with write_path():
            Family.objects.select_for_update().filter(pk=family.pk).first()  # one member writer per family
            values = _clean_member(actor=actor, family=family, woman=woman, name=name, relation=relation, sex=sex,
                                   birth_year=birth_year, today=today)
            member = FamilyMember.objects.create(family=family, **values)
            audit_record(actor=actor, action="family.member_add", obj=family,
                         changes={"member": member.pk, "woman": woman.pk if woman else None, "relation": relation})
    except IntegrityError:  # the same woman added at the same moment
        raise ValidationError(_("%(name)s已经是这个家庭的成员了。") % {"name": woman.name if woman else name},
                              code="member_twice") from None
    return member


def family_member_remove(*, actor, family: Family, member: FamilyMember) -> None:
    if not allows(actor, Action.EDIT, family.unit_path):
        raise OutOfScope("family")
    with write_path():
        gone, _rows = FamilyMember.objects.filter(pk=member.pk, family=family).delete()
        if gone:
            audit_record(actor=actor, action="family.member_remove", obj=family,
                         changes={"member": member.pk, "name": member.name, "woman": member.woman_id})


def family_members_merged(*, source: Woman, target: Woman) -> dict:
    """The hook "woman.merged": her places in families go to the surviving record; where both were members of one
    family, the duplicate's place is dropped (a registry woman is a member once)."""
    moved = dropped = 0
    for member in FamilyMember.objects.filter(woman=source):
        if FamilyMember.objects.filter(family_id=member.family_id, woman=target).exists():
            member.delete()
            dropped += 1
        else:
            FamilyMember.objects.filter(pk=member.pk).update(woman=target, name=target.name)
            moved += 1
    return {"family_members": moved, "family_members_dropped": dropped}
