"""Every kind of bad roster row gets its own message naming the row and column; good rows still go in."""

import datetime as dt
import io

import pytest

from fulian.core.excel import Roster
from fulian.core.idnumber import check_char
from fulian.people.importing import COLUMNS, WomenImport
from fulian.people.models import Woman

from .helpers import female_id, male_id, roster_bytes, row

TODAY = dt.date(2026, 11, 25)


def fix(first17):
    return first17 + check_char(first17)


BAD_ROWS = [
    # (row values, column title, words the message must contain)
    (row(name=""), "姓名", "姓名为空"),
    (row(name="张秀英2"), "姓名", "不能有数字"),
    (row(name="张" * 31), "姓名", "超过30个字"),
    (row(id_number=""), "身份证号", "身份证号为空"),
    (row(id_number="13012319900307004"), "身份证号", "应为18位，现为17位"),
    (row(id_number="１３０１２３１９９００３０７００４８"), "身份证号", "全角"),
    (row(id_number="13012319900307A048"), "身份证号", "只能由数字组成"),
    (row(id_number=female_id(1)[:17] + ("1" if female_id(1)[17] != "1" else "2")), "身份证号", "逐位核对全部18位"),
    (row(id_number=fix("13012319900230004")), "身份证号", "19900230不存在"),
    (row(id_number=fix("13012320300101004")), "身份证号", "在今天之后"),
    (row(id_number=fix("13012318990101004")), "身份证号", "早于1900年"),
    (row(id_number=male_id()), "身份证号", "表示男性"),
    (row(id_number=130123199003070048), "身份证号", "存成了数字"),
    (row(id_number=fix("99012319900307004")), "身份证号", "不是有效的省级行政区划代码"),
    (row(id_number="130123900230004"), "身份证号", "19900230不存在"),
    (row(phone="1381234567"), "手机号", "应为11位"),
    (row(phone="23456"), "手机号", "不是有效的电话号码"),
    (row(phone="１３８１２３４５６７８"), "手机号", "全角数字"),
    (row(unit_code=""), "村(社区)代码", "代码为空"),
    (row(unit_code="1301231000"), "村(社区)代码", "应为12位数字"),
    (row(unit_code="130123199999"), "村(社区)代码", "没有代码为130123199999"),
    (row(unit_code="130125100201"), "村(社区)代码", "不在您的工作范围内"),
    (row(unit_code="130123000000"), "村(社区)代码", "应登记到村(社区)或乡镇(街道)"),
    (row(ethnicity="火星族"), "民族", "不是56个民族之一"),
    (row(occupation="宇航员"), "职业", "不在列表中"),
    (row(tags="留守、土豪"), "标签", "标签“土豪”不在列表中"),
    (row(consent_on="3月8日"), "同意日期", "不是日期"),
    (row(consent_on="2027-01-01"), "同意日期", "同意日期在今天之后"),
    (row(consent_purpose=""), "同意日期", "没有写同意的用途"),
    (row(consent_on=""), "同意日期", "没有写同意日期"),
]


def run_import(actor, rows):
    roster = Roster(io.BytesIO(roster_bytes(rows)), COLUMNS)
    return WomenImport(actor=actor, today=TODAY).run(roster)


@pytest.mark.django_db
@pytest.mark.parametrize(("values", "column", "words"), BAD_ROWS, ids=[w for _v, _c, w in BAD_ROWS])
def test_a_bad_row_is_reported_with_row_column_and_reason_and_good_rows_still_go_in(
        county_chair, values, column, words):
    good = row(name="李桂兰", id_number=female_id(7), phone="13912345678")
    result = run_import(county_chair, [good, values])
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert words in result.errors[0].message
    assert result.counts["created_count"] == 1
    assert Woman.objects.filter(name="李桂兰").exists()


@pytest.mark.django_db
def test_a_duplicate_inside_the_file_names_the_first_row(county_chair):
    result = run_import(county_chair, [row(name="甲"), row(name="乙"), row(name="丙", id_number=female_id(2))])
    assert [(e.row, e.message) for e in result.errors] == [(3, "与第2行的身份证号重复，同一人只登记一次。")]
    assert set(Woman.objects.values_list("name", flat=True)) == {"甲", "丙"}


