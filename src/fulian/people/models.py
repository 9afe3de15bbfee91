from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .vocabularies import Occupation, TagCode


class Woman(models.Model):
    """One woman of the contact network: one record per person, found again by her ID number's keyed hash.

    `unit_path` copies her home unit's path so that scoping a million rows is one index range, without a join.
    `last_contact_on` and `next_follow_up_on` are kept by the contact services for coverage and "my work today".
    """

    name = models.CharField(_("姓名"), max_length=30)
    name_initials = models.CharField(max_length=30, blank=True, db_index=True)
    name_pinyin = models.CharField(max_length=120, blank=True, db_index=True)
    id_encrypted = models.TextField(_("身份证号(加密)"), blank=True)
    id_hash = models.CharField(max_length=64, null=True, blank=True)
    id_masked = models.CharField(_("身份证号"), max_length=18, blank=True)
    id_last4 = models.CharField(max_length=4, blank=True, db_index=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    phone = models.CharField(_("电话"), max_length=20, blank=True, db_index=True)
    phone_last4 = models.CharField(max_length=4, blank=True, db_index=True)
    home_unit = models.ForeignKey("orgs.Unit", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT,
                                  related_name="women")
    unit_path = models.CharField(max_length=64)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    occupation = models.CharField(_("职业"), max_length=20, choices=Occupation.choices, blank=True)
    tags = models.ManyToManyField("Tag", verbose_name=_("标签"), blank=True, related_name="women")
    consent_purpose = models.CharField(_("同意用途"), max_length=200, blank=True)
    consent_on = models.DateField(_("同意日期"), null=True, blank=True)
    last_contact_on = models.DateField(_("最近联系"), null=True, blank=True)
    next_follow_up_on = models.DateField(_("待回访日期"), null=True, blank=True)
    is_assigned = models.BooleanField(_("已分配联系干部"), default=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged_records", verbose_name=_("已合并到"))
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("妇女")
        verbose_name_plural = _("妇女名册")
        indexes = [
            models.Index(fields=["unit_path", "id"], name="woman_scope_order"),
            models.Index(fields=["unit_path", "is_assigned", "last_contact_on"], name="woman_scope_contact"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["id_hash"], condition=models.Q(merged_into__isnull=True),
                                    name="one_record_per_id_number"),
        ]

    def __str__(self):
        return self.name


class Tag(models.Model):
    code = models.CharField(max_length=20, unique=True, choices=TagCode.choices)

    class Meta:
        verbose_name = _("标签")
        verbose_name_plural = _("标签")

    def __str__(self):
        return str(self.get_code_display())
