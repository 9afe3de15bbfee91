from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fulian.core.admin import MaintenanceAdmin
from fulian.core.policy import Role, scope_q

from .models import ApiToken, User


class UserAdminForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = User
        fields = ("username", "full_name", "phone", "unit", "roles", "is_active", "is_staff", "is_superuser")


@admin.register(User)
class CadreAdmin(MaintenanceAdmin, UserAdmin):
    form = UserAdminForm
    list_display = ("username", "full_name", "unit", "roles", "is_active", "last_login")
    list_filter = ("is_active",)
    search_fields = ("username", "full_name", "phone", "unit__name")
    raw_id_fields = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("干部", {"fields": ("full_name", "phone", "unit", "roles")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope_q(request.user, field="unit__path"))


@admin.register(ApiToken)
class ApiTokenAdmin(MaintenanceAdmin):
    list_display = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("key_hash", "prefix")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(scope_q(request.user, field="user__unit__path"))
