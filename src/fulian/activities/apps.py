from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "fulian.activities"
    label = "activities"
    verbose_name = "活动"

    def ready(self):
        from . import figures  # noqa: F401  (figures register themselves)
