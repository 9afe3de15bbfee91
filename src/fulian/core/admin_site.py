from django.contrib.admin import AdminSite, ModelAdmin
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .policy import Action, actions_of

# field names whose values never go into an audit row (a device's secret, a password hash, a token's key)
SECRET_PARTS = ("password", "secret", "key", "token", "encrypted", "otp")


def _shown(name: str, value, *, sealed: bool = False) -> str | None:
    if sealed or any(part in name.lower() for part in SECRET_PARTS):
        return "***"
    return None if value is None else str(value)[:200]


def _is_sealed(form, name: str) -> bool:
    """A sealed field (core.fields) is encrypted at rest: its text never goes into the plain audit trail."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    try:
        return bool(model and getattr(model._meta.get_field(name), "sealed", False))
    except FieldDoesNotExist:  # a form field that is no model field
        return False


class AuditedAdmin(ModelAdmin):
    """Every add, change and delete the admin makes writes a project audit row, whatever admin class the model
    has (ours, or a library's such as django-otp's devices): Django calls log_addition / log_change /
    log_deletions exactly once per saved or deleted object (change form, list_editable, delete action), so they
    are the one place. The field values (old → new) come from the form, caught in construct_change_message,
    which Django calls just before logging."""

    def construct_change_message(self, request, form, formsets, add=False):
        request._audit_values = {
            name: [None if add else _shown(name, form.initial.get(name), sealed=_is_sealed(form, name)),
                   _shown(name, form.cleaned_data.get(name), sealed=_is_sealed(form, name))]
            for name in form.changed_data
        }
        return super().construct_change_message(request, form, formsets, add)

    def _changes(self, request, message) -> dict:
        changes = dict(getattr(request, "_audit_values", None) or {})
        request._audit_values = None
        if message:
            changes["message"] = message
        return changes

    def log_addition(self, request, obj, message):
        audit_record(actor=request.user, action="admin.add", obj=obj, changes=self._changes(request, message))
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        audit_record(actor=request.user, action="admin.change", obj=obj, changes=self._changes(request, message))
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", obj=obj)
        return super().log_deletions(request, queryset)


class FulianAdminSite(AdminSite):
    """Data maintenance for system administrators only; cadres do their work in the main UI."""

    site_header = _("网上妇女之家 · 数据维护")
    site_title = _("数据维护")
    index_title = _("数据维护")

    def has_permission(self, request):
        return request.user.is_active and Action.ADMIN_SITE in actions_of(request.user)

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin registered here is audited (AuditedAdmin mixed in front of its own class)."""
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(admin_class.__name__, (AuditedAdmin, admin_class),
                               {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__})
        return super().register(model_or_iterable, admin_class, **options)
