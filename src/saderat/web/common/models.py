from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """Who changed what, and when: one row per create/update/delete of an audited model."""

    class Action(models.TextChoices):
        CREATE = "create", "ایجاد"
        UPDATE = "update", "ویرایش"
        DELETE = "delete", "حذف"
        IMPORT = "import", "ورود داده"
        WITHDRAW = "withdraw", "پس‌گرفتن"
        ACCEPT_HELD = "accept_held", "ورود ردیف‌های پذیرفته"
        RETRY = "retry", "اجرای دوباره ورود"
        QUARANTINE = "quarantine", "قرنطینه دسته"
        REACTIVATE = "reactivate", "فعال‌سازی دوباره دسته"

    at = models.DateTimeField("زمان", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", null=True, blank=True, on_delete=models.SET_NULL
    )
    action = models.CharField("عمل", max_length=16, choices=Action.choices)
    model = models.CharField("جدول", max_length=100)
    object_id = models.CharField("شناسه", max_length=64)
    object_repr = models.CharField("عنوان", max_length=255, blank=True)
    changes = models.JSONField("تغییرات", default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The latest event of one app's tables, asked on every page (the reference tables' fingerprint,
        # saderat.web.reference.selectors): a range of ``model`` then the largest id, from the index alone.
        indexes = [models.Index(fields=["model", "id"], name="audit_model_id")]
        verbose_name = "رویداد ممیزی"
        verbose_name_plural = "ممیزی (چه کسی چه چیزی را تغییر داد)"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.action} {self.model}#{self.object_id}"
