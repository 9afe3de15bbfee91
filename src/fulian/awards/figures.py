"""Family awards' counted facts (core.figures), live from the records:

award_nominated_org / _self / _others / _media — nominations by channel, at the family's village, by the month
they were made (a nomination merged into another, or withdrawn, no longer counts); award_reviewed — decisions of
a reviewing unit (recommend, keep, decline, shortlist), at that unit, by the month decided (an undone decision no
longer counts); award_awarded — families awarded, at the family's village, by the month of the award;
award_objections — objections lodged in 公示, at the unit that reviews them; award_votes — public votes, at the
family's village. Writers call `figures_add(award_deltas(...))` inside their write path."""

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, figure_define, figures_counter, period_of, period_rows

from .models import Channel, Decision, DecisionKind, Nomination, NominationState, Objection, Vote

REVIEW_KINDS = (DecisionKind.RECOMMEND, DecisionKind.KEEP, DecisionKind.DECLINE, DecisionKind.SHORTLIST)
GONE = (NominationState.MERGED, NominationState.WITHDRAWN)


def nominated_metric(channel: str) -> str:
    return f"award_nominated_{channel}"


def award_delta(metric: str, unit_path: str, moment, sign: int = 1) -> tuple[str, int, str, int]:
    """One figure delta: `metric` at `unit_path` in the month of `moment`."""
    return unit_path, period_of(moment), metric, sign


@figures_counter
def award_figures():
    live = Nomination.objects.exclude(state__in=GONE)
    for channel in Channel.values:
        yield from period_rows(live.filter(channel=channel), "unit_path", "created_at", nominated_metric(channel))
    reviewed = Decision.objects.filter(kind__in=REVIEW_KINDS, undone_at__isnull=True)
    yield from period_rows(reviewed, "unit_path", "decided_at", "award_reviewed")
    awarded = Nomination.objects.filter(state=NominationState.AWARDED)
    yield from period_rows(awarded, "unit_path", "awarded_at", "award_awarded")
    yield from period_rows(Objection.objects.all(), "unit_path", "lodged_at", "award_objections")
    yield from period_rows(Vote.objects.all(), "unit_path", "cast_at", "award_votes")


for _channel, _label in Channel.choices:
    figure_define(nominated_metric(_channel), format_lazy(_("家庭评选推荐：{channel}"), channel=_label), kind=FLOW,
                  source=_("家庭评选：推荐记录"))
figure_define("award_reviewed", _("家庭评选评审(件次)"), kind=FLOW, source=_("家庭评选：各级评审决定"))
figure_define("award_awarded", _("表彰家庭(户)"), kind=FLOW, source=_("家庭评选：表彰记录"))
figure_define("award_objections", _("公示异议(件)"), kind=FLOW, source=_("家庭评选：公示期异议"))
figure_define("award_votes", _("网络投票(票)"), kind=FLOW, source=_("家庭评选：网络投票"))
