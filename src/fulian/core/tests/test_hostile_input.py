"""Hostile input from the outside: other scripts' digits, NUL bytes, huge values, huge bodies — each a clear
refusal, never a 500 and never a hidden duplicate. Ends with a fuzz of every HTML page's query parameters."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fulian.core.idnumber import parse_id_number
from fulian.core.phone import normalize_phone
from fulian.people.services import WomanData, woman_create
from fulian.people.tests.helpers import female_id

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


@pytest.mark.parametrize("raw", [female_id(3).translate(ARABIC_INDIC), female_id(3)[:-2] + "²" + female_id(3)[-1],
                                 female_id(3)[:5] + "٠" + female_id(3)[6:], "13" + "²" * 16])
def test_an_id_number_with_digits_that_are_not_ascii_is_refused_with_a_reason(raw):
    with pytest.raises(ValidationError) as refused:
        parse_id_number(raw)
    assert refused.value.code in ("id_characters", "id_full_width", "id_length")


@pytest.mark.parametrize("raw", ["١٣٨١٢٣٤٥٦٧٨", "1381234567²", "13８12345678"])
def test_a_phone_with_digits_that_are_not_ascii_is_refused(raw):
    with pytest.raises(ValidationError):
        normalize_phone(raw)


@pytest.mark.django_db
def test_the_same_id_in_arabic_indic_digits_is_not_a_second_woman(client_for, county_chair, unit):
    woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=unit("恒东社区"),
                                                    id_number=parse_id_number(female_id(3))))
    page = client_for(county_chair).post("/women/new/", {
        "name": "王秀兰", "id_number": female_id(3).translate(ARABIC_INDIC), "home_unit": unit("恒东社区").pk})
    assert page.status_code == 200 and "身份证号" in page.content.decode()
    from fulian.people.models import Woman

    assert Woman.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/women/?unit=²", "/women/?page=²", "/units/search/?under=٣", "/cases/?unit=²",
                                 "/dashboard/{unit}/?year=99999999999999999999", "/news/notice/?q=%00",
                                 "/women/?q=" + "x" * 60000, "/find-home/?lat=%00&lng=1"])
def test_bad_parameters_are_a_400(client_for, county_chair, url):
    assert client_for(county_chair).get(url.format(unit=county_chair.unit_id)).status_code == 400


@pytest.mark.django_db
def test_searches_with_odd_digits_answer(client_for, county_chair):
    client = client_for(county_chair)
    for q in ("²", "١٢٣٤", "13" + "²" * 16, "'; DROP TABLE", "%_%"):
        assert client.get("/women/", {"q": q}).status_code == 200
        assert client.get("/units/search/", {"q": q}).status_code == 200


@pytest.mark.django_db
def test_a_huge_body_and_nul_bytes_in_json_are_a_400(tree, settings):
    client = Client()
    big = client.generic("POST", "/api/v1/public/me/code", b"{}", content_type="application/json",
                         CONTENT_LENGTH=str(25 * 2**20))
    assert big.status_code == 400
    nul = client.post("/api/v1/public/me/code", '{"phone": "138\\u000012345678"}', content_type="application/json")
    assert nul.status_code == 400
    form = client.post("/me/", {"phone": "138\x0012345678"})
    assert form.status_code == 400


HOSTILE = ["²", "٣", "\x00", "9" * 30, "-1", "x" * 5000, "<script>alert(1)</script>", "' OR '1'='1", "%", "1e9",
           "null", "[]", "𠀀", " "]
PARAMS = ["q", "unit", "under", "page", "year", "tag", "status", "field_week", "lat", "lng", "code", "u", "kind",
          "level", "category", "step"]


def _page_urls(resolver=None, prefix=""):
    """Every HTML page: patterns without arguments as they are, with an int argument filled with 1."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "api/", "i18n/", "static/", "media/")):
            continue
        if isinstance(entry, URLResolver):
            yield from _page_urls(entry, route)
        elif isinstance(entry, URLPattern):
            path = route.replace("<int:", "<").replace("^", "").replace("$", "")
            while "<" in path:
                start, end = path.index("<"), path.index(">")
                path = path[:start] + ("notice" if "category" in path[start:end] else "1") + path[end + 1:]
            yield "/" + path


