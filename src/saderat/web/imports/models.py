"""Import batches: the record of every file brought into the warehouse. The facts themselves are in Parquet."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("در صف ورود")
        RUNNING = "running", _("در حال ورود")
        HELD = "held", _("متوقف: منتظر تصمیم دبیرخانه")
        ACTIVE = "active", _("فعال")
        FAILED = "failed", _("ناموفق")
        WITHDRAWN = "withdrawn", _("پس گرفته شده")
        DUPLICATE = "duplicate", _("تکراری (تغییری داده نشد)")
        # The batch's Parquet file is missing, unreadable or differs from what was written: excluded from every
        # query until `saderat check` finds it whole again (e.g. after a restore).
        QUARANTINED = "quarantined", _("قرنطینه: فایل انبار خراب یا گم شده")
        # A held batch the secretariat decided not to import: nothing of it ever reached the warehouse.
        DISCARDED = "discarded", _("کنار گذاشته شد (وارد نشد)")

    class HoldReason(models.TextChoices):
        """Why a batch is held (the first reason found; the page shows every reason that still holds)."""

        REJECTED = "rejected", _("ردیف‌های رد شده")
        OVERLAP = "overlap", _("هم‌پوشانی با دسته فعال دیگر")

    source_name = models.CharField("نام فایل", max_length=255)
    checksum = models.CharField("چکیده SHA-256", max_length=64, db_index=True)
    size_bytes = models.BigIntegerField("اندازه (بایت)", default=0)
    layout = models.CharField("قالب", max_length=40, blank=True)
    flow = models.CharField("جریان", max_length=10, default="export")
    status = models.CharField("وضعیت", max_length=12, choices=Status.choices, default=Status.RUNNING)
    progress = models.FloatField("پیشرفت", default=0.0)
    progress_label = models.CharField("مرحله", max_length=40, blank=True)
    rows_read = models.IntegerField("ردیف‌های خوانده", default=0)
    rows_accepted = models.IntegerField("ردیف‌های پذیرفته", default=0)
    rows_rejected = models.IntegerField("ردیف‌های رد شده", default=0)
    years = models.JSONField("سال‌ها", default=list, blank=True)
    scope = models.JSONField("دامنه (جریان، مبنا، سال)", default=list, blank=True)
    total_check = models.JSONField("مقایسه با ردیف جمع فایل", null=True, blank=True)
    #: What the reader noted of the file (columns left out or not recognised), as stored Persian messages.
    notes = models.JSONField("یادداشت‌های خواندن فایل", default=list, blank=True)
    message = models.TextField("پیام", blank=True)
    hold_reason = models.CharField("علت توقف", max_length=10, choices=HoldReason.choices, blank=True)
    is_synthetic = models.BooleanField("داده ساختگی", default=False)
    # What the user asked for (accept_partial, allow_overlap, confirm_large_values; and for a decision on a held
    # batch: decision, decided_by, replaces = the active batches to withdraw when this one turns active).
    options = models.JSONField("گزینه‌های ورود", default=dict, blank=True)
    # The process running the import writes a heartbeat; a batch whose heartbeat stops is failed by the reaper.
    heartbeat_at = models.DateTimeField("آخرین نشانه زندگی", null=True, blank=True)
    worker_pid = models.IntegerField("شناسه فرایند", null=True, blank=True)
    # The warehouse file as written: `saderat check` compares the file on disk with these.
    parquet_sha256 = models.CharField("چکیده فایل انبار", max_length=64, blank=True)
    parquet_bytes = models.BigIntegerField("اندازه فایل انبار", null=True, blank=True)
    parquet_rows = models.BigIntegerField("ردیف‌های فایل انبار", null=True, blank=True)
    quarantined_at = models.DateTimeField("زمان قرنطینه", null=True, blank=True)
    quarantine_reason = models.TextField("علت قرنطینه", blank=True)
    # Set when the source and rejected-rows files were removed after the retention period.
    files_purged_at = models.DateTimeField("زمان حذف فایل‌ها", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("زمان", auto_now_add=True)
    finished_at = models.DateTimeField("پایان", null=True, blank=True)
    # Who withdrew the batch (or discarded it, if it was held) and when.
    withdrawn_at = models.DateTimeField("زمان پس‌گرفتن", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="پس‌گرفته توسط",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "دسته ورود داده"
        verbose_name_plural = "دسته‌های ورود داده"
        constraints = [
            # The same bytes can be active only once: importing a file again changes nothing.
            models.UniqueConstraint(
                fields=["checksum"], condition=models.Q(status="active"), name="uniq_active_checksum"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_name}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)


class ActiveScope(models.Model):
    """One row per (flow, basis, year) claimed by an active batch: the database refuses a second claim, so two
    concurrent imports of the same year cannot both become active (the check and the activation are one step).
    A batch imported with an explicit overlap does not claim its scope."""

    flow = models.CharField(max_length=10)
    basis = models.CharField(max_length=10)
    year = models.IntegerField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="claims")

    class Meta:
        verbose_name = "دامنه فعال"
        verbose_name_plural = "دامنه‌های فعال"
        constraints = [models.UniqueConstraint(fields=["flow", "basis", "year"], name="uniq_active_scope")]

    def __str__(self) -> str:
        return f"{self.flow}/{self.basis}/{self.year} → #{self.batch_id}"


class ActivationLock(models.Model):
    """A single row that every activation updates first: on PostgreSQL the row lock, on SQLite the write lock
    taken by that first statement, serialise activations (SQLite's WAL would otherwise let two transactions
    read the same snapshot)."""

    touched_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "قفل فعال‌سازی"

    def __str__(self) -> str:
        return f"activation lock (last {self.touched_at})"

    @classmethod
    def take(cls) -> None:
        """Inside a transaction, as its first statement: wait for the one lock row and hold it until commit (on
        PostgreSQL a row lock, on SQLite the database's write lock); the row is created the first time."""
        from django.utils import timezone

        if not cls.objects.filter(pk=1).update(touched_at=timezone.now()):
            cls.objects.get_or_create(pk=1)
            cls.objects.filter(pk=1).update(touched_at=timezone.now())
