from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "fulian.incidents"
    label = "incidents"
    verbose_name = "维权事件"

    def ready(self):
        # the figures (incidents reported, statements on time, response hours) and the section on 工作台
        from . import figures, panels  # noqa: F401
