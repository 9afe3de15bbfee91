"""`manage.py check --deploy`: the level-3 controls an operator must not leave at their development defaults."""

import os
from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def level3_settings(app_configs, **kwargs):
    found = []
    if not settings.AUDIT_SEAL_KEY:
        found.append(Warning(
            "AUDIT_SEAL_KEY is not set: the audit chain is keyed from SECRET_KEY, so rotating SECRET_KEY makes "
            "every earlier link fail verification.", hint="Set AUDIT_SEAL_KEY (or AUDIT_SEAL_KEY_FILE) once and "
            "keep it with the other keys.", id="fulian.W001"))
    if settings.SMS_PROVIDER == "log":
        found.append(Warning(
            "SMS_PROVIDER is 'log': one-time codes, second factors and SMS notices are written to the log and never "
            "reach a phone.", hint="Set SMS_PROVIDER to aliyun or tencent with its keys and templates.",
            id="fulian.W002"))
    from .sms import sms_settings_missing

    if missing := sms_settings_missing():
        found.append(Error(
            f"SMS_PROVIDER is {settings.SMS_PROVIDER!r} but {', '.join(missing)} is not set: no SMS can be sent.",
            hint="Set them (keys also as NAME_FILE); see the README's SMS section.", id="fulian.E001"))
    if settings.SMS_ENDPOINT:
        found.append(Warning(
            "SMS_ENDPOINT is set: SMS go to that server instead of the provider's own endpoint (it exists for "
            "tests).", id="fulian.W006"))
    if not settings.SECOND_FACTOR_REQUIRED:
        found.append(Warning(
            "SECOND_FACTOR_REQUIRED is off: system administrators and county-level leaders sign in with a password "
            "alone.", id="fulian.W003"))
    archive = Path(settings.AUDIT_ARCHIVE_DIR)
    probe = archive if archive.exists() else archive.parent
    if not os.access(probe, os.W_OK):
        found.append(Warning(f"AUDIT_ARCHIVE_DIR ({archive}) is not writable: audit_archive cannot move old rows.",
                             id="fulian.W004"))
    if not settings.SESSIONS_PER_ACCOUNT:
        found.append(Warning("SESSIONS_PER_ACCOUNT is 0: an account may be signed in on any number of devices.",
                             id="fulian.W005"))
    return found
