"""Issue 22 figures: a village cadre's phone syncing 100 contacts it queued offline against the same 100 sent online,
one by one, over the same served Django (gunicorn, as the cases part serves it) in the same run, the same session.

A village cadre (staff of a Hebei village, a password sign-in: no second factor is asked of village staff) with
WOMEN assigned women of her village, each contacted once before (some with an open need, some with a follow-up
due), signs in through the sign-in page. Each round, timed as the total wall time of its side:
- online: ITEMS separate POSTs of the contact form (/women/<id>/contacts/new/, the ContactForm fields as the page
  posts them, session cookie and CSRF token; answered 302 to her record, which is not followed — the form's
  entry-time stamp is left out, so no burden row is written on this side);
- sync: the same ITEMS contacts (same content, new client tokens) queued as the phone queues them (kind contact,
  owner from GET /api/v1/me/offline, on today, made_at now) in one POST /api/v1/contacts/sync — or in turns of
  max_items, as GET /me/offline tells the phone — with the same session and its CSRF header.
The sides alternate which goes first, over ROUNDS rounds; the figure is the median of the rounds' sync/online ratio
(the goal: ≤ 1.5×; lower is better). Then the integrity of what was written (contacts = items sent; every synced
item applied; figures equal indicators_recount), and the cached size: 今日工作 for her WOMEN women, raw and
gzip-compressed, and the scripts and stylesheets the page loads (read from the static files, as WhiteNoise serves
them), which is what the phone keeps.
"""

import datetime as dt
import gzip
import http.client
import json
import re
import statistics
import time
import urllib.parse
import uuid

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from django.utils import timezone

from fulian.accounts.tests.factories import PASSWORD, UserFactory
from fulian.contacts.models import Assignment, Channel, ContactLog, NeedCategory, SyncReceipt
from fulian.contacts.services import contact_log_create
from fulian.core.figures import STANDING, figures_add, period_of
from fulian.core.pinyin import name_initials, name_pinyin
from fulian.core.policy import Role
from fulian.orgs.models import Kind, Level, Unit
from fulian.people.demo import GIVEN, MOBILE_PREFIXES, SURNAMES
from fulian.people.models import Woman

from .cases import _free_port, _serve
from .run import ROUNDS, recount_says

PROVINCE = "130000000000"
WOMEN = 100
ITEMS = 100
WARM = 10  # items of each side sent once before the rounds: the server's first requests are not timed
CONTENT = {"channel": Channel.HOME_VISIT, "views": "身体还好，孩子在县城上学，想在家附近找份活干。",
           "help_given": "介绍了县妇联的家政培训班，留了报名电话。", "needs": [NeedCategory.EMPLOYMENT]}
_SCRIPT = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"', re.I)
_STYLESHEET = re.compile(r'<link\b(?=[^>]*\brel="stylesheet")[^>]*\bhref="([^"]+)"', re.I)


