"""The nominations API: a cadre nominates (organisation and media), reads, merges, withdraws, adds photos; the
need-to-know desk; the portal's nomination with a one-time code; a sibling county gets 404 for every id."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fulian.awards import nominations
from fulian.awards.eligibility import eligibility_check
from fulian.awards.models import EligibilityCheck, Nomination
from fulian.cases.services import case_intake
from fulian.portal.tests.otp import last_code_sent

STORY = "婆媳和睦二十年，照顾瘫痪婆婆无怨无悔，带动邻里互帮互助。"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100
API = "/api/v1"


def post(client, url, body):
    return client.post(API + url, json.dumps(body), content_type="application/json")


@pytest.fixture
def nomination(campaign, family, village_cadre):
    return nominations.nomination_create(actor=village_cadre, campaign=campaign, channel="org", family=family,
                                         story=STORY, members=[{"name": "王秀兰", "consent": True}],
                                         photos=[SimpleUploadedFile("a.jpg", JPEG)])


def test_a_cadre_nominates_a_registry_family_once_per_token(api_for, village_cadre, campaign, family):
    client = api_for(village_cadre)
    body = {"channel": "org", "family_id": family.pk, "story": STORY, "client_token": "api-1",
            "members": [{"name": "王秀兰", "consent": True}]}
    made = post(client, f"/awards/campaigns/{campaign.pk}/nominations", body)
    assert made.status_code == 201, made.content
    data = made.json()
    assert (data["state"], data["at_unit_name"], data["members"][0]["consent"]) == ("pending", "恒东社区", True)
    again = post(client, f"/awards/campaigns/{campaign.pk}/nominations", body)
    assert again.status_code == 200 and again.json()["id"] == data["id"]
    listed = client.get(f"{API}/awards/campaigns/{campaign.pk}/nominations").json()
    assert listed["count"] == 1 and listed["items"][0]["family_name"] == "王秀兰家"


def test_a_media_nomination_and_bad_input(api_for, township_cadre, campaign, unit):
    client = api_for(township_cadre)
    url = f"/awards/campaigns/{campaign.pk}/nominations"
    body = {"channel": "media", "village_code": unit("张家庄村").code, "family_name": "赵家", "story": STORY,
            "media_source": "正定电视台"}
    assert post(client, url, body).status_code == 201
    assert post(client, url, {**body, "story": "短"}).status_code == 400
    assert post(client, url, {**body, "channel": "self"}).status_code == 400
    assert post(client, url, {**body, "village_code": "abc"}).status_code == 400
    assert client.get(f"{API}/awards/campaigns/{campaign.pk}/nominations?state=nonsense").status_code == 400


def test_merge_withdraw_and_photos(api_for, village_cadre, campaign, nomination, unit):
    client = api_for(village_cadre)
    other = nominations.nomination_create(actor=village_cadre, campaign=campaign, channel="media",
                                          unit=unit("恒东社区"), family_name="王家", story=STORY, source="报纸")
    merged = post(client, f"/awards/nominations/{other.pk}/merge", {"into_id": nomination.pk})
    assert merged.status_code == 200 and merged.json()["merged_into_id"] == nomination.pk
    first = client.get(f"{API}/awards/nominations/{nomination.pk}").json()
    assert [m["id"] for m in first["merged"]] == [other.pk]
    added = client.post(f"{API}/awards/nominations/{nomination.pk}/photos",
                        {"photo": SimpleUploadedFile("b.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50)})
    assert added.status_code == 201 and len(added.json()["photo_ids"]) == 2
    photo = client.get(f"{API}/awards/photos/{added.json()['photo_ids'][0]}")
    assert photo.status_code == 200
    stale = post(client, f"/awards/nominations/{nomination.pk}/withdraw", {"version": 999})
    assert stale.status_code == 409
    gone = post(client, f"/awards/nominations/{nomination.pk}/withdraw", {"reason": "不愿参评"})
    assert gone.json()["state"] == "withdrawn"


def test_a_held_nomination_is_declined_in_the_api_except_to_need_to_know(
        api_for, village_cadre, county_chair, nomination, woman, unit):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    eligibility_check(nomination=nomination, actor=village_cadre, kind="recommend")
    cadre, chair = api_for(village_cadre), api_for(county_chair)
    seen = cadre.get(f"{API}/awards/nominations/{nomination.pk}").json()
    assert (seen["state"], seen["state_label"], seen["reason"]) == ("declined", "未推荐", "经评审，未予推荐。")
    assert cadre.get(f"{API}/awards/eligibility-checks").json() == []
    assert chair.get(f"{API}/awards/nominations/{nomination.pk}").json()["state"] == "held"
    checks = chair.get(f"{API}/awards/eligibility-checks").json()
    assert [c["nomination_id"] for c in checks] == [nomination.pk]
    assert post(cadre, f"/awards/eligibility-checks/{checks[0]['id']}", {"clear": True}).status_code == 404
    cleared = post(chair, f"/awards/eligibility-checks/{checks[0]['id']}", {"clear": True, "note": "已调解"})
    assert cleared.status_code == 200 and cleared.json()["state"] == "pending"


def test_the_portal_nomination_with_a_code(client, campaign, unit):
    phone = "13912345678"
    assert post(client, f"/public/awards/{campaign.pk}/code", {"phone": phone}).status_code == 204
    body = {"village_code": unit("张家庄村").code, "family_name": "李桂芬家", "story": STORY, "is_self": True,
            "nominator_name": "李桂芬", "nominator_phone": phone, "code": "000000", "client_token": "pub-1",
            "members": [{"name": "李桂芬", "relation": "本人", "consent": True}]}
    assert post(client, f"/public/awards/{campaign.pk}/nominations", body).status_code == 400
    done = post(client, f"/public/awards/{campaign.pk}/nominations", {**body, "code": last_code_sent(phone)})
    assert done.status_code == 202 and done.json()["received"] is True
    assert Nomination.objects.get().channel == "self"
    outside = {**body, "village_code": unit("新阳社区").code, "client_token": "pub-2"}
    outside = post(client, f"/public/awards/{campaign.pk}/nominations", outside)
    assert outside.status_code == 400
    assert post(client, "/public/awards/999999/code", {"phone": phone}).status_code == 404


def test_a_sibling_county_gets_404_for_every_id(api_for, sibling_county_cadre, village_cadre, campaign, nomination,
                                                woman, unit):
    case_intake(kind="dv", home_unit=unit("恒东社区"), description="家暴求助", source="hotline", woman=woman)
    eligibility_check(nomination=nomination, actor=village_cadre)
    check = EligibilityCheck.objects.get()
    client = api_for(sibling_county_cadre)
    assert client.get(f"{API}/awards/nominations/{nomination.pk}").status_code == 404
    assert post(client, f"/awards/nominations/{nomination.pk}/merge", {"into_id": nomination.pk}).status_code == 404
    assert post(client, f"/awards/nominations/{nomination.pk}/withdraw", {}).status_code == 404
    assert client.post(f"{API}/awards/nominations/{nomination.pk}/photos").status_code == 404
    assert client.get(f"{API}/awards/photos/{nomination.photos.get().pk}").status_code == 404
    assert post(client, f"/awards/eligibility-checks/{check.pk}", {"clear": True}).status_code == 404
    assert client.get(f"{API}/awards/campaigns/{campaign.pk}/nominations").json()["count"] == 0
    body = {"channel": "org", "family_id": nomination.family_id, "story": STORY}
    assert post(client, f"/awards/campaigns/{campaign.pk}/nominations", body).status_code == 404
