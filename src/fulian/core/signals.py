"""Sign-in events go to the audit trail (auth events are not business rules, so a signal is fine here).

A failure or lockout names the account tried when there is one, so the row carries her unit's path and her
chair sees it in 操作审计; a username that names nobody stays a top-only row (unit_path empty).
"""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_record


def _account_named(username: str):
    if not username:
        return None
    return get_user_model()._default_manager.select_related("unit").filter(username=username[:150]).first()


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    audit_record(actor=user, action="auth.login", obj=user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action="auth.logout", obj=user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username") or "")[:150]
    audit_record(actor=AnonymousUser(), action="auth.login_failed", obj=_account_named(username),
                 changes={"username": username})


@receiver(user_locked_out)
def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    username = str(username or "")[:150]
    audit_record(actor=AnonymousUser(), action="auth.locked_out", obj=_account_named(username),
                 changes={"username": username})
