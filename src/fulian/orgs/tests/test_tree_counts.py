"""The tree page reads standing counts kept as figures: they follow loads, removals, organisations and
conversions, equal the recount, and the page reads them in the same few queries at the root and at a village."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fulian.core.figures import STANDING, figures_read
from fulian.evaluation.recount import recount
from fulian.orgs.divisions import divisions_load
from fulian.orgs.models import Conversion, Kind, Level
from fulian.orgs.selectors import unit_children_with_counts, unit_summary
from fulian.orgs.services import unit_create_organisation, unit_set_conversion

from ...conftest import TREE, division


@pytest.mark.django_db
def test_counts_follow_every_change_to_the_tree_and_equal_the_recount(unit, province_chair):
    hebei, county = unit("河北省"), unit("正定县")
    summary = unit_summary(hebei)
    assert {row["level"]: row["count"] for row in summary["levels"]} == {
        Level.CITY: 1, Level.COUNTY: 2, Level.TOWNSHIP: 3, Level.VILLAGE: 4}
    assert (summary["villages"], summary["villages_converted"], summary["organisations"]) == (4, 0, 0)

    unit_set_conversion(actor=province_chair, unit=unit("恒东社区"), conversion=Conversion.FEDERATION)
    unit_create_organisation(actor=province_chair, parent=unit("正定镇"), name="某公司妇委会",
                             kind=Kind.NEW_ORGANISATION)
    hebei_rows = [division(*row) for row in TREE if row[0].startswith("13")]
    divisions_load(divisions=[*hebei_rows, division("130123100220", 5, "新村")], scope=["13"])
    summary = unit_summary(hebei)
    assert (summary["villages"], summary["villages_converted"], summary["organisations"]) == (5, 1, 1)
    assert unit_summary(county)["conversion_rate"] == pytest.approx(1 / 4)
    children = {c.name: (c.unit_count, c.village_count) for c in unit_children_with_counts(county)}
    assert children == {"正定镇": (4, 3), "新安镇": (1, 1)}

    divisions_load(divisions=hebei_rows, scope=["13"])  # 新村 leaves the file
    assert unit_summary(hebei)["villages"] == 4
    assert not recount().differences
    unit_set_conversion(actor=province_chair, unit=unit("恒东社区"), conversion=Conversion.CONGRESS)
    assert figures_read([hebei.pk], [STANDING])[hebei.pk][STANDING]["villages_converted"] == 0
    assert not recount().differences


@pytest.mark.django_db
def test_the_tree_page_reads_as_many_rows_at_the_root_as_at_a_village(client_for, province_chair, unit):
    client = client_for(province_chair)
    counts = {}
    for name in ("河北省", "正定镇"):
        client.get(f"/units/{unit(name).pk}/")  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/units/{unit(name).pk}/").status_code == 200
        counts[name] = len(queries.captured_queries)
        subtree = [q["sql"] for q in queries.captured_queries if "LIKE" in q["sql"] and "orgs_unit" in q["sql"]]
        assert not subtree, subtree  # no query walks the subtree
    assert counts["河北省"] <= counts["正定镇"]
