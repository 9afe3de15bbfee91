"""The site's URLs with the organising pages and API routes, for the organising tests until the lead includes them
in fulian.urls and fulian.api.api (where they are included already, the site's own match first and these are never
reached). The other parts' page modules are included too, so the sections they add to the activity's page link."""

import importlib.util

from django.urls import include, path

from fulian.api.api import api
from fulian.api.openapi import FulianAPI
from fulian.api.routers_activities import router
from fulian.urls import urlpatterns as site

urlpatterns = [*site, path("", include("fulian.activities.urls"))]
OTHER_PARTS = ("urls_outcomes", "urls_checkin", "urls_public", "urls_signups")
urlpatterns += [path("", include(f"fulian.activities.{name}")) for name in OTHER_PARTS
                if importlib.util.find_spec(f"fulian.activities.{name}") is not None]

API = api  # the API the organising routes are on (for tests that read its OpenAPI schema)
if not any(mounted is router for _prefix, mounted in api._routers):
    extra = FulianAPI(title="organise test", version="test", urls_namespace="api_organise_test", auth=api.auth,
                      docs_url=None)
    extra._exception_handlers = dict(api._exception_handlers)
    extra.add_router("/", router)
    urlpatterns.append(path("api/v1/", extra.urls))
    API = extra
