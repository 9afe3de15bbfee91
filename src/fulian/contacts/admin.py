from django.contrib import admin

from fulian.core.admin import MaintenanceAdmin

from . import services
from .models import LevelQuota, StaffKindQuota


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


@admin.register(StaffKindQuota)
class StaffKindQuotaAdmin(MaintenanceAdmin):
    """How many women a cadre of each staff type (专职/挂职/兼职/社工) keeps in touch with, in place of her level's
    quota: one setting for every unit, saved through `staff_kind_quota_set` (its checks and audit row); deleting a
    row goes through it too, so her level's quota applies again."""

    scope_field = None
    list_display = ("kind", "quota")
    list_editable = ("quota",)

    def get_readonly_fields(self, request, obj=None):
        return ("kind",) if obj else ()

    def save_model(self, request, obj, form, change):
        services.staff_kind_quota_set(actor=request.user, kind=obj.kind, quota=obj.quota)

    def delete_model(self, request, obj):
        services.staff_kind_quota_set(actor=request.user, kind=obj.kind, quota=None)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
