from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from fulian.core.geo import amap_marker_url
from fulian.core.middleware import allow_geolocation
from fulian.core.panels import panels_for
from fulian.core.policy import Action, allows

from . import homes
from .forms_homes import HomeForm, NearestForm
from .selectors import access_unit_by_id, unit_home_for


def _points(items):
    return [
        {
            "name": h.name,
            "address": h.address,
            "lat": float(h.latitude),
            "lng": float(h.longitude),
            "hours": h.opening_hours,
            "label": str(index),
        }
        for index, h in enumerate(items, start=1)
        if h.latitude is not None
    ]


def _map_context(items):
    return {
        "points": _points(items),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@login_required
def home_list(request):
    items = list(homes.homes_for(request.user)[:500])
    unit = unit_home_for(request.user)
    return render(
        request,
        "orgs/home_list.html",
        {
            "items": items,
            "map": _map_context(items),
            "unit": unit,
            "can_add": unit is not None and allows(request.user, Action.EDIT, unit.path),
        },
    )


@login_required
def home_new(request, unit_id: int):
    unit = access_unit_by_id(request.user, unit_id, need=Action.EDIT)
    form = HomeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            home = homes.home_save(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("home_detail", home_id=home.pk)
    return render(request, "orgs/home_form.html", {"form": form, "unit": unit})


@login_required
@require_safe
def home_detail(request, home_id: int):
    home = homes.homes_for(request.user).filter(pk=home_id).first()
    if home is None:
        raise Http404("home")
    return render(
        request,
        "orgs/home_detail.html",
        {
            "home": home,
            # headcounts typed in before activities were recorded: shown, no longer written (活动 counts check-ins)
            "activities": home.activities.all()[:50],
            "can_edit": allows(request.user, Action.EDIT, home.unit_path),
            "map": _map_context([home]),
            "sections": panels_for("womens_home.sections", request, home),  # e.g. activities held there
        },
    )


@allow_geolocation
def home_finder(request):
    """Public: the Women's Homes nearest to her — by her phone's position when she allows it, otherwise by the
    village, township or county she picks (ranked through the tree, see homes.homes_near_place)."""
    form = NearestForm(request.GET or None)
    nearest, place = [], None
    if form.is_valid():
        place = form.cleaned_data["place"]
        if form.point is not None:
            nearest = homes.homes_nearest(latitude=form.point[0], longitude=form.point[1])
        elif place is not None:
            nearest = homes.homes_near_place(place=place)
    for home in nearest:
        home.map_url = amap_marker_url(home.latitude, home.longitude, home.name) if home.latitude is not None else ""
    searched = form.is_valid() and (form.point is not None or place is not None)
    return render(request, "orgs/home_finder.html", {"form": form, "nearest": nearest, "place": place,
                                                     "searched": searched, "map": _map_context(nearest)})
