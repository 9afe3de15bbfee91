"""Schemathesis hooks for scripts/schemathesis_ci.sh: real ids so the fuzz reaches past each operation's 404.

SEED (a JSON file written by the script) holds records of the fuzz database: `path` maps an id parameter to a record
(per path template where one name means two kinds), `body` and `query` the fields that name a record. Four values in
five are replaced by real ones, the rest stay random (still fuzzing the 404 path). Each answer is written to CALLS
as "METHOD path status", which the script counts.
"""

import json
import os
import pathlib
import zlib

import schemathesis

SEED = json.loads(pathlib.Path(os.environ["SCHEMATHESIS_SEED"]).read_text(encoding="utf-8"))
CALLS = os.environ["SCHEMATHESIS_CALLS"]


def _real(value) -> bool:
    return zlib.crc32(json.dumps(value, sort_keys=True, default=str).encode()) % 5 != 0  # the same on every run


def _path(context) -> str:
    return context.operation.path if context.operation is not None else ""


@schemathesis.hook
def map_path_parameters(context, path_parameters):
    if not path_parameters or not _real(path_parameters):
        return path_parameters
    by_path = SEED["path_overrides"].get(_path(context), {})
    return {name: by_path.get(name, SEED["path"].get(name, value)) for name, value in path_parameters.items()}


@schemathesis.hook
def map_query(context, query):
    if not query or not _real(query):
        return query
    return {name: SEED["query"].get(name, value) for name, value in query.items()}


@schemathesis.hook
def map_body(context, body):
    if not isinstance(body, dict) or not _real(body):
        return body
    by_path = SEED["body_overrides"].get(_path(context), {})
    return {name: by_path.get(name, SEED["body"].get(name, value)) for name, value in body.items()}


@schemathesis.hook
def before_call(context, case, kwargs):
    # the county chair's token, or a woman's own app token on her routes (a cadre's counts for nothing there)
    token = SEED["woman_tokens"].get(f"{case.operation.method.upper()} {case.operation.path}", SEED["cadre_token"])
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}


@schemathesis.hook
def after_call(context, case, response):
    with open(CALLS, "a", encoding="utf-8") as out:
        out.write(f"{case.operation.method.upper()} {case.operation.path} {response.status_code} "
                  f"{response.elapsed:.3f}\n")
