from django.contrib import admin

from fulian.core.admin import ReadOnlyAdmin

from .models import Woman


@admin.register(Woman)
class WomanAdmin(ReadOnlyAdmin):
    """Data maintenance only: ID numbers stay masked and encrypted here too; edits go through the main UI."""

    list_display = ("name", "id_masked", "phone", "home_unit", "last_contact_on", "merged_into")
    search_fields = ("name", "id_last4", "phone")
    list_select_related = ("home_unit",)
    show_full_result_count = False
    readonly_fields = ("id_masked", "birth_date", "home_unit", "unit_path", "last_contact_on", "next_follow_up_on",
                       "is_assigned", "merged_into", "version", "created_by")
    exclude = ("id_encrypted", "id_hash", "id_last4", "name_initials", "name_pinyin")

