from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "fulian.evaluation"
    label = "evaluation"
    verbose_name = "工作评价"
