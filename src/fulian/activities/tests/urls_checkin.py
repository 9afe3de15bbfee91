"""The site's URLs with the check-in pages and API routes, for the check-in tests until the lead includes them in
fulian.urls and fulian.api.api (where they are included already, the site's own match first and these are never
reached)."""

from django.urls import include, path

from fulian.api.api import api
from fulian.api.openapi import FulianAPI
from fulian.api.routers_activities_checkin import public_router, router
from fulian.urls import urlpatterns as site

urlpatterns = [*site, path("", include("fulian.activities.urls_checkin"))]

if not any(mounted is router for _prefix, mounted in api._routers):
    extra = FulianAPI(title="check-in test", version="test", urls_namespace="api_checkin_test", auth=api.auth,
                      docs_url=None)
    extra._exception_handlers = dict(api._exception_handlers)
    extra.add_router("/", router)
    extra.add_router("/", public_router)
    urlpatterns.append(path("api/v1/", extra.urls))
