from django.contrib import admin

from fulian.core.admin import MaintenanceAdmin

from .models import DeadlineRule, Partner


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(MaintenanceAdmin):
    """Deadlines for every unit: shown to administrators, changed only by the platform's superusers."""

    scope_field = None
    list_display = ("kind", "urgency", "first_action_hours", "resolve_days")
    list_editable = ("first_action_hours", "resolve_days")


@admin.register(Partner)
class PartnerAdmin(MaintenanceAdmin):
    """The partner directory per unit (legal aid, police, court, shelter, civil affairs, hospital, organisations)."""

    list_display = ("name", "kind", "unit", "phone", "is_active")
    list_filter = ("kind", "is_active")
    raw_id_fields = ("unit",)
    exclude = ("unit_path",)

    def save_model(self, request, obj, form, change):
        obj.unit_path = obj.unit.path
        super().save_model(request, obj, form, change)
