"""Data maintenance in the admin, held to the same rules as the pages: every list, every choice of a related
record and every save is scoped to the administrator's subtree, settings that apply to every unit change only at
the top (MANAGE_SETTINGS), and every save or delete writes a project audit row (core.admin_site.AuditedAdmin,
mixed into every model admin the site registers)."""

from django.conf import settings
from django.contrib import admin

from .models import AuditEvent, Holiday, Outbox, ReadLog
from .policy import Action, actions_of, scope_q

# how a related record's unit path is reached, for the records that have one under another name
RELATED_SCOPE = {"orgs.unit": "path", settings.AUTH_USER_MODEL.lower(): "unit__path"}


def _scope_field_of(model) -> str | None:
    label = model._meta.label_lower
    if label in RELATED_SCOPE:
        return RELATED_SCOPE[label]
    names = {f.name for f in model._meta.get_fields()}
    return "unit_path" if "unit_path" in names else None


class MaintenanceAdmin(admin.ModelAdmin):
    """Model admin for system administrators. `scope_field` is the path of the row's unit; a model without one
    (None) is a setting for every unit: visible to administrators, editable only with MANAGE_SETTINGS."""

    scope_field: str | None = "unit_path"

    def _may_enter(self, request) -> bool:
        return Action.ADMIN_SITE in actions_of(request.user)

    def _may_write(self, request) -> bool:
        if not self._may_enter(request):
            return False
        return self.scope_field is not None or Action.MANAGE_SETTINGS in actions_of(request.user)

    def has_module_permission(self, request):
        return self._may_enter(request)

    def has_view_permission(self, request, obj=None):
        return self._may_enter(request)

    def has_add_permission(self, request):
        return self._may_write(request)

    def has_change_permission(self, request, obj=None):
        return self._may_write(request)

    def has_delete_permission(self, request, obj=None):
        return self._may_write(request)

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if self.scope_field is not None:
            rows = rows.filter(scope_q(request.user, field=self.scope_field))
        return rows

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = _scope_field_of(db_field.related_model)
        if field is not None:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(scope_q(request.user, field=field))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = _scope_field_of(db_field.related_model)
        if field is not None:
            kwargs["queryset"] = db_field.related_model._default_manager.filter(scope_q(request.user, field=field))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ReadOnlyAdmin(MaintenanceAdmin):
    """Shown, never written here: the audit trail (the database refuses too), and records that change only
    through their services and pages (accounts, tokens, women)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "action", "object_type", "object_repr", "ip", "channel")
    list_filter = ("action", "channel")
    search_fields = ("actor_label", "object_repr", "object_id")
    date_hierarchy = "at"


@admin.register(ReadLog)
class ReadLogAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_label", "object_type", "object_repr", "purpose", "ip")
    list_filter = ("object_type",)
    search_fields = ("actor_label", "object_id")
    date_hierarchy = "at"


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdmin):
    """What the outbox sent, gave up on or let expire (text of one-time codes is never stored); requeue failed
    messages with `manage.py outbox_failed --requeue`."""

    scope_field = "user__unit__path"
    list_display = ("created_at", "channel", "status", "attempts", "last_error", "sent_at", "expires_at")
    list_filter = ("status", "channel")
    fields = ("channel", "status", "attempts", "last_error", "created_at", "next_attempt_at", "sent_at", "expires_at",
              "link")


@admin.register(Holiday)
class HolidayAdmin(MaintenanceAdmin):
    """The working-day calendar (法定节假日 and 调休 working weekends): a setting for every unit, kept by a system
    administrator; periods counted in working days (公示) read it."""

    scope_field = None
    list_display = ("day", "name", "is_workday")
    list_filter = ("is_workday",)
    date_hierarchy = "day"
