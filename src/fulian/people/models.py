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


class Relation(models.TextChoices):
    """A member's place in the household, as 户口簿 and family-education work name it."""

    HEAD = "head", _("户主")
    SPOUSE = "spouse", _("配偶")
    CHILD = "child", _("子女")
    PARENT = "parent", _("父母")
    PARENT_IN_LAW = "parent_in_law", _("公婆/岳父母")
    GRANDPARENT = "grandparent", _("祖父母/外祖父母")
    GRANDCHILD = "grandchild", _("孙子女/外孙子女")
    SIBLING = "sibling", _("兄弟姐妹")
    OTHER = "other", _("其他")


class MemberSex(models.TextChoices):
    FEMALE = "f", _("女")
    MALE = "m", _("男")


class Family(models.Model):
    """家庭 (a household) of the registry: what parent–child reading, family education, family awards and care count.
    Its unit is the village (社区) it lives in; members are women of the registry, or — men and children — a name and
    a birth year only (the registry keeps no man's ID number)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("所在村(社区)"), on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("家庭名称"), max_length=60, help_text=_("如：张秀英家"))
    address = models.CharField(_("住址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")
        indexes = [models.Index(fields=["unit_path", "id"], name="family_scope_order")]

    def __str__(self):
        return self.name


class FamilyMember(models.Model):
    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="members")
    woman = models.ForeignKey(Woman, null=True, blank=True, on_delete=models.PROTECT, related_name="family_links",
                              verbose_name=_("名册中的妇女"))
    name = models.CharField(_("姓名"), max_length=30)
    relation = models.CharField(_("与户主关系"), max_length=14, choices=Relation.choices)
    sex = models.CharField(_("性别"), max_length=1, choices=MemberSex.choices)
    birth_year = models.PositiveSmallIntegerField(_("出生年份"), null=True, blank=True)

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        constraints = [
            models.UniqueConstraint(fields=["family", "woman"], condition=models.Q(woman__isnull=False),
                                    name="family_member_once"),
            models.CheckConstraint(condition=models.Q(woman__isnull=True) | models.Q(sex="f"),
                                   name="family_member_registry_is_a_woman"),
            models.CheckConstraint(condition=models.Q(birth_year__isnull=True)
                                   | models.Q(birth_year__gte=1900, birth_year__lte=2100),
                                   name="family_member_birth_year_range"),
        ]

    def __str__(self):
        return self.name
