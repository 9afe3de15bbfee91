from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fulian.people"
    label = "people"
    verbose_name = "妇女名册"

    def ready(self):
        from fulian.core.imports import register

        from . import figures  # noqa: F401  (registers the registry's counter)
        from .importing import import_women

        register("women", import_women)
