import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from fulian.contacts.models import ContactLog
from fulian.core.models import ReadLog
from fulian.people.models import Woman
from fulian.people.tests.helpers import female_id, read_xlsx, roster_bytes, row


def body(name="王秀兰", n=1, unit_code="130123100001", **extra):
    return {"name": name, "id_number": female_id(n), "unit_code": unit_code, "phone": "13812340001", **extra}


@pytest.fixture
def our_woman(api_for, county_chair):
    return api_for(county_chair).post("/api/v1/women", body(tags=["left_behind"]),
                                      content_type="application/json").json()


@pytest.fixture
def their_woman(api_for, sibling_county_cadre):
    return api_for(sibling_county_cadre).post("/api/v1/women", body("孙丽", 4, "130125100201"),
                                              content_type="application/json").json()


@pytest.mark.django_db
def test_register_and_fetch_a_woman(api_for, county_chair, our_woman):
    assert our_woman["id_masked"].startswith("130***") and our_woman["tags"] == ["left_behind"]
    assert api_for(county_chair).get(f"/api/v1/women/{our_woman['id']}").json()["name"] == "王秀兰"


@pytest.mark.django_db
def test_bad_fields_are_400_with_a_message_per_field(api_for, county_chair, tree):
    response = api_for(county_chair).post("/api/v1/women", {**body(), "id_number": "123", "phone": "1"},
                                          content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"id_number", "phone"} and "18位" in errors["id_number"][0]


@pytest.mark.django_db
def test_the_same_id_number_is_409_with_the_existing_record(api_for, county_chair, our_woman):
    response = api_for(county_chair).post("/api/v1/women", body("又一个"), content_type="application/json")
    assert response.status_code == 409 and response.json()["existing_id"] == our_woman["id"]


@pytest.mark.django_db
def test_a_woman_of_another_county_cannot_be_fetched_searched_or_exported(api_for, county_chair, village_cadre,
                                                                          our_woman, their_woman):
    for client in (api_for(county_chair), api_for(village_cadre)):
        assert client.get(f"/api/v1/women/{their_woman['id']}").status_code == 404
        assert client.post(f"/api/v1/women/{their_woman['id']}/id-number").status_code == 404
        assert client.get("/api/v1/women", {"q": "孙丽"}).json()["count"] == 0
        assert client.get("/api/v1/women", {"q": female_id(4)}).json()["count"] == 0
        rows = read_xlsx(client.post("/api/v1/women/export.xlsx").content)
        assert "孙丽" not in str(rows)
        assert client.get(f"/api/v1/women/{their_woman['id']}/contacts").status_code == 404


@pytest.mark.django_db
def test_stale_update_is_409_and_overwrites_nothing(api_for, county_chair, village_cadre, our_woman):
    url = f"/api/v1/women/{our_woman['id']}"
    payload = {**body(), "id_number": "", "version": our_woman["version"]}
    first = api_for(county_chair).put(url, {**payload, "phone": "13811110000"}, content_type="application/json")
    assert first.status_code == 200 and first.json()["version"] == 2
    late = api_for(village_cadre).put(url, {**payload, "phone": "13822220000"}, content_type="application/json")
    assert late.status_code == 409
    assert Woman.objects.get(pk=our_woman["id"]).phone == "13811110000"


@pytest.mark.django_db
def test_reveal_is_read_logged(api_for, county_chair, our_woman):
    response = api_for(county_chair).post(f"/api/v1/women/{our_woman['id']}/id-number")
    assert response.json() == {"id_number": female_id(1)}
    assert ReadLog.objects.filter(object_id=str(our_woman["id"]), channel="api").count() == 1


@pytest.mark.django_db
def test_import_through_the_api(api_for, county_chair, tree, django_capture_on_commit_callbacks):
    client = api_for(county_chair)
    content = roster_bytes([row(name="甲", id_number=female_id(30)), row(name="乙", id_number="bad")])
    with django_capture_on_commit_callbacks(execute=True):
        job = client.post("/api/v1/imports/women", {"file": SimpleUploadedFile("r.xlsx", content)}).json()
    status = client.get(f"/api/v1/imports/{job['id']}").json()
    assert (status["status"], status["created_count"], status["error_count"], status["has_error_file"]) == (
        "done", 1, 1, True)
    errors = read_xlsx(b"".join(client.get(f"/api/v1/imports/{job['id']}/errors.xlsx").streaming_content))
    assert errors[1][0] == 3 and errors[1][1] == "身份证号"


@pytest.mark.django_db
def test_contacts_assignments_and_coverage_through_the_api(api_for, county_chair, village_cadre, our_woman, unit):
    chair = api_for(county_chair)
    assigned = chair.post(f"/api/v1/women/{our_woman['id']}/assignments", {"cadre_id": village_cadre.pk},
                          content_type="application/json")
    assert assigned.status_code == 201
    cadre = api_for(village_cadre)
    contact = {"contacted_on": "2026-11-20", "channel": "phone", "needs": [{"category": "legal"}],
               "client_token": "abc"}
    first = cadre.post(f"/api/v1/women/{our_woman['id']}/contacts", contact, content_type="application/json")
    again = cadre.post(f"/api/v1/women/{our_woman['id']}/contacts", contact, content_type="application/json")
    assert first.status_code == again.status_code == 201 and first.json()["id"] == again.json()["id"]
    assert ContactLog.objects.count() == 1
    future = cadre.post(f"/api/v1/women/{our_woman['id']}/contacts", {**contact, "contacted_on": "2999-01-01",
                                                                      "client_token": "x"},
                        content_type="application/json")
    assert future.status_code == 400 and "今天之后" in future.json()["detail"]
    need_id = first.json()["needs"][0]["id"]
    assert chair.post(f"/api/v1/needs/{need_id}/resolve", {"resolution": "ok"},
                      content_type="application/json").json()["status"] == "met"
    coverage = chair.get(f"/api/v1/units/{unit('正定县').pk}/coverage").json()
    assert (coverage["women"], coverage["assigned"]) == (1, 1)
    assert cadre.get("/api/v1/me/coverage").json()["assigned"] == 1


@pytest.mark.django_db
def test_openapi_lists_the_contact_network(client, tree):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ("/api/v1/women", "/api/v1/imports/women", "/api/v1/women/{woman_id}/contacts",
                 "/api/v1/units/{unit_id}/coverage", "/api/v1/field-weeks", "/api/v1/me/today"):
        assert path in paths, path
