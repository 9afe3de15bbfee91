"""The public vote (网络投票) on a campaign's shortlist: never decisive — reviewers see the counts beside their scores,
and nothing awards by them.

A vote is taken from `vote_from` to `vote_until` (local dates) while the campaign is still under review, for a
family the awarding unit has shortlisted: one per proved phone per campaign per day (the Vote row's unique
constraint; a second the same day counts once and answers 今天已经投过票). The phone is proved once by a one-time
code (core.otp, with its own limits); the browser or the app then holds a signed voter pass (`voter_pass_issue`),
bound to the phone's keyed hash, the campaign and the day and good for PASS_SECONDS, so each vote is one cheap
request: the pass is checked by its signature, and the vote and its award_votes figure (at the family's village)
are one statement — an INSERT … SELECT that takes the family only if it is shortlisted in that campaign while the
vote runs, and fails as a whole otherwise or when the phone voted today already (the slow path then says why).
The write is built here rather than collected by core.writes.write_path because its check must be inside the
statement; it ends the same way a write path does (core.writes.execute_statements, the figures' own statements).
Only a keyed hash of the phone (HMAC under SECRET_KEY) is kept. Votes are
limited per address (AWARD_VOTES_PER_ADDRESS an hour) against scripts behind one address.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from fulian.core.context import current_origin
from fulian.core.figures import figures_statements
from fulian.core.otp import otp_check, otp_send
from fulian.core.phone import normalize_phone
from fulian.core.ratelimit import rate_hit
from fulian.core.writes import execute_statements

from .figures import award_delta
from .models import AwardCampaign, CampaignStatus, Nomination, NominationState, Photo, Vote
from .nominations import public_family_name, public_members

PASS_SECONDS = 2 * 3600  # a voter pass lives this long, and never past the day it was given for
_PASS_SALT = "fulian.awards.voter-pass"  # noqa: S105  (a signing salt, not a secret)
_HASH_SALT = "fulian.awards.voter-phone"
METRIC = "award_votes"


class TooManyVotes(ValidationError):
    def __init__(self):
        super().__init__(_("这个网络地址投票太多，请一小时后再试。"), code="award_vote_rate")


@dataclass(frozen=True)
class VoteResult:
    counted: bool  # False: she had voted in this campaign today already (the first vote stands)
    message: str


def phone_hash(phone: str) -> str:
    """The keyed hash a vote keeps of the phone (never the phone itself)."""
    return salted_hmac(_HASH_SALT, phone).hexdigest()


def vote_is_open(campaign: AwardCampaign, *, now) -> bool:
    today = timezone.localdate(now)
    return (campaign.status == CampaignStatus.OPEN and campaign.vote_from is not None
            and campaign.vote_until is not None and campaign.vote_from <= today <= campaign.vote_until)


def vote_refusal(campaign: AwardCampaign, *, now) -> str:
    """Why no vote is taken in the campaign now ("" when it is)."""
    if campaign.vote_from is None:
        return _("这项评选没有网络投票。")
    today = timezone.localdate(now)
    if campaign.status == CampaignStatus.OPEN and today < campaign.vote_from:
        return _("网络投票%(day)s开始。") % {"day": campaign.vote_from.isoformat()}
    if not vote_is_open(campaign, now=now):
        return _("网络投票已经结束。")
    return ""


def _refuse_unless_open(campaign: AwardCampaign, now) -> None:
    refusal = vote_refusal(campaign, now=now)
    if refusal:
        raise ValidationError(refusal, code="award_vote_closed")


def _mobile(phone: str) -> str:
    phone = normalize_phone(phone)
    if not phone.startswith("1") or len(phone) != 11:
        raise ValidationError(_("请填写手机号。"), code="award_vote_phone")
    return phone


def voter_code_send(*, campaign: AwardCampaign, phone: str, now=None) -> None:
    """Send a one-time code to prove her phone for voting (refused when no vote runs)."""
    now = now or timezone.now()
    _refuse_unless_open(campaign, now)
    otp_send(phone=_mobile(phone), now=now)


def _pass_for(campaign_id: int, hashed: str, day: dt.date, now: dt.datetime) -> str:
    return signing.dumps({"c": campaign_id, "h": hashed, "d": day.isoformat(), "t": int(now.timestamp())},
                         salt=_PASS_SALT)


@dataclass(frozen=True)
class VoterPass:
    token: str
    expires_at: dt.datetime


def voter_pass_issue(*, campaign: AwardCampaign, phone: str, code: str, now=None) -> VoterPass:
    """Her phone proved by the code: a signed voter pass for this campaign, good for PASS_SECONDS and never past
    the end of the day."""
    now = now or timezone.now()
    _refuse_unless_open(campaign, now)
    phone = _mobile(phone)
    otp_check(phone=phone, code=code, now=now)
    today = timezone.localdate(now)
    end_of_day = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))
    return VoterPass(_pass_for(campaign.pk, phone_hash(phone), today, now),
                     min(now + dt.timedelta(seconds=PASS_SECONDS), end_of_day))


def voter_pass_read(token: str, *, campaign_id: int, now) -> str | None:
    """The phone hash a pass proves for this campaign today, or None (forged, expired, another campaign or day)."""
    if not token or len(token) > 400:
        return None
    try:
        data = signing.loads(token, salt=_PASS_SALT)
        hashed, pass_campaign, day, given = str(data["h"]), int(data["c"]), str(data["d"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if (pass_campaign != campaign_id or day != timezone.localdate(now).isoformat() or len(hashed) != 40
            or not 0 <= now.timestamp() - given <= PASS_SECONDS):
        return None
    return hashed


_VOTE_SQL: list[str] = []
_VILLAGES: dict[int, str] = {}  # nomination → its family's village path (never changes): where its votes count
_VILLAGES_KEPT = 20_000


def _vote_sql() -> str:
    """The vote, written once. The family is joined only when it is shortlisted at the campaign's own unit while
    the campaign's vote runs, and is in the village its figure is counted at; otherwise the LEFT JOIN gives NULLs,
    which the vote's NOT NULL columns refuse — so the statement fails as a whole, as does a second vote of the
    phone in the campaign that day (the unique constraint), and no figure is counted without its vote."""
    if not _VOTE_SQL:
        qn = connection.ops.quote_name
        vote, nomination, campaign = (qn(m._meta.db_table) for m in (Vote, Nomination, AwardCampaign))
        _VOTE_SQL.append(
            f"INSERT INTO {vote} (campaign_id, nomination_id, unit_path, phone_hash, day, cast_at) "  # noqa: S608
            f"SELECT n.campaign_id, n.id, n.unit_path, %s, %s, %s FROM (SELECT 1 AS one) o "
            f"LEFT JOIN {nomination} n ON n.id = %s AND n.campaign_id = %s AND n.unit_path = %s AND n.state = %s "
            f"AND EXISTS (SELECT 1 FROM {campaign} c WHERE c.id = n.campaign_id AND c.unit_path = n.at_path "
            f"AND c.status = %s AND c.vote_from <= %s AND c.vote_until >= %s)")
    return _VOTE_SQL[0]


def _nomination_pk(value) -> int | None:
    try:
        pk = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return pk if 1 <= pk <= 2**53 else None


def _village_of(campaign_id: int, pk: int, *, fresh: bool = False) -> str | None:
    village = None if fresh else _VILLAGES.get(pk)
    if village is None:
        village = Nomination.objects.filter(pk=pk, campaign_id=campaign_id).values_list("unit_path", flat=True).first()
        if village is not None:
            if len(_VILLAGES) >= _VILLAGES_KEPT:
                _VILLAGES.clear()
            _VILLAGES[pk] = village
    return village


def _insert(*, campaign_id: int, pk: int, village: str, hashed: str, now) -> bool:
    """The vote and its award_votes figure, in one statement (PostgreSQL: the figure's INSERT with the vote's as
    its data-modifying CTE, in autocommit; SQLite: both in one transaction). False: refused by the database (not
    shortlisted, not in the vote, another village, or voted today already)."""
    day = connection.ops.adapt_datefield_value(timezone.localdate(now))
    vote = (_vote_sql(), [hashed, day, connection.ops.adapt_datetimefield_value(now), pk, campaign_id, village,
                          NominationState.SHORTLISTED, CampaignStatus.OPEN, day, day])
    statements = [vote, *figures_statements([award_delta(METRIC, village, now)])]
    try:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            execute_statements(statements)
        else:
            with transaction.atomic():
                execute_statements(statements)
    except IntegrityError:
        return False
    return True


def vote_cast(*, campaign_id: int, nomination_id, voter_pass: str, now=None) -> VoteResult:
    """One vote for a shortlisted family with her voter pass. Refused (ValidationError) with a forged or expired
    pass, outside the vote, or for a family not shortlisted in the campaign; a second vote the same day is
    VoteResult(counted=False). One statement when all is well: the checks are in it."""
    now = now or timezone.now()
    if not rate_hit("award-vote-address", current_origin().ip, limit=settings.AWARD_VOTES_PER_ADDRESS,
                    seconds=3600, now=now.timestamp()):
        raise TooManyVotes()
    hashed = voter_pass_read(voter_pass, campaign_id=campaign_id, now=now)
    if hashed is None:
        raise ValidationError(_("手机验证已过期，请重新获取验证码。"), code="award_vote_pass")
    pk = _nomination_pk(nomination_id)
    if pk is None:
        raise ValidationError(_("请选择入围家庭。"), code="award_vote_family")
    village = _village_of(campaign_id, pk)
    if village is not None and _insert(campaign_id=campaign_id, pk=pk, village=village, hashed=hashed, now=now):
        return VoteResult(True, _("投票成功，感谢您的参与！"))
    # refused: say why (the slow path, for the rare vote that is not counted)
    if Vote.objects.filter(campaign_id=campaign_id, phone_hash=hashed, day=timezone.localdate(now)).exists():
        return VoteResult(False, _("今天已经投过票了，明天再来吧。"))
    campaign = AwardCampaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise ValidationError(_("没有这项评选。"), code="award_vote_campaign")
    _refuse_unless_open(campaign, now)
    if village is not None and _village_of(campaign_id, pk, fresh=True) not in (None, village):
        return vote_cast(campaign_id=campaign_id, nomination_id=pk, voter_pass=voter_pass, now=now)  # moved
    raise ValidationError(_("只能为入围家庭投票。"), code="award_vote_family")


def voted_today(campaign_id: int, hashed: str | None, *, now) -> int | None:
    """The family she voted for in the campaign today (None: none yet)."""
    if not hashed:
        return None
    return (Vote.objects.filter(campaign_id=campaign_id, phone_hash=hashed, day=timezone.localdate(now))
            .values_list("nomination_id", flat=True).first())


def vote_counts(campaign: AwardCampaign) -> dict[int, int]:
    """{nomination_id: votes} of the campaign, live (one grouped query)."""
    rows = Vote.objects.filter(campaign_id=campaign.pk).values("nomination_id").annotate(n=Count("pk")).order_by()
    return {r["nomination_id"]: r["n"] for r in rows}


# ---- what the public pages show ------------------------------------------------------------------------------

def public_cards(campaign: AwardCampaign, *, counts: dict[int, int] | None = None) -> list[dict]:
    """The shortlisted families as the public may see them: name, village, tier, title, story, the names of the
    members who consented, public photos (ids) and, when given, the vote counts."""
    families = list(campaign.nominations.filter(state=NominationState.SHORTLISTED, at_path=campaign.unit_path)
                    .select_related("unit").order_by("tier", "family_name", "pk"))
    photos: dict[int, list[int]] = {}
    for photo_id, nomination_id in (Photo.objects.filter(public=True, nomination__in=families)
                                    .order_by("pk").values_list("pk", "nomination_id")):
        photos.setdefault(nomination_id, []).append(photo_id)
    return [{"id": n.pk, "family_name": public_family_name(n), "village": n.unit.name, "tier": n.tier, "title": n.title,
             "story": n.story, "members": public_members(n), "photos": photos.get(n.pk, []),
             "votes": None if counts is None else counts.get(n.pk, 0)} for n in families]
