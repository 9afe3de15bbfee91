"""The site's URLs with the family pages and API routes, for their tests until the lead includes them in fulian.urls
and fulian.api.api (where they are included already, the site's own match first and these are never reached)."""

from django.urls import include, path

from fulian.api.api import api
from fulian.api.openapi import FulianAPI
from fulian.api.routers_families import router
from fulian.urls import urlpatterns as site

urlpatterns = [*site, path("", include("fulian.people.urls_families"))]

if not any(mounted is router for _prefix, mounted in api._routers):
    extra = FulianAPI(title="families test", version="test", urls_namespace="api_families_test", auth=api.auth,
                      docs_url=None)
    extra._exception_handlers = dict(api._exception_handlers)
    extra.add_router("/", router)
    urlpatterns.append(path("api/v1/", extra.urls))
