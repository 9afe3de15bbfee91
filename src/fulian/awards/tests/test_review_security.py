"""An attacker's and a privacy auditor's review of family awards: a held nomination must read exactly as an ordinary
declined one (history on every page and in the API, the answer to 撤回), objections stay with the units that may
see them, and every public route is limited per address."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fulian.awards import nominations, notice, review
from fulian.awards.models import DecisionKind, NominationState
from fulian.awards.tests.outsiders_notice import shortlisted_family
from fulian.cases.services import case_intake

STORY = "孝老爱亲二十年，邻里和睦，热心公益，远近闻名。"
API = "/api/v1"


@pytest.fixture
def held(campaign, family, woman, village_cadre, unit):
    """王秀兰家 (a member has an open domestic-violence case), held when the village recommended it."""
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    made = nominations.nomination_create(actor=village_cadre, campaign=campaign, channel="org", family=family,
                                         story=STORY, members=[{"name": "王秀兰", "consent": True}])
    answer = review.decide(actor=village_cadre, nomination=made, kind=DecisionKind.RECOMMEND)
    assert answer.state == NominationState.HELD
    return answer


@pytest.fixture
def declined(campaign, village_cadre, unit):
    """李家 of the same village, declined there by its federation."""
    made = nominations.nomination_create(actor=village_cadre, campaign=campaign, channel="media",
                                         unit=unit("恒东社区"), family_name="李桂芳家", source="《河北日报》",
                                         story=STORY)
    answer = review.decide(actor=village_cadre, nomination=made, kind=DecisionKind.DECLINE, reason="材料不全")
    assert answer.state == NominationState.DECLINED
    return answer


def _history_kinds(client, nomination):
    return [h["kind"] for h in client.get(f"{API}/awards/nominations/{nomination.pk}").json()["history"]]


def test_a_held_nominations_history_has_its_decline_on_the_nomination_page_and_in_the_api(
        held, declined, township_cadre, client_for, api_for):
    api = api_for(township_cadre)
    assert _history_kinds(api, held) == _history_kinds(api, declined) == ["decline"]
    page = client_for(township_cadre)
    for nomination in (held, declined):
        body = page.get(reverse("award_nomination", args=[nomination.pk])).content.decode()
        assert "还没有评审决定" not in body and "不予推荐" in body


def test_undo_of_a_held_nomination_is_refused_as_for_a_declined_one(held, declined, village_cadre):
    codes = []
    for nomination in (held, declined):
        with pytest.raises(ValidationError) as refused:
            review.decision_undo(actor=village_cadre, nomination=nomination)
        codes.append(refused.value.code)
    assert codes == ["award_undo_decline", "award_undo_decline"]


def test_the_notice_page_counts_only_the_objections_she_may_see(campaign, unit, city_chair, sibling_county_cadre,
                                                               county_chair, client_for):
    family = shortlisted_family(campaign, unit("恒东社区"), tier="十佳")
    started = notice.notice_start(actor=city_chair, campaign=campaign)
    today = timezone.localdate()
    type(started).objects.filter(pk=started.pk).update(notice_from=today, notice_until=today + dt.timedelta(days=7))
    started.refresh_from_db()
    notice.objection_lodge(campaign=started, nomination_id=family.pk, text="反映情况")
    url = reverse("award_notice_admin", args=[campaign.pk])
    sibling = client_for(sibling_county_cadre).get(url).content.decode()
    assert "王秀兰家" in sibling and "件待核查" not in sibling  # 行唐县 learns nothing of 正定县's objection
    assert "1件待核查" in client_for(county_chair).get(url).content.decode()


def test_the_public_photo_is_rate_limited_per_address(db, settings):
    settings.AWARD_PAGE_VIEWS_PER_MINUTE = 2
    client = Client()
    assert [client.get(reverse("award_photo_public", args=[987654])).status_code for _ in range(3)] == [
        404, 404, 429]


def test_a_member_who_did_not_consent_is_not_named_in_the_familys_public_name(campaign, unit):
    """A family is often named after a member (王秀兰家): on the public pages a member who did not consent keeps only
    her surname there; one who consented is named."""
    from fulian.awards.models import Nomination
    from fulian.awards.nominations import public_family_name

    shy = Nomination(family_name="王秀兰家", members=[{"name": "王秀兰", "consent": False}])
    assert public_family_name(shy) == "王**家"
    willing = Nomination(family_name="王秀兰家", members=[{"name": "王秀兰", "consent": True}])
    assert public_family_name(willing) == "王秀兰家"
