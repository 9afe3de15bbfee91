"""The public calendar (活动日历): what a woman may read without signing in — published activities open to all, and
those for the women of a unit's subtree (marked 本辖区妇女); an invited-only activity and a draft are not there.

She finds them by where she is: her phone's position or the village, township or county she picks. Activities at
the Women's Homes nearest her come first (the finder's ranking, orgs.homes), then the others of her village,
township, county … by how much of the tree they share with her place; an activity of a unit above her (the
county's class) is hers too. A subtree-only activity shows only where it is hers.
"""

from django.db.models import Q
from django.http import Http404

from fulian.core.geo import amap_marker_url
from fulian.core.tree import SEGMENT, ancestor_paths, subtree_q
from fulian.orgs.homes import homes_near_place, homes_nearest
from fulian.orgs.models import Level, Unit

from .models import Activity, ActivityStatus, Audience, SignUp, SignUpState

CALENDAR_ROWS = 30
NEAR_HOMES = 10
CANDIDATES = 300  # activities read for ranking near a place (upcoming ones, soonest first)


def _listed():
    return (Activity.objects.filter(status=ActivityStatus.PUBLISHED, audience__in=(Audience.OPEN, Audience.SUBTREE))
            .select_related("home", "unit"))


def _dress(activity: Activity) -> Activity:
    """What a public page shows of an activity, worked out once: places left, full, marked for locals, directions."""
    activity.places_left = None if activity.capacity is None else max(activity.capacity - activity.signups_confirmed,
                                                                       0)
    activity.is_full = activity.capacity is not None and (activity.signups_confirmed >= activity.capacity
                                                          or activity.signups_waiting > 0)
    activity.for_locals = activity.audience == Audience.SUBTREE
    home = activity.home
    activity.place_name = home.name if home is not None else ""
    activity.latitude = float(home.latitude) if home is not None and home.latitude is not None else None
    activity.longitude = float(home.longitude) if home is not None and home.longitude is not None else None
    activity.directions_url = (amap_marker_url(activity.latitude, activity.longitude, home.name)
                               if activity.latitude is not None else "")
    return activity


def calendar_upcoming(*, now):
    """Every listed activity not over yet, soonest first (the calendar before she says where she is)."""
    return _listed().filter(ends_at__gt=now).order_by("starts_at", "pk")


def dressed(rows) -> list[Activity]:
    return [_dress(a) for a in rows]


def _shared_depth(a: str, b: str) -> int:
    n = 0
    while n + SEGMENT <= min(len(a), len(b)) and a[n:n + SEGMENT] == b[n:n + SEGMENT]:
        n += SEGMENT
    return n // SEGMENT


def _county_path(place: Unit) -> str:
    """The path of her county (the place itself when it is one, or above)."""
    if place.level <= Level.COUNTY:
        return place.path
    county = Unit.objects.filter(path__in=ancestor_paths(place.path), level=Level.COUNTY).values_list(
        "path", flat=True).first()
    return county or place.path


def calendar_near(*, now, place: Unit | None = None, point: tuple[float, float] | None = None,
                  limit: int = CALENDAR_ROWS) -> tuple[list[Activity], Unit | None]:
    """Activities near her — by `point` (lat, lng) or `place` — nearest first (see the module's docstring), and the
    place they were ranked from (for a point: the unit of the nearest home)."""
    if point is not None:
        homes = homes_nearest(latitude=point[0], longitude=point[1], limit=NEAR_HOMES)
        place = homes[0].unit if homes else None
    elif place is not None:
        homes = homes_near_place(place=place, limit=NEAR_HOMES)
    else:
        return [], None
    rank = {h.pk: i for i, h in enumerate(homes)}
    distance = {h.pk: getattr(h, "distance_km", None) for h in homes}
    near = Q(home_id__in=list(rank))
    if place is not None:
        near |= Q(unit_path__in=ancestor_paths(place.path)) | subtree_q(_county_path(place), "unit_path")
    rows = list(_listed().filter(near, ends_at__gt=now).order_by("starts_at", "pk")[:CANDIDATES])
    if place is not None:
        rows = [a for a in rows if a.audience == Audience.OPEN or place.path.startswith(a.unit_path)]
    else:
        rows = [a for a in rows if a.audience == Audience.OPEN]

    def key(a: Activity):
        if a.home_id in rank:
            return 0, rank[a.home_id], a.starts_at, a.pk
        where = a.home.unit_path if a.home_id else a.unit_path
        return 1, -_shared_depth(place.path if place else "", where), a.starts_at, a.pk

    rows.sort(key=key)
    for a in rows[:limit]:
        a.distance_km = distance.get(a.home_id)
    return dressed(rows[:limit]), place


def activity_public(activity_id) -> Activity:
    """One activity as the public sees it: published (or cancelled, so those signed up see why), open to all or to
    a subtree; a draft, an invited-only activity or none: 404."""
    try:
        pk = int(activity_id)
    except (TypeError, ValueError, OverflowError):
        raise Http404("activity") from None
    activity = (Activity.objects.filter(pk=pk, status__in=(ActivityStatus.PUBLISHED, ActivityStatus.CANCELLED),
                                        audience__in=(Audience.OPEN, Audience.SUBTREE))
                .select_related("home", "unit").first())
    if activity is None:
        raise Http404("activity")
    return _dress(activity)


def activity_sessions(activity: Activity) -> list:
    return list(activity.sessions.order_by("number"))


def signups_of_account(account, *, limit: int = 50) -> list[SignUp]:
    """The sign-ups she made with this 我的 account — never those that only share its phone number (numbers are
    recycled), newest activity first; live ones before cancelled."""
    rows = (SignUp.objects.filter(account=account).select_related("activity", "activity__home")
            .order_by("-activity__starts_at", "-pk")[:limit])
    return sorted(rows, key=lambda s: s.state == SignUpState.CANCELLED)


def activities_for_woman(*, woman, now, limit: int = CALENDAR_ROWS) -> list[Activity]:
    """For a cadre signing up a woman of her registry: the calendar near her village (open ones, and those for a
    subtree she is in), then the invited-only activities of her village and the units above it, soonest first; each
    with `signed_up` (her phone or her record has a live sign-up there)."""
    near, _place = calendar_near(now=now, place=woman.home_unit, limit=limit)
    invited = list(Activity.objects.filter(status=ActivityStatus.PUBLISHED, audience=Audience.INVITED,
                                           ends_at__gt=now, unit_path__in=ancestor_paths(woman.unit_path))
                   .select_related("home", "unit").order_by("starts_at", "pk")[:limit])
    rows = near + dressed(invited)
    live = SignUp.objects.filter(activity__in=[a.pk for a in rows]).exclude(state=SignUpState.CANCELLED)
    mine = set(live.filter(Q(woman=woman) | (Q(phone=woman.phone) if woman.phone else Q(pk__in=[])))
               .values_list("activity_id", flat=True))
    for a in rows:
        a.signed_up = a.pk in mine
    return rows
