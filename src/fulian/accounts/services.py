"""Writes to cadre accounts and API tokens."""

import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.policy import Action, Role, allows

from .models import ApiToken, User

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
    if actor is not None and not actor.is_superuser and Role.SYSADMIN in roles and not actor.has_role(Role.SYSADMIN):
        raise ValidationError(_("只有系统管理员可以授予系统管理员角色。"))
    if User.objects.filter(username=username).exists():
        raise ValidationError(_("用户名“%(username)s”已被使用。") % {"username": username})
    user = User(username=username, unit=unit, roles=sorted(set(roles)), full_name=full_name, phone=phone,
                is_staff=Role.SYSADMIN in roles)
    validate_password(password, user)
    user.set_password(password)
    with transaction.atomic():
        user.save()
        audit_record(actor=actor, action="account.create", obj=user,
                     changes={"unit": unit.code, "roles": user.roles})
    return user


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_create(*, user: User, name: str, now=None) -> tuple[ApiToken, str]:
    """Returns the token row and the key, which is shown once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写令牌用途。"))
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:60], prefix=key[:10], key_hash=_hash(key), created_at=now or timezone.now()
        )
        audit_record(actor=user, action="token.create", obj=token)
    return token, key


def token_revoke(*, user: User, token: ApiToken, now=None) -> None:
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, user=user, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
        audit_record(actor=user, action="token.revoke", obj=token)


def token_authenticate(key: str, *, now=None) -> User | None:
    """The active user behind a bearer token, or None."""
    if not key or not key.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = now or timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
