from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "fulian.people"
    label = "people"
    verbose_name = "妇女名册"

    def ready(self):
        from fulian.core.hooks import hook_register
        from fulian.core.imports import register

        from . import figures, panels_families  # noqa: F401  (the registry's counter; her families on her page)
        from .families import family_members_merged
        from .importing import import_women

        register("women", import_women)
        hook_register("woman.merged", family_members_merged)  # her places in families follow her surviving record
