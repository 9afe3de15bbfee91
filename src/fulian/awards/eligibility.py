"""Eligibility and need-to-know (评选资格核查): before a nomination first moves on, the system asks the cases app
(hook "family.open_cases") whether a member of the family has an open domestic-violence or family-dispute case.

If one has, the nomination is HELD at the unit that wanted to move it, one EligibilityCheck per case keeps the
decision that unit wanted, and only someone with need-to-know of a case (hook "case.may_know": its handlers and the
leaders of its unit and above) sees the hold and decides: 核查通过 (the wanted decision is carried out) or 不予推荐
(it stays 未推荐 with the same neutral reason as any decline). Everyone else sees HELD as an ordinary 未推荐 — a
distinct flag would tell that a case exists — so every page, export and API shows a state through `state_shown`
/ `state_label`, a reason through `reason_shown`, and a history through `history_for`. Every check is in the read
log (purpose "award_eligibility"), whether or not it finds a case.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.accounts.models import User
from fulian.core.audit import audit_record, read_record
from fulian.core.figures import figures_add
from fulian.core.hooks import hook_call
from fulian.core.outbox import outbox_put
from fulian.core.policy import OutOfScope, scope_q
from fulian.core.tree import ancestor_paths
from fulian.core.writes import write_path

from .figures import award_delta
from .models import Decision, DecisionKind, EligibilityCheck, Nomination, NominationState

PURPOSE = "award_eligibility"
HIDDEN_KINDS = (DecisionKind.CLEAR, DecisionKind.HOLD_DECLINE)  # never shown to anyone without need-to-know
MAX_NOTIFIED = 20


def neutral_reason() -> str:
    """What a nomination declined after a check shows as its reason: the words an ordinary decline may carry."""
    return _("经评审，未予推荐。")


def registry_women(nomination: Nomination) -> list[int]:
    """The registry women of the nominated family: its members with a woman_id, and the registry Family's women."""
    ids = {m.get("woman_id") for m in nomination.members or [] if isinstance(m, dict)}
    if nomination.family_id:
        from fulian.people.models import FamilyMember

        ids |= set(FamilyMember.objects.filter(family_id=nomination.family_id, woman__isnull=False)
                   .values_list("woman_id", flat=True))
    return sorted(i for i in ids if isinstance(i, int))


def _open_cases(woman_ids: list[int]) -> list[tuple[int, str]]:
    found: dict[int, str] = {}
    for answer in hook_call("family.open_cases", woman_ids=woman_ids):
        for case_id, path in answer or []:
            found[int(case_id)] = path
    return sorted(found.items())


def may_know(user, case_id: int) -> bool:
    """Need-to-know of one case (the cases app decides; no listener: nobody)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(hook_call("case.may_know", user=user, case_id=case_id))


def knows_hold(user, nomination: Nomination) -> bool:
    """Whether she may see that this nomination was held: need-to-know of one of its checks' cases."""
    checks = getattr(nomination, "_checks_cache", None)
    if checks is None:
        checks = list(nomination.checks.values_list("case_id", flat=True))
        nomination._checks_cache = checks
    return any(may_know(user, case_id) for case_id in checks)


def eligibility_check(*, nomination: Nomination, actor, now=None, kind: str = "", tier: str = "",
                      unit=None) -> bool:
    """May the nomination move on? Asks once (the first time it would move on); True also when it was cleared.
    When a member has an open family case: one EligibilityCheck per case keeping the wanted decision (`kind`,
    `tier` of `unit`, by `actor`), the nomination HELD, those with need-to-know told — and False: the caller then
    writes nothing more and answers as for an ordinary decision. Call it inside the caller's write path."""
    now = now or timezone.now()
    with write_path():
        row = Nomination.objects.select_for_update().get(pk=nomination.pk)
        if row.state == NominationState.HELD:
            return False
        if row.eligibility_checked_at is not None:
            return not row.checks.filter(Q(cleared__isnull=True) | Q(cleared=False)).exists()
        read_record(actor=actor, obj=row, purpose=PURPOSE, now=now)
        cases = _open_cases(registry_women(row))
        changes = {"eligibility_checked_at": now, "updated_at": now}
        if cases:
            changes |= {"state": NominationState.HELD, "version": row.version + 1}
        Nomination.objects.filter(pk=row.pk).update(**changes)
        for field, value in changes.items():
            setattr(nomination, field, value)
        if not cases:
            return True
        holder = unit or row.at_unit
        by = actor if getattr(actor, "is_authenticated", False) else None
        for case_id, path in cases:
            EligibilityCheck.objects.create(
                nomination=row, case_id=case_id, case_path=path, found_at=now, wanted_kind=kind or "",
                wanted_tier=tier or "", wanted_unit=holder, wanted_by=by)
        # what everyone without need-to-know sees, in every list, history, export and figure: an ordinary decline
        # by the holding unit (undone if the hold is cleared; a real decline is never undone)
        Decision.objects.create(nomination=row, campaign_id=row.campaign_id, unit=holder, unit_path=holder.path,
                                level=holder.level, kind=DecisionKind.DECLINE, reason=neutral_reason(),
                                decided_by=by, decided_at=now)
        figures_add([award_delta("award_reviewed", holder.path, now)])
        audit_record(actor=actor, action="award.eligibility_hold", obj=row, now=now, changes={"checks": len(cases)})
        _tell_those_who_know(row, cases, now)
    nomination._checks_cache = [case_id for case_id, _path in cases]
    return False


