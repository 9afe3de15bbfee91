from django.contrib import admin

from fulian.core.admin import MaintenanceAdmin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(MaintenanceAdmin):
    list_display = ("code", "name", "level", "kind", "conversion", "source_status")
    list_filter = ("level", "kind", "conversion", "source_status")
    search_fields = ("code", "name", "name_initials")
    readonly_fields = ("path", "parent", "created_at", "updated_at")
    show_full_result_count = False
    scope_field = "path"
