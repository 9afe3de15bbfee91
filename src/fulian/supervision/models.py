"""Supervision (督导): a team of a unit (督导组) with its members and the regions it covers (包片), the visits it
makes to a region or a unit inside one (督导检查), and what it finds there (发现问题). Each finding becomes a
rectification item (整改事项) sent to the visited unit on the dispatch mechanism (kind "rectify"): the Dispatch
holds the deadline and the unit's state, the Finding the text, the visit and the closing note."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from fulian.core.storage import PrivateStorage


class Team(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("所属单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("督导组名称"), max_length=100)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="supervision_teams",
                                     verbose_name=_("成员"))
    regions = models.ManyToManyField("orgs.Unit", related_name="supervision_teams", verbose_name=_("包片地区"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("督导组")
        verbose_name_plural = _("督导组")

    def __str__(self):
        return self.name


class Visit(models.Model):
    """A visit by a team to one of its regions (or a unit inside one). `unit_path` is the visited unit's: the
    visited side sees it; the team's side sees it through `team_path`."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="visits")
    team_path = models.CharField(max_length=64, db_index=True)
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("督导单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    visited_on = models.DateField(_("督导日期"))
    places = models.TextField(_("走访地点"), blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    checked = models.ManyToManyField("dispatch.Recipient", related_name="+", blank=True,
                                     verbose_name=_("检查的任务"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("督导检查")
        verbose_name_plural = _("督导检查")

    def __str__(self):
        return f"{self.unit} {self.visited_on}"


class Finding(models.Model):
    """A problem found on a visit; its rectification item is the dispatch (one recipient: the visited unit)."""

    dispatch = models.OneToOneField("dispatch.Dispatch", on_delete=models.CASCADE, primary_key=True,
                                    related_name="finding")
    unit_path = models.CharField(max_length=64, db_index=True)  # the team's unit (the issuer), as a Task's
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="findings")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="findings")
    text = models.TextField(_("发现问题"))
    note = models.TextField(_("整改情况"), blank=True)
    evidence = models.FileField(upload_to="supervision/%Y/%m/", storage=PrivateStorage(), blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("发现问题")
        verbose_name_plural = _("发现问题")

    def __str__(self):
        return self.text[:40]
