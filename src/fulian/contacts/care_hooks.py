"""What the contact network answers for care and matching (a sibling app, reached through core.hooks only)."""

import datetime as dt

from django.http import Http404

from fulian.core.policy import Action

from .models import Assignment, Need
from .selectors import access_need_by_id, contact_logs_for
from .services import need_resolve


def need_for_care(*, user, need_id) -> dict | None:
    """The hook "need.for_care": a need she may edit, as facts (None if not hers to act on)."""
    try:
        need = access_need_by_id(user, need_id, need=Action.EDIT)
    except (Http404, ValueError, TypeError):
        return None
    return {"id": need.pk, "woman_id": need.woman_id, "unit_path": need.unit_path, "category": need.category,
            "description": need.description, "status": need.status}


def need_met(*, actor, need_id, today: dt.date, resolution: str) -> bool:
    """The hook "need.met": a goal that came from this need was met — the need closes with it (once)."""
    need = Need.objects.filter(pk=need_id, status="open").first()
    if need is None:
        return False
    need_resolve(actor=actor, need=need, resolution=resolution, today=today)
    return True


def family_carers(*, woman_ids) -> set:
    """The hook "family.carers": cadres linked now to any of these women (they care for her family)."""
    return set(Assignment.objects.filter(woman_id__in=list(woman_ids), ended_on__isnull=True)
               .values_list("cadre_id", flat=True))


def visits_for_care(*, user, woman_ids, since: dt.date) -> list[dict]:
    """The hook "care.visits": her contact logs since a plan opened, as the plan's visits (within the reader's
    scope)."""
    logs = contact_logs_for(user).filter(woman_id__in=list(woman_ids), contacted_on__gte=since)[:100]
    return [{"id": log.pk, "contacted_on": log.contacted_on, "cadre": log.cadre.get_full_name() or log.cadre.username,
             "channel": log.get_channel_display(), "views": log.views, "help_given": log.help_given,
             "woman_id": log.woman_id} for log in logs]