def _tell_those_who_know(nomination: Nomination, cases, now) -> None:
    """An in-app notice to the cadres of each case's unit and the units above it who have need-to-know."""
    try:
        link = reverse("award_checks")
    except NoReverseMatch:
        link = ""
    told = set()
    for case_id, path in cases:
        people = User.objects.filter(is_active=True, unit__path__in=ancestor_paths(path)).order_by("-unit__path",
                                                                                                  "pk")
        for user in people[:MAX_NOTIFIED]:
            if user.pk in told or not may_know(user, case_id):
                continue
            told.add(user.pk)
            outbox_put(channel="in_app", user=user, link=link, now=now,
                       subject=_("有一个家庭评选推荐需要您核查评选资格：%(name)s")
                       % {"name": nomination.family_name[:40]})


# what everyone sees


def state_shown(user, nomination: Nomination) -> str:
    """The state she may see: HELD is DECLINED to everyone without need-to-know of one of its checks."""
    if nomination.state == NominationState.HELD and not knows_hold(user, nomination):
        return NominationState.DECLINED
    return nomination.state


def state_label(user, nomination: Nomination) -> str:
    """The state's label she may see (未推荐 for a HELD nomination, unless she has need-to-know)."""
    return str(NominationState(state_shown(user, nomination)).label)


def reason_shown(user, nomination: Nomination) -> str:
    """The reason she may see of a nomination that is (or looks) declined."""
    if nomination.state == NominationState.HELD:
        return _("待有关人员核查评选资格。") if knows_hold(user, nomination) else neutral_reason()
    return nomination.reason


def state_q(state: str) -> Q:
    """Filter by the state as shown: DECLINED includes the HELD (a filter must not tell them apart either)."""
    if state in (NominationState.DECLINED, NominationState.HELD):
        return Q(state__in=[NominationState.DECLINED, NominationState.HELD])
    return Q(state=state)


def history_for(user, nomination: Nomination) -> list[Decision]:
    """The nomination's decisions as she may see them. A hold wrote an ordinary decline by the holding unit (see
    eligibility_check); without need-to-know she sees that decline, and never the checks' own rows (核查通过,
    核查不通过) nor a decline taken back when the hold was cleared (a real decline is never taken back) — so its
    history looks like any declined or reviewed one's on every page and in the API."""
    rows = list(nomination.decisions.select_related("unit", "decided_by").order_by("decided_at", "pk"))
    if not any(d.kind in HIDDEN_KINDS for d in rows) or knows_hold(user, nomination):
        return rows
    return [d for d in rows if d.kind not in HIDDEN_KINDS
            and not (d.kind == DecisionKind.DECLINE and d.undone_at is not None)]


# the need-to-know desk


def checks_for(user):
    """The checks waiting for a decision that she has need-to-know of, among the cases of her subtree and the
    nominations of her subtree (the cases app says who knows: one question per check)."""
    rows = (EligibilityCheck.objects.filter(cleared__isnull=True)
            .filter(scope_q(user, field="case_path") | scope_q(user, field="nomination__unit_path"))
            .select_related("nomination", "nomination__campaign", "nomination__unit", "wanted_unit")
            .order_by("found_at", "pk"))
    return [check for check in rows if may_know(user, check.case_id)]


