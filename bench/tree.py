"""Issue 2 figures: loading all of China's divisions; a scoped subtree listing at a province root vs a village."""

import time

from django.db import connection
from django.test import Client

from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.orgs.divisions import divisions_load, divisions_read
from fulian.orgs.models import Level, Unit

from .run import compare


def run(report, *, repeat: int) -> None:
    t = time.perf_counter()
    rows = divisions_read()
    read_s = time.perf_counter() - t

    t = time.perf_counter()
    divisions_load(divisions=rows)
    load_s = time.perf_counter() - t
    report.add("load all China's divisions (s)", f"{load_s:.1f}s", "decompress + parse the file alone",
               f"{read_s:.1f}s", load_s / read_s)
    report.add("load all China's divisions (rows/s)", f"{len(rows) / load_s:,.0f}/s", "rows loaded",
               f"{len(rows):,}", None)

    with connection.cursor() as cursor:  # what autovacuum does after a bulk load in production
        cursor.execute("VACUUM ANALYZE orgs_unit" if connection.vendor == "postgresql" else "ANALYZE")

    hebei = Unit.objects.get(code="130000000000")
    village = Unit.objects.filter(level=Level.VILLAGE, code__startswith="130123100").order_by("code").first()
    hebei_units = Unit.objects.subtree(hebei).count()
    calls = {}
    for unit in (hebei, village):
        user = UserFactory(username=f"bench-{unit.code}", unit=unit, roles=["chair"])
        _token, key = token_create(user=user, name="bench")
        client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
        page_client = Client()
        page_client.force_login(user)
        calls[unit.pk] = (
            lambda client=client, url=f"/api/v1/units?under={unit.pk}&limit=50": _ok(client.get(url)),
            lambda client=page_client, url=f"/units/{unit.pk}/": _ok(client.get(url)),
        )
    for i, kind in enumerate(("API subtree listing (first 50 + count)", "tree browser page")):
        compare(report, kind, calls[hebei.pk][i], calls[village.pk][i], repeat=repeat,
                root_name=f"province, {hebei_units:,} units")


def _ok(response):
    assert response.status_code == 200, response.status_code
