"""Field-ready fixes found by using the product as its people do (issue: phones, slow networks, desks)."""

from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_roster_import_is_reachable_from_the_building_page(client_for, county_chair, unit):
    from fulian.orgs.rosters import SPECS

    page = client_for(county_chair).get(reverse("unit_building", args=[unit("正定县").pk])).content.decode()
    for kind, spec in SPECS.items():
        assert spec.title in page and reverse("roster_import", args=[kind]) in page, kind


@pytest.mark.django_db
def test_page_titles_name_the_platform_in_chinese_not_the_code_name(client):
    page = client.get(reverse("portal_home")).content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title == "网上妇女之家" and "fulian" not in page.split("<body")[1].lower().replace("/static/fulian", "")


def test_no_phone_rule_hides_a_table_column():
    css = (ROOT / "static" / "fulian" / "site.css").read_text(encoding="utf-8")
    assert "nth-child" not in css  # a column hidden on phones hid 紧急 on the case queue and the unit names


@pytest.mark.django_db
def test_a_survey_link_comes_with_a_copy_button_and_a_qr_code_and_a_township_sheet(client_for, county_chair, unit):
    import datetime as dt

    from fulian.evaluation.services import survey_create, survey_set_status

    survey = survey_create(actor=county_chair, unit=unit("正定县"), title="四率调查", starts_on=dt.date(2026, 1, 1),
                           ends_on=dt.date(2026, 12, 31), standard=True)
    survey_set_status(actor=county_chair, survey=survey, status="open")
    client = client_for(county_chair)
    page = client.get(reverse("survey_detail", args=[survey.pk]), {"u": "130123100001"}).content.decode()
    assert "<svg" in page and "data-copy" in page and "/s/" in page
    sheet = client.get(reverse("survey_qr_sheet", args=[survey.pk]), {"u": "130123100000"}).content.decode()
    assert sheet.count("<svg") == 2 and "恒东社区" in sheet and "张家庄村" in sheet
    assert client.get(reverse("survey_qr_sheet", args=[survey.pk]), {"u": "130125100000"}).status_code == 404


@pytest.mark.django_db
def test_a_tracking_code_is_found_however_she_types_it_and_never_lands_in_a_url(client, tree, unit):
    from fulian.cases import services
    from fulian.cases.selectors import case_public_status

    case = services.case_intake(kind="dv", home_unit=unit("恒东社区"), description="x", source="portal",
                                anonymous=True)
    shown = case.tracking_display
    assert len(shown) == 11 and shown[5] == "-" and not set(case.tracking_code) & set("01OIL")
    for typed in (shown, shown.lower(), " ".join(shown.replace("-", "")), case.tracking_code[:5] + " - " +
                  case.tracking_code[5:]):
        assert case_public_status(typed) == case, typed
    page = client.post(reverse("help_status"), {"code": shown.lower()}).content.decode()
    assert "待受理" in page or case.get_status_display() in page
    me = (ROOT / "portal" / "templates" / "portal" / "me.html").read_text(encoding="utf-8")
    assert "?code=" not in me  # it would sit in the browser history


@pytest.mark.django_db
def test_a_database_outage_keeps_what_she_typed_and_tells_programs_to_retry(client, tree, monkeypatch, settings):
    from django.db import OperationalError

    from fulian.cases import services
    from fulian.cases.tests.test_cases import public_help

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(services, "case_intake", down)
    monkeypatch.setattr("fulian.cases.views.services.case_intake", down)
    client.raise_request_exception = False
    settings.HELP_MIN_SECONDS = 0
    page = public_help(client, description="丈夫昨晚又动手了", client_token="keep-1")
    text = page.content.decode()
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert 'value="丈夫昨晚又动手了"' in text and 'value="keep-1"' in text and "再试一次" in text
    api = client.post("/api/v1/public/cases", {"kind": "dv", "unit_code": "130123100001", "description": "x",
                                               "client_token": "t"}, content_type="application/json")
    assert api.status_code == 503 and api.json()["detail"] and api["Retry-After"] == "30"


@pytest.mark.django_db
def test_an_expired_session_on_an_htmx_request_signs_in_as_a_whole_page_and_comes_back(client_for, village_cadre,
                                                                                      settings):
    import datetime as dt

    import time_machine

    client = client_for(village_cadre)
    client.get(reverse("today"))
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 5)
    with time_machine.travel(later, tick=False):
        answer = client.get(reverse("today"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/today/")
    assert answer.status_code == 204 and "登录" not in answer.content.decode()
    assert answer["HX-Redirect"] == "/accounts/login/?next=%2Ftoday%2F"


@pytest.mark.django_db
def test_a_village_cadre_lands_on_todays_work_after_signing_in(client, village_cadre, county_chair):
    from fulian.accounts.tests.factories import PASSWORD

    landed = client.post(reverse("login"), {"username": village_cadre.username, "password": PASSWORD})
    assert landed["Location"] == reverse("today")
    client.post(reverse("logout"))
    landed = client.post(reverse("login"), {"username": county_chair.username, "password": PASSWORD})
    assert landed["Location"] == reverse("home")


def test_static_files_are_served_compressed_and_cache_busted(tmp_path, settings):
    """collectstatic with the production storage, then WhiteNoise answers a gzip-accepting phone with the
    compressed, content-hashed ECharts (a slow village connection loads it once, at a third of its size)."""
    import json

    from django.core.management import call_command
    from django.test import Client, override_settings

    vendor = ROOT / "static" / "vendor" / "echarts.min.js"
    if not vendor.exists():
        pytest.skip("front-end libraries not built (make static)")
    storages = {**settings.STORAGES,
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
        hashed = manifest["vendor/echarts.min.js"]
        assert hashed != "vendor/echarts.min.js" and (tmp_path / (hashed + ".gz")).exists()
        answer = Client().get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip")  # a new client: WhiteNoise rescans
        assert answer.status_code == 200 and answer["Content-Encoding"] == "gzip"
        assert "immutable" in answer["Cache-Control"] or "max-age=31536000" in answer["Cache-Control"]
        packed = int(answer["Content-Length"])
        assert packed < vendor.stat().st_size / 2
