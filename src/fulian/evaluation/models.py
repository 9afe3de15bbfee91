from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Rate(models.TextChoices):
    """The four rates by which the federation's work is judged (知晓率、参与率、满意率、受益率)."""

    AWARENESS = "awareness", _("知晓率")
    PARTICIPATION = "participation", _("参与率")
    SATISFACTION = "satisfaction", _("满意率")
    BENEFIT = "benefit", _("受益率")


class Survey(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        OPEN = "open", _("进行中")
        CLOSED = "closed", _("已结束")

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="surveys",
                             verbose_name=_("发起组织"))
    unit_path = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("标题"), max_length=120)
    is_standard = models.BooleanField(_("标准四率问卷"), default=False)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    public_token = models.CharField(max_length=32, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("问卷")
        verbose_name_plural = _("问卷")
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="survey_ends_after_start")]

    def __str__(self):
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("单选")
        MULTIPLE = "multiple", _("多选")
        SCALE = "scale", _("打分(1-5)")
        TEXT = "text", _("文字")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(_("题目"), max_length=300)
    kind = models.CharField(_("题型"), max_length=8, choices=Kind.choices)
    choices = models.JSONField(_("选项"), default=list, blank=True)
    required = models.BooleanField(_("必答"), default=True)
    rate = models.CharField(_("计入"), max_length=14, choices=Rate.choices, blank=True)
    positive = models.JSONField(
        _("计为肯定的答案"), default=list, blank=True,
        help_text="single/multiple: choice indexes that count as positive; scale: [lowest positive score]",
    )

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique")]

    def __str__(self):
        return self.text


class Response(models.Model):
    class Channel(models.TextChoices):
        PORTAL = "portal", _("网上填写")
        API = "api", _("应用/小程序")
        CADRE = "cadre", _("干部代填")

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    respondent_key = models.CharField(max_length=64)
    woman = models.ForeignKey("people.Woman", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    submitted_at = models.DateTimeField()
    period = models.PositiveIntegerField(help_text="YYYYMM of submitted_at (Asia/Shanghai)")
    # counted in the rates only when her phone was proved by a one-time code or a cadre entered it; an unverified
    # answer is kept and counted apart (responses_unverified), so made-up phone numbers cannot move a rate
    is_verified = models.BooleanField(_("已验证"), default=False)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        constraints = [models.UniqueConstraint(fields=["survey", "respondent_key"], name="one_response_per_person")]
        indexes = [models.Index(fields=["unit_path", "period"])]

    def __str__(self):
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    value = models.JSONField()
    is_positive = models.BooleanField(null=True, help_text="null when the question counts towards no rate")

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]

    def __str__(self):
        return f"{self.question_id}: {self.value}"


class Tally(models.Model):
    """A live figure: `value` of `metric` for a unit's whole subtree in a month.

    Every service that writes a counted record adds its delta to the row of the record's unit and of each
    ancestor, in the same transaction (evaluation.tallies.tally_add), so reading a figure is one indexed
    row at the province as at a village; `manage.py indicators_recount` rebuilds them from the records.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    period = models.PositiveIntegerField()
    metric = models.CharField(max_length=40)
    value = models.BigIntegerField(default=0)
    # the rows of a province and a city are shared by every writer beneath them: each writer adds to one of a few
    # slots of those (FIGURE_SLOTS), so concurrent writers seldom wait for one another; a figure is the sum of its
    # slots (evaluation.tallies.figures_for). Deeper units have one slot, 0.
    slot = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period", "metric", "slot"], name="tally_unique")]

    def __str__(self):
        return f"{self.unit_id} {self.period} {self.metric}={self.value}"


class TallyDelta(models.Model):
    """A figure's delta not yet folded into Tally: the figure journal.

    A write path appends its leaf deltas here (one multi-row INSERT, no shared row touched, so concurrent writers
    never wait for one another); `figures_for` adds the rows not yet folded for the units it is asked, so figures
    are live to the last commit; `figures_fold` moves them into Tally in one transaction (evaluation.tallies).
    No index but the key: the journal stays small (it is folded every few hundred writes and by the scheduler).
    """

    unit_path = models.CharField(max_length=64)
    period = models.PositiveIntegerField()
    metric = models.CharField(max_length=40)
    value = models.BigIntegerField()

    def __str__(self):
        return f"{self.unit_path} {self.period} {self.metric}{self.value:+d}"