def access_check_by_id(user, check_id) -> EligibilityCheck:
    """The check, for someone with need-to-know of its case; 404 for everyone else."""
    from django.http import Http404

    try:
        check = (EligibilityCheck.objects.select_related("nomination", "nomination__campaign", "wanted_unit",
                                                         "wanted_by").filter(pk=int(check_id)).first())
    except (TypeError, ValueError, OverflowError):
        check = None
    if check is None or not may_know(user, check.case_id):
        raise Http404("check not found")
    return check


def eligibility_decide(*, actor, check: EligibilityCheck, clear: bool, note: str = "", now=None) -> Nomination:
    """核查通过 (`clear`) or 不予推荐, by someone with need-to-know of the check's case. When every check of the
    nomination is cleared it is PENDING again at its unit and the decision that unit wanted is carried out (part
    of review: if it can no longer be — say its quota is now full — it waits at that unit to be decided again);
    one 不予推荐 makes it DECLINED with the neutral reason."""
    now = now or timezone.now()
    if not may_know(actor, check.case_id):
        raise OutOfScope("no need-to-know")
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError(_("核查意见最多200字。"), code="award_check_note")
    carry_out = None
    with write_path():
        row = EligibilityCheck.objects.select_for_update().get(pk=check.pk)
        if row.cleared is not None:
            raise ValidationError(_("这项核查已经处理过了。"), code="award_check_done")
        nomination = Nomination.objects.select_for_update().select_related("at_unit").get(pk=row.nomination_id)
        EligibilityCheck.objects.filter(pk=row.pk).update(cleared=clear, note=note, decided_by=actor,
                                                          decided_at=now)
        unit = row.wanted_unit or nomination.at_unit
        Decision.objects.create(
            nomination=nomination, campaign_id=nomination.campaign_id, unit=unit, unit_path=unit.path,
            level=unit.level, kind=DecisionKind.CLEAR if clear else DecisionKind.HOLD_DECLINE,
            reason="" if clear else neutral_reason(), decided_by=actor, decided_at=now)
        audit_record(actor=actor, action="award.eligibility_clear" if clear else "award.eligibility_decline",
                     obj=nomination, now=now, changes={"check": row.pk})
        if nomination.state == NominationState.HELD:
            if not clear:
                Nomination.objects.filter(pk=nomination.pk).update(
                    state=NominationState.DECLINED, reason=neutral_reason(), version=nomination.version + 1,
                    updated_at=now)
            elif not nomination.checks.filter(Q(cleared__isnull=True) | Q(cleared=False)).exists():
                Nomination.objects.filter(pk=nomination.pk).update(
                    state=NominationState.PENDING, version=nomination.version + 1, updated_at=now)
                _hold_decline_undo(nomination, now)
                carry_out = row
    if carry_out is not None and carry_out.wanted_kind:
        _carry_out(carry_out, now)
    return Nomination.objects.select_related("campaign", "unit", "at_unit").get(pk=check.nomination_id)


def _hold_decline_undo(nomination: Nomination, now) -> None:
    """Every check cleared: the decline that stood for the hold is taken back, with its figure (its month)."""
    first = nomination.checks.order_by("found_at", "pk").first()
    for decision in Decision.objects.filter(nomination=nomination, kind=DecisionKind.DECLINE, undone_at__isnull=True,
                                            decided_at=first.found_at):
        Decision.objects.filter(pk=decision.pk).update(undone_at=now)
        figures_add([award_delta("award_reviewed", decision.unit_path, decision.decided_at, -1)])


def _carry_out(check: EligibilityCheck, now) -> None:
    """The decision the holding unit wanted, made now in its name; if it cannot be made any more, the nomination
    waits at that unit (PENDING) and whoever wanted it is told."""
    try:
        from . import review
    except ImportError:
        return
    if check.wanted_by is None:
        return
    nomination = Nomination.objects.select_related("campaign", "unit", "at_unit").get(pk=check.nomination_id)
    try:
        review.decide(actor=check.wanted_by, nomination=nomination, kind=check.wanted_kind, tier=check.wanted_tier,
                      version=nomination.version, now=now)
    except (ValidationError, OutOfScope):
        outbox_put(channel="in_app", user=check.wanted_by, now=now,
                   subject=_("“%(name)s”待本级重新作出评审决定。") % {"name": nomination.family_name[:40]})
