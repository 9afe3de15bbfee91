from django.contrib import admin

from fulian.core.admin import MaintenanceAdmin

from . import services
from .models import LevelQuota


@admin.register(LevelQuota)
class LevelQuotaAdmin(MaintenanceAdmin):
    """How many women a cadre of each level keeps in touch with: one setting for every unit, changed only by the
    platform's superusers, through `level_quota_set` (its checks and audit row)."""

    scope_field = None
    list_display = ("level", "quota")
    list_editable = ("quota",)

    def get_readonly_fields(self, request, obj=None):
        return ("level",) if obj else ()

    def save_model(self, request, obj, form, change):
        services.level_quota_set(actor=request.user, level=obj.level, quota=obj.quota)

    def has_delete_permission(self, request, obj=None):
        return False
