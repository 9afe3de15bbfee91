"""Nominations of family awards for the app: a campaign's nominations of your subtree, 组织推荐 / 媒体推荐, one
nomination (story, members, photos, history, merged ones), merge, withdraw, photos; 评选资格核查 for those with
need-to-know; and the portal's self/others' nomination with a one-time code. The same services and reads as the
pages (awards.nominations, awards.eligibility): a held nomination is "declined" here too unless you have
need-to-know of its case."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status, UploadedFile
from ninja.pagination import paginate

from fulian.awards import eligibility, nominations
from fulian.awards.models import Channel, Nomination
from fulian.awards.selectors import access_campaign_by_id, access_nomination_by_id
from fulian.core.context import client_ip
from fulian.core.paging import count_capped
from fulian.core.policy import Action
from fulian.core.ratelimit import rate_hit
from fulian.orgs.models import Level
from fulian.orgs.places import place_resolve
from fulian.people.families import access_family_by_id

from .openapi import download
from .pagination import CappedPagination
from .schemas import ErrorOut
from .schemas_awards_nominations import (
    AwardCheckDecideIn,
    AwardCheckOut,
    AwardMergeIn,
    AwardNominationCreateIn,
    AwardNominationDetailOut,
    AwardNominationOut,
    AwardPublicCodeIn,
    AwardPublicNominationIn,
    AwardPublicNominationOut,
    AwardWithdrawIn,
)

router = Router(tags=["awards"])
public_router = Router(tags=["awards"])
PAGE_LIMIT = "award-api-nominate"


def _out(user, n: Nomination) -> dict:
    return {"id": n.pk, "campaign_id": n.campaign_id, "unit_id": n.unit_id, "unit_name": n.unit.name,
            "at_unit_id": n.at_unit_id, "at_unit_name": n.at_unit.name, "level_reached": n.level_reached,
            "family_id": n.family_id, "family_name": n.family_name, "family_phone": n.family_phone, "title": n.title,
            "channel": n.channel, "media_source": n.source, "state": eligibility.state_shown(user, n),
            "state_label": eligibility.state_label(user, n), "reason": eligibility.reason_shown(user, n),
            "tier": n.tier, "merged_into_id": n.merged_into_id, "created_at": n.created_at, "version": n.version}


def _detail(user, n: Nomination) -> dict:
    merged = n.merged.prefetch_related("photos").order_by("created_at", "pk")
    return {**_out(user, n), "story": n.story, "nominator_name": n.nominator_name,
            "members": [{"name": m.get("name", ""), "relation": nominations.relation_label(m.get("relation", "")),
                         "woman_id": m.get("woman_id"), "consent": bool(m.get("consent"))}
                        for m in n.members or [] if isinstance(m, dict)],
            "photo_ids": [p.pk for p in n.photos.order_by("pk")],
            "history": [{"unit_name": d.unit.name, "level": d.level, "kind": d.kind, "reason": d.reason,
                         "tier": d.tier, "decided_at": d.decided_at, "undone": d.undone_at is not None}
                        for d in eligibility.history_for(user, n)],
            "merged": [{"id": m.pk, "family_name": m.family_name, "channel": m.channel, "media_source": m.source,
                        "story": m.story, "photo_ids": [p.pk for p in m.photos.all()]} for m in merged],
            "may_withdraw": nominations.may_withdraw(user, n)}


def _reloaded(user, nomination_id) -> dict:
    return _detail(user, access_nomination_by_id(user, nomination_id))


@router.get("/awards/campaigns/{award_campaign_id}/nominations",
            response={200: list[AwardNominationOut], 400: ErrorOut, 404: ErrorOut})
@paginate(CappedPagination)
def award_nominations_list(request, award_campaign_id: int, state: str = Query("", max_length=12),
                           channel: str = Query("", max_length=8), q: str = Query("", max_length=30)):
    """Nominations of your subtree in the campaign, newest first; `state` as shown (declined includes held)."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    rows = nominations.nominations_for(request.auth, campaign, state=state, channel=channel, q=q)
    request.known_count = count_capped(rows)
    return _Dressed(rows, request.auth)


