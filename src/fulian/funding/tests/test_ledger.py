"""The ledger's rules: amounts exact and sane, overspending recorded with a warning, a posted line never edited
(corrected by a reversal and a new line), receipts confirmed once, another county's ledger invisible."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from fulian.core.errors import Conflict
from fulian.core.figures import figure_values
from fulian.evaluation.recount import recount
from fulian.evaluation.tallies import figures_fold
from fulian.funding.ledger import (
    access_entry_by_id,
    balance_of,
    disbursement_post,
    entry_correct,
    expense_post,
    receipt_confirm,
    receipt_post,
)
from fulian.funding.models import Entry

TODAY = timezone.localdate()


def _values(unit, keys):
    year = TODAY.year
    return figure_values([unit.pk], keys, start=year * 100 + 1, end=year * 100 + 12)[unit.pk]


@pytest.mark.django_db
@pytest.mark.parametrize("amount, message", [
    ("-5.00", "要大于零"), ("0", "要大于零"), ("12.345", "最多精确到分"), ("abc", "要是数字"), ("NaN", "要是数字"),
    ("1e20", "太大"), (12.345, "最多精确到分"), ("1_000", "要是数字"), ("١٢٣", "要是数字"), ("１２３", "要是数字"),
])
def test_a_bad_amount_is_refused_with_a_clear_message(unit, county_chair, amount, message):
    with pytest.raises(ValidationError) as refused:
        receipt_post(actor=county_chair, unit=unit("正定县"), on_date=TODAY, amount=amount, source="government",
                     payer="正定县财政局")
    assert message in refused.value.messages[0]
    assert not Entry.objects.exists()


@pytest.mark.django_db
def test_a_future_date_is_refused(unit, county_chair):
    with pytest.raises(ValidationError):
        receipt_post(actor=county_chair, unit=unit("正定县"), on_date=TODAY + dt.timedelta(days=1), amount="10",
                     source="government")


@pytest.mark.django_db
def test_spending_more_than_received_is_recorded_with_a_warning(unit, county_chair):
    county = unit("正定县")
    receipt_post(actor=county_chair, unit=county, on_date=TODAY, amount="1000.00", source="government",
                 payer="正定县财政局")
    fine = expense_post(actor=county_chair, unit=county, on_date=TODAY, amount="600.00", purpose="training")
    assert fine.warning == ""
    over = expense_post(actor=county_chair, unit=county, on_date=TODAY, amount="500.00", purpose="activities")
    assert over.pk and "超出已到账经费" in over.warning and "400.00" in over.warning
    assert balance_of(county) == Decimal("-100.00")
    assert _values(county, ["funds_spent", "funds_spent_activities"]) == {
        "funds_spent": Decimal("1100.00"), "funds_spent_activities": Decimal("500.00")}


@pytest.mark.django_db
def test_a_posted_line_is_never_edited_but_corrected_by_a_reversal_and_a_new_line(unit, county_chair):
    county = unit("正定县")
    wrong = receipt_post(actor=county_chair, unit=county, on_date=TODAY, amount="10000.00", source="party")
    wrong.amount = Decimal("1000.00")
    with pytest.raises(ValidationError):
        wrong.save()
    wrong.refresh_from_db()
    assert wrong.amount == Decimal("10000.00")
    reversal, right = entry_correct(actor=county_chair, entry=wrong, reason="多打了一个零", amount="1000.00")
    assert reversal.amount == Decimal("-10000.00") and reversal.reverses == wrong and reversal.on_date == wrong.on_date
    assert right.amount == Decimal("1000.00") and right.replaces == wrong and right.source == "party"
    assert Entry.objects.count() == 3
    assert _values(county, ["funds_in", "funds_in_party"]) == {"funds_in": Decimal("1000.00"),
                                                               "funds_in_party": Decimal("1000.00")}
    with pytest.raises(Conflict):
        entry_correct(actor=county_chair, entry=wrong, reason="再改一次", amount="900.00")
    with pytest.raises(ValidationError):
        entry_correct(actor=county_chair, entry=reversal, reason="冲销的冲销")
    with pytest.raises(ValidationError):
        entry_correct(actor=county_chair, entry=right, reason="")
    figures_fold()
    assert recount().differences == []


@pytest.mark.django_db
def test_a_disbursement_is_confirmed_once_and_cannot_be_corrected_after(unit, county_chair, village_cadre):
    county, village = unit("正定县"), unit("恒东社区")
    receipt_post(actor=county_chair, unit=county, on_date=TODAY, amount="5000", source="government")
    paid = disbursement_post(actor=county_chair, unit=county, to_unit=village, on_date=TODAY, amount="3000")
    got = receipt_confirm(actor=village_cadre, disbursement=paid, on_date=TODAY)
    assert got.amount == Decimal("3000.00") and got.source == "parent" and got.other_unit == county
    with pytest.raises(Conflict):
        receipt_confirm(actor=village_cadre, disbursement=paid, on_date=TODAY)
    with pytest.raises(ValidationError):
        entry_correct(actor=county_chair, entry=paid, reason="金额错了", amount="2000")
    assert _values(village, ["funds_in_village", "funds_villages_reached"]) == {
        "funds_in_village": Decimal("3000.00"), "funds_villages_reached": 1}
    entry_correct(actor=village_cadre, entry=got, reason="银行退回")
    assert _values(unit("河北省"), ["funds_villages_reached"]) == {"funds_villages_reached": 0}
    figures_fold()
    assert recount().differences == []


@pytest.mark.django_db
def test_a_disbursement_goes_only_down_the_tree(unit, county_chair):
    with pytest.raises(ValidationError):
        disbursement_post(actor=county_chair, unit=unit("正定县"), to_unit=unit("南关村"), on_date=TODAY, amount="1")
    with pytest.raises(ValidationError):
        disbursement_post(actor=county_chair, unit=unit("正定县"), to_unit=unit("正定县"), on_date=TODAY, amount="1")


@pytest.mark.django_db
def test_a_sibling_county_sees_none_of_the_ledger(unit, county_chair, sibling_county_cadre):
    from fulian.core.policy import OutOfScope
    from fulian.funding.ledger import ledger_for

    line = receipt_post(actor=county_chair, unit=unit("正定县"), on_date=TODAY, amount="1", source="other")
    with pytest.raises(Http404):
        access_entry_by_id(sibling_county_cadre, line.pk)
    with pytest.raises(OutOfScope):
        ledger_for(sibling_county_cadre, unit("正定县"))
    with pytest.raises(OutOfScope):
        receipt_post(actor=sibling_county_cadre, unit=unit("正定县"), on_date=TODAY, amount="1", source="other")
    assert access_entry_by_id(county_chair, line.pk) == line


@pytest.mark.django_db
def test_a_double_submit_posts_once(unit, county_chair):
    county = unit("正定县")
    first = expense_post(actor=county_chair, unit=county, on_date=TODAY, amount="10", purpose="care",
                         client_token="tok-1")
    again = expense_post(actor=county_chair, unit=county, on_date=TODAY, amount="10", purpose="care",
                         client_token="tok-1")
    assert first.pk == again.pk and Entry.objects.count() == 1


@pytest.mark.django_db
def test_an_expense_other_than_the_listed_purposes_needs_a_note_and_links_only_what_she_sees(unit, county_chair):
    with pytest.raises(ValidationError):
        expense_post(actor=county_chair, unit=unit("正定县"), on_date=TODAY, amount="10", purpose="other")
    with pytest.raises(ValidationError) as refused:
        expense_post(actor=county_chair, unit=unit("正定县"), on_date=TODAY, amount="10", purpose="care",
                     link_kind="help_plan", link_id=999999)
    assert "找不到" in refused.value.messages[0]
