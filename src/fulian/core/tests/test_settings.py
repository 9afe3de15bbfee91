import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[4]


def test_production_settings_pass_check_deploy(tmp_path):
    env = {**os.environ, "FULIAN_ENV": "production", "SECRET_KEY": "x" * 30 + "production-secret-0123456789-abcdefg",
           "ALLOWED_HOSTS": "fulian.example.cn", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "FIELD_ENCRYPTION_KEYS": "x" * 43 + "=", "ID_HASH_KEY": "y" * 40, "AUDIT_SEAL_KEY": "z" * 40,
           "AUDIT_ARCHIVE_DIR": str(tmp_path / "archive"), "SMS_PROVIDER": "aliyun", "SMS_SIGN_NAME": "网上妇女之家",
           "SMS_ACCESS_KEY_ID": "id", "SMS_ACCESS_KEY_SECRET": "secret", "SMS_TEMPLATE_CODE": "SMS_1",
           "SMS_TEMPLATE_NOTICE": "SMS_2"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({"FULIAN_ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_ui_is_chinese_by_default_and_english_on_request(client):
    assert "干部登录" in client.get(reverse("login")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_she_switches(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "干部登录" in page and 'lang="zh-hans"' in page


@pytest.mark.parametrize("extra,backend", [({}, "RedisCache"), ({"CACHE_BACKEND": "db"}, "DatabaseCache")])
def test_production_counts_limits_in_a_shared_cache(tmp_path, extra, backend):
    """Rate limits and lockouts must be seen by every worker: never a per-process cache in production."""
    env = {**os.environ, "FULIAN_ENV": "production", "SECRET_KEY": "x" * 30 + "production-secret-0123456789-abcdefg",
           "ALLOWED_HOSTS": "fulian.example.cn", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "FIELD_ENCRYPTION_KEYS": "x" * 43 + "=", "ID_HASH_KEY": "y" * 40, **extra}
    if not extra:
        env.pop("CACHE_BACKEND", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c",
         "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"],
        env=env, capture_output=True, text=True, check=False,
    )
    assert result.stdout.strip().endswith(backend), result.stdout + result.stderr


@pytest.mark.parametrize("name,value", [("MEETING_QUORUM", "more-than-half"), ("MEETING_MAJORITY", "2/3"),
                                        ("INCIDENT_STATEMENT_HOURS", "-3"), ("INCIDENT_STATEMENT_HOURS", "24h")])
def test_a_misspelt_or_out_of_range_setting_stops_the_start_with_its_name(tmp_path, name, value):
    """A wrong value never quietly means the default (a quorum rule) or breaks a write later (a negative clock)."""
    env = {**os.environ, name: value, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0 and name in result.stderr and "ImproperlyConfigured" in result.stderr


def test_production_refuses_sm4_without_its_keys(tmp_path):
    env = {**os.environ, "FULIAN_ENV": "production", "SECRET_KEY": "x" * 30 + "production-secret-0123456789-abcdefg",
           "ALLOWED_HOSTS": "fulian.example.cn", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "FIELD_ENCRYPTION_KEYS": "x" * 43 + "=", "ID_HASH_KEY": "y" * 40, "FIELD_CIPHER": "sm4", "SM4_KEYS": ""}
    result = subprocess.run([sys.executable, str(ROOT / "manage.py"), "check"], env=env, capture_output=True,
                            text=True, check=False)
    assert result.returncode != 0 and "SM4_KEYS" in result.stderr
