"""Her families on the woman's page (core.panels, as the other apps' sections): 创建家庭 / 加入家庭."""

from fulian.core.panels import panel_register
from fulian.core.policy import Action, allows

from .families import families_of_woman


def woman_families(request, woman):
    if not allows(request.user, Action.VIEW, woman.unit_path):
        return None
    rows = list(families_of_woman(request.user, woman)[:10])
    can_edit = allows(request.user, Action.EDIT, woman.unit_path) and not woman.merged_into_id
    if not rows and not can_edit:
        return None
    return {"woman": woman, "families": rows, "can_edit": can_edit}


panel_register("woman.sections", order=50, template="people/_woman_families.html", context=woman_families)
