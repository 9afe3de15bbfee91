"""The site's URLs with the public calendar's pages, a cadre's sign-up page (and the organising pages it links to)
and the public API routes, for the calendar's tests until the lead includes them in fulian.urls and fulian.api.api
(where they are included already, the site's own match first and these are never reached)."""

from django.urls import include, path

from fulian.api.api import api
from fulian.api.openapi import FulianAPI
from fulian.api.routers_activities_public import public_router
from fulian.urls import urlpatterns as site

urlpatterns = [*site, path("", include("fulian.activities.urls_public")),
               path("", include("fulian.activities.urls_signups")), path("", include("fulian.activities.urls"))]

if not any(mounted is public_router for _prefix, mounted in api._routers):
    extra = FulianAPI(title="calendar test", version="test", urls_namespace="api_calendar_test", auth=api.auth,
                      docs_url=None)
    extra._exception_handlers = dict(api._exception_handlers)
    extra.add_router("/", public_router)
    urlpatterns.append(path("api/v1/", extra.urls))
