from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "fulian.supervision"
    label = "supervision"
    verbose_name = "督导"

    def ready(self):
        from . import figures, panels  # noqa: F401  (figures and sections on 今日工作 and 工作台 register themselves)
