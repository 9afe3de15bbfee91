"""Records of the awarding, certificate and story-relay routes for api/tests/test_outsiders.py — 正定县's own round
of 最美家庭 with one family of 恒东社区 awarded and one relay — and the helpers the awarding tests share: a family
shortlisted at the awarding unit (with its nomination figure, as nominations.nomination_create counts it) and a
公示 that is over."""

import datetime as dt

from django.utils import timezone


def shortlisted(campaign, village, *, name="王秀兰家", tier="", family=None, members=None, story="孝老爱亲，邻里和睦。",
                channel="org", now=None):
    """A nomination of `village` shortlisted at the campaign's unit: what review (part C) leaves for awarding."""
    from fulian.awards.figures import award_delta, nominated_metric
    from fulian.awards.models import Nomination, NominationState
    from fulian.core.figures import figures_add
    from fulian.core.writes import write_path

    now = now or timezone.now() - dt.timedelta(days=20)
    with write_path():
        nomination = Nomination.objects.create(
            campaign=campaign, unit=village, unit_path=village.path, at_unit=campaign.unit, at_path=campaign.unit_path,
            level_reached=campaign.unit.level, family=family, family_name=name, story=story, title="好家风代代传",
            members=members if members is not None else [
                {"name": name.removesuffix("家"), "relation": "本人", "woman_id": None, "consent": True},
                {"name": "李建国", "relation": "丈夫", "woman_id": None, "consent": False}],
            channel=channel, state=NominationState.SHORTLISTED, tier=tier, created_at=now, updated_at=now)
        figures_add([award_delta(nominated_metric(channel), village.path, now)])
    return nomination


def notice_over(campaign, *, days_ago: int = 1):
    """公示 held and ended `days_ago` days ago (the campaign in NOTICE, as notice.notice_start leaves it)."""
    from fulian.awards.models import AwardCampaign, CampaignStatus

    today = timezone.localdate()
    AwardCampaign.objects.filter(pk=campaign.pk).update(
        status=CampaignStatus.NOTICE, notice_from=today - dt.timedelta(days=days_ago + 8),
        notice_until=today - dt.timedelta(days=days_ago))
    campaign.refresh_from_db()
    return campaign


def county_round(*, chair, county):
    from fulian.awards.campaigns import campaign_launch

    today = timezone.localdate()
    return campaign_launch(actor=chair, unit=county, kind="most_beautiful", name="2026年度正定县“最美家庭”", year=2026,
                           level=4, nominate_until=today + dt.timedelta(days=5),
                           review_until=today + dt.timedelta(days=20))


def records(*, county, village, chair, cadre) -> dict:
    from fulian.awards import awarding, relay

    campaign = notice_over(county_round(chair=chair, county=county))
    nomination = awarding.award(actor=chair, nomination=shortlisted(campaign, village))
    made = relay.relay_create(actor=chair, nomination=nomination, venue="community", title="好家风故事会",
                              held_on=timezone.localdate())
    return {"award_campaign_id": campaign.pk, "nomination_id": nomination.pk, "relay_id": made.pk}
