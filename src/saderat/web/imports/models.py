"""Import batches: the record of every file brought into the warehouse. The facts themselves are in Parquet."""

from django.conf import settings
from django.db import models


class ImportBatch(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", "در حال ورود"
        HELD = "held", "متوقف: ردیف رد شده دارد"
        ACTIVE = "active", "فعال"
        FAILED = "failed", "ناموفق"
        WITHDRAWN = "withdrawn", "پس گرفته شده"
        DUPLICATE = "duplicate", "تکراری (تغییری داده نشد)"

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
    message = models.TextField("پیام", blank=True)
    is_synthetic = models.BooleanField("داده ساختگی", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("زمان", auto_now_add=True)
    finished_at = models.DateTimeField("پایان", null=True, blank=True)
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
        return self.status != self.Status.RUNNING
