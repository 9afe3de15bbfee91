from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "fulian.consultations"
    label = "consultations"
    verbose_name = "议事协商"

    def ready(self):
        # figures (and their recount), the portal home's section
        from . import figures, panels  # noqa: F401
