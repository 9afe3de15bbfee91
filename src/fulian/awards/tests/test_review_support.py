"""Helpers shared by the review and export tests (no tests here): nominations made as part B's service leaves
them (PENDING at the family's village, counted by channel), so the figures agree with the recount."""

import datetime as dt

from django.utils import timezone

from fulian.awards.figures import award_delta, nominated_metric
from fulian.awards.models import Nomination
from fulian.core.figures import figures_add


def nominate(campaign, village, name, *, at=None, members=None, family=None, phone="", channel="org", now=None):
    """A nomination of `name` of `village`, waiting at `at` (default: the village)."""
    now = now or timezone.now()
    at = at or village
    nomination = Nomination.objects.create(
        campaign=campaign, unit=village, unit_path=village.path, at_unit=at, at_path=at.path,
        level_reached=at.level, family=family, family_name=name, family_phone=phone, title=f"{name}的故事",
        story="孝老爱亲，邻里和睦，热心公益。" * 3, channel=channel, created_at=now, updated_at=now,
        members=members if members is not None else [{"name": name[:3], "relation": "本人", "woman_id": None,
                                                       "consent": True}])
    figures_add([award_delta(nominated_metric(channel), village.path, now)])
    return nomination


def points(campaign, share=1.0) -> dict:
    """Every criterion of the campaign scored at `share` of its full marks."""
    return {c["key"]: round(c["max"] * share, 1) for c in campaign.criteria}


def after_deadline(campaign):
    return timezone.make_aware(dt.datetime.combine(campaign.review_until + dt.timedelta(days=1), dt.time(10)))
