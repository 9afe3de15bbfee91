from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "fulian.supervision"
    label = "supervision"
    verbose_name = "督导"
