"""Demo 结业与成效: 正定县's trainings that have ended complete every participant who attended two thirds of the
sessions (certificate included, dated the training's last day), and some of them have an outcome a month on — so the
figures trainings_completed and outcomes_* are not empty. Safe to run twice (completions and equal outcomes are
found again)."""

import datetime as dt

from django.utils import timezone

from fulian.accounts.models import User
from fulian.core.tree import subtree_q

from . import outcomes
from .models import TRAINING_KINDS, Activity, ActivityStatus

OUTCOMES = [("employed", None, "在县家政服务公司做育婴师"), ("income", 600, "承接网店客服，每月增收"),
            ("business", None, "开办家政服务站")]


def demo_outcomes(*, users: dict[str, User], now=None) -> dict:
    """Expects hb-county; run after the demo's activities, sign-ups and check-ins."""
    now = now or timezone.now()
    chair = users["hb-county"]
    trainings = Activity.objects.filter(subtree_q(chair.unit.path, "unit_path"), kind__in=TRAINING_KINDS,
                                        status=ActivityStatus.PUBLISHED, ends_at__lt=now).order_by("starts_at", "pk")
    completions = []
    for activity in trainings:
        for row in outcomes.participants_for_completion(activity):
            if row["completion"] is not None:
                completions.append(row["completion"])
            elif row["eligible"]:
                completions.append(outcomes.completion_record(actor=chair, signup=row["signup"],
                                                              now=min(activity.ends_at, now)))
    today = timezone.localdate(now)
    recorded = 0
    for n, completion in enumerate(completions[::2]):
        if completion.outcomes.exists():
            continue
        kind, amount, note = OUTCOMES[n % len(OUTCOMES)]
        on = min(today, timezone.localdate(completion.completed_at) + dt.timedelta(days=30))
        outcomes.outcome_record(actor=chair, completion=completion, kind=kind, amount=amount, note=note,
                                recorded_on=on, today=today)
        recorded += 1
    return {"completions": len(completions), "outcomes": recorded}
