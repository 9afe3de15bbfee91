"""The Excel downloads of consultations, pages and API: a row per section with its outcome and its comments counted
by state (and one for comments on the whole draft); the reviewed comments, never a phone, a text that looks like a
formula kept as text; the proposals with their evidence in one column; each export audited; only her scope's
records (a unit or consultation outside it 404), bad parameters 400."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from fulian.consultations import comments, drafts, proposals
from fulian.core.figures import figures_add, period_of
from fulian.core.models import AuditEvent
from fulian.portal.tests.otp import last_code_sent

from .conftest import village_rule

pytestmark = pytest.mark.django_db
PHONE = "13803110021"


def _rows(answer) -> list[list]:
    assert answer.status_code == 200, answer.content[:200]
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def _portal_comment(rule, text, *, section=None, phone=PHONE):
    comments.comment_code_send(consultation=rule, phone=phone)
    return comments.comment_submit(consultation=rule, text=text, channel="portal", phone=phone,
                                   code=last_code_sent(phone), section_id=section.pk if section else None)


@pytest.fixture
def reviewed(unit, village_cadre, registered):
    """恒东社区's rule: on section 2 one comment published and one not, one waiting on section 1, one published on
    the whole draft; section 1 adopted."""
    rule = village_rule(village_cadre, unit("恒东社区"))
    one, two, _three = rule.sections.all()
    shown = _portal_comment(rule, "=彩礼不超过三万", section=two)
    comments.comment_review(actor=village_cadre, comment=shown, approve=True)
    hidden = comments.comment_submit(consultation=rule, text="与本条无关的话", channel="cadre", actor=village_cadre,
                                     name="王大姐", section_id=two.pk)
    comments.comment_review(actor=village_cadre, comment=hidden, approve=False, note="与本公约无关")
    comments.comment_submit(consultation=rule, text="还在等审核", channel="cadre", actor=village_cadre, name="张三",
                            section_id=one.pk)
    whole = comments.comment_submit(consultation=rule, text="总体赞成", channel="cadre", actor=village_cadre,
                                    name="李四")
    comments.comment_review(actor=village_cadre, comment=whole, approve=True)
    drafts.section_decide(actor=village_cadre, section=one, outcome="adopted")
    return rule


def test_consultations_a_row_per_section_with_outcomes_and_comment_counts(client_for, county_chair, reviewed):
    rows = _rows(client_for(county_chair).get(reverse("consultation_export_consultations")))
    header, body = rows[0], rows[1:]
    assert header[:5] == ["编号", "发起单位", "单位代码", "类型", "标题"] and header[-3:] == [
        "已发布意见(条)", "未发布意见(条)", "待审核意见(条)"]
    by_number = {row[10]: row for row in body}
    assert [row[10] for row in body] == [1, 2, 3, None]
    assert by_number[1][12:] == ["采纳", None, 0, 0, 1]
    assert by_number[2][12:] == ["待定", None, 1, 1, 0]
    assert by_number[None][11] == "(对草案整体的意见)" and by_number[None][-3:] == [1, 0, 0]
    assert body[0][1:5] == ["恒东社区", "130123100001", "村规民约", "恒东社区居民公约（修订草案）"]
    assert AuditEvent.objects.filter(action="consultation.export").count() == 1
    only_final = _rows(client_for(county_chair).get(reverse("consultation_export_consultations"),
                                                    {"state": "final"}))
    assert only_final[1:] == []


def test_comments_are_exported_without_phones_and_text_stays_text(client_for, county_chair, reviewed):
    answer = client_for(county_chair).get(reverse("consultation_export_comments"))
    rows = _rows(answer)
    texts = [row[6] for row in rows[1:]]
    assert sorted(texts) == sorted(["=彩礼不超过三万", "与本条无关的话", "总体赞成"])  # not the one waiting
    assert PHONE not in answer.content.decode("latin-1") and all(PHONE not in str(v) for r in rows for v in r)
    sheet = load_workbook(io.BytesIO(answer.content)).worksheets[0]
    formula_like = next(c for row in sheet.iter_rows() for c in row if c.value == "=彩礼不超过三万")
    assert formula_like.data_type == "s"
    rejected = next(row for row in rows[1:] if row[6] == "与本条无关的话")
    assert (rejected[11], rejected[12]) == ("未发布", "与本公约无关")
    one = _rows(client_for(county_chair).get(reverse("consultation_export_comments"),
                                             {"consultation": reviewed.pk}))
    assert len(one) == 4


def test_proposals_with_their_evidence_summarised(client_for, county_chair, unit):
    figures_add([(unit("恒东社区").path, period_of(timezone.now()), "cases_opened", 4)])
    year = timezone.localdate().year
    proposals.proposal_create(
        actor=county_chair, unit=unit("正定县"), kind="suggestion", addressee="congress", subject="反家暴的建议",
        submitted_on=timezone.localdate(), text="建议……",
        evidence=[{"figure": "cases_opened", "unit_id": unit("正定县").pk, "start": year * 100 + 1,
                   "end": year * 100 + 12}])
    rows = _rows(client_for(county_chair).get(reverse("consultation_export_proposals"), {"outcome": "waiting"}))
    assert len(rows) == 2
    assert rows[1][6] == "反家暴的建议" and rows[1][9].endswith(f"（正定县，{year}01–{year}12）：4")
    assert rows[1][10] == "待答复"
    assert _rows(client_for(county_chair).get(reverse("consultation_export_proposals"),
                                              {"outcome": "adopted"}))[1:] == []


def test_her_scope_only_and_bad_parameters(client_for, sibling_county_cadre, county_chair, unit, reviewed):
    outsider = client_for(sibling_county_cadre)
    assert _rows(outsider.get(reverse("consultation_export_consultations")))[1:] == []
    assert _rows(outsider.get(reverse("consultation_export_comments")))[1:] == []
    assert outsider.get(reverse("consultation_export_consultations"), {"unit": unit("正定县").pk}).status_code == 404
    assert outsider.get(reverse("consultation_export_comments"), {"consultation": reviewed.pk}).status_code == 404
    client = client_for(county_chair)
    for name, params in (("consultation_export_consultations", {"state": "done"}),
                         ("consultation_export_consultations", {"unit": "x"}),
                         ("consultation_export_comments", {"consultation": "1.5"}),
                         ("consultation_export_proposals", {"kind": "law"})):
        assert client.get(reverse(name), params).status_code == 400, (name, params)
    page = client.get(reverse("consultation_exchange"))
    assert page.status_code == 200 and reverse("consultation_export_comments") in page.content.decode()


def test_the_api_gives_the_same_files(api_for, county_chair, sibling_county_cadre, reviewed):
    api = api_for(county_chair)
    assert len(_rows(api.get("/api/v1/consultations/exports/consultations.xlsx"))) == 5
    assert len(_rows(api.get("/api/v1/consultations/exports/comments.xlsx", {"consultation_id": reviewed.pk}))) == 4
    assert len(_rows(api.get("/api/v1/consultations/exports/proposals.xlsx"))) == 1
    assert api.get("/api/v1/consultations/exports/consultations.xlsx", {"state": "done"}).status_code == 400
    outsider = api_for(sibling_county_cadre)
    assert outsider.get("/api/v1/consultations/exports/comments.xlsx",
                        {"consultation_id": reviewed.pk}).status_code == 404
