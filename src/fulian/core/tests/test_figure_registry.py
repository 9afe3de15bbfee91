"""The figure registry: flows sum the period's months, stocks everything up to its end, rates divide flows."""

import pytest

from fulian.core.figures import (
    CURRENT,
    FLOW,
    RATE,
    STANDING,
    STOCK,
    figure_define,
    figure_values,
    figures_add,
    months_between,
)


def test_months_between_crosses_the_year():
    assert months_between(202511, 202602) == [202511, 202512, 202601, 202602]
    assert months_between(202603, 202602) == []


@pytest.fixture(autouse=True)
def _registry_restored(monkeypatch):
    from fulian.core import figures

    monkeypatch.setattr(figures, "_figures", dict(figures._figures))


@pytest.mark.django_db
def test_flow_stock_current_and_rate(unit):
    figure_define("t_flow", "flow", kind=FLOW, metric="t_metric")
    figure_define("t_stock", "stock", kind=STOCK, metric="t_metric")
    figure_define("t_current", "current", kind=CURRENT, metric="t_standing")
    figure_define("t_rate", "rate", kind=RATE, metric="t_part", per="t_metric")
    village = unit("恒东社区")
    figures_add([(village.path, 202412, "t_metric", 4), (village.path, 202602, "t_metric", 3),
                 (village.path, 202604, "t_metric", 5), (village.path, 202607, "t_metric", 100),
                 (village.path, 202604, "t_part", 2), (village.path, STANDING, "t_standing", 9)])
    county = unit("正定县")
    values = figure_values([county.pk, unit("行唐县").pk], ["t_flow", "t_stock", "t_current", "t_rate", "nope"],
                           start=202601, end=202606)
    assert values[county.pk] == {"t_flow": 8, "t_stock": 12, "t_current": 9, "t_rate": 0.25}
    assert values[unit("行唐县").pk] == {"t_flow": 0, "t_stock": 0, "t_current": 0, "t_rate": None}


def test_a_rate_needs_its_denominator():
    with pytest.raises(ValueError):
        figure_define("t_bad", "bad", kind=RATE, metric="x")
