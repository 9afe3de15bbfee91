from django.contrib import admin
from django.contrib.auth.models import Group

from fulian.core.admin import ReadOnlyAdmin

from .models import ApiToken, User

admin.site.unregister(Group)  # roles, not groups, carry permissions here


@admin.register(User)
class CadreAdmin(ReadOnlyAdmin):
    """Read-only: accounts change on the accounts pages (干部账号), through their service and its audit."""

    scope_field = "unit__path"
    list_display = ("username", "full_name", "unit", "roles", "is_active", "last_login")
    list_filter = ("is_active",)
    search_fields = ("username", "full_name", "phone", "unit__name")
    fields = ("username", "full_name", "phone", "unit", "roles", "is_active", "is_superuser", "last_login",
              "date_joined")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Read-only: a token is made and revoked by its owner on her account page."""

    scope_field = "user__unit__path"
    list_display = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    fields = ("user", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
