"""Writes to cadre accounts and API tokens."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record, changed_fields
from fulian.core.hooks import hook_call
from fulian.core.policy import Action, Role, allows, may_change_own_standing, may_grant_role

from .models import ApiToken, PasswordHistory, User

TOKEN_PREFIX = "fl_"  # noqa: S105  (a marker, not a secret)


def account_create(
    *, actor, username: str, unit, roles: list[str], password: str, full_name: str = "", phone: str = ""
) -> User:
    """Create a cadre account in a unit she manages. A system administrator also gets the admin site."""
    if actor is not None and not allows(actor, Action.MANAGE_ACCOUNTS, unit.path):
        raise PermissionError("may not manage accounts here")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(_("未知角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))})
    if actor is not None and not all(may_grant_role(actor, role) for role in roles):
        raise ValidationError(_("只有系统管理员可以授予系统管理员角色。"))
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("用户名“%(username)s”已被使用。") % {"username": username})
    # an initial password a chair chose is known to her: the cadre changes it at her first sign-in (accounts made
    # by the operator's command or the demo, actor None, are not forced)
    user = User(username=username, unit=unit, roles=sorted(set(roles)), full_name=full_name, phone=phone,
                is_staff=Role.SYSADMIN in roles, must_change_password=actor is not None,
                password_changed_at=timezone.now())
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(actor=actor, action="account.create", obj=user,
                     changes={"unit": unit.code, "roles": user.roles})
    return user


def account_update(
    *, actor, account: User, unit, roles: list[str], is_active: bool, full_name: str, phone: str, now=None
) -> User:
    """Change a cadre's unit, roles or state from the accounts page (the only way: the admin shows accounts
    read-only). A move to another unit ends her links to women (shared among her old unit's cadres) and her
    case roles; deactivation revokes her API tokens. Superuser status is never set here."""
    now = now or timezone.now()
    if actor is None or account.unit is None or not allows(actor, Action.MANAGE_ACCOUNTS, account.unit.path) \
            or not allows(actor, Action.MANAGE_ACCOUNTS, unit.path):
        raise PermissionError("may not manage this account")
    roles = sorted(set(roles))
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(_("未知角色：%(roles)s") % {"roles": ", ".join(sorted(unknown))})
    if not may_change_own_standing(actor, account) and (
            roles != sorted(account.roles or []) or unit.pk != account.unit_id or not is_active):
        raise ValidationError(_("不能修改自己的角色、所属组织或状态，请由上级管理员办理。"), code="self_change")
    if not all(may_grant_role(actor, role) for role in set(roles) - set(account.roles or [])):
        raise ValidationError(_("只有系统管理员可以授予系统管理员角色。"), code="grant_sysadmin")
    values = {"unit": unit, "roles": roles, "is_active": is_active, "full_name": full_name[:60], "phone": phone[:20],
              "is_staff": Role.SYSADMIN in roles}
    changes = changed_fields(account, values)
    if not changes:
        return account
    moved = unit.pk != account.unit_id
    with transaction.atomic():
        if moved:  # her links to women and her case roles end (contacts and cases listen)
            released = {}
            for result in hook_call("account.moved", actor=actor, account=account, now=timezone.localtime(now)):
                released.update(result or {})
            changes["released"] = released
        User.objects.filter(pk=account.pk).update(**values)
        if not is_active:
            tokens_revoke_all(user=account, actor=actor, now=now)
        account.refresh_from_db()
        audit_record(actor=actor, action="account.move" if moved else "account.update", obj=account,
                     changes=changes)
    return account


def account_set_password(*, actor, account: User, password: str, now=None) -> None:
    """Her own new password, or one set by an account manager above her (which she must change at her next
    sign-in); every API token of hers is revoked."""
    if actor.pk != account.pk and (account.unit is None or not allows(actor, Action.MANAGE_ACCOUNTS,
                                                                        account.unit.path)):
        raise PermissionError("may not manage this account")
    validate_password(password, account)
    old_hash = account.password
    account.set_password(password)
    account.must_change_password = actor.pk != account.pk
    account.password_changed_at = now or timezone.now()
    with transaction.atomic():
        account.save(update_fields=["password", "must_change_password", "password_changed_at"])
        if old_hash:
            PasswordHistory.objects.create(user=account, password=old_hash, changed_at=now or timezone.now())
            keep = PasswordHistory.objects.filter(user=account).order_by("-id").values_list("id", flat=True)[
                : settings.PASSWORD_HISTORY]
            PasswordHistory.objects.filter(user=account).exclude(id__in=list(keep)).delete()
        tokens_revoke_all(user=account, actor=actor, now=now)
        audit_record(actor=actor, action="account.password", obj=account,
                     changes={"must_change": account.must_change_password})


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str, now=None) -> tuple[ApiToken, str]:
    """Returns the token row and the key, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写令牌用途。"))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now or timezone.now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:60], prefix=key[:10], key_hash=_hash(key), created_at=now,
            expires_at=now + dt.timedelta(days=settings.API_TOKEN_DAYS),
        )
        audit_record(actor=user, action="token.create", obj=token)
    return token, key


def token_revoke(*, user: User, token: ApiToken, now=None) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, user=user, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
        audit_record(actor=user, action="token.revoke", obj=token)


def tokens_revoke_all(*, user: User, actor=None, now=None) -> int:
    """Every live token of hers stops working (password change, deactivation, or her own 全部撤销)."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now or timezone.now())
    if count:
        audit_record(actor=actor or user, action="token.revoke_all", obj=user, changes={"tokens": count})
    return count


def token_authenticate(key: str, *, now=None) -> User | None:
    """The active user behind a live (unrevoked, unexpired) bearer token, or None."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, expires_at__gt=now, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
