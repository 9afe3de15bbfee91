"""The one place that answers "may she do X here" down the federation tree.

A cadre acts within her unit's subtree; what she may do there depends on her roles. Superusers act
everywhere. Every selector starts from `scope_q`, every access function asks `allows`; no other module
looks at roles.
"""

from django.db.models import Q, TextChoices
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


def is_leader_of(user, path: str) -> bool:
    """A chair or vice-chair of the unit at `path` or of one of its ancestors (need-to-know for cases)."""
    return allows(user, Action.VIEW, path) and bool(user.is_superuser or LEADER_ROLES & set(user.roles or []))
