from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "fulian.incidents"
    label = "incidents"
    verbose_name = "维权事件"

    def ready(self):
        from . import figures  # noqa: F401  (incidents reported, statements on time, response hours)
