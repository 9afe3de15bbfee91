"""Every page and API operation that takes an id, tried by the chair of the county next door: 404, as for a record
that does not exist — never 200, 400 or 403. The routes are found by walking the URL conf and the OpenAPI schema;
each id parameter maps to a record factory in `_records`, so a new route without a factory fails this test, and so
does a public route that is not on the allow-list with its reason."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from fulian.accounts.services import token_create
from fulian.accounts.tests.factories import UserFactory
from fulian.api.api import api
from fulian.core.policy import Role

TODAY = dt.date(2026, 11, 25)

# Routes open to everyone on purpose, with the reason.
PUBLIC = {
    "news/<int:article_id>/": "a published article is public (drafts answer 404 to everyone)",
    "s/<str:token>/": "a survey's public answering page: the unguessable token is the key",
    "referrals/<str:code>/": "a partner confirms a referral with the code she was sent",
    "/api/v1/public/articles/{article_id}": "a published article is public",
    "/api/v1/public/surveys/{token}": "a survey's public questions, by token",
    "/api/v1/public/surveys/{token}/responses": "answering a survey, by token",
    "/api/v1/public/surveys/{token}/code": "a one-time code for answering a survey, by token",
    "/api/v1/public/cases/{code}": "a woman follows her request with its tracking code",
    "/api/v1/public/cases/{code}/rating": "a woman rates her closed request with its tracking code",
    "/api/v1/public/me/cases/{code}": "with her own app token she takes a request out of her 我的 (a code that is "
                                      "not in her 我的 changes nothing)",
    "verify/<str:code>/": "anyone checks a certificate by the signed code printed on it (holder masked)",
    "/api/v1/public/certificates/{code}": "anyone checks a certificate by the signed code printed on it",
    "news/photos/<int:practice_photo_id>/": "a photo of a practice published on the portal (404 before then)",
    "calendar/<int:activity_id>/": "a published public activity on the calendar (drafts and invited-only answer 404 "
                                   "to everyone)",
    "calendar/<int:activity_id>/signup/": "signing up for a published public activity, with a one-time code",
    "calendar/signups/<str:token>/": "her sign-up by the secret link she was given",
    "calendar/signups/<str:token>/cancel/": "cancelling her sign-up by the secret link she was given",
    "/api/v1/public/activities/{activity_id}": "a published public activity of the calendar",
    "/api/v1/public/activities/{activity_id}/code": "a one-time code for signing up, by phone",
    "/api/v1/public/activities/{activity_id}/signups": "signing up with a one-time code",
    "/api/v1/public/me/activities/{activity_id}/signups": "signing up with her own app token",
    "/api/v1/public/signups/{token}": "her sign-up by its secret token",
    "/api/v1/public/signups/{token}/cancel": "cancelling her sign-up by its secret token",
    "checkin/<int:session_id>/<str:code>/": "what a session's QR code opens: her own check-in without sign-in; the "
                                            "code that changes every minute is the key, refused outside the "
                                            "session's time",
    "/api/v1/public/checkin": "the app's check-in with the code of the session's QR link: the code is the key",
    "honour/<int:award_campaign_id>/": "a family-award campaign's public page: its stage and, while the vote runs, "
                                       "the shortlisted families (consenting members' names only)",
    "honour/<int:award_campaign_id>/vote/": "the public vote, with a phone proved by a one-time code",
    "honour/<int:award_campaign_id>/vote/verify/": "proving her phone for the public vote with a one-time code",
    "honour/<int:award_campaign_id>/notice/": "公示 is public by law: the shortlisted families and the objection form",
    "honour/<int:award_campaign_id>/nominate/": "a self- or others' nomination on the portal, with a one-time code "
                                               "(404 for a campaign not open to the portal)",
    "honour/<int:award_campaign_id>/nominate/done/": "what happens next after a portal nomination",
    "honour/<int:award_campaign_id>/showcase/": "the awarded families of a campaign, public on purpose",
    "honour/photos/<int:award_photo_id>/": "a photo marked public of a family awarded or in 公示 (404 otherwise)",
    "/api/v1/public/awards/{award_campaign_id}": "a family-award campaign's public data",
    "/api/v1/public/awards/{award_campaign_id}/shortlist": "the shortlisted families with live vote counts",
    "/api/v1/public/awards/{award_campaign_id}/voter-code": "a one-time code for the public vote, by phone",
    "/api/v1/public/awards/{award_campaign_id}/voter-pass": "the voter pass, for a phone proved by its code",
    "/api/v1/public/awards/{award_campaign_id}/votes": "a vote with the voter pass",
    "/api/v1/public/awards/{award_campaign_id}/objections": "an objection lodged during 公示 (anonymous allowed)",
    "/api/v1/public/awards/{award_campaign_id}/code": "a one-time code for a portal nomination, by phone",
    "/api/v1/public/awards/{award_campaign_id}/nominations": "a portal nomination with a one-time code",
    "/api/v1/public/awards/{award_campaign_id}/showcase": "the awarded families of a campaign, public on purpose",
    "consult/<int:consultation_id>/": "a consultation out of draft for the women of a subtree or the public, and her "
                                      "comment on it with a one-time code (drafts and committee ones answer 404 to "
                                      "everyone)",
    "/api/v1/public/consultations/{consultation_id}": "a consultation on the portal (drafts and committee ones answer "
                                                     "404 to everyone)",
    "/api/v1/public/consultations/{consultation_id}/code": "a one-time code for commenting, by phone",
    "/api/v1/public/consultations/{consultation_id}/comments": "a comment with a one-time code, shown only once "
                                                              "approved",
}
# Routes whose parameters are not record ids (a kind of roster, an action name): scoped by who asks, tested apart.
NOT_IDS = {"news/<str:category>/", "rosters/<str:kind>/template.xlsx", "rosters/<str:kind>/export.xlsx",
           "rosters/<str:kind>/import/", "/api/v1/units/{unit_id}/posts/{kind}"}


def _records(unit, county_chair, village_cadre):
    """One record of each kind, all of 正定县's subtree."""
    from fulian.cases import services as cases
    from fulian.contacts import services as contacts
    from fulian.core.idnumber import parse_id_number
    from fulian.core.imports import import_job_create
    from fulian.evaluation.services import survey_create
    from fulian.orgs import building, homes
    from fulian.people.services import WomanData, woman_create
    from fulian.people.tests.helpers import female_id, roster_bytes, row
    from fulian.portal.services import article_save
    from fulian.work.services import task_issue

    county, village = unit("正定县"), unit("恒东社区")
    woman = woman_create(actor=county_chair, data=WomanData(name="王秀兰", home_unit=village,
                                                           id_number=parse_id_number(female_id(1))))
    assignment, _warning = contacts.assignment_create(actor=county_chair, woman=woman, cadre=village_cadre,
                                                      today=TODAY)
    log = contacts.contact_log_create(actor=county_chair, woman=woman, contacted_on=TODAY, channel="home_visit",
                                      today=TODAY, needs=[("legal", "咨询")])
    week = contacts.field_week_create(actor=county_chair, unit=county, title="双月下基层", starts_on=TODAY,
                                      ends_on=TODAY)
    case = cases.case_intake(kind="dv", home_unit=village, description="x", source="portal", anonymous=True)
    body = building.body_create(actor=county_chair, unit=county, kind="executive", term_start=dt.date(2024, 1, 1),
                                term_end=dt.date(2028, 12, 31))
    upload = __import__("io").BytesIO(roster_bytes([row()]))
    upload.name = "roster.xlsx"
    upload.size = len(upload.getvalue())
    document = SimpleUploadedFile("通知.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    task = task_issue(actor=county_chair, unit=county, title="学习会议精神", body="x", period_start=202601,
                      period_end=202606, deadline=timezone.now() + dt.timedelta(days=7), level=5,
                      attachments=[document])
    return {
        "unit_id": county.pk,
        "woman_id": woman.pk,
        "assignment_id": assignment.pk,
        "need_id": log.needs.get().pk,
        "cadre_id": village_cadre.pk,
        "account_id": village_cadre.pk,
        "job_id": import_job_create(actor=county_chair, kind="women", upload=upload).pk,
        "week_id": week.pk,
        "survey_id": survey_create(actor=county_chair, unit=county, title="四率", starts_on=TODAY, ends_on=TODAY,
                                   standard=True).pk,
        "case_id": case.pk,
        "article_id": article_save(actor=county_chair, unit=county, title="草稿", body="x", category="notice").pk,
        "body_id": body.pk,
        "election_id": building.election_plan(actor=county_chair, unit=county, planned_on=TODAY).pk,
        "volunteer_id": building.volunteer_add(actor=county_chair, unit=county, name="李梅").pk,
        "home_id": homes.home_save(actor=county_chair, unit=village, name="恒东社区妇女之家", address="二楼").pk,
        "media_account_id": building.media_account_add(actor=county_chair, unit=county, platform="wechat",
                                                       name="正定女性").pk,
        "token_id": token_create(user=county_chair, name="县里的程序")[0].pk,
        "task_id": task.pk,
        "recipient_id": task.dispatch.recipients.get(unit=village).pk,
        "attachment_id": task.attachments.get().pk,
        **_more_records(county=county, village=village, chair=county_chair, cadre=village_cadre),
    }


