"""Writes to the federation tree. Each is atomic and writes its own audit row."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record, changed_fields
from fulian.core.pinyin import name_initials, name_pinyin
from fulian.core.policy import Action, allows
from fulian.core.tree import SEGMENT, segment

from .figures import conversions_counted, units_counted
from .models import Conversion, Kind, Level, SourceStatus, Unit


def _next_child_path(parent: Unit) -> str:
    last = (
        Unit.objects.filter(parent=parent)
        .annotate(seq=Substr("path", Length("path") - SEGMENT + 1, SEGMENT))
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )
    return parent.path + segment(int(last or 0) + 1)


def unit_create_organisation(*, actor, parent: Unit, name: str, kind: str = Kind.NEW_ORGANISATION) -> Unit:
    """Add a women's organisation (两新组织 or agency) under a county or township federation."""
    name = (name or "").strip()
    if actor is not None and not allows(actor, Action.EDIT, parent.path):
        raise PermissionError("may not edit this unit")
    if not parent.may_have_organisations:
        raise ValidationError(_("只有县级和乡镇(街道)妇联之下可以建立两新组织或机关妇女组织。"))
    if kind == Kind.GEOGRAPHIC or kind not in Kind.values:
        raise ValidationError(_("请选择组织类别。"))
    if not name:
        raise ValidationError(_("请填写组织名称。"))
    with transaction.atomic():
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        if Unit.objects.filter(parent=parent, name=name).exists():
            raise ValidationError(_("“%(name)s”下已有同名组织。") % {"name": parent.name})
        path = _next_child_path(parent)
        unit = Unit.objects.create(
            code=f"{parent.code}-{path[-SEGMENT:]}",
            name=name,
            level=min(parent.level + 1, Level.VILLAGE),
            kind=kind,
            parent=parent,
            path=path,
            name_initials=name_initials(name)[:60],
            name_pinyin=name_pinyin(name)[:200],
            source_status=SourceStatus.LOCAL,
        )
        units_counted([(unit.path, unit.kind, unit.level, unit.conversion)])
        audit_record(actor=actor, action="unit.create", obj=unit,
                     changes={"parent": parent.code, "name": name, "kind": kind})
    return unit


def unit_set_conversion(*, actor, unit: Unit, conversion: str) -> Unit:
    """Record a village women's congress converted into a federation (or the reverse, to correct a mistake)."""
    if actor is not None and not allows(actor, Action.EDIT, unit.path):
        raise PermissionError("may not edit this unit")
    if unit.level != Level.VILLAGE or not unit.is_geographic:
        raise ValidationError(_("只有村(社区)一级有妇代会改建妇联的状态。"))
    if conversion not in (Conversion.CONGRESS, Conversion.FEDERATION):
        raise ValidationError(_("改建状态不正确。"))
    with transaction.atomic():
        changes = changed_fields(unit, {"conversion": conversion})
        if changes:
            Unit.objects.filter(pk=unit.pk).update(conversion=conversion, updated_at=timezone.now())
            conversions_counted([unit], 1 if conversion == Conversion.FEDERATION else -1)
            unit.conversion = conversion
            audit_record(actor=actor, action="unit.set_conversion", obj=unit, changes=changes)
    return unit
