"""The site's URLs with 结业与成效's pages and API routes, for its tests until the lead includes them in fulian.urls
and fulian.api.api (where they are included already, the site's own match first and these are never reached)."""

from django.urls import include, path

from fulian.api.api import api
from fulian.api.openapi import FulianAPI
from fulian.api.routers_activities_outcomes import router
from fulian.urls import urlpatterns as site

urlpatterns = [*site, path("", include("fulian.activities.urls_outcomes"))]

if not any(mounted is router for _prefix, mounted in api._routers):
    extra = FulianAPI(title="outcomes test", version="test", urls_namespace="api_outcomes_test", auth=api.auth,
                      docs_url=None)
    extra._exception_handlers = dict(api._exception_handlers)
    extra.add_router("/", router)
    urlpatterns.append(path("api/v1/", extra.urls))
