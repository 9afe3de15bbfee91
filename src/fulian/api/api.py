"""The REST API: /api/v1/, OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs."""

from django.core.exceptions import BadRequest, RequestDataTooBig, ValidationError
from django.db import DataError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja.errors import ValidationError as NinjaValidationError

from fulian.core.errors import Conflict

from .auth import TokenAuth, session_auth
from .openapi import TAGS, FulianAPI, validation_error_out
from .routers_accounts import router as accounts_router
from .routers_activities import router as activities_router
from .routers_activities_checkin import public_router as checkin_public_router
from .routers_activities_checkin import router as checkin_router
from .routers_activities_outcomes import router as outcomes_router
from .routers_activities_public import public_router as activities_public_router
from .routers_audit import router as audit_router
from .routers_awards_awarding import public_router as awards_awarding_public_router
from .routers_awards_awarding import router as awards_awarding_router
from .routers_awards_campaigns import router as awards_campaigns_router
from .routers_awards_nominations import public_router as awards_nominations_public_router
from .routers_awards_nominations import router as awards_nominations_router
from .routers_awards_notice import router as awards_notice_router
from .routers_awards_public import public_router as awards_public_router
from .routers_awards_review import router as awards_review_router
from .routers_building import public_router as building_public_router
from .routers_building import router as building_router
from .routers_care_exchange import router as care_exchange_router
from .routers_care_matching import router as care_matching_router
from .routers_care_plans import router as care_plans_router
from .routers_care_registry import router as care_registry_router
from .routers_care_resources import router as care_resources_router
from .routers_cases import public_router as cases_public_router
from .routers_cases import router as cases_router
from .routers_consultations import router as consultations_router
from .routers_consultations_public import public_router as consultations_public_router
from .routers_consultations_work import router as consultations_work_router
from .routers_contacts import router as contacts_router
from .routers_evaluation import public_router as evaluation_public_router
from .routers_evaluation import router as evaluation_router
from .routers_families import router as families_router
from .routers_funding_allocations import router as funding_allocations_router
from .routers_funding_exchange import router as funding_exchange_router
from .routers_funding_ledger import router as funding_ledger_router
from .routers_homes import public_router as homes_public_router
from .routers_homes import router as homes_router
from .routers_incidents import router as incidents_router
from .routers_meetings import router as meetings_router
from .routers_orgs import router as orgs_router
from .routers_people import router as people_router
from .routers_portal import public_router as portal_public_router
from .routers_portal import router as portal_router
from .routers_practices import router as practices_router
from .routers_security import router as security_router
from .routers_supervision import router as supervision_router
from .routers_work import router as work_router
from .schemas import MeOut
from .throttles import AnonymousRateThrottle, ClientRateThrottle

api = FulianAPI(
    title="fulian API",  # ASCII: a generated client takes its package name from it
    version="1",
    description=(
        "网上妇女之家. Every endpoint sees only the caller's data scope (her unit's subtree). Authenticate with "
        "`Authorization: Bearer <token>` (create a token on the account page) or a signed-in session. "
        "Every error is an `ErrorOut`: `{\"detail\": \"...\"}`, with `errors` (field → messages) on invalid "
        "input (422); a record outside your scope is 404, like one that does not exist. "
        "Each client (token or session) and each anonymous address has its own rate limit; 429 when exceeded."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), session_auth],
    throttle=[ClientRateThrottle(), AnonymousRateThrottle()],
    openapi_extra={"tags": [{"name": name, "description": text} for name, text in TAGS]},
)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request, exc):
    return api.create_response(request, validation_error_out(exc), status=422)


@api.exception_handler(ValidationError)
def _validation_error(request, exc):
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=409 if isinstance(exc, Conflict)
                               else 400)


@api.exception_handler(MultiPartParserError)
def _bad_upload(request, exc):
    return api.create_response(request, {"detail": f"malformed multipart body: {exc}"}, status=400)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc):
    return api.create_response(request, {"detail": "the request body is too large"}, status=400)


@api.exception_handler(BadRequest)
def _bad_request(request, exc):
    return api.create_response(request, {"detail": str(exc) or "bad request"}, status=400)


@api.exception_handler(DataError)
def _out_of_range(request, exc):
    # a number the database cannot hold (an id of 2**70, say) is bad input, not a server error
    return api.create_response(request, {"detail": "a value is out of range"}, status=400)


@api.exception_handler(OverflowError)
def _overflow(request, exc):
    return api.create_response(request, {"detail": "a value is out of range"}, status=400)


@api.exception_handler(PermissionError)
def _permission_error(request, exc):
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not Found"}, status=404)


@api.get("/me", response=MeOut, tags=["account"])
def me_get(request):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.full_name,
        "roles": user.roles or [],
        "unit": user.unit,
        "is_superuser": user.is_superuser,
    }


api.add_router("/", orgs_router)
api.add_router("/", accounts_router)
api.add_router("/", people_router)
api.add_router("/", contacts_router)
api.add_router("/", evaluation_router)
api.add_router("/", evaluation_public_router)
api.add_router("/", cases_router)
api.add_router("/", cases_public_router)
api.add_router("/", homes_router)
api.add_router("/", homes_public_router)
api.add_router("/", building_router)
api.add_router("/", building_public_router)
api.add_router("/", portal_router)
api.add_router("/", portal_public_router)
api.add_router("/", work_router)
api.add_router("/", supervision_router)
api.add_router("/", meetings_router)
api.add_router("/", incidents_router)
api.add_router("/", practices_router)
api.add_router("/", activities_router)
api.add_router("/", checkin_router)
api.add_router("/", checkin_public_router)
api.add_router("/", activities_public_router)
api.add_router("/", outcomes_router)
api.add_router("/", awards_campaigns_router)
api.add_router("/", awards_nominations_router)
api.add_router("/", awards_nominations_public_router)
api.add_router("/", awards_awarding_router)
api.add_router("/", awards_review_router)
api.add_router("/", awards_awarding_public_router)
api.add_router("/", awards_notice_router)
api.add_router("/", awards_public_router)
api.add_router("/", families_router)
api.add_router("/", care_registry_router)
api.add_router("/", care_plans_router)
api.add_router("/", care_resources_router)
api.add_router("/", care_matching_router)
api.add_router("/", care_exchange_router)
api.add_router("/", funding_ledger_router)
api.add_router("/", funding_allocations_router)
api.add_router("/", funding_exchange_router)
api.add_router("/", consultations_router)
api.add_router("/", consultations_work_router)
api.add_router("/", consultations_public_router)
api.add_router("/", security_router)
api.add_router("/", audit_router)