# Modules whose `records(county=, village=, chair=, cadre=)` adds the record kinds of their own routes.
MORE_RECORDS = ("fulian.supervision.tests.outsiders", "fulian.meetings.tests.outsiders",
                "fulian.incidents.tests.outsiders", "fulian.portal.tests.outsiders_practices",
                "fulian.work.tests.outsiders_rhythm", "fulian.activities.tests.outsiders",
                "fulian.activities.tests.outsiders_checkin", "fulian.activities.tests.outsiders_outcomes",
                "fulian.people.tests.outsiders_families", "fulian.awards.tests.outsiders_review",
                "fulian.awards.tests.outsiders_nominations", "fulian.awards.tests.outsiders_notice",
                "fulian.awards.tests.outsiders_awarding", "fulian.care.tests.outsiders_care",
                "fulian.funding.tests.outsiders_funding",
                "fulian.consultations.tests.outsiders_consultations",
                "fulian.accounts.tests.outsiders_security",
                "fulian.awards.tests.outsiders_campaigns")  # last: its 正定县 campaign is the award_campaign_id


def _more_records(**kwargs) -> dict:
    import importlib
    import importlib.util

    records = {}
    for name in MORE_RECORDS:
        if importlib.util.find_spec(name) is not None:
            records.update(importlib.import_module(name).records(**kwargs))
    return records


