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
    # the second factor's duty off, as in the other tests; a module about it turns it on in env_extra
    env.update({"FULIAN_DATA_DIR": str(tmp), "FULIAN_NEW_PASSWORD": PASSWORD, "TASKS_BACKEND": "immediate",
                "SECOND_FACTOR_REQUIRED": "false", **(env_extra or {})})
    manage = [sys.executable, str(ROOT / "manage.py")]
    prepared = _PREPARED.get(tuple(provinces))
    if prepared is None:  # migrating takes ~20 s: each module after the first starts from a copy
        prepared = _PREPARED[tuple(provinces)] = _prepared(tmp, manage, env, provinces, divisions)
    shutil.copyfile(prepared, tmp / "fulian.sqlite3")
    return manage, env


def _prepared(tmp: Path, manage, env, provinces, divisions) -> Path:
    """The migrated database with `provinces` loaded, made once per test run: under pytest-xdist the workers'
    temporary folders (popen-gw0, popen-gw1 …) share their run's folder, and the first worker there makes it while
    the others wait on a lock (one migration, not one per worker)."""
    import fcntl

    shared = tmp.parent.parent if os.environ.get("PYTEST_XDIST_WORKER") else tmp.parent
    copy = shared / f"prepared-{'-'.join(provinces)}.sqlite3"
    with open(shared / f"prepared-{'-'.join(provinces)}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when this process dies
        if not copy.exists():
            made_env = {**env, "FULIAN_DATA_DIR": str(tmp / "prepared")}  # a folder of its own: its WAL files too
            subprocess.run([*manage, "migrate", "-v0"], env=made_env, check=True)
            subprocess.run([*manage, "load_divisions", *provinces, "--file", str(divisions)], env=made_env,
                           check=True, capture_output=True)
            partial = copy.with_suffix(f".{os.getpid()}.part")
            with contextlib.closing(sqlite3.connect(tmp / "prepared" / "fulian.sqlite3")) as source, \
                    contextlib.closing(sqlite3.connect(partial)) as target:
                source.backup(target)  # the whole database, whatever is still in its WAL
            os.replace(partial, copy)  # whole or absent, never half written
    return copy


def account_create(manage, env, username: str, code: str, role: str, name: str) -> None:
    subprocess.run([*manage, "account_create", username, "--unit", code, "--role", role, "--name", name], env=env,
                   check=True, capture_output=True)


def _listening(proc: subprocess.Popen, port: int) -> bool:
    """Whether `proc` itself listens on `port`: on Linux the listening socket must be one of its own, so a server
    of another test process (xdist's other worker, a second run) that got the same free port is never taken for it;
    elsewhere a connection is enough."""
    try:
        table = Path("/proc/net/tcp").read_text().splitlines()[1:]
        fds = os.listdir(f"/proc/{proc.pid}/fd")
    except OSError:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False
    sockets = set()
    for fd in fds:
        with contextlib.suppress(OSError):  # closed since the listing
            sockets.add(os.readlink(f"/proc/{proc.pid}/fd/{fd}"))
    for line in table:  # sl local_address rem_address st … inode
        fields = line.split()
        if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port and f"socket:[{fields[9]}]" in sockets:
            return True
    return False


@contextlib.contextmanager
def served(manage, env):
    """runserver on a free port until the block ends; yields its base URL. A port taken between free_port() and the
    server's start (by another worker's server) makes that server exit: it starts again on another port."""
    for _attempt in range(5):
        port = free_port()
        proc = subprocess.Popen([*manage, "runserver", "--noreload", f"127.0.0.1:{port}"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and proc.poll() is None and not _listening(proc, port):
            time.sleep(0.1)
        if proc.poll() is None:
            break
    else:
        raise RuntimeError(f"runserver did not start (exit status {proc.returncode})")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextlib.contextmanager
def chromium():
    """Debian's Chromium, headless, for as long as the block lasts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            yield browser
        finally:
            browser.close()


def phone_context(browser, *, workers: str = "allow", timeout_ms: int = 15_000):
    """A browser context the size of a phone (390 × 844), in Chinese, and its page; `workers="block"` as in a
    browser without service workers (WeChat's on an iPhone)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN", service_workers=workers)
    page = context.new_page()
    page.set_default_timeout(timeout_ms)
    return context, page


@contextlib.contextmanager
def phone_page():
    """A Chromium page the size of a phone (390 × 844), in Chinese."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN")
        page.set_default_timeout(10_000)
        yield page


def sign_in(page, server: str, username: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)  # 工作台, or 今日工作 for a village cadre
