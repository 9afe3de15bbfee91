"""Records of the award campaign id routes for api/tests/test_outsiders.py: a 最美家庭 campaign 正定县 launched to its
villages, and 恒东社区's copy of it (a receiving unit's part)."""

import datetime as dt

from django.utils import timezone


def records(*, county, village, chair, cadre) -> dict:
    from fulian.awards.campaigns import campaign_launch

    today = timezone.localdate()
    campaign = campaign_launch(actor=chair, unit=county, kind="most_beautiful", name="正定县最美家庭", year=today.year,
                               level=5, nominate_until=today + dt.timedelta(days=10),
                               review_until=today + dt.timedelta(days=30), quotas={"5": 2})
    return {"award_campaign_id": campaign.pk,
            "award_recipient_id": campaign.dispatch.recipients.get(unit=village).pk}
