from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "fulian.orgs"
    label = "orgs"
    verbose_name = "组织"

    def ready(self):
        from . import rosters  # noqa: F401  (registers the roster imports)
