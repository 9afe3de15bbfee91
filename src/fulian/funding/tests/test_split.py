"""The remainder rule of every split (split.py): parts sum to the total to the fen, the odd fen go to the largest
fractional remainders, ties to the earlier part; floors first."""

from decimal import Decimal

import pytest

from fulian.funding.split import SplitError, percent_of, split_fen, to_fen, to_yuan


def test_parts_sum_to_the_total_and_odd_fen_go_to_the_largest_remainders():
    # 100 fen by 1:1:1 → 33.33… each; one fen left, all remainders equal: the first part takes it
    assert split_fen(100, [1, 1, 1]) == [34, 33, 33]
    # 1000 fen by 1:2:4 → 142.857, 285.714, 571.428: 142+285+571 = 998, the two fen to .857 and .714
    assert split_fen(1000, [1, 2, 4]) == [143, 286, 571]
    assert split_fen(1_000_000_000, [7, 11, 13, 17]) and sum(split_fen(1_000_000_000, [7, 11, 13, 17])) == 10**9


def test_floors_come_first_and_the_rest_by_weight():
    assert split_fen(1000, [1, 0], [300, 300]) == [700, 300]
    with pytest.raises(SplitError):
        split_fen(500, [1, 1], [300, 300])


def test_no_weight_at_all_splits_equally():
    assert split_fen(10, [0, 0, 0]) == [4, 3, 3]


def test_fen_and_yuan_are_exact_and_a_percentage_rounds_down():
    assert to_fen(Decimal("12345678.91")) == 1234567891
    assert to_yuan(1234567891) == Decimal("12345678.91")
    assert percent_of(1001, Decimal("5")) == 50  # 50.05 fen kept: the odd part goes on down