@pytest.mark.django_db
def test_an_id_registered_outside_her_scope_is_refused_without_saying_where(county_chair, sibling_county_cadre):
    run_import(sibling_county_cadre, [row(name="外县", unit_code="130125100201", id_number=female_id(9))])
    result = run_import(county_chair, [row(name="本县", id_number=female_id(9))])
    assert "工作范围以外" in result.errors[0].message and "行唐" not in result.errors[0].message
    assert Woman.objects.get().name == "外县"


@pytest.mark.django_db
def test_a_row_with_several_faults_reports_each(county_chair):
    result = run_import(county_chair, [row(name="", phone="123", ethnicity="x族")])
    assert [e.column for e in result.errors] == ["姓名", "手机号", "民族"]
    assert result.counts["error_count"] == 1


@pytest.mark.django_db
def test_blank_lines_are_skipped_not_reported(county_chair):
    result = run_import(county_chair, [row(), [None] * 9, ["", " "], row(name="二", id_number=female_id(3))])
    assert result.errors == [] and result.counts["created_count"] == 2


@pytest.mark.django_db
def test_a_missing_required_column_rejects_the_file_with_its_name():
    from django.core.exceptions import ValidationError

    content = roster_bytes([["张三", "13812345678"]], header=["姓名", "手机号"])
    with pytest.raises(ValidationError) as exc:
        Roster(io.BytesIO(content), COLUMNS)
    assert "身份证号" in exc.value.messages[0] and "村(社区)代码" in exc.value.messages[0]


def test_a_file_that_is_not_excel_is_refused_clearly():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        Roster(io.BytesIO(b"name,id\n"), COLUMNS)
    assert ".xlsx" in exc.value.messages[0]


@pytest.mark.django_db
def test_reimporting_the_same_file_changes_nothing_and_a_changed_row_updates(county_chair):
    rows = [row(name=name, id_number=female_id(i)) for i, name in enumerate("甲乙丙丁戊")]
    first = run_import(county_chair, rows)
    assert first.counts["created_count"] == 5
    versions = dict(Woman.objects.values_list("id", "version"))
    again = run_import(county_chair, rows)
    assert (again.counts["created_count"], again.counts["updated_count"], again.counts["unchanged_count"]) == (0, 0, 5)
    assert dict(Woman.objects.values_list("id", "version")) == versions
    rows[2][2] = "13700000000"
    rows[3][6] = "贫困"
    third = run_import(county_chair, rows)
    assert (third.counts["updated_count"], third.counts["unchanged_count"]) == (2, 3)
    assert Woman.objects.count() == 5
    assert Woman.objects.get(name="丙").phone == "13700000000"
    assert list(Woman.objects.get(name="丁").tags.values_list("code", flat=True)) == ["poor"]


@pytest.mark.django_db
def test_imported_women_are_stored_encrypted_masked_and_tagged(county_chair):
    number = female_id(4)
    run_import(county_chair, [row(id_number=number.lower() if number.endswith("X") else number, tags="留守、单亲母亲")])
    woman = Woman.objects.get()
    assert number not in woman.id_encrypted and woman.id_hash != number
    assert woman.id_masked == number[:3] + "*" * 11 + number[-4:]
    assert woman.birth_date == dt.date(1990, 3, 7) and woman.unit_path == woman.home_unit.path
    assert sorted(woman.tags.values_list("code", flat=True)) == ["left_behind", "single_mother"]


@pytest.mark.django_db
def test_the_templates_example_row_never_imports(county_chair):
    from openpyxl import load_workbook

    from fulian.people.importing import women_template

    template = load_workbook(io.BytesIO(women_template())).worksheets[0]
    example = [c.value for c in template[2]]
    assert str(example[0]).startswith("示例")
    result = WomenImport(actor=county_chair, today=TODAY).run(Roster(io.BytesIO(roster_bytes([example])), COLUMNS))
    assert not result.errors and not Woman.objects.exists()


@pytest.mark.django_db
def test_a_typed_apostrophe_and_a_title_row_above_the_header_are_understood(county_chair):
    from .helpers import HEADER

    content = roster_bytes([HEADER, row(id_number="'" + female_id(7), unit_code="'130123100001")],
                           header=["正定县妇女名册（2026年）"])
    result = WomenImport(actor=county_chair, today=TODAY).run(Roster(io.BytesIO(content), COLUMNS))
    assert not result.errors and Woman.objects.count() == 1


def test_a_missing_header_says_where_it_belongs():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        Roster(io.BytesIO(roster_bytes([["x"]], header=["随便写的", "表"])), COLUMNS)
    assert "表头应在第1行" in refused.value.messages[0]
