"""表彰, certificates, story relays, the woman's awards and the public showcase: the same access functions and
services as the pages (awards.awarding, awards.relay, awards.panels)."""

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Status

from fulian.awards import awarding, relay
from fulian.awards.models import NominationState
from fulian.awards.panels import woman_nominations
from fulian.awards.selectors import access_campaign_by_id, access_nomination_by_id
from fulian.core.context import client_ip
from fulian.core.ratelimit import rate_hit
from fulian.people.selectors import access_woman_by_id

from .schemas import ErrorOut, certificate_out
from .schemas_awards_awarding import (
    AwardAllOut,
    AwardAwardingOut,
    AwardAwardingRowOut,
    AwardCertificateOut,
    AwardNominationAwardIn,
    AwardRelayActivityOut,
    AwardRelayIn,
    AwardRelayLinkIn,
    AwardRelayOut,
    AwardShowcaseOut,
    AwardWomanNominationOut,
)

router = Router(tags=["awards"])
public_router = Router(tags=["awards"])
PAGE_LIMIT = "award-page"  # the public awards pages' budget per address (views_showcase)


def _row(request, nomination, blockers) -> dict:
    return {"nomination_id": nomination.pk, "family_name": nomination.family_name, "unit_name": nomination.unit.name,
            "tier": nomination.tier, "state": nomination.state, "version": nomination.version,
            "blockers": [str(b) for b in blockers],
            "certificate": certificate_out(request, nomination.certificate) if nomination.certificate_id else None}


def _relay(r) -> dict:
    return {"id": r.pk, "nomination_id": r.nomination_id, "unit_id": r.unit_id, "unit_name": r.unit.name,
            "venue": r.venue, "activity_id": r.activity_id, "title": r.title, "held_on": r.held_on}


