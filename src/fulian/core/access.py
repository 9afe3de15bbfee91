"""Turning an id into a record the actor may see: the one generic access function behind every
`access_<entity>_by_id`. Missing and forbidden are the same 404, so a probe learns nothing."""

from django.apps import apps
from django.http import Http404

from .policy import Action, allows


def access_by_id(user, model, pk, *, need: str = Action.VIEW, path_field: str = "unit_path", queryset=None):
    """The record of `model` (a class or an "app.Model" label) with primary key `pk`, if `user` may `need` it at
    the unit path read from `path_field` (dotted through relations, e.g. "unit.path"); else Http404."""
    if isinstance(model, str):
        model = apps.get_model(model)
    rows = queryset if queryset is not None else model._default_manager.all()
    try:
        obj = rows.filter(pk=int(pk)).first()
    except (TypeError, ValueError, OverflowError):
        obj = None
    if obj is None:
        raise Http404(f"{model._meta.model_name} not found")
    path = obj
    for part in path_field.split("."):
        path = getattr(path, part, None)
    if not isinstance(path, str) or not allows(user, need, path):
        raise Http404(f"{model._meta.model_name} not found")
    return obj
