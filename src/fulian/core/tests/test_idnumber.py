import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from fulian.core.idnumber import check_char, parse_id_number
from fulian.core.phone import normalize_phone

TODAY = dt.date(2026, 11, 25)


def make_id(region="130123", birth="19900307", seq="004"):
    first17 = region + birth + seq
    return first17 + check_char(first17)


def test_a_valid_number_gives_birth_date_and_sex():
    number = parse_id_number(make_id(), today=TODAY)
    assert number.birth_date == dt.date(1990, 3, 7)
    assert number.is_female
    assert not parse_id_number(make_id(seq="003"), today=TODAY).is_female


def test_known_published_check_characters():
    # the worked example of GB 11643-1999 (11010519491231002X) and a check digit 0 case
    assert check_char("11010519491231002") == "X"
    assert parse_id_number("11010519491231002X", today=TODAY).birth_date == dt.date(1949, 12, 31)


def test_lower_case_x_and_spaces_are_accepted():
    assert parse_id_number(" 11010519491231002x ", today=TODAY).number == "11010519491231002X"


def test_fifteen_digit_legacy_number_is_upgraded():
    number = parse_id_number("130123900307004", today=TODAY)
    assert number.number == make_id()
    assert number.birth_date == dt.date(1990, 3, 7)


def test_masked_form_hides_the_middle():
    assert parse_id_number("11010519491231002X", today=TODAY).masked == "110***********002X"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id_blank"),
        (None, "id_blank"),
        ("1301231990030700", "id_length"),
        ("13012319900307004812", "id_length"),
        ("１３０１２３１９９００３０７００４８", "id_full_width"),
        ("13012319900307A048", "id_characters"),
        ("130123199003070049", "id_check_char"),
        ("130123199002300048", "id_birth_impossible"),
        ("130123203001010048", "id_birth_future"),
        ("130123189901010048", "id_birth_old"),
        ("990123199003070048", "id_region"),
        (130123199003070048, "id_numeric_cell"),
        (1.30123199003070e17, "id_numeric_cell"),
        ("13012390023000A", "id_characters"),
    ],
)
def test_each_bad_number_has_its_own_reason(raw, code):
    if code in ("id_birth_impossible", "id_birth_future", "id_birth_old", "id_region"):
        raw = raw[:17] + check_char(raw[:17])  # only the named fault, not a check character one too
    with pytest.raises(ValidationError) as exc:
        parse_id_number(raw, today=TODAY)
    assert exc.value.code == code


def test_phone_numbers():
    assert normalize_phone("138 1234 5678") == "13812345678"
    assert normalize_phone("+86 138-1234-5678") == "13812345678"
    assert normalize_phone(13812345678.0) == "13812345678"
    assert normalize_phone("") == ""
    for raw, code in [("1381234567", "phone_length"), ("12345", "phone_length"), ("23456", "phone_invalid"),
                      ("１３８１２３４５６７８", "phone_full_width"),
                      ("+1 650 253 0000", "phone_country"), ("abc", "phone_invalid")]:
        with pytest.raises(ValidationError) as exc:
            normalize_phone(raw)
        assert exc.value.code == code, raw
