"""Nominations (推荐) by channel: a village or community federation (or a unit above acting for it) puts forward a
registry Family of its subtree (组织推荐); a cadre enters a family found in the media with its source (媒体推荐);
a woman puts forward her own family or another's on the portal, her phone proved by a one-time code (自我推荐 /
他人推荐). Every nomination starts PENDING at the family's village (at_unit, level_reached 5).

Members are kept with their consent to be named (recorded by the cadre, or ticked by the nominator on the portal):
only consenting members' names are ever public (`public_members`). The same family twice in a campaign (the same
registry Family, the same family phone, or a registry woman in both) is merged into the first at once: the later
one is MERGED (its story and photos stay on it and show from the first) and no longer counts in the figures; a
cadre merges the ones she finds (`nomination_merge`). A double submit (the same client token) gives one row.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.errors import Conflict
from fulian.core.figures import figures_add
from fulian.core.otp import otp_check, otp_send
from fulian.core.outbox import outbox_put
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, OutOfScope, allows, may_act_for_unit, scope_q
from fulian.core.ratelimit import rate_hit
from fulian.core.uploads import PHOTOS, attachment_check
from fulian.core.writes import write_path
from fulian.orgs.models import Level, Unit
from fulian.people.models import Family, FamilyMember, Relation
from fulian.people.services import clean_name

from . import eligibility
from .figures import GONE, REVIEW_KINDS, award_delta, nominated_metric
from .models import (
    PORTAL_CHANNELS,
    AwardCampaign,
    CampaignStatus,
    Channel,
    Decision,
    DecisionKind,
    Nomination,
    NominationState,
    Photo,
)

CADRE_CHANNELS = (Channel.ORGANISATION, Channel.MEDIA)
STORY_MIN, STORY_MAX = 20, 5000
TITLE_MAX = 100
SOURCE_MAX = 200
MAX_MEMBERS = 20
MAX_PHOTOS = 9
PHOTO_MAX_BYTES = 5 * 2**20
LIVE_EXCLUDED = GONE


def _nominations_per_phone() -> int:
    return int(getattr(settings, "AWARD_NOMINATIONS_PER_PHONE", 5))


# rules


def nominations_open(campaign: AwardCampaign, *, now) -> bool:
    """Whether the campaign takes nominations now: open, and on or before its nominate_until day."""
    return campaign.status == CampaignStatus.OPEN and timezone.localdate(now) <= campaign.nominate_until


def _require_open(campaign: AwardCampaign, now) -> None:
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("这次评选已不接受推荐。"), code="nomination_closed")
    if timezone.localdate(now) > campaign.nominate_until:
        raise ValidationError(_("推荐已于%(day)s截止，不能再推荐了。")
                              % {"day": date_format(campaign.nominate_until, "Y年n月j日")},
                              code="nomination_closed")


def _village(unit, campaign: AwardCampaign) -> Unit:
    if unit is None:
        raise ValidationError(_("请选择家庭所在的村(社区)。"), code="nomination_unit")
    if unit.level != Level.VILLAGE or not unit.path.startswith(campaign.unit_path):
        raise ValidationError(_("“%(unit)s”不是这次评选范围内的村(社区)。") % {"unit": unit.name},
                              code="nomination_unit")
    return unit


def _text(story, title, source) -> tuple[str, str, str]:
    story, title, source = (story or "").strip(), " ".join((title or "").split()), " ".join((source or "").split())
    if len(story) < STORY_MIN:
        raise ValidationError(_("家庭事迹至少写%(n)d个字。") % {"n": STORY_MIN}, code="nomination_story")
    if len(story) > STORY_MAX:
        raise ValidationError(_("家庭事迹最多%(n)d个字。") % {"n": STORY_MAX}, code="nomination_story")
    if len(title) > TITLE_MAX:
        raise ValidationError(_("事迹标题最多%(n)d个字。") % {"n": TITLE_MAX}, code="nomination_title")
    if len(source) > SOURCE_MAX:
        raise ValidationError(_("媒体来源最多%(n)d个字。") % {"n": SOURCE_MAX}, code="nomination_source")
    return story, title, source


def relation_label(value: str) -> str:
    """A member's relation as shown: a registry relation's label, or the words typed on the portal."""
    return str(Relation(value).label) if value in Relation.values else value


def _member(item) -> dict:
    if not isinstance(item, dict):
        raise ValidationError(_("家庭成员格式不正确。"), code="nomination_members")
    try:
        name = clean_name(item.get("name"))
    except ValidationError as exc:
        raise ValidationError(_("家庭成员姓名：%(why)s") % {"why": " ".join(exc.messages)},
                              code="nomination_members") from None
    relation = " ".join(str(item.get("relation") or "").split())[:14]
    return {"name": name, "relation": relation, "woman_id": None, "consent": bool(item.get("consent"))}


def members_clean(members) -> list[dict]:
    """[{"name", "relation", "woman_id": None, "consent"}] from what was typed (no registry link: names only)."""
    members = [m for m in (members or []) if not (isinstance(m, dict) and not str(m.get("name") or "").strip())]
    if len(members) > MAX_MEMBERS:
        raise ValidationError(_("家庭成员最多%(n)d人。") % {"n": MAX_MEMBERS}, code="nomination_members")
    out = [_member(m) for m in members]
    if len({m["name"] for m in out}) != len(out):
        raise ValidationError(_("家庭成员姓名重复了。"), code="nomination_members")
    return out


def members_of_family(family: Family, members=None) -> list[dict]:
    """The registry family's members (with their relation and woman_id), each consenting when `members` (what the
    cadre recorded: [{"name", "consent"}]) says so; members typed beyond the registry's are added by name."""
    said = {str(m.get("name") or "").strip(): bool(m.get("consent")) for m in members or [] if isinstance(m, dict)}
    out = [{"name": m.name, "relation": m.relation, "woman_id": m.woman_id, "consent": said.get(m.name, False)}
           for m in FamilyMember.objects.filter(family=family).order_by("pk")]
    known = {m["name"] for m in out}
    extra = [m for m in members_clean([m for m in members or [] if isinstance(m, dict)
                                       and str(m.get("name") or "").strip() not in known])]
    if len(out) + len(extra) > MAX_MEMBERS:
        raise ValidationError(_("家庭成员最多%(n)d人。") % {"n": MAX_MEMBERS}, code="nomination_members")
    return out + extra


