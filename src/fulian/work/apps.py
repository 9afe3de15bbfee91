from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "fulian.work"
    label = "work"
    verbose_name = "工作网"

    def ready(self):
        from . import panels  # noqa: F401  (its sections on 今日工作 and 工作台 register themselves)
