"""Women's Homes: registering them, their activities, and finding the nearest one to a point."""

import math
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fulian.core.audit import audit_record
from fulian.core.phone import normalize_phone
from fulian.core.policy import Action, require, scope_q
from fulian.core.tree import SEGMENT, ancestor_paths, subtree_q

from .models import HomeHost, Level, WomensHome

EARTH_KM = 6371.0088


def _coordinate(value, low: float, high: float, label: str):
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value))
    except Exception:  # noqa: BLE001  (any unreadable number)
        raise ValidationError(_("%(label)s不是数字。") % {"label": label}, code="coordinate") from None
    if not low <= number <= high:
        raise ValidationError(
            _("%(label)s应在%(low)s到%(high)s之间。") % {"label": label, "low": low, "high": high},
            code="coordinate_range",
        )
    return number.quantize(Decimal("0.000001"))


def home_save(
    *,
    actor,
    unit,
    name: str,
    address: str,
    latitude=None,
    longitude=None,
    opening_hours: str = "",
    facilities: str = "",
    phone: str = "",
    home: WomensHome | None = None,
    photo=None,
    host: str | None = None,
    host_name: str | None = None,
) -> WomensHome:
    """Register a Women's Home of `unit` (or update `home`). `host`: where it is (村/社区, 党群服务中心, enterprise,
    park, school, 讲习所 …) and `host_name` the host's name; None keeps what an existing home has."""
    require(actor, Action.EDIT, unit.path)
    if not (name or "").strip() or not (address or "").strip():
        raise ValidationError(_("请填写名称和地址。"), code="home_required")
    if host is None:
        host = home.host if home is not None else HomeHost.VILLAGE
    if host not in HomeHost.values:
        raise ValidationError(_("依托场所不正确。"), code="home_host")
    if host_name is None:
        host_name = home.host_name if home is not None else ""
    values = {
        "unit": unit,
        "unit_path": unit.path,
        "name": name.strip()[:100],
        "address": address.strip()[:200],
        "latitude": _coordinate(latitude, -90, 90, _("纬度")),
        "longitude": _coordinate(longitude, -180, 180, _("经度")),
        "opening_hours": opening_hours.strip()[:100],
        "facilities": facilities.strip()[:300],
        "phone": normalize_phone(phone) if phone else "",
        "host": host,
        "host_name": host_name.strip()[:100],
    }
    if (values["latitude"] is None) != (values["longitude"] is None):
        raise ValidationError(_("经度和纬度要一起填写。"), code="coordinate_pair")
    allowed = (".jpg", ".jpeg", ".png", ".webp")
    if photo is not None and (photo.size > 5 * 1024 * 1024 or not photo.name.lower().endswith(allowed)):
        raise ValidationError(_("照片须是5MB以内的jpg、png或webp图片。"), code="photo")
    with transaction.atomic():
        if home is None:
            home = WomensHome.objects.create(**values)
            audit_record(actor=actor, action="home.create", obj=home)
        else:
            WomensHome.objects.filter(pk=home.pk).update(**values)
            home.refresh_from_db()
            audit_record(actor=actor, action="home.update", obj=home)
        if photo is not None:
            home.photo.save(photo.name, photo, save=False)
            WomensHome.objects.filter(pk=home.pk).update(photo=home.photo.name)
    return home


def distance_km(lat1, lng1, lat2, lng2) -> float:
    """Great-circle distance (haversine)."""
    p1, p2 = math.radians(float(lat1)), math.radians(float(lat2))
    dp, dl = p2 - p1, math.radians(float(lng2) - float(lng1))
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(math.sqrt(a))


def homes_nearest(*, latitude: float, longitude: float, limit: int = 10, homes=None) -> list[WomensHome]:
    """Open homes with coordinates, nearest first, each with `distance_km`. A bounding box of ±1° (≈100 km)
    keeps the candidates few; with none inside it, the whole set is ranked."""
    homes = (homes if homes is not None else WomensHome.objects.all()).filter(is_active=True, latitude__isnull=False)
    near = homes.filter(
        latitude__range=(latitude - 1, latitude + 1), longitude__range=(longitude - 1.3, longitude + 1.3)
    )
    candidates = list(near.select_related("unit")) or list(homes.select_related("unit"))
    for home in candidates:
        home.distance_km = distance_km(latitude, longitude, home.latitude, home.longitude)
    return sorted(candidates, key=lambda h: (h.distance_km, h.pk))[:limit]


def _shared_depth(a: str, b: str) -> int:
    """How many levels two paths share (the depth of their nearest common unit)."""
    n = 0
    while n + SEGMENT <= min(len(a), len(b)) and a[n:n + SEGMENT] == b[n:n + SEGMENT]:
        n += SEGMENT
    return n // SEGMENT


def homes_near_place(*, place, limit: int = 10) -> list[WomensHome]:
    """Open homes nearest to a village, township or county she picked (villages have no coordinates): the homes of
    her own unit first, then of her township, her county … (`shared_depth`), and within each of those rings by km from
    the middle of the homes of her township, or of the nearest unit above that has any (`distance_km`, None for a
    home without coordinates, which then comes last in its ring)."""
    homes = WomensHome.objects.filter(is_active=True).select_related("unit")
    paths = ancestor_paths(place.path)[::-1]  # herself first, then upwards
    candidates: list[WomensHome] = []
    for path in paths:  # widen the net until it holds enough homes
        candidates = list(homes.filter(subtree_q(path, field="unit_path")))
        if len(candidates) >= limit:
            break
    centre = None
    for path in paths[1:] if place.level > Level.TOWNSHIP else paths:  # a village's reference is its township
        placed = [(float(h.latitude), float(h.longitude)) for h in candidates
                  if h.latitude is not None and h.unit_path.startswith(path)]
        if placed:
            centre = (sum(p[0] for p in placed) / len(placed), sum(p[1] for p in placed) / len(placed))
            break
    for home in candidates:
        home.shared_depth = _shared_depth(place.path, home.unit_path)
        home.distance_km = (distance_km(centre[0], centre[1], home.latitude, home.longitude)
                            if centre is not None and home.latitude is not None else None)
    candidates.sort(key=lambda h: (-h.shared_depth, h.distance_km is None, h.distance_km or 0, h.pk))
    return candidates[:limit]


def homes_for(user):
    return (
        WomensHome.objects.filter(scope_q(user, field="unit_path")).select_related("unit").order_by("unit_path", "name")
    )
