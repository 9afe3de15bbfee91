"""The issue's end-to-end journey of a family award: villages nominate, the township and the county review within
their quotas, a portal self-nomination arrives, the public votes, an objection during 公示 blocks one family until
the county that recommended it resolves it, the city awards, the certificates verify (a tampered one does not),
and every figure equals `indicators_recount`."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from fulian.accounts.tests.factories import UserFactory
from fulian.awards import awarding, nominations, notice, review
from fulian.awards.models import Channel, NominationState, Vote
from fulian.core.certificates import certificate_code
from fulian.core.policy import OutOfScope, Role
from fulian.evaluation.recount import recount
from fulian.people.families import family_create
from fulian.people.services import WomanData, woman_create
from fulian.portal.tests.otp import last_code_sent

STORY = "婆媳和睦二十年，照顾瘫痪老人不离不弃，带动邻里互帮互助，家风代代相传。"


def post(client, url, body):
    return client.post(f"/api/v1{url}", json.dumps(body), content_type="application/json")


def a_family(actor, village, name, phone):
    head = woman_create(actor=actor, data=WomanData(name=name, home_unit=village, phone=phone))
    return family_create(actor=actor, unit=village, name=f"{name}家", phone=phone, woman=head)


def scored(actor, nomination, now):
    points = {c["key"]: c["max"] - 2 for c in nomination.campaign.criteria}
    review.score_save(actor=actor, nomination=nomination, points=points, now=now)


def test_a_campaign_from_village_to_city_award(campaign, family, unit, village_cadre, township_cadre, county_chair,
                                               city_chair, sibling_county_cadre):
    now = timezone.now()
    zhangjia = UserFactory(username="zhangjia-cadre", unit=unit("张家庄村"), roles=[Role.STAFF])
    nanguan = UserFactory(username="nanguan-cadre", unit=unit("南关村"), roles=[Role.STAFF])
    xingtang_township = UserFactory(username="longzhou-cadre", unit=unit("龙州镇"), roles=[Role.STAFF])

    # villages nominate families of the registry (organisation recommendation)
    ours = nominations.nomination_create(actor=village_cadre, campaign=campaign, channel=Channel.ORGANISATION,
                                         family=family, story=STORY, now=now)
    second = nominations.nomination_create(
        actor=zhangjia, campaign=campaign, channel=Channel.ORGANISATION, story=STORY, now=now,
        family=a_family(county_chair, unit("张家庄村"), "李淑珍", "13803110002"))
    theirs = nominations.nomination_create(
        actor=nanguan, campaign=campaign, channel=Channel.ORGANISATION, story=STORY, now=now,
        family=a_family(sibling_county_cadre, unit("南关村"), "赵桂英", "13803110003"))

    # a self-nomination arrives from the portal, her phone proved by a one-time code
    portal = Client()
    assert post(portal, f"/public/awards/{campaign.pk}/code", {"phone": "13912340001"}).status_code == 204
    sent = post(portal, f"/public/awards/{campaign.pk}/nominations", {
        "village_code": unit("恒东社区").code, "family_name": "刘芳家", "story": STORY, "is_self": True,
        "members": [{"name": "刘芳", "relation": "本人", "consent": True}], "nominator_name": "刘芳",
        "nominator_phone": "13912340001", "code": last_code_sent("13912340001"), "client_token": "portal-1"})
    assert sent.status_code == 202, sent.content
    self_made = campaign.nominations.get(channel=Channel.SELF)
    assert (self_made.at_unit, self_made.state) == (unit("恒东社区"), NominationState.PENDING)

    # villages score and recommend (2 places each)
    for actor, nomination in ((village_cadre, ours), (village_cadre, self_made), (zhangjia, second),
                              (nanguan, theirs)):
        scored(actor, nomination, now)
        review.decide(actor=actor, nomination=nomination, kind="recommend", now=now)

    # the township has 2 places: the third is refused with a message naming the quota, then declined with a reason
    for nomination in (ours, second):
        review.decide(actor=township_cadre, nomination=nomination, kind="recommend", now=now)
    with pytest.raises(ValidationError, match="推荐名额为2个，已推荐2个"):
        review.decide(actor=township_cadre, nomination=self_made, kind="recommend", now=now)
    review.decide(actor=township_cadre, nomination=self_made, kind="decline", reason="事迹材料不够具体", now=now)
    review.decide(actor=xingtang_township, nomination=theirs, kind="recommend", now=now)

    # the county has 1 place: it sends up one and keeps the other as a county-level honour
    review.decide(actor=county_chair, nomination=ours, kind="recommend", now=now)
    with pytest.raises(ValidationError, match="推荐名额为1个"):
        review.decide(actor=county_chair, nomination=second, kind="recommend", now=now)
    review.decide(actor=county_chair, nomination=second, kind="keep", now=now)
    review.decide(actor=sibling_county_cadre, nomination=theirs, kind="recommend", now=now)
    # the next county cannot review 正定县's family
    with pytest.raises(OutOfScope):
        review.decide(actor=sibling_county_cadre, nomination=second, kind="recommend", now=now)

    # the city shortlists by tier
    review.decide(actor=city_chair, nomination=ours, kind="shortlist", tier="十佳", now=now)
    review.decide(actor=city_chair, nomination=theirs, kind="shortlist", tier="百优", now=now)

    # the public votes: one vote per phone a day, counted live
    voters = Client()
    for phone, choice in (("13912340011", ours), ("13912340012", ours), ("13912340013", theirs)):
        assert post(voters, f"/public/awards/{campaign.pk}/voter-code", {"phone": phone}).status_code == 204
        got = post(voters, f"/public/awards/{campaign.pk}/voter-pass", {"phone": phone, "code": last_code_sent(phone)})
        voter_pass = got.json()["voter_pass"]
        for _twice in range(2):
            cast = post(voters, f"/public/awards/{campaign.pk}/votes",
                        {"nomination_id": choice.pk, "voter_pass": voter_pass})
            assert cast.status_code == 200, cast.content
    assert Vote.objects.filter(campaign=campaign).count() == 3
    shortlist = {f["id"]: f["votes"] for f in voters.get(f"/api/v1/public/awards/{campaign.pk}/shortlist").json()}
    assert shortlist == {ours.pk: 2, theirs.pk: 1}

    # 公示: an objection about 正定县's family blocks its award until 正定县 records its finding
    started = notice.notice_start(actor=city_chair, campaign=campaign, now=now)
    during = timezone.make_aware(dt.datetime.combine(started.notice_from, dt.time(10)))
    after = timezone.make_aware(dt.datetime.combine(started.notice_until + dt.timedelta(days=1), dt.time(10)))
    objection = notice.objection_lodge(campaign=started, nomination_id=ours.pk, text="听说这家婆媳常吵架。",
                                       anonymous=True, now=during)
    ours.refresh_from_db()
    with pytest.raises(ValidationError):  # in 公示 still
        awarding.award(actor=city_chair, nomination=ours, now=during)
    assert any("异议" in m for m in notice.award_blockers(ours, now=after))
    with pytest.raises(ValidationError):
        awarding.award(actor=city_chair, nomination=ours, now=after)
    theirs.refresh_from_db()
    awarding.award(actor=city_chair, nomination=theirs, now=after)  # the other family is not held up
    notice.objection_find(actor=county_chair, objection=objection, outcome="dismissed",
                          finding="走访邻里和村委会，反映不属实。", now=after)
    ours.refresh_from_db()
    awarded = awarding.award(actor=city_chair, nomination=ours, now=after)
    assert awarded.state == NominationState.AWARDED and awarded.tier == "十佳"
    campaign.refresh_from_db()
    assert campaign.status == "awarded"

    # each certificate verifies by its public link; a tampered code does not
    public = Client()
    for nomination in (ours, theirs):
        nomination.refresh_from_db()
        code = certificate_code(nomination.certificate)
        page = public.get(f"/verify/{code}/")
        assert page.status_code == 200 and nomination.certificate.number in page.content.decode()
        assert public.get(f"/verify/{code[:-1]}{'A' if code[-1] != 'A' else 'B'}/").status_code == 404

    # the figures were kept live all along: they equal the recount from the records
    assert recount().differences == []
