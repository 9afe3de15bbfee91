"""Coordinates for Chinese map apps. We store WGS-84 (GPS, Tianditu); Amap, Tencent and the phone map apps in China
expect GCJ-02, which shifts a point by up to a few hundred metres, so a directions link converts first.

This is the published conversion (the "eviltransform" formulae); outside China GCJ-02 equals WGS-84.
"""

import math
from urllib.parse import urlencode

_A = 6378245.0  # Krasovsky 1940 semi-major axis, as the standard uses
_EE = 0.00669342162296594323  # its first eccentricity squared


def is_outside_china(lat: float, lng: float) -> bool:
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _lat_offset(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _lng_offset(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lat: float, lng: float) -> tuple[float, float]:
    """(lat, lng) in WGS-84 → (lat, lng) in GCJ-02."""
    lat, lng = float(lat), float(lng)
    if is_outside_china(lat, lng):
        return lat, lng
    d_lat = _lat_offset(lng - 105.0, lat - 35.0)
    d_lng = _lng_offset(lng - 105.0, lat - 35.0)
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lat + d_lat, lng + d_lng


def amap_marker_url(lat, lng, name: str) -> str:
    """A link that opens the Amap app (or its web page) at the place, from where she can ask for directions."""
    g_lat, g_lng = wgs84_to_gcj02(lat, lng)
    return "https://uri.amap.com/marker?" + urlencode({
        "position": f"{g_lng:.6f},{g_lat:.6f}", "name": name, "coordinate": "gaode", "callnative": "1"})
