from django.apps import AppConfig


class FundingConfig(AppConfig):
    name = "fulian.funding"
    label = "funding"
    verbose_name = "经费保障"

    def ready(self):
        # figures (and their recount), the unit page's section
        from . import figures, panels  # noqa: F401
