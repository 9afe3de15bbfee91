"""Fixed vocabularies of the women registry."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The 56 ethnic groups in the order of GB/T 3304-1991, plus the two catch-alls it defines.
ETHNICITIES = [
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    "其他", "外国血统中国籍人士",
]
ETHNICITY_ALIASES = {e.removesuffix("族"): e for e in ETHNICITIES if e.endswith("族")}


class Occupation(models.TextChoices):
    FARMER = "farmer", _("农民")
    WORKER = "worker", _("工人")
    ENTERPRISE = "enterprise", _("企业职工")
    SELF_EMPLOYED = "self_employed", _("个体经营")
    PUBLIC_SERVICE = "public_service", _("机关事业单位")
    PROFESSIONAL = "professional", _("专业技术人员")
    STUDENT = "student", _("学生")
    RETIRED = "retired", _("离退休")
    UNEMPLOYED = "unemployed", _("无业")
    OTHER = "other", _("其他")


class TagCode(models.TextChoices):
    """Groups cared for specially (特殊困难妇女儿童帮扶) and others the contact network tracks."""

    LEFT_BEHIND = "left_behind", _("留守")
    MIGRANT = "migrant", _("流动")
    POOR = "poor", _("贫困")
    SINGLE_MOTHER = "single_mother", _("单亲母亲")
    DISABLED = "disabled", _("残疾")
    ELDERLY_ALONE = "elderly_alone", _("独居老人")
    REPRESENTATIVE = "representative", _("妇女代表")
    ENTREPRENEUR = "entrepreneur", _("创业妇女")


def occupation_from_label(label: str) -> str | None:
    label = (label or "").strip()
    for choice in Occupation:
        if label in (choice.value, str(choice.label)):
            return choice.value
    return None


def tag_from_label(label: str) -> str | None:
    label = label.strip()
    for choice in TagCode:
        if label in (choice.value, str(choice.label)):
            return choice.value
    return None