@router.get("/awards/campaigns/{award_campaign_id}/awarding", response={200: AwardAwardingOut, 404: ErrorOut})
def award_awarding_list(request, award_campaign_id: int):
    """The shortlisted and awarded families of the caller's scope at the awarding unit, each with what still blocks
    its award."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    rows = awarding.awarding_rows(request.auth, campaign, now=timezone.now())
    return {"campaign_id": campaign.pk, "status": campaign.status,
            "may_award": awarding.may_award(request.auth, campaign),
            "rows": [_row(request, r["nomination"], r["blockers"]) for r in rows]}


@router.post("/awards/nominations/{nomination_id}/award",
             response={200: AwardAwardingRowOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def award_nomination_award(request, nomination_id: int, payload: AwardNominationAwardIn):
    """表彰 one shortlisted family (leaders of the campaign's unit): its numbered certificate comes back. Refused
    (400, with the reason) until 公示 is over and every objection has its finding; awarding it again returns it."""
    nomination = access_nomination_by_id(request.auth, nomination_id)
    done = awarding.award(actor=request.auth, nomination=nomination, version=payload.version)
    return _row(request, done, [])


@router.post("/awards/campaigns/{award_campaign_id}/award-all", response={200: AwardAllOut, 404: ErrorOut})
def award_campaign_award_all(request, award_campaign_id: int):
    """全部表彰: every shortlisted family with nothing blocking it; the others come back with their reasons."""
    campaign = access_campaign_by_id(request.auth, award_campaign_id)
    if not awarding.may_award(request.auth, campaign):
        raise Http404("may not award")
    done = awarding.campaign_award_all(actor=request.auth, campaign=campaign)
    return {"awarded": done["awarded"], "campaign_awarded": done["campaign_awarded"],
            "blocked": [{"nomination_id": n.pk, "family_name": n.family_name, "reasons": [str(r) for r in reasons]}
                        for n, reasons in done["blocked"]]}


@router.get("/awards/nominations/{nomination_id}/certificate", response={200: AwardCertificateOut, 404: ErrorOut})
def award_certificate_get(request, nomination_id: int):
    """The awarded family's certificate: number, verification code and the public link to check it."""
    nomination = access_nomination_by_id(request.auth, nomination_id)
    if nomination.state != NominationState.AWARDED or nomination.certificate_id is None:
        raise Http404("no certificate")
    return certificate_out(request, nomination.certificate)


@router.get("/awards/nominations/{nomination_id}/relays", response={200: list[AwardRelayOut], 404: ErrorOut})
def award_relays_list(request, nomination_id: int):
    """An awarded family's story relays, newest first."""
    return [_relay(r) for r in relay.relays_of(relay.access_relays_by_id(request.auth, nomination_id))]


@router.post("/awards/nominations/{nomination_id}/relays",
             response={201: AwardRelayOut, 400: ErrorOut, 404: ErrorOut})
def award_relay_create(request, nomination_id: int, payload: AwardRelayIn):
    """故事传递 at an activity of the caller's subtree (`activity_id`), or an event by `title` and `held_on` at her
    unit (link the activity later). The same sent twice gives the one relay."""
    nomination = relay.access_relay_nomination_by_id(request.auth, nomination_id)
    made = relay.relay_create(actor=request.auth, nomination=nomination, venue=payload.venue,
                              activity_id=payload.activity_id, title=payload.title, held_on=payload.held_on)
    return Status(201, _relay(relay.access_relay_by_id(request.auth, made.pk, need="view")))


@router.post("/awards/relays/{relay_id}/activity", response={200: AwardRelayOut, 400: ErrorOut, 404: ErrorOut})
def award_relay_link(request, relay_id: int, payload: AwardRelayLinkIn):
    """Link a relay recorded by name to its activity (its title, date and unit become the activity's)."""
    row = relay.access_relay_by_id(request.auth, relay_id)
    return _relay(relay.relay_link_activity(actor=request.auth, relay=row, activity_id=payload.activity_id))


@router.delete("/awards/relays/{relay_id}", response={204: None, 404: ErrorOut})
def award_relay_remove(request, relay_id: int):
    row = relay.access_relay_by_id(request.auth, relay_id)
    relay.relay_remove(actor=request.auth, relay=row)
    return Status(204, None)


@router.get("/awards/relay-activities", response=list[AwardRelayActivityOut])
def award_relay_activities(request, q: str = Query("", max_length=30)):
    """Activities of the caller's subtree a story relay may be linked to (by name), newest first."""
    return relay.relay_activities(request.auth, q=q)


@router.get("/awards/women/{woman_id}/nominations", response={200: list[AwardWomanNominationOut], 404: ErrorOut})
def award_woman_nominations(request, woman_id: int):
    """The nominations and awards of the families she belongs to, each state as the caller may see it."""
    woman = access_woman_by_id(request.auth, woman_id)
    out = []
    for r in woman_nominations(request.auth, woman):
        n = r["nomination"]
        out.append({"nomination_id": n.pk, "campaign_id": n.campaign_id, "campaign_name": n.campaign.name,
                    "year": n.campaign.year, "family_id": n.family_id, "family_name": n.family_name,
                    "state": r["state"], "state_label": r["label"], "reason": r["reason"],
                    "tier": n.tier if r["awarded"] else "", "awarded_at": n.awarded_at if r["awarded"] else None,
                    "certificate": certificate_out(request, n.certificate) if r["awarded"] else None})
    return out


@public_router.get("/public/awards/{award_campaign_id}/showcase", response={200: AwardShowcaseOut, 404: ErrorOut,
                                                                     429: ErrorOut}, auth=None)
def public_award_showcase(request, award_campaign_id: int):
    """表彰展示: the awarded families of a campaign and of the rounds under it, by awarding unit and tier — only
    what is public (consenting members' names, the story, public photos, story relays)."""
    if not rate_hit(PAGE_LIMIT, client_ip(request), limit=settings.AWARD_PAGE_VIEWS_PER_MINUTE, seconds=60):
        return Status(429, {"detail": "too many requests; wait a minute"})
    campaign = awarding.showcase_campaign(award_campaign_id)
    sections = []
    for s in awarding.showcase(campaign):
        c = s["campaign"]
        sections.append({"campaign_id": c.pk, "campaign_name": c.name, "unit_name": c.unit.federation_name,
                         "level": int(s["level"]), "tiers": [{"name": t["name"], "families": [{
                             "nomination_id": f["nomination"].pk, "family_name": f["family_name"],
                             "unit_name": f["nomination"].unit.name, "tier": f["nomination"].tier,
                             "title": f["nomination"].title, "story": f["nomination"].story,
                             "members": f["members"],
                             "photo_urls": [request.build_absolute_uri(f"/honour/photos/{p}/") for p in f["photos"]],
                             "relays": [_relay(r) for r in f["relays"]]} for f in t["families"]]}
                             for t in s["tiers"]]})
    return {"campaign_id": campaign.pk, "name": campaign.name, "year": campaign.year, "kind": campaign.kind,
            "status": campaign.status, "unit_name": campaign.unit.federation_name, "parent_id": campaign.parent_id,
            "sections": sections}
