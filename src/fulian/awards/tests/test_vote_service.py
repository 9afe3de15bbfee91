"""The public vote: one per proved phone per campaign per day, only while the vote runs, only for a shortlisted
family, with a voter pass that cannot be forged or kept; counted live as award_votes; the phone kept as a hash."""

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils import timezone

from fulian.awards import voting
from fulian.awards.models import Nomination, NominationState, Vote
from fulian.awards.tests.outsiders_notice import shortlisted_family
from fulian.core.figures import figures_read, period_of
from fulian.evaluation.recount import recount
from fulian.portal.tests.otp import last_code_sent

PHONE = "13912345678"


@pytest.fixture
def shortlist(campaign, unit):
    return shortlisted_family(campaign, unit("恒东社区"), tier="十佳")


def voter_pass(campaign, phone=PHONE, now=None):
    voting.voter_code_send(campaign=campaign, phone=phone, now=now)
    return voting.voter_pass_issue(campaign=campaign, phone=phone, code=last_code_sent(phone), now=now).token


def test_the_same_phone_voting_twice_in_a_day_counts_once(campaign, shortlist, unit):
    other = shortlisted_family(campaign, unit("张家庄村"), name="赵家", tier="百优")
    token = voter_pass(campaign)

    first = voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token)
    again = voting.vote_cast(campaign_id=campaign.pk, nomination_id=other.pk, voter_pass=token)

    assert (first.counted, again.counted) == (True, False)
    assert again.message.startswith("今天已经投过票")
    assert voting.vote_counts(campaign) == {shortlist.pk: 1}


def test_the_same_phone_votes_again_the_next_day(campaign, shortlist):
    today = timezone.now()
    tomorrow = today + dt.timedelta(days=1)
    voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=voter_pass(campaign, now=today),
                     now=today)
    result = voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk,
                              voter_pass=voter_pass(campaign, now=tomorrow), now=tomorrow)
    assert result.counted
    assert voting.vote_counts(campaign) == {shortlist.pk: 2}


def test_a_pass_is_for_its_day_only(campaign, shortlist):
    token = voter_pass(campaign)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match="手机验证已过期"):
        voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token, now=tomorrow)


def test_different_phones_each_count(campaign, shortlist):
    for phone in ("13912345678", "13912345679", "13712345670"):
        voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=voter_pass(campaign, phone))
    assert voting.vote_counts(campaign) == {shortlist.pk: 3}


def test_a_vote_after_the_period_is_refused(campaign, shortlist):
    token = voter_pass(campaign)
    campaign.vote_until = timezone.localdate() - dt.timedelta(days=1)
    campaign.save(update_fields=["vote_until"])

    with pytest.raises(ValidationError, match="网络投票已经结束"):
        voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token)
    with pytest.raises(ValidationError, match="网络投票已经结束"):
        voting.voter_code_send(campaign=campaign, phone="13912345670")
    assert Vote.objects.count() == 0


def test_no_vote_once_the_notice_has_started(campaign, shortlist, city_chair):
    from fulian.awards import notice

    token = voter_pass(campaign)
    notice.notice_start(actor=city_chair, campaign=campaign)
    with pytest.raises(ValidationError, match="网络投票已经结束"):
        voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token)


def test_a_vote_before_the_period_is_refused(campaign, shortlist):
    campaign.vote_from = timezone.localdate() + dt.timedelta(days=2)
    campaign.save(update_fields=["vote_from"])
    with pytest.raises(ValidationError, match="网络投票.*开始"):
        voting.voter_code_send(campaign=campaign, phone=PHONE)


def test_a_vote_for_a_family_not_shortlisted_is_refused(campaign, shortlist, unit, campaign_elsewhere):
    token = voter_pass(campaign)
    pending = Nomination.objects.create(
        campaign=campaign, unit=unit("张家庄村"), unit_path=unit("张家庄村").path, at_unit=unit("正定县"),
        at_path=unit("正定县").path, level_reached=3, family_name="赵家", story="…", channel="org",
        created_at=timezone.now(), updated_at=timezone.now())
    declined = shortlisted_family(campaign, unit("西柏棠村"), name="钱家")
    Nomination.objects.filter(pk=declined.pk).update(state=NominationState.DECLINED)
    elsewhere = shortlisted_family(campaign_elsewhere, unit("恒东社区"), name="孙家")

    for nomination_id in (pending.pk, declined.pk, elsewhere.pk, 10**9, "x", None, -1):
        with pytest.raises(ValidationError, match="入围家庭"):
            voting.vote_cast(campaign_id=campaign.pk, nomination_id=nomination_id, voter_pass=token)
    assert Vote.objects.count() == 0


