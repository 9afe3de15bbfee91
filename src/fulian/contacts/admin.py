from django.contrib import admin

from fulian.core.admin import MaintenanceAdmin

from .models import LevelQuota


@admin.register(LevelQuota)
class LevelQuotaAdmin(MaintenanceAdmin):
    """How many women a cadre of each level keeps in touch with: one setting for every unit, changed only by the
    platform's superusers."""

    scope_field = None

    list_display = ("level", "quota")
    list_editable = ("quota",)
