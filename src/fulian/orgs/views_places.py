from django.conf import settings
from django.http import JsonResponse
from django.views.decorators.http import require_GET

from fulian.core.context import client_ip
from fulian.core.params import is_ascii_digits
from fulian.core.ratelimit import rate_hit

from .models import Kind, Level, Unit
from .places import MAX_QUERY, place_as_json, places_search


def _bad(detail: str, status: int = 400):
    return JsonResponse({"detail": detail}, status=status)


@require_GET
def place_search(request):
    """Public: places for the picker as she types (`q`: a name, pinyin initials or a code prefix; `levels`: e.g.
    4,5; `under`: a code whose subtree to search; `scope=mine`: a signed-in cadre's own scope only)."""
    if not rate_hit("place-search", client_ip(request), limit=settings.PLACE_SEARCHES_PER_MINUTE, seconds=60):
        return _bad("too many searches, try again in a minute", 429)
    q = request.GET.get("q", "").strip()
    if not q or len(q) > MAX_QUERY:
        return _bad(f"parameter 'q' must have 1 to {MAX_QUERY} characters")
    raw_levels = [part.strip() for part in request.GET.get("levels", "4,5").split(",")]
    if not all(is_ascii_digits(p) and int(p) in Level.values for p in raw_levels):
        return _bad("parameter 'levels' must be level numbers 1 to 5, separated by commas")
    under = None
    if request.GET.get("under"):
        under = Unit.objects.filter(code=request.GET["under"].strip()[:24], kind=Kind.GEOGRAPHIC).first()
        if under is None:
            return _bad("parameter 'under' must be a known division code")
    scope = request.GET.get("scope", "")
    if scope not in ("", "mine"):
        return _bad("parameter 'scope' must be 'mine' or absent")
    user = None
    if scope == "mine":
        if not request.user.is_authenticated:
            return _bad("scope=mine needs a signed-in cadre", 403)
        user = request.user
    places = places_search(q, levels=[int(p) for p in raw_levels], user=user, under=under, limit=10)
    response = JsonResponse({"results": [place_as_json(u) for u in places]})
    response["Cache-Control"] = "no-store"
    return response
