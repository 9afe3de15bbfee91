"""Issue 3 figures: importing a 100,000-row roster (fulian vs django-import-export bulk vs reading the file),
and the women list at the province root with 1,000,000 women (vs the same list at a village)."""

import datetime as dt
import io
import random
import time
from collections import Counter

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.core.crypto import encrypt, keyed_hash
from fulian.core.excel import Roster
from fulian.core.figures import STANDING, figures_add, period_of
from fulian.core.idnumber import check_char
from fulian.orgs.models import Kind, Level, Unit
from fulian.people.demo import GIVEN, MOBILE_PREFIXES, SURNAMES
from fulian.people.importing import COLUMNS, WomenImport
from fulian.people.models import Woman

from .run import compare

ROSTER_ROWS = 100_000
WOMEN = 1_000_000


class _Rollback(Exception):
    pass


def _villages(prefix: str) -> list[Unit]:
    return list(Unit.objects.filter(level=Level.VILLAGE, kind=Kind.GEOGRAPHIC, code__startswith=prefix)
                .order_by("code").only("id", "code", "path"))


def _person(rng, village, serial):
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    key = (village.code[:6], birth)
    serial[key] = serial.get(key, -1) + 1
    first17 = f"{village.code[:6]}{birth:%Y%m%d}{2 * serial[key]:03d}"
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))
    phone = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"
    return name, first17 + check_char(first17), birth, phone


def build_roster(villages, rows: int, serial: dict) -> bytes:
    rng = random.Random(7)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("妇女名册")
    ws.append([c.title for c in COLUMNS])
    for i in range(rows):
        village = villages[i % len(villages)]
        name, id_number, _birth, phone = _person(rng, village, serial)
        ws.append([name, id_number, phone, village.code, "汉族", "农民", rng.choice(["", "留守", "贫困"]),
                   "妇联联系服务", "2026-03-08"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def import_export_resource():
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    class WomanResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        phone = fields.Field(attribute="phone", column_name="手机号")
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        home_unit = fields.Field(attribute="home_unit", column_name="村(社区)代码",
                                 widget=ForeignKeyWidget(Unit, field="code"))

        class Meta:
            model = Woman
            fields = ("name", "phone", "ethnicity", "home_unit")
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True
            import_id_fields = ()

        def before_save_instance(self, instance, row, **kwargs):
            instance.unit_path = instance.home_unit.path

    return WomanResource()


def run(report, *, repeat: int) -> None:
    if not Unit.objects.filter(code="130000000000").exists():
        from fulian.orgs.divisions import divisions_load, divisions_read

        divisions_load(divisions=divisions_read(provinces=["13"]))
    hebei = Unit.objects.get(code="130000000000")
    villages = _villages("13")
    chair = UserFactory(username="bench-hebei-chair", unit=hebei, roles=["chair"])
    serial: dict = {}  # shared with fill_women so no ID number is made twice
    content = build_roster(villages, ROSTER_ROWS, serial)
    today = dt.date.today()

    t = time.perf_counter()
    for _ in load_workbook(io.BytesIO(content), read_only=True).worksheets[0].iter_rows(values_only=True):
        pass
    read_s = time.perf_counter() - t

    ie_s = None
    try:
        import tablib

        t = time.perf_counter()
        try:
            with transaction.atomic():
                dataset = tablib.Dataset().load(content, format="xlsx")
                result = import_export_resource().import_data(dataset, dry_run=False, raise_errors=True,
                                                              use_transactions=False)
                ie_rows = result.totals.get("new", 0)
                ie_s = time.perf_counter() - t
                raise _Rollback
        except _Rollback:
            pass
    except ImportError:
        print("django-import-export is not installed (make bench installs it): skipping its figure")

    t = time.perf_counter()
    result = WomenImport(actor=chair, today=today).run(Roster(io.BytesIO(content), COLUMNS))
    fulian_s = time.perf_counter() - t
    assert result.counts["created_count"] == ROSTER_ROWS, result.counts
    fulian_rate = ROSTER_ROWS / fulian_s
    read_rate = ROSTER_ROWS / read_s
    report.add(f"import {ROSTER_ROWS:,}-row roster, fulian (rows/s)", f"{fulian_rate:,.0f}/s",
               "openpyxl read-only, reading alone", f"{read_rate:,.0f}/s", fulian_rate / read_rate)
    if ie_s:
        report.add("import same roster, fulian vs django-import-export", f"{fulian_rate:,.0f}/s",
                   "django-import-export 4.4.3 bulk", f"{ie_rows / ie_s:,.0f}/s", fulian_rate / (ie_rows / ie_s))

    t = time.perf_counter()
    again = WomenImport(actor=chair, today=today).run(Roster(io.BytesIO(content), COLUMNS))
    report.add("re-import the same roster (nothing changes)", f"{ROSTER_ROWS / (time.perf_counter() - t):,.0f}/s",
               "rows unchanged", f"{again.counts['unchanged_count']:,}", None)

    fill_women(villages, WOMEN - ROSTER_ROWS, serial)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_woman" if connection.vendor == "postgresql" else "ANALYZE")
    village = Unit.objects.get(pk=villages[0].pk)
    village_cadre = UserFactory(username="bench-village", unit=village, roles=["chair"])
    total = Woman.objects.count()
    calls = {}
    for user in (chair, village_cadre):
        _t, key = token_create(user=user, name="bench")
        api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        page = Client()
        page.force_login(user)
        calls[user.pk] = {
            "women list page": lambda page=page: _ok(page.get("/women/")),
            "API women list (50 + count)": lambda api=api: _ok(api.get("/api/v1/women?limit=50")),
            "women search 'wxl' (pinyin)": lambda page=page: _ok(page.get("/women/", {"q": "wxl"})),
            "women search '5678' (last 4)": lambda page=page: _ok(page.get("/women/", {"q": "5678"})),
        }
    for label in calls[chair.pk]:
        compare(report, label, calls[chair.pk][label], calls[village_cadre.pk][label], repeat=repeat,
                root_name=f"province, {total:,} women")


def _ok(response):
    assert response.status_code == 200, response.status_code


def fill_women(villages, count: int, serial: dict) -> None:
    """The rest of the million, written straight to the table (the importer is measured above)."""
    from fulian.core.pinyin import name_initials, name_pinyin

    rng = random.Random(11)
    batch = []
    per_village: Counter = Counter()
    t = time.perf_counter()
    for i in range(count):
        village = villages[i % len(villages)]
        name, id_number, birth, phone = _person(rng, village, serial)
        batch.append(Woman(name=name, name_initials=name_initials(name), name_pinyin=name_pinyin(name),
                           id_encrypted=encrypt(id_number), phone_last4=phone[-4:],
                           id_hash=keyed_hash(id_number), id_masked=id_number[:3] + "*" * 11 + id_number[-4:],
                           id_last4=id_number[-4:], birth_date=birth, phone=phone, home_unit_id=village.pk,
                           unit_path=village.path, ethnicity="汉族"))
        per_village[village.path] += 1
        if len(batch) == 5000:
            Woman.objects.bulk_create(batch)
            batch = []
    if batch:
        Woman.objects.bulk_create(batch)
    # their figures, as the importer adds them, but summed per village first: one pass of upserts, not one per batch
    period = period_of(timezone.now())
    figures_add([delta for path, n in per_village.items()
                 for delta in ((path, period, "women_registered", n), (path, STANDING, "women", n))])
    print(f"  (filled {count:,} more women in {time.perf_counter() - t:.0f}s)", flush=True)
