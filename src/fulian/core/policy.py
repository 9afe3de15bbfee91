"""The one place that answers "may she do X here" down the federation tree.

A cadre acts within her unit's subtree; what she may do there depends on her roles. Superusers (the platform's
operators) act everywhere — except on survivors' case data, which stays need-to-know for everyone: its handlers
and the chairs and vice-chairs of its unit and the units above. Every selector starts from `scope_q` (or
`leader_scope_q`), every access function asks `allows` or one of the rules below; no other module looks at roles
or at `is_superuser`. The table of `core/tests/test_policy.py` covers every role × own unit / child / sibling.
"""

from django.db.models import Q, TextChoices
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .tree import subtree_q


class Role(TextChoices):
    CHAIR = "chair", _("主席")
    VICE_CHAIR = "vice_chair", _("副主席")
    STAFF = "staff", _("工作人员")
    EXECUTIVE = "executive", _("执委")
    VOLUNTEER = "volunteer", _("志愿者")
    SYSADMIN = "sysadmin", _("系统管理员")


class Action(TextChoices):
    VIEW = "view", _("查看")
    EDIT = "edit", _("编辑")
    MANAGE_ACCOUNTS = "manage_accounts", _("管理账号")
    ADMIN_SITE = "admin_site", _("进入数据维护后台")
    VIEW_ID_NUMBER = "view_id_number", _("查看完整身份证号")
    # settings that apply to every unit (deadline rules, contact quotas): only the platform's superusers
    MANAGE_SETTINGS = "manage_settings", _("修改全局设置")


LEADER_ROLES = frozenset({Role.CHAIR, Role.VICE_CHAIR})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CHAIR: frozenset({Action.VIEW, Action.EDIT, Action.MANAGE_ACCOUNTS, Action.VIEW_ID_NUMBER}),
    Role.VICE_CHAIR: frozenset({Action.VIEW, Action.EDIT, Action.VIEW_ID_NUMBER}),
    Role.STAFF: frozenset({Action.VIEW, Action.EDIT, Action.VIEW_ID_NUMBER}),
    Role.EXECUTIVE: frozenset({Action.VIEW}),
    Role.VOLUNTEER: frozenset({Action.VIEW}),
    Role.SYSADMIN: frozenset({Action.VIEW, Action.EDIT, Action.MANAGE_ACCOUNTS, Action.ADMIN_SITE}),
}

_NOTHING = Q(pk__in=[])


def actions_of(user) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Action.values)
    granted: set[str] = set()
    for role in user.roles or []:
        granted |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(granted)


