from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "fulian.meetings"
    label = "meetings"
    verbose_name = "会议"

    def ready(self):
        from . import figures  # noqa: F401  (its counter and figures register themselves)
