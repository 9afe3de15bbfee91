from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fulian.portal"
    label = "portal"
    verbose_name = "网上妇女之家门户"
