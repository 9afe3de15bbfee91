"""Nomination pages through the HTTP client: the village cadre nominates a registry family on her phone, the list
and the nomination's page show a held one as 未推荐 to all but need-to-know, merge and withdraw, photos, the
portal's self-nomination with a one-time code; a sibling county gets 404 for every id."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fulian.awards import nominations
from fulian.awards.eligibility import eligibility_check
from fulian.awards.models import EligibilityCheck, Nomination, NominationState
from fulian.cases.services import case_intake
from fulian.portal.tests.otp import last_code_sent

STORY = "婆媳和睦二十年，照顾瘫痪婆婆无怨无悔，带动邻里互帮互助。"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


@pytest.fixture
def nomination(campaign, family, village_cadre):
    return nominations.nomination_create(actor=village_cadre, campaign=campaign, channel="org", family=family,
                                         story=STORY, members=[{"name": "王秀兰", "consent": True}],
                                         photos=[SimpleUploadedFile("a.jpg", JPEG)])


def test_the_village_cadre_finds_her_family_and_nominates_it(client_for, village_cadre, campaign, family):
    client = client_for(village_cadre)
    url = reverse("award_nominate", args=[campaign.pk])
    found = client.get(url, {"q": "王秀兰", "search": "1"})
    assert f"?family={family.pk}" in found.content.decode()
    form = client.get(url, {"family": family.pk})
    assert "王秀兰" in form.content.decode() and 'name="member_consent"' in form.content.decode()
    posted = {"channel": "org", "family": family.pk, "title": "好儿媳", "story": STORY, "client_token": "tok-1",
              "member_name": ["王秀兰", ""], "member_relation": ["head", ""], "member_consent": ["0"],
              "photos": [SimpleUploadedFile("a.jpg", JPEG)]}
    done = client.post(url, posted)
    made = Nomination.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("award_nomination", args=[made.pk])
    assert made.members[0]["consent"] is True and made.photos.count() == 1
    client.post(url, {**posted, "photos": []})  # a double tap
    assert Nomination.objects.count() == 1
    page = client.get(done["Location"]).content.decode()
    assert "好儿媳" in page and "待评审" in page


def test_a_refused_nomination_keeps_what_she_typed(client_for, village_cadre, campaign, family):
    client = client_for(village_cadre)
    page = client.post(reverse("award_nominate", args=[campaign.pk]), {
        "channel": "org", "family": family.pk, "title": "好儿媳", "story": "太短了", "client_token": "t",
        "member_name": ["王秀兰"], "member_relation": ["head"]})
    assert page.status_code == 200
    text = page.content.decode()
    assert "至少写20个字" in text and "好儿媳" in text and "太短了" in text
    assert not Nomination.objects.exists()


def test_a_media_nomination_through_the_page(client_for, township_cadre, campaign, unit):
    client = client_for(township_cadre)
    village = unit("张家庄村")
    done = client.post(reverse("award_nominate", args=[campaign.pk]), {
        "channel": "media", "village": village.name, "village_key": village.code, "family_name": "赵家",
        "family_phone": "", "source": "《河北日报》2026-05-12", "story": STORY, "client_token": "m-1",
        "member_name": ["赵桂兰"], "member_relation": ["本人"], "member_consent": ["0"]})
    assert done.status_code == 302
    made = Nomination.objects.get()
    assert (made.channel, made.source, made.unit, made.members[0]["name"]) == (
        "media", "《河北日报》2026-05-12", village, "赵桂兰")


def test_the_list_and_page_show_a_held_nomination_as_declined_except_to_need_to_know(
        client_for, village_cadre, county_chair, campaign, nomination, woman, unit):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    assert eligibility_check(nomination=nomination, actor=village_cadre, kind="recommend") is False
    cadre = client_for(village_cadre)
    listing = cadre.get(reverse("award_nomination_list", args=[campaign.pk])).content.decode()
    assert "未推荐" in listing and "待核查" not in listing
    declined = cadre.get(reverse("award_nomination_list", args=[campaign.pk]), {"state": "declined"})
    assert "王秀兰家" in declined.content.decode()
    page = cadre.get(reverse("award_nomination", args=[nomination.pk])).content.decode()
    assert "未推荐" in page and "待核查" not in page and "核查" not in page.split("<main")[-1].split("评审记录")[0]
    assert cadre.get(reverse("award_checks")).content.decode().count("award_check") == 0
    chair = client_for(county_chair)
    assert "待核查" in chair.get(reverse("award_nomination", args=[nomination.pk])).content.decode()
    check = EligibilityCheck.objects.get()
    assert "王秀兰家" in chair.get(reverse("award_checks")).content.decode()
    assert cadre.post(reverse("award_check_decide", args=[check.pk]), {"decision": "clear"}).status_code == 404
    chair.post(reverse("award_check_decide", args=[check.pk]), {"decision": "decline", "note": "案件未结"})
    nomination.refresh_from_db()
    assert nomination.state == NominationState.DECLINED
    assert "经评审，未予推荐。" in cadre.get(reverse("award_nomination", args=[nomination.pk])).content.decode()


def test_merge_and_withdraw_from_the_page(client_for, village_cadre, campaign, nomination, unit):
    other = nominations.nomination_create(
        actor=village_cadre, campaign=campaign, channel="media", unit=unit("恒东社区"), family_name="王秀兰一家",
        story=STORY + "（报道）", source="正定电视台")
    client = client_for(village_cadre)
    page = client.get(reverse("award_nomination", args=[other.pk])).content.decode()
    assert f'value="{nomination.pk}"' in page
    client.post(reverse("award_nomination_merge", args=[other.pk]), {"into": nomination.pk,
                                                                     "version": other.version})
    other.refresh_from_db()
    assert other.state == NominationState.MERGED
    first = client.get(reverse("award_nomination", args=[nomination.pk])).content.decode()
    assert "（报道）" in first  # the merged story shows from the first
    client.post(reverse("award_nomination_withdraw", args=[nomination.pk]), {"reason": "不愿参评"})
    nomination.refresh_from_db()
    assert nomination.state == NominationState.WITHDRAWN


def test_photos_are_shown_to_her_scope_only(client_for, village_cadre, sibling_county_cadre, nomination):
    photo = nomination.photos.get()
    mine = client_for(village_cadre).get(reverse("award_photo", args=[photo.pk]))
    assert mine.status_code == 200 and mine["Content-Type"] == "image/jpeg"
    assert client_for(sibling_county_cadre).get(reverse("award_photo", args=[photo.pk])).status_code == 404


def test_a_sibling_county_gets_404_for_every_id(client_for, sibling_county_cadre, campaign, nomination, unit,
                                                 woman, village_cadre):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    eligibility_check(nomination=nomination, actor=village_cadre)
    check = EligibilityCheck.objects.get()
    client = client_for(sibling_county_cadre)
    for name, args, method in [
        ("award_nomination", [nomination.pk], "get"), ("award_nomination_merge", [nomination.pk], "post"),
        ("award_nomination_withdraw", [nomination.pk], "post"), ("award_nomination_photos", [nomination.pk], "post"),
        ("award_photo", [nomination.photos.get().pk], "get"), ("award_check_decide", [check.pk], "post"),
    ]:
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name
    listing = client.get(reverse("award_nomination_list", args=[campaign.pk]))
    assert "王秀兰家" not in listing.content.decode()  # the campaign is the city's: she sees it, not our families
    assert "王秀兰家" not in client.get(reverse("award_checks")).content.decode()


def test_a_woman_nominates_her_own_family_on_the_portal(client, campaign, unit):
    url = reverse("honour_nominate", args=[campaign.pk])
    village = unit("张家庄村")
    typed = {"is_self": "on", "village": village.name, "village_key": village.code, "family_name": "李桂芬家",
             "story": STORY, "nominator_name": "李桂芬", "nominator_phone": "13912345678", "client_token": "p-1",
             "member_name": ["李桂芬", "赵大山"], "member_relation": ["本人", "丈夫"], "member_consent": ["0"]}
    sent = client.post(url, {**typed, "send_code": "1"})
    assert "验证码已发送" in sent.content.decode() and "李桂芬家" in sent.content.decode()
    wrong = client.post(url, {**typed, "code": "000000"})
    assert wrong.status_code == 200 and "验证码不对" in wrong.content.decode()
    done = client.post(url, {**typed, "code": last_code_sent("13912345678")})
    assert done.status_code == 302 and done["Location"] == reverse("honour_nominate_done", args=[campaign.pk])
    made = Nomination.objects.get()
    assert (made.channel, made.unit, nominations.public_members(made)) == ("self", village, ["李桂芬"])
    again = client.post(url, {**typed, "code": "used"})  # a double submit: the same one
    assert again.status_code == 302 and Nomination.objects.count() == 1
    assert "逐级评审" in client.get(done["Location"]).content.decode()


def test_the_portal_page_is_404_for_a_campaign_not_open_to_it(client, campaign):
    campaign.portal_open = False
    campaign.save(update_fields=["portal_open"])
    assert client.get(reverse("honour_nominate", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("honour_nominate", args=[999999])).status_code == 404


def test_the_portal_page_is_rate_limited_per_address(client, campaign, settings):
    settings.AWARD_PAGE_VIEWS_PER_MINUTE = 2
    url = reverse("honour_nominate", args=[campaign.pk])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]
