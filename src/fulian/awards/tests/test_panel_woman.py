"""家庭评选 on the woman's page (and the family's, and the nomination's): her families' nominations with the state
the viewer may see — a held one is 未推荐 to everyone without need-to-know — and the certificate."""

import pytest
from django.utils import timezone

import fulian.awards.panels  # noqa: F401  (registers the sections, as AwardsConfig.ready does)
from fulian.awards import awarding
from fulian.awards.models import Nomination, NominationState
from fulian.core.panels import panels_for

from .outsiders_awarding import notice_over, shortlisted

pytestmark = pytest.mark.django_db


def test_her_page_lists_her_familys_award_with_its_certificate(campaign, unit, family, woman, city_chair,
                                                             county_chair, client_for):
    done = awarding.award(actor=city_chair, nomination=shortlisted(notice_over(campaign), unit("恒东社区"),
                                                                   family=family, tier="十佳"))
    page = client_for(county_chair).get(f"/women/{woman.pk}/")
    text = page.content.decode()
    assert "家庭评选" in text and "2026年度石家庄市“最美家庭”" in text and "已表彰" in text
    assert f"/awards/nominations/{done.pk}/certificate/" in text and done.certificate.number in text


def test_a_held_nomination_reads_as_declined_without_need_to_know(campaign, unit, family, woman, county_chair,
                                                                 client_for):
    held = shortlisted(campaign, unit("恒东社区"), family=family)
    Nomination.objects.filter(pk=held.pk).update(state=NominationState.HELD, at_unit=unit("恒东社区"),
                                                 at_path=unit("恒东社区").path)
    text = client_for(county_chair).get(f"/women/{woman.pk}/").content.decode()
    assert "未推荐" in text and "待核查" not in text


def test_no_section_for_a_woman_whose_families_were_never_nominated(woman, county_chair, client_for):
    assert 'id="awards"' not in client_for(county_chair).get(f"/women/{woman.pk}/").content.decode()


def test_the_womans_awards_through_the_api(campaign, unit, family, woman, city_chair, county_chair,
                                          sibling_county_cadre, api_for):
    done = awarding.award(actor=city_chair, nomination=shortlisted(notice_over(campaign), unit("恒东社区"),
                                                                   family=family, tier="十佳"))
    (row,) = api_for(county_chair).get(f"/api/v1/awards/women/{woman.pk}/nominations").json()
    assert (row["nomination_id"], row["state"], row["tier"]) == (done.pk, "awarded", "十佳")
    assert row["certificate"]["number"] == done.certificate.number
    assert api_for(sibling_county_cadre).get(f"/api/v1/awards/women/{woman.pk}/nominations").status_code == 404


def test_the_family_and_nomination_sections(rf, campaign, unit, family, city_chair, village_cadre):
    nomination = shortlisted(notice_over(campaign, days_ago=-2), unit("恒东社区"), family=family, tier="十佳")
    request = rf.get("/")
    request.user = city_chair
    (section,) = panels_for("award_nomination.sections", request, nomination)
    assert "公示期尚未结束" in section
    Nomination.objects.filter(pk=nomination.pk).update(state=NominationState.AWARDED, awarded_at=timezone.now())
    nomination.refresh_from_db()
    request.user = village_cadre
    (section,) = panels_for("award_nomination.sections", request, nomination)
    assert "故事传递" in section and f"/awards/nominations/{nomination.pk}/relays/new/" in section
    # the family's page has other apps' sections too (care's children): ours is the one naming the campaign
    (section,) = [s for s in panels_for("family.sections", request, family) if "家庭评选" in s]
    assert "2026年度石家庄市“最美家庭”" in section and "已表彰" in section
