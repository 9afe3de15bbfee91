"""Surveys on pages evaluation does not own (core.panels): 代填问卷 on her page, open surveys on the portal."""

from django.utils import timezone

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows

from . import selectors


def woman_actions(request, woman):
    if not allows(request.user, Action.EDIT, woman.unit_path):
        return None
    surveys = selectors.surveys_open_for_unit(woman.unit_path, today=timezone.localdate())[:5]
    return {"woman": woman, "surveys": surveys} if surveys else None


def portal_sections(request, _obj):
    surveys = list(selectors.surveys_open(today=timezone.localdate())[:5])
    return {"surveys": surveys} if surveys else None


panel_register("woman.actions", order=30, template="evaluation/_woman_actions.html", context=woman_actions)
panel_register("portal.home", order=10, template="evaluation/_portal_surveys.html", context=portal_sections)