class _Dressed:
    """A queryset whose slices come out as the schema's dicts: each state as the user may see it."""

    def __init__(self, rows, user):
        self.rows, self.user = rows, user

    def __getitem__(self, item):
        return [_out(self.user, n) for n in self.rows[item]]


@router.post("/awards/campaigns/{award_campaign_id}/nominations",
             response={200: AwardNominationDetailOut, 201: AwardNominationDetailOut, 400: ErrorOut, 404: ErrorOut,
                       409: ErrorOut})
def award_nomination_create(request, award_campaign_id: int, payload: AwardNominationCreateIn):
    """组织推荐 (`family_id` of your subtree) or 媒体推荐 (`village_code`, `family_name`, `media_source`): 201 with the
    nomination (merged into the first when the family was nominated already: `merged_into_id`); 200 with the same
    one for a `client_token` seen before."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    if payload.channel not in nominations.CADRE_CHANNELS:
        raise ValidationError(_("这里只能组织推荐或媒体推荐。"))
    family = unit = None
    if payload.channel == Channel.ORGANISATION:
        if payload.family_id is None:
            raise ValidationError(_("请选择要推荐的家庭。"))
        family = access_family_by_id(request.auth, payload.family_id, need=Action.EDIT)
    else:
        unit = place_resolve("", key=payload.village_code.strip(), levels=(Level.VILLAGE,), user=request.auth)
    made = nominations.nomination_create(
        actor=request.auth, campaign=campaign, channel=payload.channel, family=family, unit=unit,
        family_name=payload.family_name, family_phone=payload.family_phone, title=payload.title,
        story=payload.story, members=[m.dict() for m in payload.members], source=payload.media_source,
        client_token=payload.client_token)
    return Status(201 if made.created else 200, _reloaded(request.auth, made.pk))


@router.get("/awards/nominations/{nomination_id}", response={200: AwardNominationDetailOut, 404: ErrorOut})
def award_nomination_get(request, nomination_id: int):
    return _reloaded(request.auth, nomination_id)


@router.post("/awards/nominations/{nomination_id}/merge",
             response={200: AwardNominationDetailOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def award_nomination_merge(request, nomination_id: int, payload: AwardMergeIn):
    """合并: this nomination is the same family as `into_id`; it becomes merged into that one."""
    nomination = access_nomination_by_id(request.auth, nomination_id, need=Action.EDIT)
    into = access_nomination_by_id(request.auth, payload.into_id, need=Action.EDIT)
    nominations.nomination_merge(actor=request.auth, nomination=nomination, into=into, version=payload.version)
    return _reloaded(request.auth, nomination.pk)


@router.post("/awards/nominations/{nomination_id}/withdraw",
             response={200: AwardNominationDetailOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def award_nomination_withdraw(request, nomination_id: int, payload: AwardWithdrawIn):
    """撤回, before any unit above the village decided on it."""
    nomination = access_nomination_by_id(request.auth, nomination_id, need=Action.EDIT)
    nominations.nomination_withdraw(actor=request.auth, nomination=nomination, reason=payload.reason,
                                    version=payload.version)
    return _reloaded(request.auth, nomination.pk)


@router.post("/awards/nominations/{nomination_id}/photos",
             response={201: AwardNominationDetailOut, 400: ErrorOut, 404: ErrorOut})
def award_nomination_photo_add(request, nomination_id: int, photo: UploadedFile | None = File(None)):  # noqa: B008  (ninja declares files so)
    """One photo (jpg, png or webp, up to 5 MB; 9 at most) of a live nomination (multipart, field `photo`)."""
    nomination = access_nomination_by_id(request.auth, nomination_id, need=Action.EDIT)
    if photo is None:
        raise ValidationError(_("请选择照片。"))
    nominations.photos_add(actor=request.auth, nomination=nomination, photos=[photo])
    return Status(201, _reloaded(request.auth, nomination.pk))


@router.get("/awards/photos/{award_photo_id}", response={404: ErrorOut},
            openapi_extra=download("image/*", description="The photo (jpg, png or webp)"))
def award_photo_get(request, award_photo_id: int):
    photo = nominations.access_photo_by_id(request.auth, award_photo_id)
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)


def _check(c) -> dict:
    return {"id": c.pk, "nomination_id": c.nomination_id, "family_name": c.nomination.family_name,
            "campaign_name": c.nomination.campaign.name, "unit_name": c.nomination.unit.name, "case_id": c.case_id,
            "found_at": c.found_at, "wanted_kind": c.wanted_kind,
            "wanted_unit_name": c.wanted_unit.name if c.wanted_unit_id else ""}


@router.get("/awards/eligibility-checks", response=list[AwardCheckOut])
def award_checks_list(request):
    """评选资格核查 waiting for you: held nominations whose case you have need-to-know of (others see none)."""
    return [_check(c) for c in eligibility.checks_for(request.auth)]


@router.post("/awards/eligibility-checks/{eligibility_check_id}",
             response={200: AwardNominationDetailOut, 400: ErrorOut, 404: ErrorOut})
def award_check_decide(request, eligibility_check_id: int, payload: AwardCheckDecideIn):
    """核查通过 (`clear`: the held decision goes on) or 不予推荐 (it stays 未推荐 with the neutral reason)."""
    check = eligibility.access_check_by_id(request.auth, eligibility_check_id)
    nomination = eligibility.eligibility_decide(actor=request.auth, check=check, clear=payload.clear,
                                                note=payload.note)
    return _reloaded(request.auth, nomination.pk)


def _limited(request) -> bool:
    return not rate_hit(PAGE_LIMIT, client_ip(request), limit=settings.AWARD_PAGE_VIEWS_PER_MINUTE, seconds=60)


@public_router.post("/public/awards/{award_campaign_id}/code",
                    response={204: None, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut}, auth=None)
def public_award_code(request, award_campaign_id: int, payload: AwardPublicCodeIn):
    """A one-time code to the nominator's phone (SMS); the same answer for every number."""
    if _limited(request):
        return Status(429, {"detail": "too many requests; wait a minute"})
    nominations.nomination_code_send(campaign=nominations.campaign_for_portal(award_campaign_id),
                                     phone=payload.phone)
    return Status(204, None)


