"""Nominations by channel: a village nominates a registry family (members with consent), a cadre enters a media
find, a woman nominates on the portal with a one-time code; duplicates merge into the first; a double submit is one
nomination; nominations close after nominate_until; figures equal the recount."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from fulian.awards import nominations
from fulian.awards.models import Decision, DecisionKind, Nomination, NominationState
from fulian.core.figures import figures_read, period_of
from fulian.people.families import family_create, family_member_add
from fulian.portal.tests.otp import last_code_sent

STORY = "婆媳和睦二十年，照顾瘫痪婆婆无怨无悔，带动邻里互帮互助。"
JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def recount_agrees():
    call_command("indicators_recount", stdout=StringIO())  # exits non-zero on any difference


def org(campaign, family, actor, **extra):
    values = {"actor": actor, "campaign": campaign, "channel": "org", "family": family, "story": STORY,
              "members": [{"name": "王秀兰", "consent": True}]} | extra
    return nominations.nomination_create(**values)


def public(campaign, village, phone="13912345678", **extra):
    nominations.nomination_code_send(campaign=campaign, phone=phone)
    values = {"campaign": campaign, "village": village, "family_name": "李桂芬家", "story": STORY,
              "nominator_name": "李桂芬", "nominator_phone": phone, "code": last_code_sent(phone), "is_self": True,
              "members": [{"name": "李桂芬", "relation": "本人", "consent": True},
                          {"name": "赵大山", "relation": "丈夫", "consent": False}]} | extra
    return nominations.nomination_submit_public(**values)


def test_a_village_nominates_a_registry_family_with_its_members_consent(campaign, family, woman, village_cadre):
    family_member_add(actor=village_cadre, family=family, relation="spouse", name="赵建国", sex="m",
                      birth_year=1975)
    made = org(campaign, family, village_cadre, title="孝老爱亲好儿媳")
    assert made.created and made.state == NominationState.PENDING
    assert (made.at_unit.name, made.level_reached, made.channel) == ("恒东社区", 5, "org")
    assert made.members[0] == {"name": "王秀兰", "relation": "head", "woman_id": woman.pk, "consent": True}
    assert made.members[1]["consent"] is False
    assert nominations.public_members(made) == ["王秀兰"]  # only who consented is ever named in public
    assert made.consent_recorded_by == village_cadre and made.family_phone == "13803110001"
    month = period_of(made.created_at)
    assert figures_read([made.unit_id], [month])[made.unit_id][month]["award_nominated_org"] == 1
    recount_agrees()


def test_a_double_submit_gives_one_nomination(campaign, family, village_cadre):
    first = org(campaign, family, village_cadre, client_token="tap-1")
    again = org(campaign, family, village_cadre, client_token="tap-1")
    assert again.pk == first.pk and again.created is False
    assert Nomination.objects.count() == 1


def test_a_sibling_county_cannot_nominate_our_family(campaign, family, sibling_county_cadre):
    with pytest.raises(Http404):
        org(campaign, family, sibling_county_cadre)


def test_nominations_close_after_nominate_until_with_a_clear_message(campaign, family, village_cadre):
    late = timezone.now() + dt.timedelta(days=12)
    with pytest.raises(ValidationError) as refused:
        org(campaign, family, village_cadre, now=late)
    assert refused.value.code == "nomination_closed" and "截止" in refused.value.messages[0]


@pytest.mark.parametrize("change, code", [
    ({"story": "太短"}, "nomination_story"),
    ({"story": "长" * 5001}, "nomination_story"),
    ({"photos": [SimpleUploadedFile("a.exe", b"MZ" + b"0" * 20)]}, "bad_type"),
    ({"photos": [SimpleUploadedFile("big.jpg", JPEG + b"0" * (5 * 2**20))]}, "too_big"),
    ({"photos": [SimpleUploadedFile(f"{i}.jpg", JPEG) for i in range(10)]}, "nomination_photos"),
])
def test_bad_input_is_refused_with_a_message(campaign, family, village_cadre, change, code):
    with pytest.raises(ValidationError) as refused:
        org(campaign, family, village_cadre, **change)
    assert refused.value.code == code
    assert not Nomination.objects.exists()


def test_photos_are_kept_privately(campaign, family, village_cadre):
    made = org(campaign, family, village_cadre, photos=[SimpleUploadedFile("a.jpg", JPEG)])
    photo = made.photos.get()
    assert photo.content_type == "image/jpeg" and photo.file.storage.__class__.__name__ == "PrivateStorage"


def test_media_nomination_needs_its_source_and_links_the_registry_family(campaign, family, unit, township_cadre):
    values = {"actor": township_cadre, "campaign": campaign, "channel": "media", "unit": unit("恒东社区"),
              "family_name": "王秀兰一家", "family_phone": "138 0311 0001", "story": STORY}
    with pytest.raises(ValidationError) as refused:
        nominations.nomination_create(**values)
    assert refused.value.code == "nomination_source"
    made = nominations.nomination_create(**values, source="《河北日报》2026-05-12")
    assert made.family == family and made.source == "《河北日报》2026-05-12"


def test_the_same_family_again_is_merged_into_the_first(campaign, family, unit, village_cadre, township_cadre):
    first = org(campaign, family, village_cadre)
    later = nominations.nomination_create(
        actor=township_cadre, campaign=campaign, channel="media", unit=unit("恒东社区"), family_name="王家",
        family_phone="13803110001", story=STORY + "（媒体报道）", source="正定电视台")
    assert later.state == NominationState.MERGED and later.merged_into == first
    assert later.story.endswith("（媒体报道）")  # kept on the merged row, shown from the first
    assert list(first.merged.all()) == [later]
    assert Decision.objects.get(nomination=later).kind == DecisionKind.MERGE
    recount_agrees()  # the merged one does not count


def test_a_portal_self_nomination_needs_the_code_and_merges_by_phone(campaign, unit):
    made = public(campaign, unit("张家庄村"))
    assert made.channel == "self" and made.family_phone == "13912345678" and made.consent_recorded_by is None
    assert nominations.public_members(made) == ["李桂芬"]
    with pytest.raises(ValidationError):
        nominations.nomination_submit_public(
            campaign=campaign, village=unit("张家庄村"), family_name="李家", story=STORY, nominator_name="张三",
            nominator_phone="13700000000", code="000000", is_self=False)
    other = public(campaign, unit("张家庄村"), phone="13700000001", is_self=False, family_phone="13912345678",
                   nominator_name="张秀云")
    assert other.channel == "others" and other.merged_into == made
    recount_agrees()


def test_a_portal_nomination_twice_with_one_token_is_one(campaign, unit):
    first = public(campaign, unit("张家庄村"), client_token="t-1")
    again = nominations.nomination_submit_public(
        campaign=campaign, village=unit("张家庄村"), family_name="李桂芬家", story=STORY, nominator_name="李桂芬",
        nominator_phone="13912345678", code="used-up", is_self=True, client_token="t-1")
    assert again.pk == first.pk and Nomination.objects.count() == 1


def test_a_phone_nominates_at_most_the_daily_limit(campaign, unit, settings):
    settings.AWARD_NOMINATIONS_PER_PHONE = 1
    public(campaign, unit("张家庄村"))
    with pytest.raises(ValidationError) as refused:
        public(campaign, unit("西柏棠村"), family_name="赵家", family_phone="13911112222")
    assert refused.value.code == "nomination_rate"


def test_a_campaign_closed_to_the_portal_refuses_portal_nominations(campaign, unit):
    campaign.portal_open = False
    with pytest.raises(ValidationError) as refused:
        nominations.nomination_code_send(campaign=campaign, phone="13912345678")
    assert refused.value.code == "nomination_no_portal"


def test_a_village_outside_the_campaign_is_refused(campaign, unit):
    with pytest.raises(ValidationError) as refused:
        public(campaign, unit("新阳社区"))
    assert refused.value.code == "nomination_unit"


def test_a_cadre_merges_a_duplicate_she_found_and_figures_follow(campaign, family, unit, village_cadre, county_chair):
    first = org(campaign, family, village_cadre)
    other = family_create(actor=county_chair, unit=unit("恒东社区"), name="王秀兰娘家", phone="13803110099")
    second = org(campaign, other, village_cadre, members=[])
    merged = nominations.nomination_merge(actor=village_cadre, nomination=second, into=first,
                                          version=second.version)
    assert merged.state == NominationState.MERGED and merged.merged_into_id == first.pk
    recount_agrees()
    with pytest.raises(ValidationError):
        nominations.nomination_merge(actor=village_cadre, nomination=merged, into=first)


def test_withdraw_before_any_decision_above_the_village(campaign, family, unit, village_cadre):
    made = org(campaign, family, village_cadre)
    assert nominations.may_withdraw(village_cadre, made)
    gone = nominations.nomination_withdraw(actor=village_cadre, nomination=made, reason="家庭不愿参评")
    assert gone.state == NominationState.WITHDRAWN
    recount_agrees()
    again = org(campaign, family, village_cadre)  # a withdrawn one is no longer "the first"
    assert again.state == NominationState.PENDING


def test_withdraw_is_refused_once_a_unit_above_decided(campaign, family, unit, village_cadre):
    made = org(campaign, family, village_cadre)
    town = unit("正定镇")
    Decision.objects.create(nomination=made, campaign=campaign, unit=town, unit_path=town.path, level=4,
                            kind=DecisionKind.RECOMMEND, decided_at=timezone.now())
    assert not nominations.may_withdraw(village_cadre, made)
    with pytest.raises(ValidationError) as refused:
        nominations.nomination_withdraw(actor=village_cadre, nomination=made)
    assert refused.value.code == "nomination_withdraw_late"
