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
        from django.utils.translation import gettext_lazy as _

        from fulian.core.figures import FLOW, RATE, figure_define

        from .models import Rate

        figure_define("responses", _("问卷答卷(份)"), kind=FLOW, source=_("问卷：期内答卷"))
        for rate in Rate:
            figure_define(f"rate_{rate.value}", rate.label, kind=RATE, metric=f"{rate.value}_positive",
                          per=f"{rate.value}_answered", source=_("问卷：肯定回答 ÷ 作答"))
