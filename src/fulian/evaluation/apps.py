from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "fulian.evaluation"
    label = "evaluation"
    verbose_name = "工作评价"

    def ready(self):
        from fulian.core.figures import figures_listen, figures_reader

        from . import panels  # noqa: F401  (registers its sections)
        from .tallies import figures_for, tally_statements

        figures_listen(tally_statements)
        figures_reader(figures_for)  # every counted fact announced by a writer becomes live figures here