def public_members(nomination: Nomination) -> list[str]:
    """The names that may be shown in public: the members who consented."""
    return [m["name"] for m in nomination.members or [] if isinstance(m, dict) and m.get("consent")]


def public_family_name(nomination: Nomination) -> str:
    """The family's name as the public may read it: a family is often named after a member (王秀兰家); a member who
    did not consent keeps only her surname there (王**家), as a certificate's holder is masked."""
    name = nomination.family_name
    for member in nomination.members or []:
        who = member.get("name", "") if isinstance(member, dict) else ""
        if who and len(who) > 1 and not member.get("consent") and who in name:
            name = name.replace(who, who[0] + "*" * (len(who) - 1))
    return name


def _photos_check(photos, *, already: int = 0) -> list[str]:
    photos = [p for p in photos or [] if p is not None]
    if already + len(photos) > MAX_PHOTOS:
        raise ValidationError(_("照片最多%(n)d张。") % {"n": MAX_PHOTOS}, code="nomination_photos")
    for photo in photos:
        if photo.size > PHOTO_MAX_BYTES:
            raise ValidationError(_("照片“%(name)s”太大：每张不超过%(mb)d MB。")
                                  % {"name": photo.name[:80], "mb": PHOTO_MAX_BYTES // 2**20}, code="too_big")
    return [attachment_check(p, kinds=PHOTOS) for p in photos]


def _registry_family(village: Unit, phone: str, name: str) -> Family | None:
    """The one registry family of the village with this phone (or, without a phone, this name); else None."""
    rows = Family.objects.filter(unit=village)
    found = list(rows.filter(phone=phone)[:2]) if phone else []
    if not found and name:
        found = list(rows.filter(name=name)[:2])
    return found[0] if len(found) == 1 else None


def _woman_ids(family_id, members) -> set[int]:
    ids = {m.get("woman_id") for m in members or [] if isinstance(m, dict) and m.get("woman_id")}
    if family_id:
        ids |= set(FamilyMember.objects.filter(family_id=family_id, woman__isnull=False)
                   .values_list("woman_id", flat=True))
    return ids


def _live(campaign_id):
    return Nomination.objects.filter(campaign_id=campaign_id).exclude(state__in=LIVE_EXCLUDED)


def duplicate_of(*, campaign_id, family_id, phone: str, members, exclude_id=None) -> Nomination | None:
    """The first live nomination of the campaign of the same family: the same registry Family, the same family
    phone, or a registry woman of this one in it (as a member or in its registry family)."""
    live = _live(campaign_id).order_by("created_at", "pk")
    if exclude_id is not None:
        live = live.exclude(pk=exclude_id)
    match = Q(pk__in=[])
    if family_id:
        match |= Q(family_id=family_id)
    if phone:
        match |= Q(family_phone=phone)
    women = _woman_ids(family_id, members)
    if women:
        families = FamilyMember.objects.filter(woman_id__in=women).values("family_id")
        match |= Q(family_id__in=families)
    found = live.filter(match).first()
    if found is not None or not women:
        return found
    for row in live.exclude(members=[]).only("pk", "members", "created_at"):
        if women & {m.get("woman_id") for m in row.members if isinstance(m, dict)}:
            return Nomination.objects.get(pk=row.pk)
    return None


def _replayed(client_token, campaign: AwardCampaign) -> Nomination | None:
    if not client_token:
        return None
    done = Nomination.objects.filter(client_token=client_token).first()
    if done is None:
        return None
    if done.campaign_id != campaign.pk:
        raise Conflict(_("这个提交编号已用于另一次推荐，请刷新页面后重新填写。"), code="nomination_token_reused")
    done.created = False
    return done


# writes


def nomination_create(*, actor, campaign: AwardCampaign, channel: str, family: Family | None = None,
                      unit: Unit | None = None, family_name: str = "", family_phone: str = "", title: str = "",
                      story: str, members=None, source: str = "", nominator_name: str = "",
                      nominator_phone: str = "", client_token: str | None = None, photos=(),
                      now=None) -> Nomination:
    """组织推荐 (ORGANISATION: a registry `family` of her subtree; its members copied, consent as `members` records
    it) or 媒体推荐 (MEDIA: `unit` the village, `family_name`, `source`; linked to the registry family of that
    village with the same phone, or name, when there is exactly one), by a cadre who may act for the village.
    Returns the nomination (`created` False for a replay of the same client token); a duplicate of a live one is
    MERGED into it at once."""
    now = now or timezone.now()
    if channel not in CADRE_CHANNELS:
        raise ValidationError(_("推荐渠道不正确。"), code="nomination_channel")
    client_token = (client_token or "").strip()[:40] or None
    done = _replayed(client_token, campaign)
    if done is not None:
        return done
    if channel == Channel.ORGANISATION:
        if family is None:
            raise ValidationError(_("请选择要推荐的家庭。"), code="nomination_family")
        unit = family.unit
    if unit is None or not may_act_for_unit(actor, unit.path):
        raise OutOfScope("not her village")
    village = _village(unit, campaign)
    _require_open(campaign, now)
    story, title, source = _text(story, title, source)
    family_phone = normalize_phone(family_phone)
    if channel == Channel.ORGANISATION:
        family_name = family.name
        family_phone = family_phone or normalize_phone(family.phone)
        members = members_of_family(family, members)
    else:
        if not source:
            raise ValidationError(_("请填写媒体来源，如：《河北日报》2026-05-12。"), code="nomination_source")
        family_name = " ".join((family_name or "").split())[:60]
        if not family_name:
            raise ValidationError(_("请填写家庭名称，如：张秀英家。"), code="nomination_family_name")
        members = members_clean(members)
        family = family or _registry_family(village, family_phone, family_name)
        if family is not None:
            members = members_of_family(family, members)
    types = _photos_check(photos)
    return _write(campaign=campaign, village=village, channel=channel, family=family, family_name=family_name,
                  family_phone=family_phone, title=title, story=story, members=members, source=source,
                  nominator_name=" ".join((nominator_name or "").split())[:30],
                  nominator_phone=normalize_phone(nominator_phone), actor=actor, client_token=client_token,
                  photos=list(zip([p for p in photos or [] if p is not None], types, strict=True)), now=now)


def _write(*, campaign, village, channel, family, family_name, family_phone, title, story, members, source,
           nominator_name, nominator_phone, actor, client_token, photos, now) -> Nomination:
    cadre = actor if getattr(actor, "is_authenticated", False) else None
    for attempt in range(2):
        try:
            with write_path():
                # the campaign's row serialises nominations of one campaign, so a duplicate is always seen
                AwardCampaign.objects.select_for_update().filter(pk=campaign.pk).first()
                first = duplicate_of(campaign_id=campaign.pk, family_id=family.pk if family else None,
                                     phone=family_phone, members=members)
                nomination = Nomination.objects.create(
                    campaign=campaign, unit=village, unit_path=village.path, at_unit=village, at_path=village.path,
                    level_reached=village.level, family=family,
                    family_name=family_name, family_phone=family_phone, title=title, story=story, members=members,
                    consent_recorded_by=cadre, consent_recorded_at=now, channel=channel, source=source,
                    nominator_name=nominator_name, nominator_phone=nominator_phone,
                    state=NominationState.MERGED if first is not None else NominationState.PENDING,
                    merged_into=first, client_token=client_token, created_at=now, updated_at=now,
                    created_by=cadre)
                for upload, content_type in photos:
                    Photo.objects.create(nomination=nomination, file=upload, content_type=content_type,
                                         uploaded_at=now, uploaded_by=cadre)
                if first is None:
                    figures_add([award_delta(nominated_metric(channel), village.path, now)])
                else:
                    Decision.objects.create(
                        nomination=nomination, campaign=campaign, unit=village, unit_path=village.path,
                        level=village.level, kind=DecisionKind.MERGE, reason=_("与已有推荐为同一家庭，自动合并。"),
                        decided_by=cadre, decided_at=now)
                audit_record(actor=actor, action="award.nominate", obj=nomination, now=now, changes={
                    "campaign": campaign.pk, "channel": channel, "merged_into": first.pk if first else None})
            break
        except IntegrityError:
            # a twin request (the same token) or the same registry family, a moment earlier
            done = _replayed(client_token, campaign)
            if done is not None:
                return done
            if attempt:
                raise
    nomination.created = True
    return nomination


def nomination_code_send(*, campaign: AwardCampaign, phone: str, now=None) -> None:
    """A one-time code to the nominator's phone; the same answer for every number."""
    now = now or timezone.now()
    _require_portal(campaign, now)
    otp_send(phone=normalize_phone(phone), now=now)


def _require_portal(campaign: AwardCampaign, now) -> None:
    if not campaign.portal_open:
        raise ValidationError(_("这次评选不接受网上推荐，请联系所在村(社区)妇联。"), code="nomination_no_portal")
    _require_open(campaign, now)


def nomination_submit_public(*, campaign: AwardCampaign, village: Unit | None, family_name: str, story: str,
                             nominator_name: str, nominator_phone: str, code: str, is_self: bool,
                             members=None, family_phone: str = "", title: str = "", photos=(),
                             client_token: str | None = None, now=None) -> Nomination:
    """自我推荐 (`is_self`: her own family) or 他人推荐 on the portal: the nominator's phone proved by the one-time
    `code`, at most AWARD_NOMINATIONS_PER_PHONE a day per phone. Members are the names typed, each with her
    consent tick. The same client token again gives the same nomination."""
    now = now or timezone.now()
    client_token = (client_token or "").strip()[:40] or None
    phone = normalize_phone(nominator_phone)
    if not (len(phone) == 11 and phone.startswith("1")):
        raise ValidationError(_("请填写推荐人的手机号。"), code="phone_not_mobile")
    done = _replayed(client_token, campaign)
    if done is not None:
        if done.nominator_phone != phone:
            raise Conflict(_("这个提交编号已用于另一次推荐，请刷新页面后重新填写。"), code="nomination_token_reused")
        return done
    _require_portal(campaign, now)
    village = _village(village, campaign)
    try:
        nominator_name = clean_name(nominator_name)
    except ValidationError as exc:
        raise ValidationError(_("推荐人姓名：%(why)s") % {"why": " ".join(exc.messages)},
                              code="nomination_nominator") from None
    story, title, _source = _text(story, title, "")
    family_name = " ".join((family_name or "").split())[:60]
    if not family_name:
        raise ValidationError(_("请填写家庭名称，如：张秀英家。"), code="nomination_family_name")
    members = members_clean(members)
    family_phone = normalize_phone(family_phone) or (phone if is_self else "")
    types = _photos_check(photos)
    if not rate_hit("award-nominate-phone", phone, limit=_nominations_per_phone(), seconds=86400,
                    now=now.timestamp()):
        raise ValidationError(_("这个手机号今天推荐的次数太多了，请明天再试。"), code="nomination_rate")
    try:
        otp_check(phone=phone, code=code, now=now)
    except ValidationError:
        done = _replayed(client_token, campaign)  # its twin, a moment earlier, used the code
        if done is None:
            raise
        return done
    # matched only now, with the phone proved, and never told: the answer is the same either way
    family = _registry_family(village, family_phone, "")
    if family is not None:
        members = _with_registry(family, members)
    nomination = _write(
        campaign=campaign, village=village, channel=Channel.SELF if is_self else Channel.OTHERS, family=family,
        family_name=family_name, family_phone=family_phone, title=title, story=story, members=members, source="",
        nominator_name=nominator_name, nominator_phone=phone, actor=None,
        client_token=client_token or secrets.token_urlsafe(24),
        photos=list(zip([p for p in photos or [] if p is not None], types, strict=True)), now=now)
    if nomination.created:
        outbox_put(channel="sms", address=phone, now=now,
                   subject=_("您推荐的“%(name)s”已收到，%(campaign)s将由所在村(社区)妇联起逐级评审。")
                   % {"name": family_name[:30], "campaign": campaign.name[:40]})
    return nomination


def _with_registry(family: Family, members: list[dict]) -> list[dict]:
    """Typed members linked to the registry family's women of the same name (for the eligibility check only)."""
    women = dict(FamilyMember.objects.filter(family=family, woman__isnull=False).values_list("name", "woman_id"))
    return [{**m, "woman_id": women.get(m["name"])} for m in members]


def _locked(nomination: Nomination, version) -> Nomination:
    row = Nomination.objects.select_for_update(of=("self",)).select_related("at_unit").get(pk=nomination.pk)
    if version is not None and version != row.version:
        raise Conflict(_("这条推荐已被他人处理或修改，请刷新后再试。"), code="nomination_stale")
    return row


def _moved_above_village(nomination: Nomination) -> bool:
    return Decision.objects.filter(nomination=nomination, level__lt=Level.VILLAGE, undone_at__isnull=True,
                                   kind__in=REVIEW_KINDS).exists()


def nomination_merge(*, actor, nomination: Nomination, into: Nomination, version: int | None = None,
                     now=None) -> Nomination:
    """合并: `nomination` is the same family as `into` (a live one of the same campaign): it becomes MERGED into
    it (its story and photos stay and show from `into`); its live decisions are undone and it no longer counts.
    By a cadre who may act for both families' villages, before either has been awarded."""
    now = now or timezone.now()
    if not (may_act_for_unit(actor, nomination.unit_path) and may_act_for_unit(actor, into.unit_path)):
        raise OutOfScope("not her nominations")
    if nomination.pk == into.pk or nomination.campaign_id != into.campaign_id:
        raise ValidationError(_("只能合并同一评选中的两条不同推荐。"), code="nomination_merge")
    with write_path():
        row = _locked(nomination, version)
        target = Nomination.objects.select_for_update(of=("self",)).get(pk=into.pk)
        if row.state in GONE or target.state in GONE:
            raise ValidationError(_("已合并或已撤回的推荐不能再合并。"), code="nomination_merge")
        if NominationState.AWARDED in (row.state, target.state):
            raise ValidationError(_("已表彰的推荐不能合并。"), code="nomination_merge")
        _undo_decisions(row, now)
        Nomination.objects.filter(pk=row.pk).update(state=NominationState.MERGED, merged_into=target,
                                                    version=row.version + 1, updated_at=now)
        if row.family_id and not target.family_id:
            Nomination.objects.filter(pk=target.pk).update(family_id=row.family_id, updated_at=now)
        Decision.objects.create(nomination=row, campaign_id=row.campaign_id, unit=row.at_unit,
                                unit_path=row.at_path, level=row.at_unit.level, kind=DecisionKind.MERGE,
                                reason=_("合并到“%(name)s”") % {"name": target.family_name[:40]}, decided_by=actor,
                                decided_at=now)
        figures_add([award_delta(nominated_metric(row.channel), row.unit_path, row.created_at, -1)])
        audit_record(actor=actor, action="award.merge", obj=row, now=now, changes={"into": target.pk})
    return Nomination.objects.select_related("campaign", "unit", "at_unit").get(pk=row.pk)


def _undo_decisions(row: Nomination, now) -> None:
    """Its live decisions no longer count (quota, figures): the nomination leaves the review."""
    live = list(Decision.objects.filter(nomination=row, undone_at__isnull=True, kind__in=REVIEW_KINDS))
    if not live:
        return
    Decision.objects.filter(pk__in=[d.pk for d in live]).update(undone_at=now)
    figures_add([award_delta("award_reviewed", d.unit_path, d.decided_at, -1) for d in live])


def nomination_withdraw(*, actor, nomination: Nomination, reason: str = "", version: int | None = None,
                        now=None) -> Nomination:
    """撤回, by a cadre who may act for its village, before any unit above the village decided on it: it leaves
    the campaign (the village's own recommendation is undone, freeing its quota) and no longer counts."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, nomination.unit_path):
        raise OutOfScope("not her nomination")
    reason = " ".join((reason or "").split())
    if len(reason) > 200:
        raise ValidationError(_("撤回原因最多200字。"), code="nomination_reason")
    with write_path():
        row = _locked(nomination, version)
        if row.state in GONE:
            raise ValidationError(_("这条推荐已合并或已撤回。"), code="nomination_gone")
        if _moved_above_village(row) or row.state in (NominationState.SHORTLISTED, NominationState.AWARDED):
            raise ValidationError(_("上级已作出评审决定，不能撤回了。"), code="nomination_withdraw_late")
        _undo_decisions(row, now)
        Nomination.objects.filter(pk=row.pk).update(state=NominationState.WITHDRAWN, reason=reason,
                                                    version=row.version + 1, updated_at=now)
        figures_add([award_delta(nominated_metric(row.channel), row.unit_path, row.created_at, -1)])
        audit_record(actor=actor, action="award.withdraw", obj=row, now=now, changes={"reason": reason})
    return Nomination.objects.select_related("campaign", "unit", "at_unit").get(pk=row.pk)


def photos_add(*, actor, nomination: Nomination, photos, caption: str = "", now=None) -> list[Photo]:
    """More photos of a live nomination (9 at most in all; jpg, png or webp up to 5 MB each)."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, nomination.unit_path):
        raise OutOfScope("not her nomination")
    if nomination.state in GONE:
        raise ValidationError(_("这条推荐已合并或已撤回。"), code="nomination_gone")
    photos = [p for p in photos or [] if p is not None]
    if not photos:
        raise ValidationError(_("请选择照片。"), code="nomination_photos")
    types = _photos_check(photos, already=nomination.photos.count())
    caption = " ".join((caption or "").split())[:100]
    with write_path():
        made = [Photo.objects.create(nomination=nomination, file=upload, content_type=content_type,
                                     caption=caption, uploaded_at=now, uploaded_by=actor)
                for upload, content_type in zip(photos, types, strict=True)]
        audit_record(actor=actor, action="award.photos_add", obj=nomination, now=now,
                     changes={"photos": len(made)})
    return made


# reads


def nominations_for(user, campaign: AwardCampaign, *, state: str = "", channel: str = "", q: str = ""):
    """Nominations of her subtree in the campaign (filtered by the state as shown: 未推荐 includes the held)."""
    rows = (campaign.nominations.filter(scope_q(user, field="unit_path"))
            .select_related("unit", "at_unit").order_by("-created_at", "-pk"))
    if state:
        if state not in NominationState.values:
            raise ValidationError(_("状态不正确。"), code="nomination_state")
        rows = rows.filter(eligibility.state_q(state))
    if channel:
        if channel not in Channel.values:
            raise ValidationError(_("推荐渠道不正确。"), code="nomination_channel")
        rows = rows.filter(channel=channel)
    q = " ".join((q or "").split())[:30]
    if q:
        rows = rows.filter(Q(family_name__contains=q) | Q(title__contains=q) | Q(family_phone=q))
    return rows


def merge_candidates(user, nomination: Nomination) -> list[Nomination]:
    """Live nominations of the same campaign she may merge this one into: of the same village, or the same
    family phone or name in her subtree; earliest first."""
    if nomination.state in GONE:
        return []
    match = Q(unit_path=nomination.unit_path) | Q(family_name=nomination.family_name)
    if nomination.family_phone:
        match |= Q(family_phone=nomination.family_phone)
    rows = (_live(nomination.campaign_id).filter(scope_q(user, field="unit_path", action=Action.EDIT))
            .filter(match).exclude(pk=nomination.pk).exclude(state=NominationState.AWARDED)
            .select_related("unit").order_by("created_at", "pk"))
    return list(rows[:20])


def may_withdraw(user, nomination: Nomination) -> bool:
    return (may_act_for_unit(user, nomination.unit_path) and nomination.state not in GONE
            and nomination.state not in (NominationState.SHORTLISTED, NominationState.AWARDED)
            and not _moved_above_village(nomination))


def access_photo_by_id(user, photo_id) -> Photo:
    """A photo of a nomination in her subtree; 404 otherwise."""
    try:
        photo = Photo.objects.select_related("nomination").filter(pk=int(photo_id)).first()
    except (TypeError, ValueError, OverflowError):
        photo = None
    if photo is None or not allows(user, Action.VIEW, photo.nomination.unit_path):
        raise Http404("photo not found")
    return photo


def campaign_for_portal(campaign_id) -> AwardCampaign:
    """A campaign that takes nominations on the portal (open, portal_open); 404 for any other."""
    try:
        campaign = (AwardCampaign.objects.select_related("unit")
                    .filter(pk=int(campaign_id), portal_open=True, status=CampaignStatus.OPEN).first())
    except (TypeError, ValueError, OverflowError):
        campaign = None
    if campaign is None:
        raise Http404("campaign not found")
    return campaign


def channels_for_cadre() -> list[tuple[str, str]]:
    return [(c, label) for c, label in Channel.choices if c in CADRE_CHANNELS]


def is_portal_channel(channel: str) -> bool:
    return channel in PORTAL_CHANNELS