@pytest.fixture
def campaign_elsewhere(unit, city_chair):
    from fulian.awards.campaigns import campaign_launch
    from fulian.awards.tests.conftest import day

    return campaign_launch(actor=city_chair, unit=unit("石家庄市"), kind="courtyard", name="美丽庭院", year=2026,
                           level=3, nominate_until=day(10), review_until=day(30), vote_from=day(0),
                           vote_until=day(40))


def test_a_forged_or_foreign_pass_is_refused(campaign, shortlist, campaign_elsewhere):
    good = voter_pass(campaign)
    payload = signing.loads(good, salt="fulian.awards.voter-pass")
    forged = [
        "",
        "not-a-pass",
        good[:-2] + ("aa" if not good.endswith("aa") else "bb"),
        signing.dumps(payload, salt="another-salt"),
        signing.dumps(payload | {"h": "0" * 40}, key="not-the-secret", salt="fulian.awards.voter-pass"),
        voter_pass(campaign_elsewhere, phone="13912345670"),
    ]
    for token in forged:
        with pytest.raises(ValidationError, match="手机验证已过期"):
            voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token)
    assert Vote.objects.count() == 0


def test_an_expired_pass_is_refused(campaign, shortlist):
    issued = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time(8)))
    token = voter_pass(campaign, now=issued)
    late = issued + dt.timedelta(seconds=voting.PASS_SECONDS + 1)
    with pytest.raises(ValidationError, match="手机验证已过期"):
        voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token, now=late)
    assert voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token,
                            now=late - dt.timedelta(seconds=2)).counted


def test_a_wrong_code_gives_no_pass(campaign):
    voting.voter_code_send(campaign=campaign, phone=PHONE)
    with pytest.raises(ValidationError):
        voting.voter_pass_issue(campaign=campaign, phone=PHONE, code="000000" if last_code_sent(PHONE) != "000000"
                                else "111111")


def test_the_phone_is_kept_only_as_a_keyed_hash(campaign, shortlist):
    voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=voter_pass(campaign))
    vote = Vote.objects.get()
    assert PHONE not in vote.phone_hash and vote.phone_hash == voting.phone_hash(PHONE)
    assert (vote.unit_path, vote.nomination_id) == (shortlist.unit_path, shortlist.pk)


def test_votes_per_address_are_limited(campaign, shortlist, settings):
    settings.AWARD_VOTES_PER_ADDRESS = 1
    voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=voter_pass(campaign))
    with pytest.raises(voting.TooManyVotes):
        voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk,
                         voter_pass=voter_pass(campaign, phone="13912345670"))


def test_votes_count_at_the_familys_village_and_equal_the_recount(campaign, shortlist, unit):
    token = voter_pass(campaign)
    voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token)
    voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=token)  # counts once

    month = period_of(timezone.now())
    ids = [unit(name).pk for name in ("恒东社区", "正定县", "石家庄市", "行唐县")]
    read = figures_read(ids, [month])
    assert [read[i][month].get("award_votes", 0) for i in ids] == [1, 1, 1, 0]
    assert [d for d in recount().differences if d[2].startswith("award_")] == []


def test_the_public_card_shows_only_consenting_members(campaign, shortlist):
    card, = voting.public_cards(campaign, counts=voting.vote_counts(campaign))
    assert card["members"] == ["王秀兰"]
    assert (card["votes"], card["tier"], card["village"]) == (0, "十佳", "恒东社区")


def test_a_refused_vote_counts_no_figure_and_a_stale_village_is_read_again(campaign, shortlist, unit):
    voting._VILLAGES[shortlist.pk] = unit("张家庄村").path  # what an old process might remember
    assert voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk,
                            voter_pass=voter_pass(campaign)).counted
    assert Vote.objects.get().unit_path == shortlist.unit_path
    voting.vote_cast(campaign_id=campaign.pk, nomination_id=shortlist.pk, voter_pass=voter_pass(campaign))
    assert [d for d in recount().differences if d[2].startswith("award_")] == []
