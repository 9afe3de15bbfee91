"""Excel downloads of consultations and representation, through core's one audited export (text stays text, never
a formula): her scope's consultations one row per section with its outcome and its comments counted by state; the
comments reviewed (published and not published — a phone is never in it); and the proposals with their evidence
summarised. Every read starts from her scope (core.policy.scope_q) or a selector that does."""

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fulian.core.excel import export_download
from fulian.core.figures import RATE, figure_get
from fulian.core.paging import count_capped
from fulian.core.policy import scope_q
from fulian.core.tree import subtree_q
from fulian.orgs.models import Unit

from .drafts import consultations_for
from .models import Comment, CommentState, Outcome, Section
from .proposals import proposals_for

EXPORT_MAX_ROWS = 200_000
CHUNK = 2000
REVIEWED = (CommentState.APPROVED, CommentState.REJECTED)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _check_size(rows) -> None:
    _n, more = count_capped(rows, EXPORT_MAX_ROWS)
    if more:
        raise ValidationError(_("超过%(n)d行，请按下级单位分别导出。") % {"n": EXPORT_MAX_ROWS},
                              code="consultation_export_too_big")


def _suffix(unit: Unit | None) -> str:
    return f"-{unit.name}" if unit is not None else ""


# --- consultations, a row per section -----------------------------------------------------------------------------

def consultations_titles() -> list[str]:
    return [_("编号"), _("发起单位"), _("单位代码"), _("类型"), _("标题"), _("征求对象"), _("状态"), _("开始日期"),
            _("截止日期"), _("公布定稿时间"), _("条目序号"), _("条目"), _("采纳情况"), _("理由"),
            _("已发布意见(条)"), _("未发布意见(条)"), _("待审核意见(条)")]


def _comment_counts(consultations) -> dict[tuple[int, int | None], dict[str, int]]:
    """{(consultation id, section id or None): {state: comments}} for the consultations exported."""
    counts: dict[tuple[int, int | None], dict[str, int]] = {}
    rows = Comment.objects.filter(consultation__in=consultations.values("pk")).values(
        "consultation_id", "section_id", "state").annotate(n=Count("id")).order_by()
    for row in rows:
        counts.setdefault((row["consultation_id"], row["section_id"]), {})[row["state"]] = row["n"]
    return counts


def consultations_rows(consultations):
    counts = _comment_counts(consultations)
    sections = Section.objects.filter(consultation__in=consultations.values("pk")).select_related(
        "consultation", "consultation__unit").order_by("-consultation__created_at", "consultation_id", "number")
    current = None

    def head(c):
        return [c.pk, c.unit.name, c.unit.code, c.get_kind_display(), c.title, c.get_audience_display(),
                c.get_state_display(), c.opens_on, c.closes_on, _when(c.published_at)]

    def tail(by_state):
        return [by_state.get(CommentState.APPROVED, 0), by_state.get(CommentState.REJECTED, 0),
                by_state.get(CommentState.PENDING, 0)]

    for s in sections.iterator(chunk_size=CHUNK):
        c = s.consultation
        if current is not None and current.pk != c.pk and (current.pk, None) in counts:
            yield [*head(current), "", _("(对草案整体的意见)"), "", "", *tail(counts[(current.pk, None)])]
        current = c
        outcome = Outcome(s.outcome).label if s.outcome else _("待定")
        yield [*head(c), s.number, s.heading, str(outcome), s.reason, *tail(counts.get((c.pk, s.pk), {}))]
    if current is not None and (current.pk, None) in counts:
        yield [*head(current), "", _("(对草案整体的意见)"), "", "", *tail(counts[(current.pk, None)])]


def consultations_export(*, actor, unit: Unit | None = None, state: str = ""):
    """Her scope's consultations (or `unit`'s subtree's; one state), newest first, a row per section."""
    rows = consultations_for(actor, unit, state=state)
    _check_size(Section.objects.filter(consultation__in=rows.values("pk")))
    label = _("议事协商")
    return export_download(actor=actor, action="consultation.export", filename=f"{label}{_suffix(unit)}.xlsx",
                           titles=consultations_titles(), rows=consultations_rows(rows), sheet_title=label,
                           changes={"unit": unit.code if unit else "", "state": state})


