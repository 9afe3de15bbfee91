"""The practices' counted facts (core.figures): submitted (first time, at the origin unit), passed up (at the unit
that passed it), published (at the origin unit, when the article is out)."""

from django.utils.translation import gettext_lazy as _

from fulian.core.figures import FLOW, figure_define, figures_counter, period_rows

from .models import Practice, PracticeAction, PracticeStep


@figures_counter
def practice_figures():
    yield from period_rows(Practice.objects.filter(submitted_at__isnull=False), "unit_path", "submitted_at",
                           "practices_submitted")
    yield from period_rows(PracticeStep.objects.filter(action=PracticeAction.PASS_UP), "unit_path", "at",
                           "practices_passed_up")
    yield from period_rows(Practice.objects.filter(published_at__isnull=False), "unit_path", "published_at",
                           "practices_published")


figure_define("practices_submitted", _("报送典型做法(篇)"), kind=FLOW, source=_("典型做法：期内首次报送"))
figure_define("practices_passed_up", _("上报典型做法(篇次)"), kind=FLOW, source=_("典型做法：期内向上级上报"))
figure_define("practices_published", _("发布典型做法(篇)"), kind=FLOW, source=_("典型做法：期内审核发布"))
