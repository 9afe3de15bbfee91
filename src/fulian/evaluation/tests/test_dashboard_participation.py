"""The dashboard's 参与率 from the survey beside the records' share of registered women who took part in activities
(women_reached_year: each woman once in the year ÷ women registered at its end, read by name from the figure
registry), with a note when the two are more than 10 points apart; each child unit has its own."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fulian.core.figures import figures_add, period_of
from fulian.evaluation.selectors import participation_from_records
from fulian.people.services import WomanData, woman_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def registered(county_chair, unit):
    for given in "一二三四五六七八九十":
        woman_create(actor=county_chair, data=WomanData(name=f"王秀{given}", home_unit=unit("恒东社区")))


def survey_says(unit, answered, positive):
    month = period_of(timezone.now())
    figures_add([(unit.path, month, "participation_answered", answered),
                 (unit.path, month, "participation_positive", positive)])


def took_part(unit, n):
    figures_add([(unit.path, period_of(timezone.now()), "women_reached_year", n)])


def test_both_rates_show_and_a_gap_over_ten_points_is_noted(registered, client_for, county_chair, unit):
    took_part(unit("恒东社区"), 3)
    survey_says(unit("恒东社区"), answered=10, positive=8)
    page = client_for(county_chair).get(reverse("dashboard", args=[unit("正定县").pk])).content.decode()
    assert "实际参与率（活动记录）" in page and "30%" in page and "80%" in page and "3 / 10" in page
    assert "相差超过10个百分点" in page
    assert participation_from_records([unit("正定镇").pk, unit("新安镇").pk], year=timezone.localdate().year) == {
        unit("正定镇").pk: {"reached": 3, "registered": 10, "rate": 0.3},
        unit("新安镇").pk: {"reached": 0, "registered": 0, "rate": None}}


def test_rates_that_agree_carry_no_note_and_no_records_show_no_data(registered, client_for, county_chair, unit):
    took_part(unit("恒东社区"), 3)
    survey_says(unit("恒东社区"), answered=10, positive=3)
    page = client_for(county_chair).get(reverse("dashboard", args=[unit("恒东社区").pk])).content.decode()
    assert "30%" in page and "相差超过10个百分点" not in page
    empty = client_for(county_chair).get(reverse("dashboard", args=[unit("西柏棠村").pk])).content.decode()
    assert "实际参与率（活动记录）" in empty and "相差超过10个百分点" not in empty


def test_the_records_rate_is_of_the_year_asked_for(registered, client_for, county_chair, unit):
    took_part(unit("恒东社区"), 4)
    last_year = timezone.localdate().year - 1
    assert participation_from_records([unit("恒东社区").pk], year=last_year)[unit("恒东社区").pk]["reached"] == 0
    page = client_for(county_chair).get(reverse("dashboard", args=[unit("恒东社区").pk]),
                                        {"year": last_year}).content.decode()
    assert "0 / 0" in page


def test_the_export_carries_the_records_rate(registered, client_for, county_chair, unit):
    from fulian.people.tests.helpers import read_xlsx

    took_part(unit("恒东社区"), 3)
    rows = read_xlsx(client_for(county_chair).post(reverse("dashboard_export", args=[unit("正定县").pk])).content)
    assert rows[0][-2:] == ("参加活动妇女", "实际参与率(活动记录)") and rows[1][-2:] == (3, 30)