# an id parameter's name → the record kind above (the same name means the same kind, except where overridden)
OVERRIDES = {"/api/v1/media/{account_id}/followers": {"account_id": "media_account_id"}}
STR_PARAMS = {"action": "note"}  # case actions: try the harmless one


def _page_routes(resolver=None, prefix=""):
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not route.startswith(("admin/", "api/", "i18n/")):
                yield from _page_routes(entry, route)
        elif isinstance(entry, URLPattern) and "<" in route:
            yield route


def _api_routes():
    for path, operations in api.get_openapi_schema()["paths"].items():
        if "{" in path:
            for method, spec in operations.items():
                yield path, method, spec


@pytest.fixture
def setting(db, unit, county_chair, village_cadre):
    records = _records(unit, county_chair, village_cadre)
    outsider = UserFactory(username="xingtang-chair", unit=unit("行唐县"), roles=[Role.CHAIR, Role.SYSADMIN])
    return records, outsider


def _fill(route, records, pattern):
    missing = []

    def value(match):
        name = match.group("name")
        name = OVERRIDES.get(route, {}).get(name, name)
        if name in STR_PARAMS:
            return STR_PARAMS[name]
        if name not in records:
            missing.append(name)
            return "0"
        return str(records[name])

    return re.sub(pattern, value, route), missing


@pytest.mark.django_db
def test_every_page_with_an_id_answers_404_to_the_next_county(setting):
    records, outsider = setting
    client = Client()
    client.force_login(outsider)
    tried, failures = 0, []
    for route in _page_routes():
        if route in PUBLIC or route in NOT_IDS:
            continue
        url, missing = _fill(route, records, r"<(?:int|str):(?P<name>\w+)>")
        assert not missing, f"{route}: add a record factory for {missing} to _records"
        for method in ("get", "post"):
            answer = getattr(client, method)("/" + url)
            tried += 1
            if answer.status_code not in (404, 405):
                failures.append((method.upper(), route, answer.status_code))
    assert failures == []
    assert tried >= 70


@pytest.mark.django_db
def test_every_api_operation_with_an_id_answers_404_to_the_next_county(setting):
    records, outsider = setting
    _token, key = token_create(user=outsider, name="probe")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    tried, failures = 0, []
    for route, method, spec in _api_routes():
        if route in PUBLIC or route in NOT_IDS:
            continue
        url, missing = _fill(route, records, r"\{(?P<name>\w+)\}")
        assert not missing, f"{route}: add a record factory for {missing} to _records"
        body = _body(spec)
        answer = client.generic(method.upper(), url, body, content_type="application/json") if body is not None \
            else getattr(client, method)(url)
        tried += 1
        if answer.status_code != 404:
            failures.append((method.upper(), route, answer.status_code, answer.content[:120]))
    assert failures == []
    assert tried >= 40


def test_public_routes_are_allowed_on_purpose_only():
    """A new public route must be added to PUBLIC with its reason (or take a scoped id)."""
    public_api = {path for path, _m, spec in _api_routes() if "/public/" in path}
    assert public_api <= set(PUBLIC), public_api - set(PUBLIC)
    tokens = {r for r in _page_routes() if "<str:" in r and "<int:" not in r and r not in NOT_IDS}
    assert tokens <= set(PUBLIC), tokens - set(PUBLIC)


def _body(spec):
    """A valid request body from the operation's schema (required fields only), so that validation cannot answer
    before the access check."""
    content = spec.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    import json

    schema = content["application/json"]["schema"]
    return json.dumps(_example(schema, api.get_openapi_schema()))


def _example(schema, root):
    if "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        return _example(root["components"]["schemas"][name], root)
    if "anyOf" in schema:
        return _example(next(s for s in schema["anyOf"] if s.get("type") != "null"), root)
    kind = schema.get("type")
    if "enum" in schema:
        return schema["enum"][0]
    if kind == "object":
        return {k: _example(v, root) for k, v in schema.get("properties", {}).items()
                if k in schema.get("required", [])}
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, schema.get("minimum", 1))
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2026-11-25"
    if schema.get("format") == "date-time":
        return "2026-11-25T08:00:00+08:00"
    if "pattern" in schema and "[0-9]{12}" in schema["pattern"]:
        return "130125100201"
    return "x"
