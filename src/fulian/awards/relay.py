"""故事传递: an awarded family's story passed on at an activity in a village, community, agency, school or barracks.

A cadre of a unit in the campaign's subtree (or a leader above it) links the family to an activity of her subtree —
the activities module answers through the hooks "activity.for_relay" and "activity.get_for_relay", so awards never
imports it — or records the event by title, date and venue and links the activity later. Relays show on the
showcase and on the nomination's page.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fulian.core.access import access_by_id
from fulian.core.audit import audit_record
from fulian.core.hooks import hook_call
from fulian.core.policy import Action, OutOfScope, allows, may_act_for_unit, scope_path
from fulian.core.writes import write_path
from fulian.orgs.models import Kind, Level, Unit

from .models import AwardCampaign, Nomination, NominationState, StoryRelay, VenueKind

MAX_TITLE = 100
ACTIVITY_CHOICES = 30
EARLIEST = dt.date(2000, 1, 1)


def venue_guess(unit: Unit) -> str:
    """What a relay at `unit` most likely is: an agency's women's committee 进机关, a 社区 进社区, a village 进村."""
    if unit.kind == Kind.AGENCY:
        return VenueKind.AGENCY
    if unit.level == Level.VILLAGE:
        return VenueKind.COMMUNITY if unit.name.endswith("社区") else VenueKind.VILLAGE
    return VenueKind.OTHER


def may_relay(user, campaign: AwardCampaign) -> bool:
    """A cadre who may act for her unit, when her unit is in the campaign's subtree or above its unit."""
    home = scope_path(user)
    if home is None:
        return False
    if home.startswith(campaign.unit_path):
        return may_act_for_unit(user, home)
    return campaign.unit_path.startswith(home) and may_act_for_unit(user, campaign.unit_path)


def relay_unit_for(user, campaign: AwardCampaign) -> Unit:
    """Where her relay without an activity is held: her own unit inside the campaign, else the campaign's unit."""
    unit = getattr(user, "unit", None)
    if unit is not None and unit.path.startswith(campaign.unit_path):
        return unit
    return campaign.unit


# ---- reads -------------------------------------------------------------------------------------------------------

def _awarded(nomination_id) -> Nomination | None:
    try:
        return (Nomination.objects.select_related("campaign", "campaign__unit", "unit")
                .filter(pk=int(nomination_id), state=NominationState.AWARDED).first())
    except (TypeError, ValueError, OverflowError):
        return None


def access_relay_nomination_by_id(user, nomination_id) -> Nomination:
    """An awarded nomination she may pass on (see may_relay); 404 otherwise, as for one that does not exist."""
    nomination = _awarded(nomination_id)
    if nomination is None or not may_relay(user, nomination.campaign):
        raise Http404("nomination not found")
    return nomination


def access_relays_by_id(user, nomination_id) -> Nomination:
    """An awarded nomination whose relays she may list: she may pass it on, or the family is in her subtree."""
    nomination = _awarded(nomination_id)
    if nomination is None or not (may_relay(user, nomination.campaign)
                                  or allows(user, Action.VIEW, nomination.unit_path)):
        raise Http404("nomination not found")
    return nomination


def access_relay_by_id(user, relay_id, *, need: str = Action.EDIT) -> StoryRelay:
    """A relay held in her subtree (EDIT: to link its activity or remove it)."""
    return access_by_id(user, StoryRelay, relay_id, need=need,
                        queryset=StoryRelay.objects.select_related("nomination", "nomination__campaign", "unit"))


def relays_of(nomination: Nomination) -> list[StoryRelay]:
    return list(nomination.relays.select_related("unit").order_by("-held_on", "-pk"))


def relays_by_nomination(nomination_ids) -> dict[int, list[StoryRelay]]:
    """{nomination id: its relays, newest first}: one query for a showcase."""
    out: dict[int, list[StoryRelay]] = {}
    for relay in (StoryRelay.objects.filter(nomination_id__in=list(nomination_ids)).select_related("unit")
                  .order_by("-held_on", "-pk")):
        out.setdefault(relay.nomination_id, []).append(relay)
    return out


def _activity(row) -> dict:
    activity_id, title, unit_path, starts_on = row
    return {"id": activity_id, "title": title, "unit_path": unit_path, "starts_on": starts_on}


def relay_activities(user, *, q: str = "") -> list[dict]:
    """Activities of her subtree she may link a relay to, newest first (the activities module answers)."""
    q = " ".join((q or "").split())[:30]
    rows = [_activity(row) for answer in hook_call("activity.for_relay", user=user, q=q) for row in answer]
    rows.sort(key=lambda r: (r["starts_on"], r["id"]), reverse=True)
    return rows[:ACTIVITY_CHOICES]


def relay_activity(user, activity_id) -> dict | None:
    """One activity of her subtree, or None (missing, cancelled or not hers)."""
    try:
        activity_id = int(activity_id)
    except (TypeError, ValueError, OverflowError):
        return None
    for answer in hook_call("activity.get_for_relay", user=user, activity_id=activity_id):
        if answer is not None:
            return _activity(answer)
    return None


# ---- writes ------------------------------------------------------------------------------------------------------

