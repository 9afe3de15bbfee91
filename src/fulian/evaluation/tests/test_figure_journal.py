"""The figure journal: writers append, readers add what is not folded yet, a fold moves it into Tally exactly once
even while writers and other folds run at the same moment (PostgreSQL: real connections), and the recount is
equal whether or not the journal has been folded."""

import threading

import pytest
from django.db import connection

from fulian.core.figures import figures_add
from fulian.core.writes import write_path
from fulian.evaluation.models import Tally, TallyDelta
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold, figures_for

VILLAGES = ["恒东社区", "张家庄村", "西柏棠村", "南关村"]


def total(unit, period, metric="contacts"):
    return figures_for([unit.pk], [period]).get(unit.pk, {}).get(period, {}).get(metric, 0)


@pytest.mark.django_db
def test_figures_read_the_journal_and_tally_alike_before_and_after_a_fold(unit):
    hebei, village = unit("河北省"), unit("恒东社区")
    figures_add([(village.path, 202611, "contacts", 3), (village.path, 202612, "contacts", 2)])
    assert total(hebei, 202611) == 3 and total(hebei, 202600) == 5 and total(village, 202612) == 2
    assert not Tally.objects.filter(metric="contacts").exists()
    figures_fold()
    figures_add([(village.path, 202611, "contacts", -1)])
    assert total(hebei, 202611) == 2 and total(hebei, 202600) == 4  # folded 3, journal -1
    assert total(unit("行唐县"), 202611) == 0


@pytest.mark.django_db
def test_the_recount_is_equal_with_journal_rows_not_folded_and_fix_clears_them(unit):
    figures_add([(unit("恒东社区").path, 202611, "contacts", 1)])  # a figure with no record behind it
    assert TallyDelta.objects.exists()
    differences = [d for d in recount().differences if d[2] == "contacts"]
    assert {d[3] for d in differences} == {1} and {d[4] for d in differences} == {0}
    figures_add([(unit("恒东社区").path, 202611, "contacts", -1)])
    assert not recount().differences  # Tally + journal equals the records, nothing folded
    figures_add([(unit("恒东社区").path, 202611, "contacts", 4)])
    assert recount(fix=True).fixed
    assert not TallyDelta.objects.exists() and not recount().differences


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL connections and row locks")
@pytest.mark.django_db(transaction=True)
def test_folds_racing_writers_and_each_other_count_every_delta_exactly_once(tree, unit):
    writers, writes, folders = 6, 40, 3
    paths = [unit(name).path for name in VILLAGES]
    hebei = unit("河北省")
    figures_fold()
    errors, seen = [], [[] for _ in range(folders)]
    done = threading.Event()

    def write(n):
        try:
            for i in range(writes):
                with write_path(collect_only=i % 2 == 0):  # autocommit and transaction alike
                    figures_add([(paths[(n + i) % len(paths)], 202611, "contacts", 1)])
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            connection.close()

    def fold(k):
        try:
            while not done.is_set():
                figures_fold(rows=7)  # small batches: many folds meet the writers and one another
                seen[k].append(total(hebei, 202611))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    folding = [threading.Thread(target=fold, args=(k,)) for k in range(folders)]
    for t in folding + threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    done.set()
    for t in folding:
        t.join(timeout=60)
    assert errors == []
    # writers only add: a reader that saw a fold half done (rows gone from the journal, not yet in Tally, or both)
    # would see the figure go down or jump over the writes made
    assert all(reads == sorted(reads) and all(0 <= v <= writers * writes for v in reads) for reads in seen)
    assert sum(len(reads) for reads in seen) > folders
    expected = writers * writes
    assert total(hebei, 202611) == expected and total(hebei, 202600) == expected  # before the last fold
    figures_fold()
    assert not TallyDelta.objects.exists()
    stored = sum(Tally.objects.filter(unit=hebei, period=202611, metric="contacts").values_list("value", flat=True))
    assert stored == expected
    assert sum(Tally.objects.filter(unit=hebei, period=202600, metric="contacts").values_list("value", flat=True)) \
        == expected
