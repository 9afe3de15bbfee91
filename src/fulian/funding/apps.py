from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "fulian.funding"
    label = "funding"
    verbose_name = "经费保障"

    def ready(self):
        # figures (and their recount), the population import (core.imports: every process, the worker too), the
        # unit page's section
        from . import figures, importing, panels  # noqa: F401
