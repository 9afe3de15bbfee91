"""The migration that builds the standing counts for data loaded before they were kept writes what the
recount expects."""

import importlib

import pytest
from django.apps import apps

from fulian.evaluation.models import Tally
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold
from fulian.orgs.models import Conversion
from fulian.orgs.services import unit_set_conversion

migration = importlib.import_module("fulian.evaluation.migrations.0003_standing_tree_counts")


@pytest.mark.django_db
def test_the_migration_builds_the_standing_counts_the_recount_expects(unit, province_chair):
    from fulian.people.models import Woman

    unit_set_conversion(actor=province_chair, unit=unit("恒东社区"), conversion=Conversion.FEDERATION)
    Woman.objects.create(name="王秀兰", home_unit=unit("恒东社区"), unit_path=unit("恒东社区").path)
    figures_fold()
    Tally.objects.filter(period=0).delete()  # as before the standing counts were kept

    def standing_differences():
        return [d for d in recount().differences if d[1] == 0]

    assert standing_differences()
    migration.standing_counts(apps, None)
    assert not standing_differences()
    assert Tally.objects.get(unit=unit("河北省"), period=0, metric="women").value == 1
