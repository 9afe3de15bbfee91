"""找妇女之家: by the phone's position, or — when she refuses it — by the place she picks, ranked through the tree."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from fulian.orgs.homes import homes_near_place
from fulian.orgs.models import WomensHome


def home(unit, name, lat=None, lng=None, phone=""):
    return WomensHome.objects.create(unit=unit, unit_path=unit.path, name=name, address=f"{name}地址",
                                     latitude=None if lat is None else Decimal(str(lat)),
                                     longitude=None if lng is None else Decimal(str(lng)), phone=phone)


@pytest.fixture
def homes(unit):
    return {
        "恒东": home(unit("恒东社区"), "恒东社区妇女之家", 38.150, 114.570, "031188001234"),
        "张家庄": home(unit("张家庄村"), "张家庄村妇女之家"),  # no coordinates
        "正定镇": home(unit("正定镇"), "正定镇妇女之家", 38.146, 114.575),
        "西柏棠远": home(unit("西柏棠村"), "西柏棠村北妇女之家", 38.300, 114.700),
        "西柏棠近": home(unit("西柏棠村"), "西柏棠村南妇女之家", 38.200, 114.600),
        "行唐": home(unit("南关村"), "南关村妇女之家", 38.150, 114.571),  # close by km, but another county
        "哈尔滨": home(unit("新阳社区"), "新阳社区妇女之家", 45.760, 126.620),
    }


def ranked(place, limit=10):
    return [h.name for h in homes_near_place(place=place, limit=limit)]


@pytest.mark.django_db
def test_a_picked_village_ranks_its_own_home_then_its_township_then_its_county_by_km(unit, homes):
    assert ranked(unit("张家庄村")) == [
        "张家庄村妇女之家",  # her village
        "恒东社区妇女之家", "正定镇妇女之家",  # her township (by km from its homes)
        "西柏棠村南妇女之家", "西柏棠村北妇女之家",  # her county, nearer first
        "南关村妇女之家",  # her city; never a home of another province
    ]
    assert ranked(unit("恒东社区"), limit=3) == ["恒东社区妇女之家", "正定镇妇女之家", "张家庄村妇女之家"]


@pytest.mark.django_db
def test_a_picked_county_ranks_its_homes_by_km_from_their_middle(unit, homes):
    assert ranked(unit("行唐县"), limit=2) == ["南关村妇女之家", "恒东社区妇女之家"]
    kms = [h.distance_km for h in homes_near_place(place=unit("正定县"), limit=5)]
    assert kms[-1] is None and kms[:-1] == sorted(kms[:-1])  # the home without coordinates last


@pytest.mark.django_db
def test_the_finder_page_takes_a_picked_place_and_gives_call_and_directions_links(client, unit, homes):
    response = client.get(reverse("home_finder"), {"place": "张家庄村（正定镇 · 正定县）", "place_key": "130123100210"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("张家庄村妇女之家") < page.index("恒东社区妇女之家")
    assert 'href="tel:031188001234"' in page
    first = response.context["nearest"][1]
    query = parse_qs(urlsplit(first.map_url).query)
    assert query["position"][0].startswith("114.57") and query["position"][0] != "114.570000,38.150000"  # GCJ-02
    assert query["name"] == ["恒东社区妇女之家"]
    assert [p["label"] for p in response.context["map"]["points"]][:2] == ["2", "3"]  # numbered as in the list


@pytest.mark.django_db
def test_the_finder_by_position_and_by_typed_name_without_javascript(client, unit, homes):
    near = client.get(reverse("home_finder"), {"lat": "38.1501", "lng": "114.5701"})
    assert near.context["nearest"][0].name == "恒东社区妇女之家"
    typed = client.get(reverse("home_finder"), {"place": "行唐县"})
    assert typed.context["place"] == unit("行唐县") and typed.context["nearest"][0].name == "南关村妇女之家"
    half = client.get(reverse("home_finder"), {"lat": "38.15"})
    assert half.context["nearest"] == [] and "位置不完整" in half.content.decode()
    page = client.get(reverse("home_finder")).content.decode()
    assert 'id="locate"' in page and "data-picker" in page and 'name="lat"' in page and 'type="hidden"' in page
