"""What the OpenAPI schema promises, so that a client generated from it (openapi-python-client, `make api-client`)
needs no hand-work: short stable operation ids (the view's name, `<entity>_<action>`, not its module path), ASCII
tags, every status an operation can answer, and one error shape (`ErrorOut`) for all of them — including ninja's
422, whose per-field list is folded into `errors`."""

from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError

from .schemas import ErrorOut

TAGS = [
    ("account", "账号 — the caller's own account, coverage and work list"),
    ("accounts", "干部账号 — cadre accounts of the units you manage"),
    ("units", "组织 — the federation tree"),
    ("women", "妇女名册 — the women registry"),
    ("imports", "导入 — roster uploads and their error reports"),
    ("contacts", "联系网 — assignments, contact logs, needs, field weeks, coverage"),
    ("evaluation", "工作评价 — surveys, the four rates, dashboards, rankings"),
    ("cases", "维权服务 — help requests and cases"),
    ("homes", "妇女之家 — Women's Homes"),
    ("building", "组织建设 — bodies, elections, staffing, volunteers, social organisations, media"),
    ("tasks", "工作任务 — tasks sent down the tree, report forms filled from the figure registry, reports"),
    ("publishing", "信息发布 — articles and their review"),
    ("practices", "典型做法 — practices passed up the tree and published through the review"),
    ("supervision", "督导 — supervision teams by assigned region, visits, findings and rectification items"),
    ("meetings", "会议 — party-group, chair's office, committee and joint meetings, quorum, votes, decisions"),
    ("incidents", "维权事件 — rights incidents, actions, statements on the fast track, response times"),
    ("activities", "活动 — activities and courses, projects, campaigns, the public calendar, sign-up, check-in, "
                   "completions and outcomes"),
    ("families", "家庭 — households of the registry: members by registry record, or men and children by name and "
                 "birth year"),
    ("awards", "家庭评选 — 最美家庭, 五好家庭, 美丽庭院: campaigns down the tree, nominations by channel, "
               "review level by level with quotas, public vote, 公示 with objections, awards, certificates, "
               "showcase, story relays"),
    ("care", "关爱帮扶 — women in care groups with dates in and out, children of the registry's families "
             "(need-to-know, every read logged), help plans with goals, help and visits, resources of units and "
             "partner provinces, matching and offers, batch matching, figures, Excel export and import"),
    ("funding", "经费保障 — a unit's ledger (money received by source, passed on, spent by purpose; corrections as new "
                "lines, never edits), allocation rules previewed and cascaded down the tree, paying and confirming "
                "shares, what reached the villages, units that received nothing"),
    ("consultations", "议事协商 — drafts put to women for comment section by section, comments approved before shown "
                      "(先审后发), outcomes per section and the final text; 征求基层意见 down the tree with the "
                      "tally and summary; 提案建议 to 人大, 政府 and 政协 with evidence from the registry's "
                      "figures and the reply; Excel exports"),
    ("security", "账号安全 — second factor (TOTP app or SMS code, recovery codes), her sessions and ending them, a "
                 "chair's reset of a cadre's second factor and sessions"),
    ("audit", "操作审计 — the audit trail and read log of the units you lead, searched; the seal chain's state"),
    ("public", "公开 — for the app and mini-program, without a cadre account"),
]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_WHY = {
    400: "Bad request: refused by a rule (the message says which)",
    401: "Not signed in: no valid token or session",
    403: "CSRF check failed (a session without its CSRF token)",
    404: "Not found — or outside your scope, which answers the same",
    409: "Conflict with the record's current state; nothing was written",
    422: "Invalid input: `errors` names each field",
    429: "Too many requests; wait and retry",
    503: "Briefly unavailable (database restarting); retry after the Retry-After header",
}


def download(content_type: str = XLSX, description: str = "An Excel file") -> dict:
    """`openapi_extra` for a route that answers a file, so the schema (and a generated client) knows it is binary."""
    return {"responses": {200: {"description": description,
                                "content": {content_type: {"schema": {"type": "string", "format": "binary"}}}}}}


def error_statuses(method: str, spec: dict) -> set[int]:
    """The statuses every operation of this kind can answer, whatever its view does: 400 (the hostile-input
    middleware), 429 (rate limits), 503 (database outage) always; 401 with a login (403 too for a write, by CSRF);
    422 with any input; 404 with a record id in the path or the query. A view's own refusals (409, a 404 for an id
    in the body) are declared on its route."""
    statuses = {400, 429, 503}
    security = spec.get("security") or []
    if security:
        statuses.add(401)
        if method != "get" and any("SessionAuth" in s for s in security):
            statuses.add(403)
    parameters = spec.get("parameters") or []
    if parameters or "requestBody" in spec:
        statuses.add(422)
    if any(p.get("in") == "path" or p["name"].endswith("_id") or p["name"] == "under" for p in parameters):
        statuses.add(404)
    return statuses


class FulianAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"].setdefault("ErrorOut", ErrorOut.model_json_schema())
        for operations in schema["paths"].values():
            for method, spec in operations.items():
                responses = spec["responses"]
                for status in sorted(error_statuses(method, spec) - set(responses)):
                    responses[status] = {"description": _WHY[status],
                                         "content": {"application/json": {"schema": _ERROR_REF}}}
                for status, response in responses.items():
                    if status in _WHY:
                        response["description"] = _WHY[status]
                spec["responses"] = dict(sorted(responses.items(), key=lambda item: int(item[0])))
        return schema


def validation_error_out(exc: NinjaValidationError) -> dict:
    """Ninja's 422 list (`[{"loc": ["body", "payload", "name"], "msg": …}]`) as an ErrorOut: field → messages."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        source, *loc = error.get("loc") or ("body",)
        if source == "body" and len(loc) > 1:
            loc = loc[1:]  # the view's parameter name (`payload`) is no part of the request
        errors.setdefault(".".join(str(part) for part in loc) or str(source), []).append(str(error.get("msg", "")))
    detail = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    return {"detail": f"invalid input — {detail}", "errors": errors}
