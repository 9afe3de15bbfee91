from django.contrib import admin

from fulian.core.admin import MaintenanceAdmin

from .models import LevelQuota


@admin.register(LevelQuota)
class LevelQuotaAdmin(MaintenanceAdmin):
    """How many women a cadre of each level keeps in touch with: the province's system administrator sets it."""

    list_display = ("level", "quota")
    list_editable = ("quota",)
