from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "fulian.awards"
    label = "awards"
    verbose_name = "家庭评选"

    def ready(self):
        # figures (and their recount) and the sections on the woman's, family's and nomination's pages
        from . import figures, panels  # noqa: F401
