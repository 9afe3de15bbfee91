"""Meetings of a unit (会议) and what they decided (决定事项): the party group's, the chair's office's, the
executive and standing committees' (quorum counted against the leadership body of organisation building) and joint
meetings with outside organisations (联席会议). A passed decision can issue tasks down the tree (work.Task)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    PARTY_GROUP = "party_group", _("党组会议")
    CHAIR_OFFICE = "chair_office", _("主席办公会")
    EXECUTIVE = "executive", _("执委会")
    STANDING = "standing", _("常委会")
    JOINT = "joint", _("联席会议")


# a committee meeting counts its quorum against the unit's body of this kind (orgs.BodyKind)
COMMITTEE_BODY = {MeetingKind.EXECUTIVE: "executive", MeetingKind.STANDING: "standing"}


class Meeting(models.Model):
    """One meeting. For a committee, `body` is the term whose members were entitled to attend (应到会): `entitled`
    and `present` are counted when the meeting is recorded, and `has_quorum` says whether it could decide."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    unit_path = models.CharField(max_length=64, db_index=True)
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    held_at = models.DateTimeField(_("召开时间"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    chair_name = models.CharField(_("主持人"), max_length=30, blank=True)
    body = models.ForeignKey("orgs.Body", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("领导机构"))
    entitled = models.PositiveSmallIntegerField(_("应到会"), default=0)
    present = models.PositiveSmallIntegerField(_("实到会"), default=0)
    has_quorum = models.BooleanField(_("达到法定人数"), default=True)
    organisations = models.JSONField(_("参会单位"), default=list, blank=True)
    agenda = models.TextField(_("议题"), blank=True)
    minutes = models.TextField(_("会议纪要"), blank=True)
    version = models.PositiveIntegerField(default=1)
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_at", "-pk"]
        indexes = [models.Index(fields=["unit", "held_at"], name="meeting_unit_held")]
        constraints = [
            models.CheckConstraint(condition=models.Q(present__lte=models.F("entitled")), name="meeting_present_le"),
            models.CheckConstraint(condition=models.Q(body__isnull=True) | models.Q(kind__in=list(COMMITTEE_BODY)),
                                   name="meeting_body_only_committees"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"

    @property
    def is_committee(self) -> bool:
        return self.kind in COMMITTEE_BODY

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class AttendeeRole(models.TextChoices):
    MEMBER = "member", _("委员")  # a member of the committee's body: counted for the quorum
    ATTENDEE = "attendee", _("参会人员")
    OBSERVER = "observer", _("列席")


class Attendance(models.Model):
    """Who was there (or not, and why): a committee's members one row each, ticked from the body; other people by
    name."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("orgs.BodyMember", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=30)
    role = models.CharField(_("身份"), max_length=10, choices=AttendeeRole.choices)
    present = models.BooleanField(_("到会"), default=True)
    reason = models.CharField(_("缺席原因"), max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], condition=models.Q(member__isnull=False),
                                    name="attendance_member_once"),
            models.CheckConstraint(condition=models.Q(role="member") | models.Q(member__isnull=True),
                                   name="attendance_member_role"),
        ]

    def __str__(self):
        return self.name


class Decision(models.Model):
    """决定事项. Votes are counts (`votes_*`, None where the meeting decided without a vote) or, for a committee,
    by name (`Vote` rows, counted into `votes_*`). `passed` is judged when it is recorded; a motion that failed
    is kept (recorded as not passed) and issues no task."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    unit_path = models.CharField(max_length=64, db_index=True)
    title = models.CharField(_("决定事项"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    votes_for = models.PositiveSmallIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    by_name = models.BooleanField(_("记名表决"), default=False)
    entitled = models.PositiveSmallIntegerField(_("应到会"), default=0)
    passed = models.BooleanField(_("通过"), default=True)
    # a committee consultation (议事协商) put to this meeting's vote
    consultation = models.ForeignKey("consultations.Consultation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="decisions", verbose_name=_("表决的议事协商"))
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("决定事项")
        verbose_name_plural = _("决定事项")
        ordering = ["pk"]
        constraints = [models.CheckConstraint(
            condition=models.Q(votes_for__isnull=True, votes_against__isnull=True, votes_abstain__isnull=True)
            | models.Q(votes_for__isnull=False, votes_against__isnull=False, votes_abstain__isnull=False),
            name="decision_votes_all_or_none")]

    def __str__(self):
        return self.title

    @property
    def has_vote(self) -> bool:
        return self.votes_for is not None


class VoteChoice(models.TextChoices):
    FOR = "for", _("赞成")
    AGAINST = "against", _("反对")
    ABSTAIN = "abstain", _("弃权")


class Vote(models.Model):
    """A committee member's vote on a decision (记名表决)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    member = models.ForeignKey("orgs.BodyMember", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("姓名"), max_length=30)
    choice = models.CharField(_("表决"), max_length=8, choices=VoteChoice.choices)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "member"], name="vote_once")]

    def __str__(self):
        return f"{self.name} {self.get_choice_display()}"


class DecisionTask(models.Model):
    """A task a decision issued (its content lives in work.Task; its completion in the dispatch)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="task_links")
    task = models.OneToOneField("work.Task", on_delete=models.CASCADE, related_name="+")
    client_token = models.CharField(max_length=40, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.decision} → {self.task_id}"
