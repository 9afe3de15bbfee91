from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fulian.cases"
    label = "cases"
    verbose_name = "维权服务"
