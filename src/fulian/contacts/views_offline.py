"""The installable web app of 今日工作 (PWA): its service worker, its manifest and the page a phone shows when it
has no signal and no usable copy of a page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control


@cache_control(no_cache=True)
def service_worker(request):
    """/sw.js, registered with the scope of 今日工作 (/today/): the pages under it, and the files they load."""
    return render(request, "contacts/sw.js", {"today": reverse("today"), "fallback": reverse("offline_page")},
                  content_type="text/javascript; charset=utf-8")


@cache_control(max_age=3600)
def manifest(request):
    return JsonResponse({
        "name": _("网上妇女之家 · 今日工作"),
        "short_name": _("今日工作"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("today"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b4232a",
        "icons": [
            {"src": static("fulian/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("fulian/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("fulian/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False})


def offline_page(request):
    """What the service worker shows for a page it cannot fetch and does not keep (no signal)."""
    return render(request, "contacts/offline.html")
