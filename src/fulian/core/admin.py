from django.contrib import admin

from .models import AuditEvent, ReadLog
from .policy import Action, actions_of


class MaintenanceAdmin(admin.ModelAdmin):
    """Model admin for system administrators, who pass through the site's own check."""

    def has_module_permission(self, request):
        return Action.ADMIN_SITE in actions_of(request.user)

    def has_view_permission(self, request, obj=None):
        return Action.ADMIN_SITE in actions_of(request.user)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class ReadOnlyAdmin(MaintenanceAdmin):
    """The audit trail can be read, never edited or deleted (the database refuses too)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_repr", "ip", "channel")
    list_filter = ("action", "channel")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "at"


@admin.register(ReadLog)
class ReadLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "object_type", "object_repr", "purpose", "ip")
    list_filter = ("object_type",)
    search_fields = ("actor_label", "object_id")
    date_hierarchy = "at"
