from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "fulian.meetings"
    label = "meetings"
    verbose_name = "会议"

    def ready(self):
        # its counter and figures register themselves; its section on a consultation's page
        from . import figures, panels_consultation  # noqa: F401
