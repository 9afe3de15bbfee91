"""Excel downloads of each stage of a campaign, through core's one audited export (text stays text, never a
formula): the nominations of her scope, the reviewers' scores, the recommendations of each level, the shortlist
and the awarded families. Every file holds only the nominations whose family lives in her subtree
(selectors.nominations_in_scope: a sibling county gets nothing of another's); states are the ones she may see (a
HELD nomination reads 未推荐), and of the family only the members' names — no phones, ID numbers or registry links.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.excel import export_download
from fulian.orgs.models import Level

from .eligibility import reason_shown, state_label, state_shown
from .models import AwardCampaign, Decision, DecisionKind, NominationState, Score
from .review import averages_at, vote_counts_of
from .selectors import nominations_in_scope

STAGES = ("nominations", "scores", "recommended", "shortlist", "awarded")
GONE = (NominationState.MERGED, NominationState.WITHDRAWN)
CHUNK = 2000


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def members_names(nomination) -> str:
    return "、".join(str(m.get("name") or "").strip() for m in nomination.members or []
                    if isinstance(m, dict) and str(m.get("name") or "").strip())


def level_label(level: int | None) -> str:
    return str(Level(level).label) if level in Level.values else ""


def _scoped(user, campaign: AwardCampaign):
    return nominations_in_scope(user, campaign).select_related("unit", "at_unit")


def nominations_rows(user, campaign: AwardCampaign):
    rows = _scoped(user, campaign).exclude(state__in=GONE).order_by("unit_path", "created_at", "pk")
    for n in rows.iterator(chunk_size=CHUNK):
        shown = state_shown(user, n)
        declined = shown in (NominationState.DECLINED, NominationState.HELD)
        yield [n.pk, n.family_name, n.unit.name, n.get_channel_display(), n.title, members_names(n),
               state_label(user, n), reason_shown(user, n) if declined else "", n.at_unit.name,
               level_label(n.level_reached), n.tier if shown in (NominationState.SHORTLISTED,
                                                                 NominationState.AWARDED) else "",
               n.source, _when(n.created_at)]


def nominations_titles() -> list[str]:
    return [_("编号"), _("家庭名称"), _("所在村(社区)"), _("推荐渠道"), _("事迹标题"), _("家庭成员"), _("状态"),
            _("未推荐原因"), _("当前评审单位"), _("推荐到"), _("奖项档次"), _("媒体来源"), _("推荐时间")]


def scores_titles(campaign: AwardCampaign) -> list[str]:
    return ([_("编号"), _("家庭名称"), _("所在村(社区)"), _("评审级别"), _("评审人")]
            + [f"{c['label']}({c['max']})" for c in campaign.criteria] + [_("总分"), _("评语"), _("评分时间")])


def scores_rows(user, campaign: AwardCampaign):
    ids = _scoped(user, campaign).values("pk")
    rows = (Score.objects.filter(nomination_id__in=ids).select_related("nomination", "nomination__unit", "reviewer")
            .order_by("nomination__unit_path", "nomination_id", "-level", "scored_at", "pk"))
    for s in rows.iterator(chunk_size=CHUNK):
        n = s.nomination
        yield ([n.pk, n.family_name, n.unit.name, level_label(s.level), s.reviewer.full_name or s.reviewer.username]
               + [s.points.get(c["key"]) for c in campaign.criteria]
               + [float(s.total), s.comment, _when(s.scored_at)])


def recommended_titles() -> list[str]:
    return [_("推荐单位"), _("级别"), _("编号"), _("家庭名称"), _("所在村(社区)"), _("推荐渠道"), _("本级平均分"),
            _("推荐时间"), _("当前状态")]


def recommended_rows(user, campaign: AwardCampaign):
    """Each unit's live 推荐上报, level by level from the top (only nominations of her subtree)."""
    ids = _scoped(user, campaign).values("pk")
    decisions = list(Decision.objects.filter(campaign=campaign, kind=DecisionKind.RECOMMEND, undone_at__isnull=True,
                                             nomination_id__in=ids)
                     .select_related("unit", "nomination", "nomination__unit", "nomination__at_unit")
                     .order_by("level", "unit_path", "decided_at", "pk"))
    totals: dict[tuple[int, int], list] = {}
    for nomination_id, level, total in Score.objects.filter(nomination_id__in={d.nomination_id for d in decisions}) \
            .values_list("nomination_id", "level", "total"):
        totals.setdefault((nomination_id, level), []).append(total)
    averages = {key: sum(values) / len(values) for key, values in totals.items()}
    for d in decisions:
        n = d.nomination
        average = averages.get((n.pk, d.level))
        yield [d.unit.name, level_label(d.level), n.pk, n.family_name, n.unit.name, n.get_channel_display(),
               round(float(average), 2) if average is not None else None, _when(d.decided_at), state_label(user, n)]


def shortlist_titles() -> list[str]:
    return [_("奖项档次"), _("编号"), _("家庭名称"), _("所在村(社区)"), _("推荐渠道"), _("家庭成员"), _("评审平均分"),
            _("网络投票"), _("状态")]


def shortlist_rows(user, campaign: AwardCampaign):
    rows = list(_scoped(user, campaign).filter(state__in=[NominationState.SHORTLISTED, NominationState.AWARDED])
                .order_by("tier", "unit_path", "pk"))
    averages = averages_at(rows, level_of=lambda n: campaign.unit.level)
    votes = vote_counts_of(campaign)
    for n in rows:
        average = averages.get(n.pk)
        yield [n.tier, n.pk, n.family_name, n.unit.name, n.get_channel_display(), members_names(n),
               float(average) if average is not None else None, votes.get(n.pk, 0), state_label(user, n)]


def awarded_titles() -> list[str]:
    return [_("奖项档次"), _("编号"), _("家庭名称"), _("所在村(社区)"), _("家庭成员"), _("事迹标题"), _("证书编号"),
            _("表彰时间")]


def awarded_rows(user, campaign: AwardCampaign):
    rows = (_scoped(user, campaign).filter(state=NominationState.AWARDED).select_related("certificate")
            .order_by("tier", "unit_path", "pk"))
    for n in rows.iterator(chunk_size=CHUNK):
        yield [n.tier, n.pk, n.family_name, n.unit.name, members_names(n), n.title,
               n.certificate.number if n.certificate_id else "", _when(n.awarded_at)]


def stage_export(*, actor, campaign: AwardCampaign, stage: str):
    """The audited download of one stage (the caller has access to the campaign)."""
    titles, rows, label = {
        "nominations": (nominations_titles, nominations_rows, _("推荐名单")),
        "scores": (lambda: scores_titles(campaign), scores_rows, _("评分明细")),
        "recommended": (recommended_titles, recommended_rows, _("各级推荐")),
        "shortlist": (shortlist_titles, shortlist_rows, _("入围名单")),
        "awarded": (awarded_titles, awarded_rows, _("表彰名单")),
    }[stage]
    return export_download(actor=actor, action=f"award.export_{stage}", filename=f"{label}-{campaign.name[:60]}.xlsx",
                           titles=titles(), rows=rows(actor, campaign), sheet_title=str(label),
                           changes={"campaign": campaign.pk, "stage": stage})
