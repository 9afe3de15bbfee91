"""`make faults`: the fault drill. On a PostgreSQL cluster of its own (a temporary initdb on its own port; the
shared server is never touched) it runs the application as deployed — gunicorn, `tasks_worker`,
`outbox_send --loop` — and breaks it:

1. a roster import whose worker is killed (SIGKILL) half-way: after the worker is started again and the import
   retried, the registry holds exactly the file's women, none twice;
2. public help requests and cadre contact records sent from several threads while PostgreSQL restarts
   (`pg_ctl restart -m fast`): every write that was acknowledged (2xx with its tracking code / id) is there
   afterwards, writes are acknowledged again after the restart, the workers are still running (and still work:
   a new import completes), and `indicators_recount` finds every figure equal to the records.

Prints PASS/FAIL per check with its duration; exits 1 on any failure; always removes its cluster and processes.
Rate limits are lifted for the run through the environment (as the bench does), never in the code.
"""

# ruff: noqa: S603, S310, S103  (it runs our own commands, calls only its own server on 127.0.0.1, and its temporary
# folder must be readable by the postgres user that owns the cluster inside it)
import argparse
import datetime as dt
import glob
import io
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
COUNTY, VILLAGE = "130123000000", "130123100001"
TREE = [("130000000000", 1, "河北省"), ("130100000000", 2, "石家庄市"), (COUNTY, 3, "正定县"),
        ("130123100000", 4, "正定镇"), (VILLAGE, 5, "恒东社区")]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀兰", "桂英", "春梅", "丽华", "玉珍", "淑芬", "海燕", "晓红", "美玲", "建芳", "雪梅", "爱华"]


class Failed(Exception):
    pass


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise Failed("no free port")


def female_id(n: int) -> str:
    """A valid ID number of a woman born in 正定县: n picks the birth day and an even sequence number."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 450)
    first17 = f"130123{birth:%Y%m%d}{2 * (n % 450) + 100:03d}"
    total = sum(int(d) * w for d, w in zip(first17, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2),
                                               strict=True))
    return first17 + "10X98765432"[total % 11]


def roster(numbers: range) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("妇女名册")
    sheet.append(["姓名", "身份证号", "手机号", "村(社区)代码", "民族", "职业", "标签", "同意用途", "同意日期"])
    today = dt.date.today().isoformat()
    for n in numbers:
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[n // len(SURNAMES) % len(GIVEN)]
        sheet.append([name, female_id(n), None, VILLAGE, "汉族", "农民", None, "妇联联系服务", today])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class Cluster:
    """A throw-away PostgreSQL cluster in a temporary folder (run as the postgres user when we are root)."""

    def __init__(self, base: Path, port: int):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
        if not found:
            raise Failed("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1]).parent
        self.home, self.port = base / "pg", port
        self.data = self.home / "data"
        self.home.mkdir()
        self.as_owner = []
        if os.geteuid() == 0:  # initdb refuses root
            owner = pwd.getpwnam("postgres")
            os.chown(self.home, owner.pw_uid, owner.pw_gid)
            self.as_owner = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args, check=True):
        return subprocess.run([*self.as_owner, *args], check=check, capture_output=True, text=True, cwd="/")

    def _pg_ctl(self, *args, check=True):
        """pg_ctl with the server's output in its log: a server holding our pipe would keep us waiting forever."""
        return subprocess.run([*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.data), "-l",
                               str(self.home / "server.log"), "-w", *args], check=check, cwd="/",
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self):
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8")
        options = f"-c listen_addresses=127.0.0.1 -c port={self.port} -c unix_socket_directories={self.home}"
        self._pg_ctl("-o", options, "start")
        self._run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "fulian")

    def restart(self):
        self._pg_ctl("-m", "fast", "restart")

    def stop(self):
        if self.data.exists():
            self._pg_ctl("-m", "immediate", "stop", check=False)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/fulian"


