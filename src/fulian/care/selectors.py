"""Page-level reads of the care pages: query-string parsing (a bad value is a 400, never a 500), a capped pager,
the words a proposal's distance is shown in, the cadres who may answer for a plan, and a woman's own offers in 我的
(matched by the phone she proved with a one-time code). The rules and the scoped selectors are the domain
modules'; these only shape what a page shows."""

import datetime as dt
import re

from django.core.exceptions import BadRequest
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from fulian.accounts.models import User
from fulian.core.policy import Action, allows
from fulian.core.tree import ancestor_paths

from .matching import common_depth, depth
from .models import HelpGoal, MatchBatch, Offer, OfferState, Resource

OWN_OFFER_DAYS = 180  # 我的 shows the offers of the last half year
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# the nearest common unit of her village and the resource's place, by its depth (1 a province … 5 a village)
_WITHIN = {5: _("本村(社区)"), 4: _("本乡镇(街道)"), 3: _("本县(区)"), 2: _("本市"), 1: _("本省")}


def param_day(data, name: str, *, default: dt.date | None = None) -> dt.date | None:
    """`data[name]` as an ISO date (2026-03-08); `default` when absent or blank; BadRequest otherwise."""
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    try:
        if not _DAY.match(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f"parameter {name!r} must be a date like 2026-03-08") from None


def param_month(data, name: str, *, default: int | None = None) -> int | None:
    """`data[name]` (2026-03) as the period 202603; `default` when absent or blank; BadRequest otherwise."""
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    match = _MONTH.match(raw)
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2999:
        raise BadRequest(f"parameter {name!r} must be a month like 2026-03")
    return int(match.group(1)) * 100 + int(match.group(2))






def distance_words(from_path: str, place_path: str) -> str:
    """本村 / 本乡镇 / 本县 / 本市 / 本省 / 外省协作: the nearest unit her village and the place share."""
    common = common_depth(from_path, place_path)
    if common == 0:
        return str(_("外省协作"))
    common = min(common, depth(from_path))
    return str(_WITHIN.get(common, _("本省")))


def responsible_choices(path: str, *, limit: int = 200) -> list[User]:
    """Cadres who may edit at `path` (a plan's village): its own, then those of each unit above, nearest first."""
    rows = (User.objects.filter(unit__path__in=ancestor_paths(path), is_active=True).select_related("unit")
            .order_by("-unit__level", "full_name", "username")[:limit])
    return [u for u in rows if allows(u, Action.EDIT, path)]


def responsible_pick(path: str, user_id) -> User | None:
    for cadre in responsible_choices(path):
        if str(cadre.pk) == str(user_id):
            return cadre
    return None


def offers_of_plan(user, plan):
    """The offers made for the plan's goals (the caller got the plan through access_plan_by_id)."""
    if not allows(user, Action.VIEW, plan.unit_path):
        return Offer.objects.none()
    return Offer.objects.filter(goal__plan=plan).select_related("resource", "goal").order_by("-sent_at", "-id")


def batch_rows(batch: MatchBatch) -> list[dict]:
    """The batch's pairs with their goal (and woman) and resource, in the batch's order."""
    goals = HelpGoal.objects.select_related("woman", "plan").in_bulk([p[0] for p in batch.pairs])
    resources = Resource.objects.select_related("place_unit").in_bulk([p[1] for p in batch.pairs])
    rows = []
    for goal_id, resource_id, km in batch.pairs:
        goal, resource = goals.get(goal_id), resources.get(resource_id)
        if goal is None or resource is None:
            continue
        rows.append({"goal": goal, "resource": resource, "km": km,
                     "words": distance_words(goal.unit_path, resource.place_path)})
    return rows


# --- 我的: the woman's own offers -------------------------------------------------------------------------------

def _account_offers(account, *, now):
    """Offers to a registry woman whose phone is the one she proved, sent since the number was last handed on (a
    dormant number's reset ends its tokens: what was sent before then was the previous holder's)."""
    phone = getattr(account, "phone", "") or ""
    if not phone:
        return Offer.objects.none()
    since = now - dt.timedelta(days=OWN_OFFER_DAYS)
    reset = getattr(account, "tokens_valid_after", None)
    if reset is not None and reset > since:
        since = reset
    return (Offer.objects.filter(woman__phone=phone, woman__merged_into__isnull=True, sent_at__gte=since)
            .select_related("resource", "woman").order_by("-sent_at", "-id"))


def offers_for_account(account, *, now) -> list[Offer]:
    return list(_account_offers(account, now=now).filter(state__in=[OfferState.SENT, OfferState.ACCEPTED,
                                                                    OfferState.DECLINED])[:30])


def access_offer_for_account(account, offer_id, *, now) -> Offer:
    """One of her own offers, or 404 (as for one that does not exist)."""
    if account is None:
        raise Http404("not signed in")
    offer = _account_offers(account, now=now).filter(pk=offer_id).first()
    if offer is None:
        raise Http404("offer not found")
    return offer
