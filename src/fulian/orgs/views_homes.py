from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fulian.core.middleware import allow_geolocation
from fulian.core.policy import Action, allows

from . import homes
from .forms_homes import ActivityForm, HomeForm, NearestForm
from .selectors import access_unit_by_id, unit_home_for


def _points(items):
    return [
        {
            "name": h.name,
            "address": h.address,
            "lat": float(h.latitude),
            "lng": float(h.longitude),
            "hours": h.opening_hours,
        }
        for h in items
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
def home_detail(request, home_id: int):
    home = homes.homes_for(request.user).filter(pk=home_id).first()
    if home is None:
        raise Http404("home")
    form = ActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            homes.home_activity_add(actor=request.user, home=home, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已记录活动。"))
            return redirect("home_detail", home_id=home.pk)
    return render(
        request,
        "orgs/home_detail.html",
        {
            "home": home,
            "form": form,
            "activities": home.activities.all()[:50],
            "can_edit": allows(request.user, Action.EDIT, home.unit_path),
            "map": _map_context([home]),
        },
    )


@allow_geolocation
def home_finder(request):
    """Public: the Women's Homes nearest to where she is (her phone's location, or coordinates typed in)."""
    form = NearestForm(request.GET or None)
    nearest = []
    if form.is_valid():
        nearest = homes.homes_nearest(latitude=form.cleaned_data["lat"], longitude=form.cleaned_data["lng"])
    return render(request, "orgs/home_finder.html", {"form": form, "nearest": nearest, "map": _map_context(nearest)})