class Drill:
    def __init__(self, args):
        self.args = args
        self.base = Path(tempfile.mkdtemp(prefix="fulian-faults-"))
        os.chmod(self.base, 0o755)
        self.cluster = Cluster(self.base, free_port(args.pg_port))
        self.web_port = free_port(args.web_port)
        self.processes: dict[str, subprocess.Popen] = {}
        self.results: list[tuple[str, bool, float, str]] = []
        self.env = {
            **os.environ,
            "DATABASE_URL": self.cluster.url,
            "FULIAN_DATA_DIR": str(self.base / "data"),
            "TASKS_BACKEND": "db",
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "CACHE_BACKEND": "locmem",  # no rate limit is counted in this run: nothing to share
            "HELP_REQUESTS_PER_HOUR": str(10**9),
            "HELP_MIN_SECONDS": "0",
            "API_RATE_ANONYMOUS": "1000000/m",
            "API_RATE_CLIENT": "1000000/m",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)

    # processes ---------------------------------------------------------------------------------------------
    def manage(self, *args, env=None, check=True) -> subprocess.CompletedProcess:
        done = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env={**self.env, **(env or {})},
                              capture_output=True, text=True)
        if check and done.returncode:
            raise Failed(f"manage.py {' '.join(args)} exited {done.returncode}: {done.stderr[-2000:]}")
        return done

    def shell(self, code: str) -> dict:
        """Run Python in `manage.py shell`; its last printed line is JSON."""
        out = self.manage("shell", "-c", code).stdout.strip().splitlines()
        return json.loads(out[-1])

    def start(self, name: str, *command, env=None) -> subprocess.Popen:
        logfile = open(self.base / f"{name}.log", "ab")  # noqa: SIM115  (closed with the process)
        process = subprocess.Popen(command, cwd=ROOT, env={**self.env, **(env or {})}, stdout=logfile,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes[name] = process
        return process

    def stop(self, name: str, sig=signal.SIGTERM) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)  # its own session: gunicorn's workers go with it
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def start_worker(self, **env):
        return self.start("tasks_worker", PY, "manage.py", "tasks_worker", env=env)

    # HTTP --------------------------------------------------------------------------------------------------
    def call(self, method: str, path: str, *, token=None, body=None, files=None, timeout=15):
        headers, data = {}, None
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None:
            headers["Content-Type"], data = "application/json", json.dumps(body).encode()
        if files is not None:
            boundary = uuid.uuid4().hex
            name, content = files
            data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                    f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + \
                f"\r\n--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        request = urllib.request.Request(f"http://127.0.0.1:{self.web_port}{path}", data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            return exc.code, None

    def wait_for(self, what: str, test, timeout: float, pause=0.2):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = test()
            if value:
                return value
            time.sleep(pause)
        raise Failed(f"timed out after {timeout:.0f} s waiting for {what}")

    def job(self, job_id: int) -> dict:
        status, job = self.call("GET", f"/api/v1/imports/{job_id}", token=self.chair)
        if status != 200:
            raise Failed(f"GET import {job_id}: {status}")
        return job

    def import_roster(self, numbers: range) -> int:
        status, job = self.call("POST", "/api/v1/imports/women", token=self.chair,
                                files=("roster.xlsx", roster(numbers)), timeout=120)
        if status != 202:
            raise Failed(f"upload answered {status}")
        return job["id"]

    def women(self) -> dict:
        return self.shell("import json\nfrom fulian.people.models import Woman\n"
                          "q = Woman.objects.filter(merged_into__isnull=True)\n"
                          "print(json.dumps({'women': q.count(), "
                          "'distinct': q.values('id_hash').distinct().count()}))")

    # the drill ---------------------------------------------------------------------------------------------
    def check(self, name: str, step) -> None:
        started = time.monotonic()
        log(f"— {name}")
        try:
            detail = step() or ""
            ok = True
        except Failed as exc:
            ok, detail = False, str(exc)
        seconds = time.monotonic() - started
        self.results.append((name, ok, seconds, detail))
        log(f"{'PASS' if ok else 'FAIL'} {name} ({seconds:.1f} s) {detail}")

    def setup(self):
        self.cluster.init()
        t = time.monotonic()
        self.manage("migrate", "--noinput", "-v0")
        log(f"migrated in {time.monotonic() - t:.0f} s")
        tsv = self.base / "divisions.tsv"
        sys.path.insert(0, str(ROOT / "src"))
        from fulian.core.pinyin import name_initials, name_pinyin

        tsv.write_text("".join(f"{c}\t{lv}\t{n}\t{name_initials(n)}\t{name_pinyin(n)}\n" for c, lv, n in TREE))
        self.manage("load_divisions", "13", "--file", str(tsv))
        keys = self.shell(f"""
import json
from fulian.accounts.services import account_create, token_create
from fulian.core.policy import Role
from fulian.orgs.models import Unit
keys = {{}}
for username, code in (("faults-county", "{COUNTY}"), ("faults-village", "{VILLAGE}")):
    user = account_create(actor=None, username=username, unit=Unit.objects.get(code=code), roles=[Role.CHAIR],
                          password="Faults-drill-2026-spring")
    keys[username] = token_create(user=user, name="fault drill")[1]
print(json.dumps(keys))""")
        self.chair, self.village_chair = keys["faults-county"], keys["faults-village"]
        self.start("gunicorn", GUNICORN, "fulian.wsgi", "--pythonpath", "src", "--bind",
                   f"127.0.0.1:{self.web_port}", "--workers", "2", "--timeout", "60", "--graceful-timeout", "5")
        self.start_worker()
        self.start("outbox_send", PY, "manage.py", "outbox_send", "--loop")
        self.wait_for("gunicorn", lambda: self._answers("/api/v1/openapi.json"), 60)

    def _answers(self, path):
        try:
            return self.call("GET", path, timeout=5)[0] == 200
        except OSError:
            return False

    def killed_import(self):
        n = self.args.women
        job_id = self.import_roster(range(n))
        kill_after = max(1, n // 4)
        job = self.wait_for("the import to be under way", lambda: (
            j if (j := self.job(job_id))["processed_rows"] >= kill_after else None), 300, pause=0.05)
        if job["status"] != "running" or job["processed_rows"] >= n:
            raise Failed(f"could not catch the import mid-way ({job['status']}, {job['processed_rows']}/{n}):"
                         " raise --women")
        os.killpg(self.processes["tasks_worker"].pid, signal.SIGKILL)
        self.processes.pop("tasks_worker").wait()
        at_kill = self.women()["women"]
        log(f"worker killed at {job['processed_rows']}/{n} rows ({at_kill} women committed)")
        # started again as a supervisor would; it marks the import its predecessor left "running" as failed
        # at once (IMPORT_STALE_MINUTES=0 for this start only), as it would after the stale period
        self.start_worker(IMPORT_STALE_MINUTES="0")
        self.wait_for("the interrupted import to be marked failed", lambda: self.job(job_id)["status"] == "failed",
                      60)
        status, _job = self.call("POST", f"/api/v1/imports/{job_id}/retry", token=self.chair)
        if status != 200:
            raise Failed(f"retry answered {status}")
        job = self.wait_for("the retried import to finish", lambda: (
            j if (j := self.job(job_id))["status"] in ("done", "failed") else None), 600)
        women = self.women()
        if job["status"] != "done" or job["error_count"] or women != {"women": n, "distinct": n}:
            raise Failed(f"job {job['status']} ({job['message']}), {job['error_count']} errors, "
                         f"{women['women']} women ({women['distinct']} distinct) for {n} in the file")
        if job["processed_rows"] != n or job["total_rows"] != n:
            raise Failed(f"progress {job['processed_rows']}/{job['total_rows']} for {n} rows")
        return (f"{n} women in the file, {at_kill} committed when the worker was killed; after the retry "
                f"{women['women']} women, none twice ({job['created_count']} new, {job['unchanged_count']} unchanged)")

    def restart_under_load(self):
        woman_ids = self.shell("import json\nfrom fulian.people.models import Woman\n"
                               "print(json.dumps(list(Woman.objects.values_list('id', flat=True)[:500])))")
        acked = {"help": [], "contact": []}
        failures: dict[str, int] = {}
        lock = threading.Lock()
        started = time.monotonic()
        stop_at = started + self.args.load_seconds
        restarted: list[float] = []

        def help_request(rng):
            status, body = self.call("POST", "/api/v1/public/cases", body={
                "kind": "mediation", "unit_code": VILLAGE, "description": "家里有矛盾，想请妇联帮忙调解。",
                "name": "刘女士", "phone": "13812345678", "client_token": uuid.uuid4().hex}, timeout=10)
            return status, body and body.get("tracking_code")

        def contact(rng):
            status, body = self.call("POST", f"/api/v1/women/{rng.choice(woman_ids)}/contacts",
                                     token=self.village_chair, timeout=10,
                                     body={"contacted_on": dt.date.today().isoformat(), "channel": "phone",
                                           "views": "关心孩子上学", "client_token": uuid.uuid4().hex})
            return status, body and body.get("id")

        def client(kind, send, seed):
            rng = random.Random(seed)
            while time.monotonic() < stop_at:
                try:
                    status, key = send(rng)
                except OSError as exc:  # refused, reset, timed out: not acknowledged, nothing to find later
                    status, key = type(exc).__name__, None
                with lock:
                    if isinstance(status, int) and 200 <= status < 300 and key:
                        acked[kind].append((time.monotonic(), key))
                    else:
                        failures[f"{kind} {status}"] = failures.get(f"{kind} {status}", 0) + 1
                        time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(kind, send, i), daemon=True)
                   for i in range(self.args.clients)
                   for kind, send in (("help", help_request), ("contact", contact))]
        for thread in threads:
            thread.start()
        time.sleep(self.args.load_seconds / 3)
        log("restarting PostgreSQL (pg_ctl restart -m fast) under load")
        self.cluster.restart()
        restarted.append(time.monotonic())
        for thread in threads:
            thread.join(timeout=self.args.load_seconds + 30)
        if any(t.is_alive() for t in threads):
            raise Failed("load threads did not stop")
        log(f"acknowledged: {len(acked['help'])} help requests, {len(acked['contact'])} contacts; "
            f"not acknowledged: {failures or 'none'}")
        (self.base / "acked.json").write_text(json.dumps({k: [key for _t, key in v] for k, v in acked.items()}))
        missing = self.shell(f"""
import json
from fulian.cases.models import Case
from fulian.contacts.models import ContactLog
acked = json.load(open({str(self.base / "acked.json")!r}))
found_cases = set(Case.objects.filter(tracking_code__in=acked["help"]).values_list("tracking_code", flat=True))
found_contacts = set(ContactLog.objects.filter(id__in=acked["contact"]).values_list("id", flat=True))
print(json.dumps({{"help": sorted(set(acked["help"]) - found_cases),
                  "contact": sorted(set(acked["contact"]) - found_contacts)}}))""")
        if missing["help"] or missing["contact"]:
            raise Failed(f"acknowledged but lost: {len(missing['help'])} help requests "
                         f"{missing['help'][:5]}, {len(missing['contact'])} contacts {missing['contact'][:5]}")
        after = {k: sum(1 for t, _key in v if t > restarted[0]) for k, v in acked.items()}
        if not all(after.values()):
            raise Failed(f"nothing acknowledged after the restart: {after}")
        if not all(acked.values()):
            raise Failed("the load wrote nothing")
        return (f"{len(acked['help'])} help requests and {len(acked['contact'])} contacts acknowledged, all "
                f"present ({after['help']} and {after['contact']} after the restart); unacknowledged: "
                f"{sum(failures.values())}")

    def workers_alive(self):
        dead = [name for name, p in self.processes.items() if p.poll() is not None]
        if dead:
            raise Failed(f"exited: {', '.join(dead)} (see {self.base}/<name>.log)")
        before = self.women()["women"]
        job_id = self.import_roster(range(10**6, 10**6 + 20))
        job = self.wait_for("an import after the restart", lambda: (
            j if (j := self.job(job_id))["status"] in ("done", "failed") else None), 180)
        if job["status"] != "done" or self.women()["women"] != before + 20:
            raise Failed(f"an import after the restart: {job['status']} {job['message']}")
        return f"{', '.join(self.processes)} running; an import queued after the restart completed"

    def recount(self):
        done = self.manage("indicators_recount", check=False)
        if done.returncode:
            raise Failed(f"figures differ from the records:\n{done.stdout[-3000:]}{done.stderr[-1000:]}")
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    def run(self) -> int:
        started = time.monotonic()
        try:
            self.check("setup: own PostgreSQL, gunicorn, tasks_worker, outbox_send --loop", self.setup)
            if self.results[-1][1]:
                self.check("import survives its worker killed (SIGKILL) half-way", self.killed_import)
                self.check("acknowledged writes survive a PostgreSQL restart under load", self.restart_under_load)
                self.check("workers still running and working after the restart", self.workers_alive)
                self.check("indicators_recount: live figures equal the records", self.recount)
        except KeyboardInterrupt:
            self.results.append(("interrupted", False, 0.0, "Ctrl-C"))
        finally:
            for name in list(self.processes):
                self.stop(name)
            self.cluster.stop()
            if self.args.keep or not all(ok for _n, ok, _s, _d in self.results):
                kept = self.base.with_name(self.base.name + "-logs")
                shutil.copytree(self.base, kept, ignore=shutil.ignore_patterns("pg", "data"), dirs_exist_ok=True)
                log(f"logs kept in {kept}")
            shutil.rmtree(self.base, ignore_errors=True)
        total = time.monotonic() - started
        print("\nfault drill summary")
        for name, ok, seconds, detail in self.results:
            print(f"  {'PASS' if ok else 'FAIL'}  {seconds:6.1f} s  {name}\n{'':16}{detail}")
        failed = sum(not ok for _n, ok, _s, _d in self.results)
        print(f"{len(self.results) - failed} passed, {failed} failed in {total:.0f} s")
        return 1 if failed or len(self.results) < 5 else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--women", type=int, default=20000, help="rows of the roster whose worker is killed")
    parser.add_argument("--clients", type=int, default=3, help="threads of each kind (help requests, contacts)")
    parser.add_argument("--load-seconds", type=float, default=24, help="length of the load; restart at a third")
    parser.add_argument("--pg-port", type=int, default=55432)
    parser.add_argument("--web-port", type=int, default=58001)
    parser.add_argument("--keep", action="store_true", help="keep the logs even when every check passes")
    return Drill(parser.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
