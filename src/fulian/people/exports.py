"""Exports of the women registry: scoped like the list, ID numbers masked, each export audited."""

from fulian.core.excel import XLSX, attachment, export_download  # noqa: F401  (XLSX, attachment: re-exported)

EXPORT_MAX_ROWS = 200_000  # an Excel sheet holds 1,048,576 rows; a province-wide list is filtered first
TITLES = ["姓名", "身份证号(脱敏)", "出生日期", "手机号", "村(社区)", "村(社区)代码", "民族", "职业", "标签",
          "最近联系", "待回访日期"]


def women_rows(women):
    for w in women.select_related("home_unit").prefetch_related("tags").iterator(chunk_size=2000):
        yield [w.name, w.id_masked, w.birth_date, w.phone, w.home_unit.name, w.home_unit.code, w.ethnicity,
               w.get_occupation_display(), "、".join(str(t) for t in w.tags.all()), w.last_contact_on,
               w.next_follow_up_on]


def women_export(*, actor, women, filters: dict, filename: str):
    """The scoped list as an Excel download (ID numbers masked), through the one audited export of core."""
    women_export_check(women)
    return export_download(actor=actor, action="woman.export", filename=filename, titles=TITLES,
                           rows=women_rows(women), sheet_title="妇女名册", changes={
                               "q": filters.get("q", ""), "unit": getattr(filters.get("unit"), "code", ""),
                               "tag": filters.get("tag", "")})


def women_export_check(women) -> None:
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from fulian.core.paging import count_capped

    _n, more = count_capped(women, EXPORT_MAX_ROWS)
    if more:
        raise ValidationError(_("超过%(n)d行，请先按地区或标签筛选再导出。") % {"n": EXPORT_MAX_ROWS})
