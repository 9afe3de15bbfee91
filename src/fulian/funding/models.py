"""Funding weighted to the grassroots (经费保障).

A unit's money is a ledger of entries (Entry): money received (收入/到账, by source: the federation above, the
same-level government finance, Party-building funds, donations and projects, other), money passed on to a unit
below (拨付) and money spent (支出, by purpose, with an optional receipt file and a link to an activity, project or
help plan). Amounts are exact decimal yuan (two places, never floating point). A posted entry is never edited: a
correction is a reversal (the same entry negated, dated as the original so its month is put right) and, where
the fact was different, a new entry.

An Allocation is a unit's budget line for a year split among the units below it by a rule (per head of the
registered women or of the population entered per unit, per village federation, equally, or a fixed amount per
village; care-group weights; a floor per village; a minimum share that must reach village level). Its Shares are
what each unit below is allocated — the children, or every unit down to the target level when one allocation
cascades through several levels (each level in between keeping its set percentage). A unit that was allocated a
share may keep part of it and split the rest with an Allocation of its own (`from_share`); every allocation of a
cascade knows its `root`. Each allocation is a Dispatch (kind "funding") whose recipients are the units that
receive shares, so a cascade is followed with the dispatch mechanism's roll-up: a recipient is done when its unit
has received its share in full.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fulian.core.storage import PrivateStorage


class Source(models.TextChoices):
    """Where money received comes from (经费来源)."""

    PARENT = "parent", _("上级妇联拨款")
    GOVERNMENT = "government", _("同级财政")
    PARTY = "party", _("党建经费")
    DONATION = "donation", _("捐赠和项目")
    OTHER = "other", _("其他")


class Purpose(models.TextChoices):
    """What money was spent on (支出用途)."""

    ACTIVITIES = "activities", _("开展活动")
    WOMENS_HOME = "womens_home", _("妇女之家建设")
    CARE = "care", _("关爱帮扶")
    TRAINING = "training", _("培训")
    OPERATIONS = "operations", _("日常运转")
    OTHER = "other", _("其他")


class EntryKind(models.TextChoices):
    RECEIPT = "receipt", _("收入")
    DISBURSEMENT = "disbursement", _("拨付下级")
    EXPENSE = "expense", _("支出")


class LinkKind(models.TextChoices):
    ACTIVITY = "activity", _("活动")
    PROJECT = "project", _("项目")
    HELP_PLAN = "help_plan", _("帮扶台账")


class Basis(models.TextChoices):
    """How an allocation weighs the units it splits among (分配依据)."""

    WOMEN = "women", _("按登记妇女人数")
    POPULATION = "population", _("按填报人口数")
    VILLAGES = "villages", _("按村(社区)妇联个数")
    EQUAL = "equal", _("平均分配")
    FIXED = "fixed", _("每个村(社区)妇联定额")


class Allocation(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("分配单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    dispatch = models.OneToOneField("dispatch.Dispatch", on_delete=models.PROTECT, related_name="allocation")
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=100)
    amount = models.DecimalField(_("分配金额(元)"), max_digits=14, decimal_places=2)
    kept = models.DecimalField(_("本级留用(元)"), max_digits=14, decimal_places=2, default=0)
    basis = models.CharField(_("分配依据"), max_length=12, choices=Basis.choices)
    per_village = models.DecimalField(_("每村定额(元)"), max_digits=12, decimal_places=2, null=True, blank=True)
    floor_per_village = models.DecimalField(_("每村保底(元)"), max_digits=12, decimal_places=2, default=0)
    care_weight = models.DecimalField(_("关爱对象加权"), max_digits=5, decimal_places=2, default=0)
    target_level = models.PositiveSmallIntegerField(_("分配到"))
    level_keep = models.JSONField(_("各级留用比例"), default=dict, blank=True)  # {"3": "10"}: level -> percent
    min_village_share = models.DecimalField(_("到村最低比例(%)"), max_digits=5, decimal_places=2, null=True,
                                            blank=True)
    village_share = models.DecimalField(_("计划到村比例"), max_digits=9, decimal_places=6, null=True, blank=True)
    root = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="cascade")
    from_share = models.OneToOneField("Share", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="split")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("经费分配")
        verbose_name_plural = _("经费分配")
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self):
        return self.title

    @property
    def root_id_or_self(self) -> int:
        return self.root_id or self.pk


class Share(models.Model):
    """What one unit below was allocated by an allocation: `amount` in all; a unit in between of a cascade keeps
    `kept` of it and the rest is in its own children's shares (`parent`)."""

    # a cascade to every village writes 54,000+ rows at once: only the indexes its reads use
    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="shares", db_index=False)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", db_constraint=False,
                             db_index=False)
    unit_path = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField()
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children",
                               db_constraint=False, db_index=False)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    kept = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    weight = models.DecimalField(max_digits=16, decimal_places=2, default=0)  # its score under the rule
    # the fraction of the cascade root's money in this share that no level above kept (1 for the root's children)
    reach = models.DecimalField(max_digits=9, decimal_places=6, default=1)
    paid = models.DecimalField(max_digits=14, decimal_places=2, default=0)  # passed on to it so far
    received = models.DecimalField(max_digits=14, decimal_places=2, default=0)  # it confirmed so far

    class Meta:
        verbose_name = _("分配份额")
        verbose_name_plural = _("分配份额")
        constraints = [models.UniqueConstraint(fields=["allocation", "unit_path"], name="one_share_per_unit")]
        indexes = [models.Index(fields=["unit", "allocation"]),
                   models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="share_parent")]

    def __str__(self):
        return f"{self.allocation_id}→{self.unit_path}: {self.amount}"


