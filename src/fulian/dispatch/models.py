"""Work sent down the tree and its results rolled up: a Dispatch from one unit, a Recipient row per receiving
unit. Tasks (work app) and the campaigns and allocations of later modules are dispatches of their own `kind`."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DispatchStatus(models.TextChoices):
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已关闭")


class Dispatch(models.Model):
    kind = models.CharField(_("类型"), max_length=20, db_index=True)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="dispatches_sent",
                             verbose_name=_("下发单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    deadline = models.DateTimeField(_("截止时间"))
    target_level = models.PositiveSmallIntegerField(_("下发到"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=DispatchStatus.choices, default=DispatchStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("下发事项")
        verbose_name_plural = _("下发事项")
        indexes = [models.Index(fields=["unit_path", "-created_at"])]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == DispatchStatus.OPEN


class RecipientState(models.TextChoices):
    RECEIVED = "received", _("已收到")
    ACKNOWLEDGED = "acknowledged", _("已签收")
    DELEGATED = "delegated", _("已转下级")
    DONE = "done", _("已完成")


class Recipient(models.Model):
    """One receiving unit's copy of a dispatch. Delegating forks it to units below (`parent` is the delegating
    copy); the parent sees their roll-up. "Late" is not a state but a fact: the deadline passed before done."""

    # A dispatch to every village writes 54,000 rows at once, so the table keeps only the indexes its reads use
    # ((dispatch, unit_path) is also the dispatch key's index, (unit, state) the unit key's; the parent index holds
    # only delegated copies) and no foreign-key constraints in the database: their per-row checks at COMMIT took
    # 0.5 s of a 1.1 s dispatch. The keys stay whole without them: units are never deleted (a removed division
    # keeps its row; PROTECT refuses it in the ORM), and a dispatch's copies go with it by the ORM's cascade.
    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="recipients", db_index=False,
                                 db_constraint=False)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="dispatches_received",
                             db_index=False, db_constraint=False)
    unit_path = models.CharField(max_length=64)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               db_index=False, db_constraint=False)
    state = models.CharField(_("状态"), max_length=14, choices=RecipientState.choices,
                             default=RecipientState.RECEIVED)
    deadline = models.DateTimeField(_("截止时间"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    delegated_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", db_index=False, db_constraint=False)
    reminders = models.PositiveIntegerField(default=0)
    reminded_at = models.DateTimeField(null=True, blank=True)
    chased_on = models.DateField(null=True, blank=True)  # the periodic chase reminds once a day at most
    overdue_counted = models.BooleanField(default=False)  # counted once in tasks_overdue when its deadline passed
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("接收单位")
        verbose_name_plural = _("接收单位")
        constraints = [models.UniqueConstraint(fields=["dispatch", "unit_path"], name="one_recipient_per_unit")]
        indexes = [
            models.Index(fields=["unit", "state"]),
            models.Index(fields=["parent"], condition=models.Q(parent__isnull=False), name="recipient_delegated"),
        ]

    def __str__(self):
        return f"{self.dispatch} → {self.unit}"

    @property
    def is_done(self) -> bool:
        return self.state == RecipientState.DONE

    def is_late(self, now) -> bool:
        return (self.done_at or now) > self.deadline


class Rollup(models.Model):
    """How a dispatch's first recipients stand under each unit between them and the issuer (inclusive): kept by
    the services so the completion page reads one row per child at any level (O(children), never a subtree)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="rollups")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    done_late = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dispatch", "unit"], name="one_rollup_per_unit")]

    def __str__(self):
        return f"{self.dispatch_id}@{self.unit_id}: {self.done}/{self.total}"
