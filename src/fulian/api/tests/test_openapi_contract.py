"""The schema is a contract for generated clients (`make api-client`): every status an operation can answer is
declared with the one error shape, ids and tags stay short and ASCII, files are binary, kinds are enums."""

import re

import pytest
from django.test import Client

from fulian.api.api import api

ERROR = {"$ref": "#/components/schemas/ErrorOut"}
ENUM_FIELDS = {"kind", "status", "category", "channel", "platform", "role", "roles", "urgency", "source",
               "conversion", "source_status", "occupation", "tags"}


@pytest.fixture(scope="module")
def schema():
    return api.get_openapi_schema(path_prefix="/api/v1/")


def _operations(schema):
    for path, operations in schema["paths"].items():
        for method, spec in operations.items():
            yield f"{method.upper()} {path}", spec


def test_an_operation_behind_a_login_declares_401(schema):
    missing = [name for name, spec in _operations(schema) if spec.get("security") and "401" not in _codes(spec)]
    assert missing == []


def test_every_operation_declares_429_and_every_operation_with_input_declares_422(schema):
    no_429 = [name for name, spec in _operations(schema) if "429" not in _codes(spec)]
    no_422 = [name for name, spec in _operations(schema)
              if (spec.get("parameters") or spec.get("requestBody")) and "422" not in _codes(spec)]
    assert (no_429, no_422) == ([], [])


def test_every_error_has_the_one_error_shape(schema):
    other = [(name, code) for name, spec in _operations(schema) for code, response in spec["responses"].items()
             if int(code) >= 400 and response.get("content", {}).get("application/json", {}).get("schema") != ERROR]
    assert other == []


def test_operation_ids_are_short_ascii_snake_case_and_unique(schema):
    ids = [spec["operationId"] for _name, spec in _operations(schema)]
    assert [i for i in ids if not re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", i) or len(i) > 40] == []
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_tags_are_ascii_and_described(schema):
    used = {tag for _name, spec in _operations(schema) for tag in spec.get("tags", [])}
    assert {tag for tag in used if not re.fullmatch(r"[a-z]+", tag)} == set()
    described = {tag["name"]: tag["description"] for tag in schema["tags"]}
    assert used <= set(described) and all(described.values())


def test_a_file_download_declares_a_binary_content_type(schema):
    bad = []
    for name, spec in _operations(schema):
        for code, response in spec["responses"].items():
            if 200 <= int(code) < 300 and int(code) != 204:
                content = response.get("content", {})
                if not content:
                    bad.append((name, code, "no content type"))
                elif re.search(r"\.(xlsx|csv|pdf|png|svg|zip)$", name) and [
                        media for media, body in content.items()
                        if media != "application/json" and body["schema"].get("format") == "binary"] == []:
                    bad.append((name, code, "not binary"))
    assert bad == []


def test_kinds_and_statuses_are_enums_and_no_object_is_untyped(schema):
    def untyped(node, where):
        if isinstance(node, dict):
            if node.get("type") == "object" and "properties" not in node and \
                    not isinstance(node.get("additionalProperties"), dict):
                yield where
            if node.get("items") == {}:
                yield where
            for key, value in node.items():
                yield from untyped(value, f"{where}/{key}")
        elif isinstance(node, list):
            for value in node:
                yield from untyped(value, where)

    assert list(untyped(schema, "")) == []
    prose = [f"{name}.{field}" for name, component in schema["components"]["schemas"].items()
             for field, spec in component.get("properties", {}).items()
             if field in ENUM_FIELDS and "enum" not in str(spec)]
    assert prose == []


@pytest.mark.django_db
def test_invalid_input_answers_422_in_the_error_shape_naming_each_field(api_for, county_chair, unit):
    response = api_for(county_chair).post(f"/api/v1/women/{unit('恒东社区').pk}/contacts",
                                          {"channel": "pigeon", "needs": [{"category": "x"}]},
                                          content_type="application/json")
    body = response.json()
    assert response.status_code == 422 and isinstance(body["detail"], str)
    assert {"contacted_on", "channel", "needs.0.category"} <= set(body["errors"])
    query = api_for(county_chair).get("/api/v1/field-weeks", {"limit": 0})
    assert query.status_code == 422 and list(query.json()["errors"]) == ["limit"]


@pytest.mark.django_db
def test_no_login_answers_401_in_the_error_shape():
    response = Client().get("/api/v1/me")
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}


def _codes(spec):
    return {str(code) for code in spec["responses"]}


def _schema_classes(base):
    for sub in base.__subclasses__():
        yield sub
        yield from _schema_classes(sub)


def test_every_schema_name_is_used_once(schema):
    """The schema's components are keyed by class name: two request or answer shapes of one name would be merged
    into one, and a client (or the outsider test's example body) would be built against the wrong one."""
    from ninja import Schema

    by_name = {}
    for cls in _schema_classes(Schema):
        if cls.__module__.startswith("fulian."):
            by_name.setdefault(cls.__name__, set()).add(cls.__module__)
    assert {name: modules for name, modules in by_name.items() if len(modules) > 1} == {}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/units/{unit}/dashboard?year=411939", "/api/v1/rankings?year=99999",
                                  "/api/v1/priorities?year=1"])
def test_a_year_out_of_range_is_a_422_not_a_server_error(path, api_for, county_chair, unit):
    """A fuzzed year (411939) once summed 400,000 years of months into one query: too many SQL variables, a 500."""
    answer = api_for(county_chair).get(path.format(unit=unit("正定县").pk))
    assert answer.status_code == 422, answer.content[:200]
