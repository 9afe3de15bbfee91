"""家庭评选 on the portal: the public list of campaigns, narrowed to the units above a place."""

from django.urls import reverse

from fulian.awards.campaigns import campaign_cancel, campaign_launch

from .conftest import day


def test_the_portal_lists_campaigns_with_their_stage(client, campaign, unit, county_chair):
    own = campaign_launch(actor=county_chair, unit=unit("正定县"), kind="courtyard", name="正定县美丽庭院", year=2026,
                          level=5, nominate_until=day(5), review_until=day(9))
    page = client.get(reverse("award_public_index")).content.decode()
    assert reverse("award_public", args=[campaign.pk]) in page
    assert "正定县美丽庭院" in page and "推荐中" in page
    # a woman of 行唐县 sees the city's campaign, not 正定县's own
    there = client.get(reverse("award_public_index"), {"place": unit("南关村").code}).content.decode()
    assert "正定县美丽庭院" not in there and reverse("award_public", args=[campaign.pk]) in there
    assert reverse("award_public", args=[own.pk]) not in there
    # a cancelled campaign is not listed; a bad place lists nothing, never a 500
    campaign_cancel(actor=county_chair, campaign=own, reason="重复发起")
    assert reverse("award_public", args=[own.pk]) not in client.get(reverse("award_public_index")).content.decode()
    assert client.get(reverse("award_public_index"), {"place": "x' OR 1=1"}).status_code == 200


def test_the_portal_home_links_to_it(client, tree):
    assert reverse("award_public_index") in client.get(reverse("portal_home")).content.decode()
