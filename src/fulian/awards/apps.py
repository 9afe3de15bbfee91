from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "fulian.awards"
    label = "awards"
    verbose_name = "家庭评选"

    def ready(self):
        # figures and sections on others' pages register themselves (added as the parts land)
        pass
