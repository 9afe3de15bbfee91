from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "fulian.incidents"
    label = "incidents"
    verbose_name = "维权事件"