# --- comments ----------------------------------------------------------------------------------------------------

def comments_titles() -> list[str]:
    return [_("意见编号"), _("议事协商编号"), _("议事协商"), _("发起单位"), _("条目序号"), _("条目"), _("意见"),
            _("姓名"), _("匿名显示"), _("提交方式"), _("提交时间"), _("审核结果"), _("不发布的原因"), _("审核时间"),
            _("答复")]


def comments_rows(rows):
    for c in rows.iterator(chunk_size=CHUNK):
        section = c.section
        yield [c.pk, c.consultation_id, c.consultation.title, c.consultation.unit.name,
               section.number if section else "", section.heading if section else _("(草案整体)"), c.text, c.name,
               _("是") if c.anonymous else _("否"), c.get_channel_display(), _when(c.created_at),
               c.get_state_display(), c.review_note, _when(c.reviewed_at), c.answer]


def comments_export(*, actor, unit: Unit | None = None, consultation=None):
    """The reviewed comments (published and not published) of her scope, of `unit`'s subtree or of one
    consultation she reached through its access function; never a phone number."""
    rows = Comment.objects.filter(scope_q(actor, field="unit_path"), state__in=REVIEWED)
    if unit is not None:
        rows = rows.filter(subtree_q(unit.path, "unit_path"))
    if consultation is not None:
        rows = rows.filter(consultation=consultation)
    rows = rows.select_related("consultation", "consultation__unit", "section").order_by("consultation_id",
                                                                                          "created_at", "pk")
    _check_size(rows)
    label = _("议事协商意见")
    name = f"{label}-{consultation.pk}" if consultation is not None else f"{label}{_suffix(unit)}"
    return export_download(actor=actor, action="consultation.export_comments", filename=f"{name}.xlsx",
                           titles=comments_titles(), rows=comments_rows(rows), sheet_title=label,
                           changes={"unit": unit.code if unit else "",
                                    "consultation": consultation.pk if consultation else None})


# --- proposals ---------------------------------------------------------------------------------------------------

def proposals_titles() -> list[str]:
    return [_("编号"), _("提出单位"), _("单位代码"), _("类型"), _("提交对象"), _("具体机关"),
            pgettext("proposal", "题目"), _("提交日期"), _("内容"), _("数据依据"), _("办理结果"), _("答复日期"),
            _("答复"), _("公开")]


def evidence_summary(evidence) -> str:
    """"label（unit，202601–202612）：value" for each item, joined by "；"."""
    parts = []
    for item in evidence or []:
        figure = figure_get(item.get("figure", ""))
        value = item.get("value")
        if value is not None and figure is not None and figure.kind == RATE:
            value = f"{float(value) * 100:.1f}%"
        parts.append(f"{item.get('label', '')}（{item.get('unit', '')}，{item.get('start')}–{item.get('end')}）："
                     f"{'—' if value is None else value}")
    return "；".join(parts)


def proposals_rows(rows):
    for p in rows.iterator(chunk_size=CHUNK):
        yield [p.pk, p.unit.name, p.unit.code, p.get_kind_display(), p.get_addressee_display(), p.addressee_name,
               p.subject, p.submitted_on, p.text, evidence_summary(p.evidence), p.get_outcome_display(),
               p.replied_on, p.reply, _("是") if p.public else _("否")]


def proposals_export(*, actor, q: str = "", kind: str = "", addressee: str = "", outcome: str | None = None):
    """Her scope's proposals (the list's filters), newest first, the evidence in one column."""
    rows = proposals_for(actor, q=q, kind=kind, addressee=addressee, outcome=outcome)
    _check_size(rows)
    label = _("提案建议")
    return export_download(actor=actor, action="proposal.export", filename=f"{label}.xlsx",
                           titles=proposals_titles(), rows=proposals_rows(rows), sheet_title=label,
                           changes={"q": q, "kind": kind, "addressee": addressee, "outcome": outcome})