def scope_path(user) -> str | None:
    """The path of the subtree she works in; '' for everywhere; None for nowhere."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return ""
    unit = user.unit
    return unit.path if unit is not None else None


def scope_q(user, *, field: str = "path", action: str = Action.VIEW) -> Q:
    """Filter for the rows (by their unit path `field`) on which she may do `action`."""
    if action not in actions_of(user):
        return _NOTHING
    path = scope_path(user)
    if path is None:
        return _NOTHING
    if path == "":
        return Q()
    return subtree_q(path, field)


def allows(user, action: str, path: str) -> bool:
    """May she do `action` on a record whose unit has `path`?"""
    if action not in actions_of(user):
        return False
    root = scope_path(user)
    if root is None:
        return False
    return path.startswith(root)


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def has_leader_role(user) -> bool:
    """A chair or vice-chair (of her own unit)."""
    return _active(user) and bool(LEADER_ROLES & set(getattr(user, "roles", None) or []))


def has_any_role(user) -> bool:
    """A cadre with at least one role (an account without roles works for nobody)."""
    return _active(user) and bool(getattr(user, "roles", None))


class OutOfScope(Http404):
    """Raised by a service asked to act outside the actor's scope: answered 404 like a record that does not exist,
    on pages and in the API alike, so a refusal discloses nothing."""


def require(user, action: str, path: str) -> None:
    """For services: go on only if she may `action` at `path`."""
    if not allows(user, action, path):
        raise OutOfScope("out of scope")


def is_leader_of(user, path: str) -> bool:
    """A chair or vice-chair of the unit at `path` or of one of its ancestors — by her own unit, never by superuser
    status (need-to-know for survivors' cases)."""
    unit = getattr(user, "unit", None)
    return has_leader_role(user) and unit is not None and path.startswith(unit.path)


def leader_scope_q(user, *, field: str = "unit_path") -> Q:
    """Rows under the units she leads (see is_leader_of); nothing if she leads none."""
    if not has_leader_role(user) or getattr(user, "unit", None) is None:
        return _NOTHING
    return subtree_q(user.unit.path, field)


def unit_fits_case(user, path: str) -> bool:
    """Her unit is the case's unit, above it or below it: who may be named its handler, and keep handling it."""
    unit = getattr(user, "unit", None)
    return _active(user) and unit is not None and (path.startswith(unit.path) or unit.path.startswith(path))


def may_handle_case(user, path: str, *, is_handler: bool) -> bool:
    """Need-to-know for a case at `path`: a handler whose unit still fits it, or a leader of its unit or above."""
    return (is_handler and has_any_role(user) and unit_fits_case(user, path)) or is_leader_of(user, path)


def may_know_child(user, path: str, *, is_carer: bool) -> bool:
    """Need-to-know for a child of the care registry (PIPL arts. 28, 31: a minor's data is sensitive): a cadre who
    may edit at the family's unit and cares for the family (see care.registry), or a chair or vice-chair of its
    unit or above — never by superuser status, never a volunteer or an executive member."""
    return (is_carer and has_any_role(user) and allows(user, Action.EDIT, path)) or is_leader_of(user, path)


def may_review_article(user, path: str, *, author_id: int | None) -> bool:
    """Publish or withdraw a piece: a chair or vice-chair of its unit or above (or a superuser), never its author."""
    if not allows(user, Action.EDIT, path) or user.pk == author_id:
        return False
    return getattr(user, "is_superuser", False) or is_leader_of(user, path)


def may_issue_work(user, path: str) -> bool:
    """Send work down the tree from the unit at `path`, remind its recipients and close it: a chair or vice-chair
    of that unit or above (or a superuser). Staff prepare; leaders issue."""
    if not allows(user, Action.EDIT, path):
        return False
    return getattr(user, "is_superuser", False) or is_leader_of(user, path)


def may_act_for_unit(user, path: str) -> bool:
    """Acknowledge, delegate, report and complete a unit's received work: a cadre who may edit at the unit
    (her own unit or one above it)."""
    return allows(user, Action.EDIT, path)


def may_allocate_funds(user, path: str) -> bool:
    """Confirm an allocation of the unit at `path` (its budget split down the tree): a chair or vice-chair of that
    unit or above (or a superuser). Staff may preview a plan; leaders confirm it."""
    return may_issue_work(user, path)


def may_keep_funds(user, path: str) -> bool:
    """Post to a unit's funding ledger (money received, passed on, spent; corrections): a cadre who may edit at the
    unit (her own or one above it)."""
    return allows(user, Action.EDIT, path)


def may_grant_role(actor, role: str) -> bool:
    """Only a system administrator (or a superuser) makes another system administrator."""
    if role != Role.SYSADMIN:
        return True
    return _active(actor) and (getattr(actor, "is_superuser", False) or Role.SYSADMIN in (actor.roles or []))


def may_change_own_standing(actor, account) -> bool:
    """Nobody changes her own roles, unit or state: that is done by an account manager above her."""
    return actor.pk != account.pk


def needs_second_factor(user) -> bool:
    """A second factor is required of system administrators (and superusers) and of chairs and vice-chairs at county
    level and above (levels 1–3); anyone else may enrol one. SECOND_FACTOR_REQUIRED=false turns the duty off."""
    from django.conf import settings

    if not _active(user) or not settings.SECOND_FACTOR_REQUIRED:
        return False
    if getattr(user, "is_superuser", False) or Role.SYSADMIN in (user.roles or []):
        return True
    unit = getattr(user, "unit", None)
    return has_leader_role(user) and unit is not None and unit.level <= 3


def _strictly_above(actor, account) -> bool:
    unit, theirs = getattr(actor, "unit", None), getattr(account, "unit", None)
    return unit is not None and theirs is not None and theirs.path.startswith(unit.path) and theirs.path != unit.path


def may_reset_second_factor(actor, account) -> bool:
    """A chair above her resets her second factor (a lost phone, a lock). Above her means: a chair of her unit for
    anyone there who is not a chair (staff, a vice-chair, the unit's administrator: the chair leads them), a chair of a
    unit strictly above for a chair; the platform's superuser for anyone (the province's own chair has no chair
    above). Never herself, never a vice-chair or an administrator."""
    if not _active(actor) or account is None or actor.pk == account.pk:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    if account.unit is None or Role.CHAIR not in (actor.roles or []) or not is_leader_of(actor, account.unit.path):
        return False
    senior = Role.CHAIR in (account.roles or []) or account.is_superuser
    return _strictly_above(actor, account) or not senior


def may_end_sessions_of(actor, account) -> bool:
    """She ends her own sessions; an account manager of her unit or above (a chair, a system administrator) ends a
    cadre's sessions (a lost phone, a departure) — a superuser's only another superuser."""
    if not _active(actor) or account is None:
        return False
    if actor.pk == account.pk:
        return True
    if account.is_superuser and not actor.is_superuser:
        return False
    return account.unit is not None and allows(actor, Action.MANAGE_ACCOUNTS, account.unit.path)


def audit_scope_q(user, *, field: str = "unit_path") -> Q:
    """The audit rows she may search: a chair or vice-chair the rows of the units she leads, a system administrator
    those of her unit's subtree, a superuser every row (rows without a unit only to her)."""
    if not _active(user):
        return _NOTHING
    if user.is_superuser:
        return Q()
    if Role.SYSADMIN in (user.roles or []) and user.unit is not None:
        return subtree_q(user.unit.path, field)
    return leader_scope_q(user, field=field)


def home_unit_path(user) -> str | None:
    """Where her work starts: her unit's path; '' for a superuser without a unit (everywhere); None for nobody."""
    return scope_path(user)


def sees_api_docs(user) -> bool:
    """The API docs are for the desks that connect other systems (county and above, system administrators): a
    developers' page (Swagger UI, ~440 KB) kept out of a village or township cadre's phone menu."""
    if not _active(user):
        return False
    unit = getattr(user, "unit", None)
    return user.is_superuser or Role.SYSADMIN in (user.roles or []) or (unit is not None and unit.level <= 3)


def landing_is_today(user) -> bool:
    """A village cadre's work is her women: she starts on 今日工作."""
    unit = getattr(user, "unit", None)
    return _active(user) and unit is not None and unit.level == 5


# The few menu entries each kind of cadre uses first: shown on a phone without opening 更多 (core.menu has the
# entries themselves). A village cadre's day is her women and their requests; a leader's is cases, the pieces she
# reviews and the figures; an account manager's is accounts and the tree.
FIRST_MENU: dict[str, tuple[str, ...]] = {
    "village": ("today", "women", "cases", "notices"),
    "leader": ("home", "cases", "publish", "dashboard"),
    "staff": ("home", "women", "field_weeks", "publish"),
    "sysadmin": ("home", "accounts", "units", "admin"),
    "other": ("home", "today", "women", "notices"),
}


def menu_profile(user) -> str:
    """Which FIRST_MENU row is hers: her unit's level first (a village chair works as a village cadre), then her
    roles."""
    roles = set(getattr(user, "roles", None) or [])
    if landing_is_today(user):
        return "village"
    if Role.SYSADMIN in roles or getattr(user, "is_superuser", False):
        return "sysadmin"
    if has_leader_role(user):
        return "leader"
    if Role.STAFF in roles:
        return "staff"
    return "other"


def menu_first(user) -> tuple[str, ...]:
    return FIRST_MENU[menu_profile(user)] if _active(user) else ()
