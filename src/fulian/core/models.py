"""The audit trail: append-only, enforced by database triggers (see migration 0002), not by goodwill."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .storage import PrivateStorage


class AuditEvent(models.Model):
    """Who did what to which record, when and from where."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_label = models.CharField(_("操作人名称"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=60, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=60, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=200, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, blank=True)
    # the unit the record belongs to (else the actor's): scopes the trail for administrators below the top;
    # nullable so adding it is a plain ALTER TABLE that keeps the append-only triggers
    unit_path = models.CharField(_("所属组织路径"), max_length=64, null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("操作记录")
        verbose_name_plural = _("操作记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"


class ReadLog(models.Model):
    """Every read of a sensitive record (survivors' case data, unmasked ID numbers)."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("查看人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", db_constraint=False,
    )
    actor_label = models.CharField(_("查看人名称"), max_length=150, blank=True)
    object_type = models.CharField(_("对象类型"), max_length=60)
    object_id = models.CharField(_("对象编号"), max_length=64)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    ip = models.GenericIPAddressField(_("来源地址"), null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, blank=True)
    unit_path = models.CharField(_("所属组织路径"), max_length=64, null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("敏感信息查看记录")
        verbose_name_plural = _("敏感信息查看记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.object_type}#{self.object_id}"


class ImportJob(models.Model):
    """An uploaded roster and how its import went; the worker updates progress as it goes."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导入中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=30)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.FileField(_("文件"), upload_to="imports/%Y/%m/", storage=PrivateStorage(), blank=True)
    source_name = models.CharField(_("文件名"), max_length=200)
    total_rows = models.PositiveIntegerField(_("行数(估计)"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理"), default=0)
    created_count = models.PositiveIntegerField(_("新增"), default=0)
    updated_count = models.PositiveIntegerField(_("更新"), default=0)
    unchanged_count = models.PositiveIntegerField(_("无变化"), default=0)
    error_count = models.PositiveIntegerField(_("有问题的行"), default=0)
    error_file = models.FileField(_("错误报告"), upload_to="imports/errors/%Y/%m/", storage=PrivateStorage(),
                                  blank=True)
    files_purged_at = models.DateTimeField(_("文件删除时间"), null=True, blank=True)
    message = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("上传时间"))
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text="last sign of life of the running import")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.source_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.is_finished:
            return 100
        return min(99, int(100 * self.processed_rows / self.total_rows)) if self.total_rows else 0


class Outbox(models.Model):
    """Messages waiting to be sent by `manage.py outbox_send`; a failure is retried and never blocks a case."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("站内")
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")
        WECHAT = "wechat", _("微信")
        WEIBO = "weibo", _("微博")
        APP = "app", _("客户端推送")

    channel = models.CharField(max_length=8, choices=Channel.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    address = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, default="pending")
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # past this moment the message is worthless (a one-time code): never sent, marked expired
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("待发消息")
        verbose_name_plural = _("待发消息")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.channel} {self.subject}"

    @property
    def idempotency_key(self) -> str:
        """The same for every attempt at this message: a sender passes it to its provider, so a retry after the
        provider accepted (and the worker died before recording it) is not delivered twice."""
        return f"fulian-outbox-{self.pk}"


class Notice(models.Model):
    """An in-app notification, delivered by the outbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    subject = models.CharField(max_length=200)
    link = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class OneTimeCode(models.Model):
    """A one-time code sent by SMS (core.otp): only a keyed hash of the code is kept, with its wrong guesses."""

    phone = models.CharField(max_length=20, db_index=True)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.phone[-4:]} {self.expires_at:%H:%M}"


class Certificate(models.Model):
    """A numbered certificate (service hours, later trainings and awards) that anyone can check online: the printed
    page carries its verification code and a QR code of the public verification link (core.certificates)."""

    number = models.CharField(_("证书编号"), max_length=24, unique=True)
    kind = models.CharField(_("类别"), max_length=30)
    subject_key = models.CharField(max_length=120, help_text="what it certifies, so issuing twice gives the same one")
    holder = models.CharField(_("持有人"), max_length=60)
    title = models.CharField(_("证明内容"), max_length=200)
    unit_path = models.CharField(max_length=64, db_index=True)
    unit_name = models.CharField(_("出具单位"), max_length=100)
    issued_at = models.DateTimeField(_("出具时间"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    revoked_at = models.DateTimeField(_("作废时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("证书")
        verbose_name_plural = _("证书")
        constraints = [models.UniqueConstraint(fields=["kind", "subject_key"], name="one_certificate_per_subject")]

    def __str__(self):
        return f"{self.number} {self.holder}"


class EntryTime(models.Model):
    """The burden meter (减负): how long one form took, from its signed render stamp to its accepted save."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=64)
    form = models.CharField(max_length=60)
    seconds = models.PositiveIntegerField()
    at = models.DateTimeField()
    stamp = models.CharField(max_length=64, unique=True)  # a stamp counts once (a double click is one form)

    class Meta:
        indexes = [models.Index(fields=["unit_path", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.form} {self.seconds}s"


class Holiday(models.Model):
    """The working-day calendar a system administrator keeps (法定节假日 and 调休): a listed date is a day off
    (`is_workday` False: 春节, 国庆…) or, on a weekend, a working day (`is_workday` True: 调休上班). Every other
    Monday–Friday is a working day. Periods counted in working days (公示 of at least 5 working days) read it
    through core.workdays."""

    day = models.DateField(_("日期"), unique=True)
    name = models.CharField(_("名称"), max_length=40)
    is_workday = models.BooleanField(_("调休上班"), default=False)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day} {self.name}"


class AuditSeal(models.Model):
    """One link of the tamper-evident audit chain (core.sealing): the audit and read-log rows with ids in
    (audit_from, audit_to] and (read_from, read_to], hashed row by row, the whole keyed with the previous link's hash.
    Written only by the sealer, append-only like the rows it seals (migration 0015)."""

    number = models.PositiveBigIntegerField(unique=True)  # 1, 2, 3 …: two sealers at once cannot fork the chain
    sealed_at = models.DateTimeField(db_index=True)
    audit_from = models.BigIntegerField()
    audit_to = models.BigIntegerField()
    read_from = models.BigIntegerField()
    read_to = models.BigIntegerField()
    audit_count = models.PositiveIntegerField()
    read_count = models.PositiveIntegerField()
    # per row, in id order (audit rows, then read rows): 8-byte id and the first 8 bytes of its SHA-256
    row_hashes = models.BinaryField()
    rows_digest = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)  # HMAC-SHA256 (AUDIT_SEAL_KEY) of the previous hash and this link
    # what the next link may seal: the ids visible when this one was made, and the database clock then; they are
    # sealed once every transaction open at that moment has ended (nothing below them can still commit)
    horizon_audit = models.BigIntegerField()
    horizon_read = models.BigIntegerField()
    horizon_at = models.DateTimeField()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"#{self.number} {self.hash[:12]}"


class AuditArchive(models.Model):
    """Sealed audit and read-log rows older than the retention, moved to a compressed file whose SHA-256 is kept
    here (core.sealing.audit_archive); the seals stay, so the chain still verifies across the gap."""

    created_at = models.DateTimeField()
    file_name = models.CharField(max_length=200, unique=True)
    sha256 = models.CharField(max_length=64)
    seal_from = models.PositiveBigIntegerField()  # the first and last seal whose rows the file holds
    seal_to = models.PositiveBigIntegerField()
    audit_count = models.PositiveIntegerField()
    read_count = models.PositiveIntegerField()

    class Meta:
        ordering = ["seal_from"]

    def __str__(self):
        return self.file_name