class Browser:
    """One keep-alive connection and its cookies, as her phone's browser holds them."""

    def __init__(self, port: int):
        self.origin = f"http://127.0.0.1:{port}"
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}

    def send(self, method: str, url: str, body: bytes | None = None, headers: dict | None = None,
             expect: int = 200) -> bytes:
        headers = {**(headers or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if method == "POST":
            headers["Origin"] = self.origin
        self.conn.request(method, url, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for cookie in response.msg.get_all("Set-Cookie") or []:
            name, _sep, value = cookie.split(";")[0].partition("=")
            self.cookies[name.strip()] = value.strip()
        if response.status != expect:
            raise RuntimeError(f"{method} {url}: {response.status} (expected {expect}): {data[:300]!r}")
        return data

    def form(self, url: str, fields: list[tuple[str, str]], expect: int = 302) -> bytes:
        return self.send("POST", url, urllib.parse.urlencode(fields).encode(),
                         {"Content-Type": "application/x-www-form-urlencoded"}, expect=expect)

    def api(self, url: str, payload: dict, csrf: str) -> dict:
        body = json.dumps(payload, ensure_ascii=False).encode()
        return json.loads(self.send("POST", url, body, {"Content-Type": "application/json", "X-CSRFToken": csrf}))


def build(today: dt.date):
    """Her village (the last Hebei village nobody in the bench works in), her WOMEN women assigned to her, and one
    earlier contact with each of them, written through the service."""
    if not Unit.objects.filter(code=PROVINCE).exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    village = (Unit.objects.filter(level=Level.VILLAGE, kind=Kind.GEOGRAPHIC, code__startswith="13")
               .exclude(accounts__isnull=False).order_by("-code").first())
    cadre = UserFactory(username="bench-offline-cadre", full_name="杨春燕", unit=village, roles=[Role.STAFF])
    rows = []
    for i in range(WOMEN):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(7 * i) % len(GIVEN)] + GIVEN[(11 * i + 3) % len(GIVEN)]
        rows.append(Woman(name=name, name_initials=name_initials(name), name_pinyin=name_pinyin(name),
                          phone=f"{MOBILE_PREFIXES[i % len(MOBILE_PREFIXES)]}{40_000_000 + i:08d}",
                          phone_last4=f"{i:04d}", birth_date=dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28),
                          home_unit_id=village.pk, unit_path=village.path, ethnicity="汉族", is_assigned=True))
    women = Woman.objects.bulk_create(rows)
    figures_add([(village.path, period_of(timezone.now()), "women_registered", WOMEN),
                 (village.path, STANDING, "women", WOMEN)])  # as the importer adds them
    Assignment.objects.bulk_create([Assignment(woman=w, cadre=cadre, assigned_on=today - dt.timedelta(days=90))
                                    for w in women])
    for i, woman in enumerate(women):  # her history: a contact in the last 80 days, every other one with a need
        on = today - dt.timedelta(days=1 + i % 80)
        contact_log_create(actor=cadre, woman=woman, contacted_on=on, channel=Channel.PHONE, today=today,
                           views="", help_given="", needs=[(NeedCategory.HEALTH, "")] if i % 2 else [],
                           follow_up_on=on + dt.timedelta(days=30) if i % 3 == 0 else None)
    return village, cadre, [w.pk for w in women]


def online(phone: Browser, csrf: str, women: list[int], today: dt.date, n: int) -> float:
    """n separate contact-form posts, one after another; seconds."""
    t = time.perf_counter()
    for i in range(n):
        fields = [("csrfmiddlewaretoken", csrf), ("contacted_on", today.isoformat()),
                  ("channel", CONTENT["channel"]), ("views", CONTENT["views"]), ("help_given", CONTENT["help_given"]),
                  *(("need_categories", c) for c in CONTENT["needs"]),
                  ("need_description", ""), ("follow_up_on", (today + dt.timedelta(days=14)).isoformat()),
                  ("field_week", ""), ("client_token", uuid.uuid4().hex)]
        phone.form(f"/women/{women[i % len(women)]}/contacts/new/", fields)
    return time.perf_counter() - t


def sync(phone: Browser, csrf: str, women: list[int], unit: int, today: dt.date, offline: dict, n: int) -> float:
    """The same contacts queued (made before the clock starts, as the phone made them offline), sent in turns of
    max_items; seconds. Every item must come back applied."""
    made_at = timezone.localtime().isoformat()
    items = [{"token": uuid.uuid4().hex, "kind": "contact", "owner": offline["owner"], "on": today.isoformat(),
              "made_at": made_at, "woman": women[i % len(women)], "unit": unit, "channel": CONTENT["channel"],
              "views": CONTENT["views"], "help_given": CONTENT["help_given"], "needs": list(CONTENT["needs"]),
              "need_description": "", "follow_up_on": (today + dt.timedelta(days=14)).isoformat()}
             for i in range(n)]
    step = offline["max_items"]
    t = time.perf_counter()
    results = []
    for start in range(0, len(items), step):
        results += phone.api("/api/v1/contacts/sync", {"items": items[start:start + step]}, csrf)["results"]
    elapsed = time.perf_counter() - t
    wrong = [r for r in results if r["state"] != "applied"]
    if len(results) != len(items) or wrong:
        raise RuntimeError(f"sync: {len(results)} results for {len(items)} items, not applied: {wrong[:3]}")
    return elapsed


def _static(url: str) -> bytes | None:
    found = finders.find(urllib.parse.urlsplit(url).path.removeprefix(settings.STATIC_URL))
    if found is None:
        return None
    with open(found, "rb") as fh:
        return fh.read()


def cached_size(report, page: bytes) -> None:
    """今日工作 as served to her, and the scripts and stylesheets it loads, raw and gzip-compressed (level 9, as
    WhiteNoise compresses the static files)."""
    html = page.decode()
    women = len(set(re.findall(r'data-woman="(\d+)"', html)))
    report.add(f"offline: cached 今日工作 page ({women} women on it), gzip",
               f"{len(gzip.compress(page, 9)) / 1024:.1f} KB", "raw", f"{len(page) / 1024:.1f} KB", None)
    assets = list(dict.fromkeys(_STYLESHEET.findall(html) + _SCRIPT.findall(html)))
    raw = packed = 0
    missing = []
    for url in assets:
        data = _static(url)
        if data is None:
            missing.append(url)
            continue
        raw += len(data)
        packed += len(gzip.compress(data, 9))
        print(f"    {url}: {len(data) / 1024:.1f} KB raw, {len(gzip.compress(data, 9)) / 1024:.1f} KB gzip",
              flush=True)
    note = f"; not found: {', '.join(missing)}" if missing else ""
    report.add(f"offline: its {len(assets) - len(missing)} scripts and stylesheets, gzip", f"{packed / 1024:.1f} KB",
               f"raw{note}", f"{raw / 1024:.1f} KB", None)
    report.add("offline: page + static files, gzip", f"{(len(gzip.compress(page, 9)) + packed) / 1024:.1f} KB",
               "raw", f"{(len(page) + raw) / 1024:.1f} KB", None)


def run(report, *, repeat: int) -> None:
    today = timezone.localdate()
    t = time.perf_counter()
    village, cadre, women = build(today)
    print(f"  (her village {village.code} {village.name}: {len(women)} women assigned, each contacted once before; "
          f"built in {time.perf_counter() - t:.0f}s)", flush=True)
    contacts_before, receipts_before = ContactLog.objects.count(), SyncReceipt.objects.count()
    connection.close()
    port = _free_port()
    server = _serve(port)
    rounds = []
    sent = 0
    try:
        phone = Browser(port)
        login = phone.send("GET", "/accounts/login/").decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        phone.form("/accounts/login/", [("csrfmiddlewaretoken", token), ("username", cadre.username),
                                        ("password", PASSWORD)])
        page = phone.send("GET", "/today/")
        csrf = re.search(r'"X-CSRFToken": "([^"]+)"', page.decode()).group(1)
        offline = json.loads(phone.send("GET", "/api/v1/me/offline"))
        online(phone, csrf, women, today, WARM)  # warm the paths once, as a running server is
        sync(phone, csrf, women, village.pk, today, offline, WARM)
        sent += 2 * WARM
        for n in range(ROUNDS):  # interleaved, the side that goes first alternating
            if n % 2 == 0:
                on = online(phone, csrf, women, today, ITEMS)
                sy = sync(phone, csrf, women, village.pk, today, offline, ITEMS)
            else:
                sy = sync(phone, csrf, women, village.pk, today, offline, ITEMS)
                on = online(phone, csrf, women, today, ITEMS)
            rounds.append((sy, on))
            sent += 2 * ITEMS
            print(f"    round {n + 1}: sync {sy:.2f}s, online {on:.2f}s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    sync_s = statistics.median(r[0] for r in rounds)
    online_s = statistics.median(r[1] for r in rounds)
    turns = -(-ITEMS // offline["max_items"])
    report.add(f"offline: sync {ITEMS} queued contacts ({turns} POST /api/v1/contacts/sync)", f"{sync_s:.2f}s",
               f"same {ITEMS} online, {ITEMS} form POSTs", f"{online_s:.2f}s",
               statistics.median(r[0] / r[1] for r in rounds))
    report.add("offline: per item, synced", f"{sync_s * 1000 / ITEMS:.1f} ms", "per item, online form POST",
               f"{online_s * 1000 / ITEMS:.1f} ms", None)

    contacts = ContactLog.objects.count() - contacts_before
    receipts = SyncReceipt.objects.count() - receipts_before
    recount, said = recount_says()
    line = (f"sent {sent} = contacts {contacts} (receipts {receipts} = {sent // 2} synced); {recount} "
            f"({said})")
    print(f"  integrity: {line}", flush=True)
    report.add("offline: integrity", "ok" if sent == contacts and receipts == sent // 2 and recount ==
               "recount equal" else "FAILED", line, "", None)
    cached_size(report, page)
