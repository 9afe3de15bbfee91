"""The contact network's sections on pages it does not own (core.panels)."""

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows
from fulian.core.tree import ancestor_paths

from . import selectors


def woman_actions(request, woman):
    return {"woman": woman}


def woman_sections(request, woman):
    return {
        "woman": woman,
        "assignments": woman.assignments.select_related("cadre", "cadre__unit").order_by("ended_on", "-assigned_on"),
        "logs": selectors.contact_logs_for(request.user, woman=woman).prefetch_related("needs")[:50],
        "cadres": selectors.cadres_for(request.user).filter(unit__path__in=ancestor_paths(woman.unit_path)),
        "can_edit": allows(request.user, Action.EDIT, woman.unit_path),
    }


panel_register("woman.actions", order=10, template="contacts/_woman_actions.html", context=woman_actions)
panel_register("woman.sections", order=10, template="contacts/_woman_sections.html", context=woman_sections)
