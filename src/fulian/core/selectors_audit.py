"""Searching the audit trail (操作审计): the rows of her scope (core.policy.audit_scope_q on `unit_path`), filtered,
newest first. The page (core.views_audit) and the API (api.routers_audit) both read through here, and every search
that answers writes one `audit.search` row: reading the audit is itself audited.

The unit filter takes a unit's code; core imports no app, so the tree's model is reached through the account's
`unit` field (the same model, without an import that climbs).
"""

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .audit import audit_record
from .models import AuditEvent, ReadLog
from .policy import Action, actions_of, audit_scope_q
from .tree import subtree_q

# what each known action is called on the page; an action not named here is shown as it is written
ACTION_LABELS = {
    "auth.login": _("登录"),
    "auth.logout": _("退出登录"),
    "auth.login_failed": _("登录失败"),
    "auth.locked_out": _("登录锁定"),
    "account.create": _("新建账号"),
    "account.update": _("修改账号（角色、状态）"),
    "account.move": _("调动账号"),
    "account.password": _("重设密码"),
    "token.create": _("新建 API 令牌"),
    "token.revoke": _("吊销 API 令牌"),
    "token.revoke_all": _("吊销全部 API 令牌"),
    "session.end": _("结束登录设备"),
    "session.end_all": _("结束全部登录设备"),
    "session.limit": _("超出设备数，结束最早的登录"),
    "2fa.enrol": _("启用二次验证"),
    "2fa.remove": _("停用二次验证"),
    "2fa.reset": _("重置二次验证"),
    "2fa.verify": _("二次验证通过"),
    "2fa.fail": _("二次验证失败"),
    "2fa.lock": _("二次验证锁定"),
    "2fa.recovery_new": _("重新生成恢复码"),
    "2fa.recovery_used": _("使用恢复码"),
    "admin.add": _("后台新增"),
    "admin.change": _("后台修改"),
    "admin.delete": _("后台删除"),
    "audit.search": _("查询审计"),
    "audit.export": _("导出审计"),
    "woman.export": _("导出妇女名册"),
    "case.export": _("导出个案"),
    "incident.export": _("导出维权事件"),
    "dashboard.export": _("导出工作评价"),
    "task.export": _("导出工作任务"),
    "meeting.export": _("导出会议"),
    "practice.export": _("导出典型做法"),
}

# the groups of the action filter: key → (label, the rows it means)
ACTION_GROUPS = {
    "auth": (pgettext_lazy("audit group", "登录"), Q(action__startswith="auth.")),
    "account": (_("账号与权限"), Q(action__startswith="account.") | Q(action__startswith="token.")
                | Q(action__startswith="session.") | Q(action__startswith="password.")),
    "2fa": (_("二次验证"), Q(action__startswith="2fa.")),
    "export": (_("导出"), Q(action__contains="export")),
    "reveal": (_("查看敏感信息"), Q(action__contains="reveal")),
    "admin": (_("后台维护"), Q(action__startswith="admin.")),
    "audit": (_("审计"), Q(action__startswith="audit.")),
}
# which known actions are listed under which group in the choice list
_GROUP_OF_PREFIX = {"auth.": "auth", "account.": "account", "token.": "account", "session.": "account",
                    "admin.": "admin",
                    "audit.": "audit", "2fa.": "2fa"}

EXPORT_MAX_ROWS = 10_000  # an export beyond this is cut (newest rows first) and says so in its audit row


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def action_choices() -> list:
    """The action filter's choices: per group, "all of it" and then the known actions of that group."""
    grouped: dict[str, list] = {key: [(f"group:{key}", _("全部%(group)s") % {"group": label})]
                                for key, (label, _q) in ACTION_GROUPS.items()}
    for action, label in ACTION_LABELS.items():
        key = next((g for prefix, g in _GROUP_OF_PREFIX.items() if action.startswith(prefix)), None)
        if key is None and "export" in action:
            key = "export"
        if key is not None:
            grouped[key].append((action, label))
    return [("", _("全部操作"))] + [(str(ACTION_GROUPS[key][0]), options) for key, options in grouped.items()]


def object_type_choices() -> list[tuple[str, str]]:
    """Every model's label (what `object_type` holds) with its name, for the object-type filter."""
    models = sorted(apps.get_models(), key=lambda m: m._meta.label_lower)
    return [("", _("全部对象"))] + [(m._meta.label_lower, f"{m._meta.verbose_name}（{m._meta.label_lower}）")
                                    for m in models]


def unit_model():
    """The tree's model (orgs.Unit), reached through the account model: core imports no app."""
    return get_user_model()._meta.get_field("unit").related_model


