"""Records of the review routes for api/tests/test_outsiders.py: a 最美家庭 round of 正定县 sent to its townships,
and one nomination of 恒东社区 that the village recommended to 正定镇 (so there is a score, a decision and an undo
to try)."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.awards import review
    from fulian.awards.campaigns import campaign_launch
    from fulian.awards.models import Nomination

    today = timezone.localdate()
    campaign = campaign_launch(actor=chair, unit=county, kind="most_beautiful", name="2026年度正定县“最美家庭”",
                               year=today.year, level=4, nominate_until=today + dt.timedelta(days=10),
                               review_until=today + dt.timedelta(days=30), quotas={"5": 2, "4": 1})
    now = timezone.now()
    nomination = Nomination.objects.create(
        campaign=campaign, unit=village, unit_path=village.path, at_unit=village, at_path=village.path,
        level_reached=village.level, family_name="王秀兰家", story="孝老爱亲，邻里和睦。", channel="org",
        members=[{"name": "王秀兰", "relation": "本人", "woman_id": None, "consent": True}], created_at=now,
        updated_at=now)
    review.decide(actor=chair, nomination=nomination, kind="recommend")
    return {"award_campaign_id": campaign.pk, "nomination_id": nomination.pk}
