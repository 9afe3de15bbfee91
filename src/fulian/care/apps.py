from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "fulian.care"
    label = "care"
    verbose_name = "关爱帮扶"

    def ready(self):
        from fulian.core.hooks import hook_register

        # figures (and their recount), the memberships import (core.imports: every process, the worker too), sections
        from . import figures, importing, panels  # noqa: F401
        from .registry import memberships_merged, memberships_moved, women_in_care_by_unit

        hook_register("woman.moved", memberships_moved)
        hook_register("woman.merged", memberships_merged)
        hook_register("care.women_by_unit", women_in_care_by_unit)
        from .plans import funding_link

        hook_register("funding.link", funding_link)
