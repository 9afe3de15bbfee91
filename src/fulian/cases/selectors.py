"""Reads of the service network. Lists show no contact details; opening a case is need-to-know and logged."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from fulian.core.access import access_by_id
from fulian.core.audit import read_record
from fulian.core.policy import Action, leader_scope_q
from fulian.core.tree import ancestor_paths, subtree_q

from .models import Case, CaseKind, CaseStatus, Partner, Referral, Urgency
from .services import may_handle, normalize_tracking, unseal


def cases_for(user, *, status: str = "", unit=None):
    """Cases she may open: those she handles, and — for chairs and vice-chairs — every case of her subtree."""
    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    if getattr(user, "unit", None) is None:
        return Case.objects.none()
    # handled cases count only while her unit is the case's unit, above it or below it (policy.unit_fits_case)
    mine = Q(handlers=user) & (subtree_q(user.unit.path, "unit_path") | Q(unit_path__in=ancestor_paths(user.unit.path)))
    mine |= leader_scope_q(user)
    cases = Case.objects.filter(mine).distinct().select_related("unit")
    if unit is not None:
        cases = cases.filter(subtree_q(unit.path, "unit_path"))
    if status == "open":
        cases = cases.exclude(status=CaseStatus.CLOSED)
    elif status:
        cases = cases.filter(status=status)
    return cases.order_by("status", "first_action_due")


def access_case_by_id(user, case_id: int, *, purpose: str = "case") -> tuple[Case, dict]:
    """The case and its sealed details, for need-to-know only (404 otherwise); the read is logged."""
    case = Case.objects.select_related("unit", "home_unit", "woman").filter(pk=case_id).first()
    if case is None or not may_handle(user, case):
        raise Http404("case not found")
    read_record(actor=user, obj=case, purpose=purpose)
    return case, unseal(case)


def case_public_status(tracking: str) -> Case | None:
    """Her case by its tracking code (she sees its status and the public entries); the read is logged."""
    case = Case.objects.filter(tracking_code=normalize_tracking(tracking)).first()
    if case is not None:
        read_record(actor=AnonymousUser(), obj=case, purpose="tracking")
    return case


def case_pause_reason(case: Case) -> str:
    """Why the case is on hold: the text of its latest 暂缓 entry."""
    entry = case.timeline.filter(action="paused").order_by("-at", "-id").first()
    return entry.text if entry else ""


def partners_of_unit(path: str):
    """The active partners of a unit and of the units above it (its directory)."""
    return (Partner.objects.filter(unit_path__in=ancestor_paths(path), is_active=True).select_related("unit")
            .order_by("kind", "name"))


def partners_for(case: Case):
    """Partners a case may be referred to: those of its unit and of the units above it."""
    return partners_of_unit(case.unit_path)


def access_partner_by_id(user, partner_id, *, need: str = Action.VIEW) -> Partner:
    return access_by_id(user, Partner, partner_id, need=need)


def referral_by_ack_code(code: str):
    """A referral by the code its partner was sent (public link); None if there is none."""
    return Referral.objects.filter(ack_code=(code or "")[:40]).select_related("case", "partner").first()


def case_dashboard(user, *, unit, now=None) -> dict:
    """Open cases by kind and urgency, first-action compliance and the overdue list of a unit's subtree
    (of the cases she may see)."""
    now = now or timezone.now()
    cases = cases_for(user, unit=unit)
    open_cases = cases.exclude(status=CaseStatus.CLOSED)
    kinds, urgencies = dict(CaseKind.choices), dict(Urgency.choices)
    by_kind = [{"label": kinds[r["kind"]], "n": r["n"]}
               for r in open_cases.values("kind").annotate(n=Count("id", distinct=True)).order_by("-n")]
    by_urgency = [{"label": urgencies[r["urgency"]], "n": r["n"]}
                  for r in open_cases.values("urgency").annotate(n=Count("id", distinct=True)).order_by("urgency")]
    acted = cases.filter(first_action_at__isnull=False)
    on_time = acted.filter(first_action_at__lte=F("first_action_due"), escalations=0).count()
    total_acted = acted.count()
    overdue = open_cases.filter(Q(first_action_at__isnull=True, first_action_due__lt=now) | Q(resolve_due__lt=now))
    return {
        "open": open_cases.count(),
        "by_kind": by_kind,
        "by_urgency": by_urgency,
        "compliance": on_time / total_acted if total_acted else None,
        "overdue": list(overdue[:50]),
        "closed": cases.filter(status=CaseStatus.CLOSED).count(),
    }
