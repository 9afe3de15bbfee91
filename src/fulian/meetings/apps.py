from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "fulian.meetings"
    label = "meetings"
    verbose_name = "会议"
