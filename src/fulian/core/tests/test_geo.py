from urllib.parse import parse_qs, urlsplit

import pytest

from fulian.core.geo import amap_marker_url, wgs84_to_gcj02


# published reference pairs of the standard conversion (WGS-84 → GCJ-02)
@pytest.mark.parametrize("wgs, gcj", [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
])
def test_wgs84_to_gcj02_matches_known_points(wgs, gcj):
    lat, lng = wgs84_to_gcj02(*wgs)
    assert lat == pytest.approx(gcj[0], abs=1e-7) and lng == pytest.approx(gcj[1], abs=1e-7)


def test_outside_china_nothing_moves():
    assert wgs84_to_gcj02(48.8566, 2.3522) == (48.8566, 2.3522)


def test_the_amap_link_carries_converted_coordinates_lng_first_and_the_name():
    url = amap_marker_url(39.911954, 116.377817, "恒东社区妇女之家 & 二楼")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "uri.amap.com", "/marker")
    assert query["position"] == ["116.384047,39.913345"] and query["name"] == ["恒东社区妇女之家 & 二楼"]