class Entry(models.Model):
    """One posted line of a unit's ledger; never edited (a correction reverses it and posts anew)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    unit_path = models.CharField(max_length=64)
    level = models.PositiveSmallIntegerField()
    kind = models.CharField(_("类型"), max_length=12, choices=EntryKind.choices)
    on_date = models.DateField(_("日期"))
    amount = models.DecimalField(_("金额(元)"), max_digits=14, decimal_places=2)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, blank=True)
    purpose = models.CharField(_("用途"), max_length=12, choices=Purpose.choices, blank=True)
    other_unit = models.ForeignKey("orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("对方单位"))  # from (a receipt from above) or to (a disbursement)
    payer = models.CharField(_("付款方"), max_length=100, blank=True)  # a receipt from outside the federation
    share = models.ForeignKey(Share, null=True, blank=True, on_delete=models.PROTECT, related_name="entries")
    root = models.ForeignKey(Allocation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    root_level = models.PositiveSmallIntegerField(null=True, blank=True)  # the level of the cascade root's unit
    disbursement = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="confirmed_by")  # the disbursement a receipt confirms
    reverses = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="reversed_by")
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    link_kind = models.CharField(max_length=12, choices=LinkKind.choices, blank=True)
    link_id = models.PositiveIntegerField(null=True, blank=True)
    link_title = models.CharField(max_length=200, blank=True)
    file = models.FileField(upload_to="funding/%Y/%m/", storage=PrivateStorage(), blank=True)
    file_type = models.CharField(max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    warning = models.CharField(max_length=200, blank=True)  # e.g. spent more than received: recorded, not refused
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    client_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("经费账目")
        verbose_name_plural = _("经费账目")
        indexes = [models.Index(fields=["unit_path", "on_date"]), models.Index(fields=["unit", "on_date"])]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0) | Q(reverses__isnull=False),
                                              name="entry_amount_positive_unless_reversal")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    def save(self, *args, **kwargs):
        """Posted once: a saved line is never changed (a correction reverses it and posts anew)."""
        if not self._state.adding:
            raise ValidationError(_("已登记的账目不能修改，请用更正。"), code="entry_posted")
        super().save(*args, **kwargs)


class Population(models.Model):
    """A unit's population for a year, entered for the per-head rule by population (常住人口)."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField(_("人口数"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("人口数")
        verbose_name_plural = _("人口数")
        constraints = [models.UniqueConstraint(fields=["year", "unit_path"], name="one_population_per_unit_year")]

    def __str__(self):
        return f"{self.unit_path} {self.year}: {self.population}"
