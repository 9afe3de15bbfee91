from django.contrib.admin import AdminSite
from django.utils.translation import gettext_lazy as _

from .policy import Action, actions_of


class FulianAdminSite(AdminSite):
    """Data maintenance for system administrators only; cadres do their work in the main UI."""

    site_header = _("网上妇女之家 · 数据维护")
    site_title = _("数据维护")
    index_title = _("数据维护")

    def has_permission(self, request):
        return request.user.is_active and Action.ADMIN_SITE in actions_of(request.user)