def _activity_for(actor, campaign: AwardCampaign, activity_id) -> tuple[dict, Unit]:
    activity = relay_activity(actor, activity_id)
    if activity is None:
        raise ValidationError(_("找不到这个活动，或它不在您的辖区。"), code="relay_activity")
    if not activity["unit_path"].startswith(campaign.unit_path):
        raise ValidationError(_("这个活动不在本次评选的范围内。"), code="relay_activity_scope")
    unit = Unit.objects.filter(path=activity["unit_path"]).first()
    if unit is None or not may_act_for_unit(actor, unit.path):
        raise ValidationError(_("找不到这个活动，或它不在您的辖区。"), code="relay_activity")
    return activity, unit


def _clean_venue(venue: str) -> str:
    if venue not in VenueKind.values:
        raise ValidationError(_("请选择传递到哪里（进村、进社区、进机关、进校园、进军营或其他）。"), code="relay_venue")
    return venue


def relay_create(*, actor, nomination: Nomination, venue: str = "", activity_id: int | None = None,
                 title: str = "", held_on: dt.date | None = None, now=None) -> StoryRelay:
    """传递一次: at an activity of her subtree (its title, date and unit are the activity's), or an event recorded by
    title and date at her unit (link the activity later). Sending the same twice gives the one relay."""
    now = now or timezone.now()
    nomination = Nomination.objects.select_related("campaign", "campaign__unit").get(pk=nomination.pk)
    campaign = nomination.campaign
    if not may_relay(actor, campaign):
        raise OutOfScope("may not relay this family's story")
    if nomination.state != NominationState.AWARDED:
        raise ValidationError(_("只有已表彰的家庭才能开展故事传递。"), code="relay_not_awarded")
    if activity_id is not None:
        activity, unit = _activity_for(actor, campaign, activity_id)
        title, held_on = activity["title"][:MAX_TITLE], activity["starts_on"]
        venue = _clean_venue(venue or venue_guess(unit))
        same = StoryRelay.objects.filter(nomination=nomination, activity_id=activity["id"])
    else:
        title = " ".join((title or "").split())
        if not title:
            raise ValidationError(_("请填写传递活动的名称，或选择一个活动。"), code="relay_title")
        if len(title) > MAX_TITLE:
            raise ValidationError(_("活动名称最多100字。"), code="relay_title_long")
        if not isinstance(held_on, dt.date):
            raise ValidationError(_("请填写传递活动的日期。"), code="relay_date")
        if not EARLIEST <= held_on <= timezone.localdate(now) + dt.timedelta(days=366):
            raise ValidationError(_("日期不正确。"), code="relay_date_range")
        unit = relay_unit_for(actor, campaign)
        venue = _clean_venue(venue or venue_guess(unit))
        same = StoryRelay.objects.filter(nomination=nomination, activity_id__isnull=True, unit=unit, title=title,
                                         held_on=held_on)
    existing = same.first()
    if existing is not None:
        return existing
    try:
        with write_path():
            relay = StoryRelay.objects.create(
                nomination=nomination, unit=unit, unit_path=unit.path, venue=venue,
                activity_id=activity["id"] if activity_id is not None else None, title=title, held_on=held_on,
                created_at=now, created_by=actor)
            audit_record(actor=actor, action="award.relay", obj=relay,
                         changes={"nomination": nomination.pk, "activity": relay.activity_id, "venue": venue},
                         now=now)
    except IntegrityError:  # the same activity linked at the same moment by a double tap
        existing = same.first()
        if existing is None:
            raise
        return existing
    return relay


def relay_link_activity(*, actor, relay: StoryRelay, activity_id: int, now=None) -> StoryRelay:
    """Link a relay recorded by title to its activity: the title, date and unit become the activity's."""
    now = now or timezone.now()
    relay = StoryRelay.objects.select_related("nomination__campaign").get(pk=relay.pk)
    if not may_act_for_unit(actor, relay.unit_path):
        raise OutOfScope("may not change this relay")
    campaign = relay.nomination.campaign
    activity, unit = _activity_for(actor, campaign, activity_id)
    if relay.activity_id == activity["id"]:
        return relay
    if StoryRelay.objects.filter(nomination_id=relay.nomination_id, activity_id=activity["id"]).exists():
        raise ValidationError(_("这个活动已经关联到这户家庭的另一次传递。"), code="relay_activity_twice")
    before = {"activity": relay.activity_id, "title": relay.title, "held_on": relay.held_on.isoformat(),
              "unit": relay.unit_id}
    with write_path():
        StoryRelay.objects.filter(pk=relay.pk).update(activity_id=activity["id"], title=activity["title"][:MAX_TITLE],
                                                      held_on=activity["starts_on"], unit=unit, unit_path=unit.path)
        audit_record(actor=actor, action="award.relay_link", obj=relay,
                     changes={"before": before, "activity": activity["id"]}, now=now)
    return StoryRelay.objects.select_related("unit").get(pk=relay.pk)


def relay_remove(*, actor, relay: StoryRelay, now=None) -> None:
    """Remove a relay recorded by mistake."""
    now = now or timezone.now()
    if not may_act_for_unit(actor, relay.unit_path):
        raise OutOfScope("may not remove this relay")
    with write_path():
        gone, _rows = StoryRelay.objects.filter(pk=relay.pk).delete()
        if gone:
            audit_record(actor=actor, action="award.relay_remove", obj=relay.nomination,
                         changes={"relay": relay.pk, "title": relay.title, "activity": relay.activity_id}, now=now)
