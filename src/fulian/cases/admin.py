from django.contrib import admin

from fulian.core.admin import MaintenanceAdmin, ReadOnlyAdmin

from . import services
from .models import DeadlineRule, Partner


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(MaintenanceAdmin):
    """Deadlines for every unit: shown to administrators, changed only by the platform's superusers, through
    `deadline_rule_set` (its checks and audit row)."""

    scope_field = None
    list_display = ("kind", "urgency", "first_action_hours", "resolve_days")
    list_editable = ("first_action_hours", "resolve_days")
    fields = ("kind", "urgency", "first_action_hours", "resolve_days")

    def get_readonly_fields(self, request, obj=None):
        return ("kind", "urgency") if obj else ()

    def save_model(self, request, obj, form, change):
        services.deadline_rule_set(actor=request.user, kind=obj.kind, urgency=obj.urgency,
                                   first_action_hours=obj.first_action_hours, resolve_days=obj.resolve_days)

    def delete_model(self, request, obj):
        raise PermissionError("deadline rules are changed, not deleted")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    """Read-only: partners are added and retired on 合作单位 (its service checks scope and writes the audit row)."""

    list_display = ("name", "kind", "unit", "phone", "is_active")
    list_filter = ("kind", "is_active")