def unit_path_of_code(code: str) -> str | None:
    return unit_model()._default_manager.filter(code=code).values_list("path", flat=True).first()


def unit_names(paths) -> dict[str, tuple[str, str]]:
    """{path: (code, name)} for the paths of a page of rows (one query)."""
    paths = {p for p in paths if p}
    if not paths:
        return {}
    rows = unit_model()._default_manager.filter(path__in=paths).values_list("path", "code", "name")
    return {path: (code, name) for path, code, name in rows}


@dataclass(frozen=True)
class AuditFilters:
    since: dt.date | None = None
    until: dt.date | None = None
    actor: str = ""
    action: str = ""  # an action's name, or "group:<key>" of ACTION_GROUPS
    action_prefix: str = ""
    object_type: str = ""
    unit_code: str = ""
    unit_path: str = ""  # resolved from unit_code
    ip: str = ""

    def described(self) -> dict:
        """The filters as the `audit.search` row records them (only those set)."""
        values = {"since": self.since, "until": self.until, "actor": self.actor, "action": self.action,
                  "action_prefix": self.action_prefix, "object_type": self.object_type, "unit": self.unit_code,
                  "ip": self.ip}
        return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in values.items() if v}


def _local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _filtered(rows, filters: AuditFilters, *, events: bool):
    if filters.since:
        rows = rows.filter(at__gte=_local_midnight(filters.since))
    if filters.until:
        rows = rows.filter(at__lt=_local_midnight(filters.until + dt.timedelta(days=1)))
    if filters.actor:
        rows = rows.filter(actor_label=filters.actor)
    if filters.object_type:
        rows = rows.filter(object_type=filters.object_type)
    if filters.unit_path:
        rows = rows.filter(subtree_q(filters.unit_path, "unit_path"))
    if filters.ip:
        rows = rows.filter(ip=filters.ip)
    if events:
        if filters.action.startswith("group:"):
            rows = rows.filter(ACTION_GROUPS[filters.action.removeprefix("group:")][1])
        elif filters.action:
            rows = rows.filter(action=filters.action)
        if filters.action_prefix:
            rows = rows.filter(action__startswith=filters.action_prefix)
    return rows


def audit_events_for(user, filters: AuditFilters = AuditFilters()):
    """The audit rows of her scope that fit the filters, newest first (nothing for a user without a scope)."""
    rows = AuditEvent.objects.filter(audit_scope_q(user))
    return _filtered(rows, filters, events=True).order_by("-at", "-id")


def read_logs_for(user, filters: AuditFilters = AuditFilters()):
    """The read-log rows (who saw which sensitive record) of her scope that fit the filters, newest first; the
    action filters do not apply."""
    rows = ReadLog.objects.filter(audit_scope_q(user))
    return _filtered(rows, filters, events=False).order_by("-at", "-id")


def sees_audit(user) -> bool:
    """She has rows in scope: leaders, system administrators, superusers (the menu entry and the page)."""
    return audit_scope_q(user) != Q(pk__in=[])


def sees_seal_status(user) -> bool:
    """The seal chain's state (counts and times, no row) is for the top of the tree: a system administrator of a
    province, or the platform's superuser (a request to move this rule into core.policy is with the lead)."""
    if Action.ADMIN_SITE not in actions_of(user):
        return False
    unit = getattr(user, "unit", None)
    return unit.level == 1 if unit is not None else bool(audit_scope_q(user) == Q())


def audit_search_record(*, actor, filters: AuditFilters, tab: str, page: int | None = None,
                        shown: int | None = None) -> None:
    """One `audit.search` row for a search that answered (each request that shows rows writes one)."""
    changes = {"tab": tab, **filters.described()}
    if page is not None:
        changes["page"] = page
    if shown is not None:
        changes["rows"] = shown
    audit_record(actor=actor, action="audit.search", changes=changes)


def changes_summary(changes, *, limit: int = 160) -> str:
    """An audit row's `changes` in one line: `field: old → new`, other values as they are."""
    if not isinstance(changes, dict) or not changes:
        return ""
    parts = []
    for name, value in changes.items():
        if isinstance(value, list) and len(value) == 2 and not isinstance(value[0], dict | list):
            parts.append(f"{name}: {_short(value[0])} → {_short(value[1])}")
        else:
            parts.append(f"{name}: {_short(value)}")
    text = "；".join(parts)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return "，".join(f"{k}={_short(v)}" for k, v in value.items())[:60]
    if isinstance(value, list | tuple):
        return "、".join(_short(v) for v in value) if all(not isinstance(v, dict | list) for v in value) \
            else str(value)[:60]
    return str(value)[:60]
