from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from fulian.core.admin import ReadOnlyAdmin

from .models import ApiToken, CadreSession, SecondFactor, User

admin.site.unregister(Group)  # roles, not groups, carry permissions here
# django-otp's own admin edits devices and shows a TOTP secret's QR code: factors change only through
# accounts.twofactor (audited), and nobody but her sees her secret
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)


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


@admin.register(SecondFactor)
class SecondFactorAdmin(ReadOnlyAdmin):
    """Read-only: she enrols on 账号安全; a chair above resets it from the cadre's page."""

    scope_field = "user__unit__path"
    list_display = ("user", "kind", "failures", "locked_at", "enrolled_at")
    list_filter = ("kind",)
    fields = ("user", "kind", "failures", "locked_at", "enrolled_at")


@admin.register(CadreSession)
class CadreSessionAdmin(ReadOnlyAdmin):
    """Read-only: sessions end on 我的登录设备 or from the cadre's page."""

    scope_field = "user__unit__path"
    list_display = ("user", "device", "ip", "created_at", "last_used_at")
    fields = ("user", "device", "user_agent", "ip", "created_at", "last_used_at")
