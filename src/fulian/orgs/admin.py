from django.contrib import admin

from fulian.core.admin import ReadOnlyAdmin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(ReadOnlyAdmin):
    """Read-only: units change through the division loader and the unit pages (conversion, organisations)."""

    list_display = ("code", "name", "level", "kind", "conversion", "source_status")
    list_filter = ("level", "kind", "conversion", "source_status")
    search_fields = ("code", "name", "name_initials")
    show_full_result_count = False
    scope_field = "path"
