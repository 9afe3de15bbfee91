"""Records of 公示's id routes for api/tests/test_outsiders.py: a campaign 正定县 ran at its own level, with one
family shortlisted, in 公示, and an objection lodged about it (private to 正定县 and above: 行唐县's chair gets 404).

`shortlisted_family` is also what the vote and notice tests use to put a family in a shortlist without going
through every level's review (the figures it counts are those the review would have counted)."""

import datetime as dt

from django.utils import timezone


def shortlisted_family(campaign, village, *, name="王秀兰家", tier="", members=None, story="孝老爱亲，邻里和睦。",
                       now=None):
    """A family of `village` nominated by its federation and shortlisted by the awarding unit (rows written
    directly; figures as nomination and review count them)."""
    from fulian.awards.figures import award_delta, nominated_metric
    from fulian.awards.models import Decision, DecisionKind, Nomination, NominationState
    from fulian.core.figures import figures_add
    from fulian.core.writes import write_path

    now = now or timezone.now()
    with write_path():
        nomination = Nomination.objects.create(
            campaign=campaign, unit=village, unit_path=village.path, at_unit=campaign.unit,
            at_path=campaign.unit_path, level_reached=campaign.unit.level, family_name=name, title=f"{name}的故事",
            story=story, channel="org", state=NominationState.SHORTLISTED, tier=tier,
            members=members if members is not None else [
                {"name": "王秀兰", "relation": "本人", "woman_id": None, "consent": True},
                {"name": "李建国", "relation": "丈夫", "woman_id": None, "consent": False}],
            created_at=now, updated_at=now)
        Decision.objects.create(nomination=nomination, campaign=campaign, unit=campaign.unit,
                                unit_path=campaign.unit_path, level=campaign.unit.level, kind=DecisionKind.SHORTLIST,
                                tier=tier, decided_at=now)
        figures_add([award_delta(nominated_metric("org"), village.path, now),
                     award_delta("award_reviewed", campaign.unit_path, now)])
    return nomination


def records(*, county, village, chair, cadre) -> dict:
    from fulian.awards import notice
    from fulian.awards.campaigns import campaign_launch

    today = timezone.localdate()
    campaign = campaign_launch(actor=chair, unit=county, kind="five_good", name="正定县五好家庭", year=today.year,
                               level=4, nominate_until=today, review_until=today + dt.timedelta(days=1))
    nomination = shortlisted_family(campaign, village)
    campaign = notice.notice_start(actor=chair, campaign=campaign,
                                   now=timezone.make_aware(dt.datetime.combine(today, dt.time(9))))
    # the period starts on the next working day when today is none: lodge on its first day
    lodged = timezone.make_aware(dt.datetime.combine(campaign.notice_from, dt.time(10)))
    objection = notice.objection_lodge(campaign=campaign, nomination_id=nomination.pk, text="反映情况", now=lodged)
    return {"award_objection_id": objection.pk}
