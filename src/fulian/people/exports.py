"""Exports of the women registry: scoped like the list, ID numbers masked, each export audited."""

import io

from fulian.core.audit import audit_record
from fulian.core.excel import XLSX, attachment, export_xlsx  # noqa: F401  (XLSX, attachment: re-exported)

EXPORT_MAX_ROWS = 200_000  # an Excel sheet holds 1,048,576 rows; a province-wide list is filtered first
TITLES = ["姓名", "身份证号(脱敏)", "出生日期", "手机号", "村(社区)", "村(社区)代码", "民族", "职业", "标签",
          "最近联系", "待回访日期"]


def women_rows(women):
    for w in women.select_related("home_unit").prefetch_related("tags").iterator(chunk_size=2000):
        yield [w.name, w.id_masked, w.birth_date, w.phone, w.home_unit.name, w.home_unit.code, w.ethnicity,
               w.get_occupation_display(), "、".join(str(t) for t in w.tags.all()), w.last_contact_on,
               w.next_follow_up_on]


def women_xlsx_chunks(women):
    """The workbook is written to memory then sent in pieces (xlsx is a zip: it cannot stream row by row)."""
    buffer = io.BytesIO()
    export_xlsx(TITLES, women_rows(women), sheet_title="妇女名册", stream=buffer)
    buffer.seek(0)
    while chunk := buffer.read(256 * 1024):
        yield chunk


def women_export_audit(*, actor, filters: dict) -> None:
    audit_record(actor=actor, action="woman.export", changes={
        "q": filters.get("q", ""), "unit": getattr(filters.get("unit"), "code", ""), "tag": filters.get("tag", "")})


def women_export_check(women) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from fulian.core.paging import count_capped

    _n, more = count_capped(women, EXPORT_MAX_ROWS)
    if more:
        raise ValidationError(_("超过%(n)d行，请先按地区或标签筛选再导出。") % {"n": EXPORT_MAX_ROWS})
