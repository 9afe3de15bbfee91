"""The browser tests' harness: a server process of its own on a fresh SQLite file with the fixture tree (the audit
trail's triggers forbid flushing a live_server's test database), and Debian's Chromium as a 390-px phone."""

import contextlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fulian.conftest import TREE
from fulian.core.pinyin import name_initials, name_pinyin

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "Browser2026pass"
ROOT = Path(__file__).resolve().parents[4]
MARKS = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is missing: apt-get install chromium"),
    # the server these tests drive always runs on a SQLite file of its own (site_prepare drops DATABASE_URL), so the
    # PostgreSQL pass of the suite would only repeat the SQLite pass's journeys, minutes each
    pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="drives its own SQLite server: the SQLite pass runs it"),
]
_PREPARED: dict[tuple, Path] = {}  # provinces → a migrated database with the fixture tree, copied for each module


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def site_prepare(tmp: Path, *, provinces=("13",), env_extra: dict | None = None) -> tuple[list[str], dict]:
    """Migrate a fresh database under `tmp` and load the fixture tree; returns (manage command, environment)."""
    divisions = tmp / "divisions.tsv"
    divisions.write_text(
        "".join(f"{c}\t{lv}\t{n}\t{name_initials(n)}\t{name_pinyin(n)}\n" for c, lv, n in TREE), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"FULIAN_DATA_DIR": str(tmp), "FULIAN_NEW_PASSWORD": PASSWORD, "TASKS_BACKEND": "immediate",
                **(env_extra or {})})
    manage = [sys.executable, str(ROOT / "manage.py")]
    prepared = _PREPARED.get(tuple(provinces))
    if prepared is not None:  # migrating takes ~20 s: each module after the first starts from a copy
        shutil.copyfile(prepared, tmp / "fulian.sqlite3")
        return manage, env
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "load_divisions", *provinces, "--file", str(divisions)], env=env, check=True,
                   capture_output=True)
    copy = tmp.parent / f"prepared-{'-'.join(provinces)}.sqlite3"
    with sqlite3.connect(tmp / "fulian.sqlite3") as source, sqlite3.connect(copy) as target:
        source.backup(target)  # the whole database, whatever is still in its WAL
    _PREPARED[tuple(provinces)] = copy
    return manage, env


def account_create(manage, env, username: str, code: str, role: str, name: str) -> None:
    subprocess.run([*manage, "account_create", username, "--unit", code, "--role", role, "--name", name], env=env,
                   check=True, capture_output=True)


@contextlib.contextmanager
def served(manage, env):
    """runserver on a free port until the block ends; yields its base URL."""
    port = free_port()
    proc = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def phone_page():
    """A Chromium page the size of a phone (390 × 844), in Chinese."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page.set_default_timeout(10_000)
        try:
            yield page
        finally:
            browser.close()


def sign_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # 工作台, or 今日工作 for a village cadre
