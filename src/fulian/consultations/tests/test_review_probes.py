"""Outside-in review probes of consultations: hostile text on the portal and organiser pages and in exports, bad
parameters on every public route, and who may act where."""

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from fulian.accounts.tests.factories import UserFactory
from fulian.consultations import comments
from fulian.consultations.models import Comment
from fulian.core.policy import Role
from fulian.portal.tests.otp import last_code_sent

from .conftest import village_rule

pytestmark = pytest.mark.django_db

PHONE = "13803110021"
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _evil_comment(rule, *, approve_by=None, text=EVIL):
    comments.comment_code_send(consultation=rule, phone=PHONE)
    c = comments.comment_submit(consultation=rule, text=text, channel="portal", name="李秀梅", phone=PHONE,
                                code=last_code_sent(PHONE), section_id=rule.sections.first().pk)
    if approve_by is not None:
        c = comments.comment_review(actor=approve_by, comment=c, approve=True)
    return c


def test_a_comment_with_a_script_is_escaped_on_the_portal_and_the_organisers_page(client_for, village_cadre, unit,
                                                                                  registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    _evil_comment(rule, approve_by=village_cadre)
    for page in (Client().get(reverse("consult_detail", args=[rule.pk])),
                 client_for(village_cadre).get(reverse("consultation_detail", args=[rule.pk]))):
        html = page.content.decode()
        assert page.status_code == 200
        assert "<script>alert(" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_a_title_with_a_script_is_escaped_on_the_portal_list(client_for, village_cadre, unit):
    rule = village_rule(village_cadre, unit("恒东社区"), audience="public")
    type(rule).objects.filter(pk=rule.pk).update(title=EVIL, intro=EVIL)
    for url in (reverse("consult_list"), reverse("consult_detail", args=[rule.pk])):
        html = Client().get(url).content.decode()
        assert "<script>alert(" not in html and "<img src=x" not in html


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(\"http://x\",\"y\")"])
def test_a_comment_like_a_formula_stays_text_in_the_export(client_for, village_cadre, unit, registered, text):
    rule = village_rule(village_cadre, unit("恒东社区"))
    _evil_comment(rule, text=text, approve_by=village_cadre)
    got = client_for(village_cadre).get(reverse("consultation_export_comments") + f"?consultation={rule.pk}")
    assert got.status_code == 200
    body = b"".join(got.streaming_content) if got.streaming else got.content
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and text.lstrip("'") in c.value]
    assert cells and all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("query", ["page=abc", "page=-1", "page=%D9%A1", "page=99999999999999999999999", "page=0",
                                   "page=1&page=2"])
def test_bad_parameters_on_the_portal_lists_are_400_not_500(village_cadre, unit, query):
    village_rule(village_cadre, unit("恒东社区"), audience="public")
    for url in (reverse("consult_list"), reverse("proposals_public")):
        assert Client().get(url + "?" + query).status_code in (200, 400), url


@pytest.mark.parametrize("query", ["section=abc", "section=-1", "section=%D9%A1", "section=99999999999999999999999",
                                   "section=9223372036854775807"])
def test_bad_section_on_the_portal_is_not_500(village_cadre, unit, query):
    rule = village_rule(village_cadre, unit("恒东社区"), audience="public")
    assert Client().get(reverse("consult_detail", args=[rule.pk]) + "?" + query).status_code in (200, 400)


@pytest.mark.parametrize("path", ["/api/v1/public/consultations?page=abc", "/api/v1/public/consultations?page=-1",
                                  "/api/v1/public/consultations?page=99999999999",
                                  "/api/v1/public/consultations?state=draft",
                                  "/api/v1/public/proposals?page=%D9%A1",
                                  "/api/v1/public/consultations/99999999999999999999999",
                                  "/api/v1/public/consultations/-1"])
def test_bad_parameters_on_the_public_api_are_4xx(path):
    assert Client().get(path).status_code in (400, 404, 422), path


@pytest.mark.parametrize("payload", [{"phone": ["138"]}, {"phone": 13803110021}, {}, {"phone": "١٣٨٠٣١١٠٠٢١"},
                                     {"phone": "x" * 100}])
def test_a_bad_code_request_is_4xx(village_cadre, unit, payload):
    rule = village_rule(village_cadre, unit("恒东社区"), audience="public")
    answer = Client().post(f"/api/v1/public/consultations/{rule.pk}/code", payload, content_type="application/json")
    assert answer.status_code in (204, 400, 422), answer.content


@pytest.mark.parametrize("payload", [{"text": "好", "phone": PHONE, "code": "123456", "section_id": 2**53},
                                     {"text": "好", "phone": PHONE, "code": "١٢٣٤٥٦"},
                                     {"text": ["好"], "phone": PHONE, "code": "1"},
                                     {"text": "好", "phone": PHONE, "code": "1", "name": "<b>x</b>"},
                                     {"text": "好", "phone": PHONE, "code": "1", "anonymous": "maybe"}])
def test_a_bad_comment_is_4xx(village_cadre, unit, registered, payload):
    rule = village_rule(village_cadre, unit("恒东社区"))
    answer = Client().post(f"/api/v1/public/consultations/{rule.pk}/comments", payload,
                           content_type="application/json")
    assert answer.status_code in (400, 422), answer.content
    assert not Comment.objects.exists()


def test_the_portal_comment_page_with_a_huge_section_is_not_500(village_cadre, unit, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    page = Client().post(reverse("consult_detail", args=[rule.pk]), {
        "section": "99999999999999999999999", "text": "好", "phone": PHONE, "code": "123456", "client_token": "t"})
    assert page.status_code == 400


def test_staff_may_not_send_an_inquiry(client_for, api_for, unit):
    staff = UserFactory(username="county-staff", unit=unit("正定县"), roles=[Role.STAFF])
    assert client_for(staff).get(reverse("inquiry_new")).status_code == 404
    answer = api_for(staff).post("/api/v1/inquiries", {"unit_id": unit("正定县").pk, "question": "有何意见？",
                                                        "deadline": "2099-01-01", "level": 5},
                                 content_type="application/json")
    assert answer.status_code in (400, 404, 422), answer.content


def test_a_village_cadre_cannot_organise_her_countys_consultation(client_for, county_chair, village_cadre, unit):
    rule = village_rule(county_chair, unit("正定县"), open_it=False)
    client = client_for(village_cadre)
    assert client.get(reverse("consultation_detail", args=[rule.pk])).status_code == 404
    assert client.post(reverse("consultation_open", args=[rule.pk])).status_code == 404
    assert client.get(reverse("consultation_export_comments") + f"?consultation={rule.pk}").status_code == 404


def test_a_sibling_county_cannot_export_or_review(client_for, village_cadre, sibling_county_cadre, unit, registered):
    rule = village_rule(village_cadre, unit("恒东社区"))
    c = _evil_comment(rule, text="好")
    comments.comment_review(actor=village_cadre, comment=_evil_comment(rule, text="第二条"), approve=True)
    client = client_for(sibling_county_cadre)
    assert client.get(reverse("consultation_export_comments") + f"?consultation={rule.pk}").status_code == 404
    assert client.get(reverse("consultation_export_comments") + f"?unit={unit('正定县').pk}").status_code == 404
    assert client.post(reverse("consultation_comment_review", args=[c.pk]), {"approve": "1"}).status_code == 404
    got = client.get(reverse("consultation_export_comments"))
    body = b"".join(got.streaming_content) if got.streaming else got.content
    assert "第二条" not in str([c.value for row in openpyxl.load_workbook(io.BytesIO(body)).active.iter_rows()
                           for c in row][20:])
