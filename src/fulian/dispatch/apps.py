from django.apps import AppConfig


class DispatchConfig(AppConfig):
    name = "fulian.dispatch"
    label = "dispatch"
    verbose_name = "下发与汇总"

    def ready(self):
        from . import figures  # noqa: F401  (its counter registers itself)
