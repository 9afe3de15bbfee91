import contextlib

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def _ids(capsys):
    with contextlib.suppress(SystemCheckError):
        call_command("check", deploy=True, fail_level="CRITICAL")
    out = capsys.readouterr()
    return out.out + out.err


def test_check_deploy_names_the_level3_settings_left_at_development_defaults(settings, capsys):
    settings.AUDIT_SEAL_KEY, settings.SMS_PROVIDER, settings.SECOND_FACTOR_REQUIRED = "", "log", False
    settings.SESSIONS_PER_ACCOUNT = 0
    text = _ids(capsys)
    assert all(f"fulian.W00{i}" in text for i in (1, 2, 3, 5))


@pytest.mark.parametrize("fixed", ["AUDIT_SEAL_KEY", "SMS_PROVIDER"])
def test_a_setting_set_for_production_is_not_named(settings, capsys, fixed):
    settings.AUDIT_SEAL_KEY = "k" * 40 if fixed == "AUDIT_SEAL_KEY" else ""
    settings.SMS_PROVIDER = "aliyun" if fixed == "SMS_PROVIDER" else "log"
    text = _ids(capsys)
    assert ("fulian.W001" in text) == (fixed != "AUDIT_SEAL_KEY")
    assert ("fulian.W002" in text) == (fixed != "SMS_PROVIDER")


def test_a_half_configured_sms_provider_is_an_error(settings, capsys):
    settings.SMS_PROVIDER, settings.SMS_ACCESS_KEY_SECRET = "tencent", ""
    assert "fulian.E001" in _ids(capsys)