@pytest.mark.django_db
def test_fuzzing_every_pages_query_parameters_never_gives_a_server_error(tree, county_chair):
    signed_in, anonymous = Client(raise_request_exception=False), Client(raise_request_exception=False)
    signed_in.force_login(county_chair)
    rng = random.Random(20261126)
    failures = []
    for url in sorted(set(_page_urls())):
        for client in (signed_in, anonymous):
            for value in HOSTILE:  # every parameter at once
                answer = client.get(url, dict.fromkeys(PARAMS, value))
                if answer.status_code >= 500:
                    failures.append((url, "all", value, answer.status_code))
            for name in PARAMS:  # one parameter at a time, values spread over the pages
                value = rng.choice(HOSTILE)
                answer = client.get(url, {name: value})
                if answer.status_code >= 500:
                    failures.append((url, name, value, answer.status_code))
    assert failures == []


@pytest.mark.parametrize("raw", ["javascript:alert(1)", "JavaScript:alert(1)", " java\tscript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:x", "//evil.example/x",
                                 "http://", "ftp://x.example/"])
def test_links_with_other_schemes_are_refused(raw):
    from fulian.core.links import clean_link

    with pytest.raises(ValidationError):
        clean_link(raw)


def test_links_people_use_are_kept():
    from fulian.core.links import clean_link

    assert clean_link(" https://www.hbwomen.org.cn/ ") == "https://www.hbwomen.org.cn/"
    assert clean_link("hebeifulian") == "hebeifulian" and clean_link("") == ""


@pytest.mark.django_db
def test_a_media_account_with_a_script_address_is_refused_on_every_path(client_for, county_chair, unit):
    from fulian.orgs.models import MediaAccount

    unit_id = county_chair.unit_id
    client = client_for(county_chair)
    api = client.post(f"/api/v1/units/{unit_id}/media", {"platform": "website", "name": "县妇联网站",
                                                         "url": "javascript:alert(1)"}, content_type="application/json")
    assert api.status_code == 400 and "http" in api.json()["detail"]
    assert not MediaAccount.objects.filter(url__icontains="script").exists()


@pytest.mark.django_db
def test_a_megabyte_of_notes_is_refused_with_a_reason(client_for, api_for, county_chair):
    page = client_for(county_chair).post("/women/new/", {"name": "王秀兰", "phone": "x" * 1_000_000})
    assert page.status_code == 400 and "太长" in page.content.decode()
    api = api_for(county_chair).post(f"/api/v1/units/{county_chair.unit_id}/media",
                                     {"platform": "website", "name": "x" * 2_000_000}, content_type="application/json")
    assert api.status_code == 400


@pytest.mark.django_db
def test_the_real_ip_header_is_believed_only_from_a_trusted_proxy(settings):
    from django.test import RequestFactory

    from fulian.core.context import client_ip

    settings.TRUST_X_REAL_IP = True
    factory = RequestFactory()
    assert client_ip(factory.get("/", HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"  # from 127.0.0.1
    assert client_ip(factory.get("/", REMOTE_ADDR="198.51.100.1", HTTP_X_REAL_IP="203.0.113.5")) == "198.51.100.1"
    assert client_ip(factory.get("/", HTTP_X_REAL_IP="<script>")) == "127.0.0.1"


@pytest.mark.django_db
def test_a_form_posted_to_a_json_api_route_is_a_4xx_not_a_500(api_for, county_chair, village_cadre):
    """The middleware's form check must not consume the body a JSON route reads."""
    client = api_for(county_chair)
    response = client.post(f"/api/v1/accounts/{village_cadre.pk}/password", {"password": "x"})  # multipart
    assert 400 <= response.status_code < 500
    response = client.post(f"/api/v1/accounts/{village_cadre.pk}/password", "password=x",
                           content_type="application/x-www-form-urlencoded")
    assert 400 <= response.status_code < 500


@pytest.mark.django_db
def test_a_bad_parameter_gets_a_page_that_says_what_was_wrong(client_for, county_chair, settings):
    settings.DEBUG = False
    answer = client_for(county_chair).get("/audit/", {"page": "-1"})
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "请求有误" in text and "page" in text  # the parameter named, not a bare "Bad Request (400)"
