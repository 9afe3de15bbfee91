from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class CoreConfig(AppConfig):
    name = "fulian.core"
    label = "core"
    verbose_name = "核心"

    def ready(self):
        from . import checks, signals  # noqa: F401  (deploy checks; login/logout audit)


class FulianAdminConfig(AdminConfig):
    default_site = "fulian.core.admin_site.FulianAdminSite"
