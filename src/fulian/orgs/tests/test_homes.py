
import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fulian.orgs import homes
from fulian.orgs.models import WomensHome

# 正定 town centre, and three homes at known distances from it
HERE = (38.1467, 114.5700)


@pytest.fixture
def three_homes(unit, county_chair):
    made = {}
    for name, lat, lng, where in [("恒东社区妇女之家", 38.1500, 114.5700, "恒东社区"),
                                  ("张家庄村妇女之家", 38.2000, 114.6000, "张家庄村"),
                                  ("南关村妇女之家", 38.2400, 114.3900, "南关村")]:
        actor = county_chair if where != "南关村" else None
        unit_ = unit(where)
        if actor is None:
            made[name] = WomensHome.objects.create(unit=unit_, unit_path=unit_.path, name=name, address="x",
                                                   latitude=lat, longitude=lng)
        else:
            made[name] = homes.home_save(actor=actor, unit=unit_, name=name, address="村委会院内", latitude=lat,
                                         longitude=lng, opening_hours="周一至周五 9:00-17:00")
    return made


@pytest.mark.django_db
def test_nearest_homes_come_in_order_of_distance(three_homes):
    nearest = homes.homes_nearest(latitude=HERE[0], longitude=HERE[1])
    assert [h.name for h in nearest] == ["恒东社区妇女之家", "张家庄村妇女之家", "南关村妇女之家"]
    assert nearest[0].distance_km == pytest.approx(0.37, abs=0.02)
    assert nearest[1].distance_km < nearest[2].distance_km


def test_haversine_against_a_known_distance():
    # Beijing (39.9042, 116.4074) to Shijiazhuang (38.0428, 114.5149): about 265 km
    assert homes.distance_km(39.9042, 116.4074, 38.0428, 114.5149) == pytest.approx(265, abs=5)


@pytest.mark.django_db
def test_a_closed_home_and_one_without_coordinates_are_not_offered(three_homes, unit, county_chair):
    three_homes["恒东社区妇女之家"].is_active = False
    three_homes["恒东社区妇女之家"].save(update_fields=["is_active"])
    homes.home_save(actor=county_chair, unit=unit("正定镇"), name="正定镇妇女之家", address="镇政府")
    names = [h.name for h in homes.homes_nearest(latitude=HERE[0], longitude=HERE[1])]
    assert names == ["张家庄村妇女之家", "南关村妇女之家"]


@pytest.mark.django_db
@pytest.mark.parametrize(("lat", "lng", "code"), [(91, 114, "coordinate_range"), (38, 181, "coordinate_range"),
                                                   (38, None, "coordinate_pair"), ("北纬", 114, "coordinate")])
def test_bad_coordinates_are_refused(unit, county_chair, lat, lng, code):
    with pytest.raises(ValidationError) as exc:
        homes.home_save(actor=county_chair, unit=unit("恒东社区"), name="x", address="y", latitude=lat, longitude=lng)
    assert exc.value.code == code


@pytest.mark.django_db
def test_the_public_finder_and_api_need_no_login(client, three_homes):
    page = client.get(reverse("home_finder"), {"lat": HERE[0], "lng": HERE[1]})
    assert [h.name for h in page.context["nearest"]][0] == "恒东社区妇女之家"
    body = Client().get("/api/v1/public/homes/nearest", {"lat": HERE[0], "lng": HERE[1], "limit": 2}).json()
    assert [h["name"] for h in body] == ["恒东社区妇女之家", "张家庄村妇女之家"]
    assert Client().get("/api/v1/public/homes/nearest", {"lat": 99, "lng": 0}).status_code == 422


@pytest.mark.django_db
def test_homes_are_scoped_and_registered_by_editors(client_for, county_chair, sibling_county_cadre, three_homes,
                                                    unit):
    assert "南关村妇女之家" not in {h.name for h in client_for(county_chair).get(reverse("home_list")).context["items"]}
    other = three_homes["恒东社区妇女之家"].pk
    assert client_for(sibling_county_cadre).get(reverse("home_detail", args=[other])).status_code == 404
    response = client_for(county_chair).post(reverse("home_new", args=[unit("正定镇").pk]), {
        "name": "正定镇妇女之家", "address": "镇政府一楼", "latitude": "38.1480", "longitude": "114.5690"})
    home = WomensHome.objects.get(name="正定镇妇女之家")
    assert response["Location"] == reverse("home_detail", args=[home.pk])
    assert client_for(sibling_county_cadre).post(reverse("home_new", args=[unit("正定镇").pk]), {
        "name": "越界", "address": "x"}).status_code == 404


@pytest.mark.django_db
def test_a_home_gets_a_photo_and_other_files_are_refused(client_for, county_chair, unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(county_chair)
    url = reverse("home_new", args=[unit("正定镇").pk])
    png = SimpleUploadedFile("home.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    client.post(url, {"name": "正定镇妇女之家", "address": "镇政府", "photo": png})
    assert WomensHome.objects.get().photo.name.endswith(".png")
    exe = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url, {"name": "另一个之家", "address": "x", "photo": exe})
    assert "jpg、png或webp" in response.content.decode() and WomensHome.objects.count() == 1
