from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fulian.portal"
    label = "portal"
    verbose_name = "网上妇女之家门户"

    def ready(self):
        from . import figures, panels  # noqa: F401  (the practices' counter and sections register themselves)
