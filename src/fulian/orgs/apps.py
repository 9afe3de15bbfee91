from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "fulian.orgs"
    label = "orgs"
    verbose_name = "组织"

    def ready(self):
        from . import figures, rosters  # noqa: F401  (register the tree's counter and the roster imports)