@public_router.post("/public/awards/{award_campaign_id}/nominations",
                    response={202: AwardPublicNominationOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                              429: ErrorOut}, auth=None)
def public_award_nominate(request, award_campaign_id: int, payload: AwardPublicNominationIn):
    """自我推荐 / 他人推荐 with the code just sent: 202 whatever became of it (a duplicate is merged into the first;
    nothing about the registry is told). The same `client_token` again is the same nomination."""
    if _limited(request):
        return Status(429, {"detail": "too many requests; wait a minute"})
    campaign = nominations.campaign_for_portal(award_campaign_id)
    village = place_resolve("", key=payload.village_code.strip(), levels=(Level.VILLAGE,), under=campaign.unit)
    nominations.nomination_submit_public(
        campaign=campaign, village=village, family_name=payload.family_name, story=payload.story,
        nominator_name=payload.nominator_name, nominator_phone=payload.nominator_phone, code=payload.code,
        is_self=payload.is_self, members=[m.dict() for m in payload.members], family_phone=payload.family_phone,
        title=payload.title, client_token=payload.client_token)
    return Status(202, {"received": True, "next_steps": _(
        "家庭所在村(社区)妇联会核实情况，然后逐级评审推荐；入围的家庭会在网上公示，公示期满后表彰。")})
