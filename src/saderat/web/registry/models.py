"""The province's actors: firms, their commercial cards, industrial units with products, and the exporter IDs
that link a firm to declaration-level facts.

Nothing is overwritten silently: every change of a registry record is a :class:`RegistryChange` row (field,
old and new value, who, when, from which import batch), besides the audit trail; each record keeps, per field,
where its value came from (:attr:`Firm.field_sources`). Firms joined by the entity resolver or by the
secretariat are merged by pointing :attr:`Firm.merged_into` at the surviving firm; a merge moves the other
firm's cards, units, names and exporter IDs and records what it moved, so it can be undone.
Writes go through :mod:`saderat.web.registry.services`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saderat.web.common.audit import audited


class RegistryBatch(models.Model):
    """One registry spreadsheet brought in (firms, cards, units or exporter IDs): the same discipline as trade
    imports: checksum, rows read/accepted/rejected with reasons, held when rows are rejected, idempotent,
    withdrawable."""

    class Kind(models.TextChoices):
        FIRMS = "firms", _("بنگاه‌ها")
        CARDS = "cards", _("کارت‌های بازرگانی")
        UNITS = "units", _("واحدهای صنعتی")
        EXPORTERS = "exporters", _("شناسه‌های صادرکننده")
        # Kept by the standards directorate (saderat.web.quality), through these same batches.
        STANDARDS = "standards", _("استانداردهای اجباری صادراتی")
        CERTIFICATES = "certificates", _("گواهی‌های انطباق و بازرسی")

    class Status(models.TextChoices):
        QUEUED = "queued", _("در صف ورود")
        RUNNING = "running", _("در حال ورود")
        HELD = "held", _("متوقف: ردیف رد شده دارد")
        ACTIVE = "active", _("وارد شده")
        FAILED = "failed", _("ناموفق")
        WITHDRAWN = "withdrawn", _("پس گرفته شده")
        DUPLICATE = "duplicate", _("تکراری (تغییری داده نشد)")

    kind = models.CharField(_("نوع فهرست"), max_length=12, choices=Kind.choices)
    source_name = models.CharField(_("نام فایل"), max_length=255)
    checksum = models.CharField(_("چکیده SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_read = models.IntegerField(_("ردیف‌های خوانده"), default=0)
    rows_accepted = models.IntegerField(_("ردیف‌های پذیرفته"), default=0)
    rows_rejected = models.IntegerField(_("ردیف‌های رد شده"), default=0)
    created_records = models.IntegerField(_("رکوردهای تازه"), default=0)
    updated_records = models.IntegerField(_("رکوردهای به‌روز شده"), default=0)
    message = models.TextField(_("پیام"), blank=True)
    accept_partial = models.BooleanField(_("ورود ردیف‌های پذیرفته"), default=False)
    is_synthetic = models.BooleanField(_("داده ساختگی"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("زمان"), default=timezone.now)
    # The process running the import (a registry import runs in one transaction, which shows no progress to
    # others): the reaper fails a running batch whose process is gone, so that none stays "running" for ever.
    started_at = models.DateTimeField(_("آغاز"), null=True, blank=True)
    worker_pid = models.IntegerField(_("شناسه فرایند"), null=True, blank=True)
    worker_host = models.CharField(_("میزبان"), max_length=255, blank=True)
    finished_at = models.DateTimeField(_("پایان"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("زمان پس‌گرفتن"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("پس‌گرفته توسط"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("دسته ورود ثبت")
        verbose_name_plural = _("دسته‌های ورود ثبت")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "checksum"], condition=models.Q(status="active"), name="uniq_active_registry"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_name}"

    @property
    def is_finished(self) -> bool:
        return self.status not in (self.Status.QUEUED, self.Status.RUNNING)


class LegalForm(models.TextChoices):
    PUBLIC_JOINT_STOCK = "pjs", _("سهامی عام")
    PRIVATE_JOINT_STOCK = "pjsc", _("سهامی خاص")
    LIMITED = "llc", _("با مسئولیت محدود")
    COOPERATIVE = "coop", _("تعاونی")
    PARTNERSHIP = "partnership", _("تضامنی/نسبی")
    STATE = "state", _("دولتی/عمومی")
    SOLE_TRADER = "sole", _("شخص حقیقی")
    OTHER = "other", _("سایر")


@audited
class Firm(models.Model):
    """A legal person or a sole trader (بنگاه)."""

    national_id = models.CharField(
        _("شناسه ملی"), max_length=11, null=True, blank=True, unique=True, help_text=_("۱۱ رقم، اشخاص حقوقی")
    )
    national_code = models.CharField(
        _("کد ملی"), max_length=10, null=True, blank=True, unique=True, help_text=_("۱۰ رقم، اشخاص حقیقی")
    )
    name = models.CharField(_("نام ثبتی"), max_length=255)
    name_key = models.CharField(_("کلید تطبیق نام"), max_length=255, db_index=True, editable=False)
    legal_form = models.CharField(_("نوع شخصیت"), max_length=12, choices=LegalForm.choices, blank=True)
    county = models.ForeignKey(
        "reference.County", verbose_name=_("شهرستان"), null=True, blank=True, on_delete=models.PROTECT
    )
    isic = models.CharField(_("فعالیت (ISIC ویرایش ۴)"), max_length=5, blank=True)
    phone = models.CharField(_("تلفن"), max_length=40, blank=True)
    email = models.EmailField(_("رایانامه"), blank=True)
    address = models.TextField(_("نشانی"), blank=True)
    # Per field: {"source": "...", "batch": id or None, "at": ISO date} — where the value shown came from.
    field_sources = models.JSONField(_("منبع هر فیلد"), default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("ادغام شده در"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_synthetic = models.BooleanField(_("داده ساختگی"), default=False)
    created_at = models.DateTimeField(_("زمان ثبت"), default=timezone.now)
    updated_at = models.DateTimeField(_("آخرین تغییر"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("بنگاه")
        verbose_name_plural = _("بنگاه‌ها")

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        return self.national_id or self.national_code or ""


@audited
class FirmName(models.Model):
    """Another name of a firm, as an agency writes it (for search and for the resolver)."""

    firm = models.ForeignKey(Firm, verbose_name=_("بنگاه"), on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("نام"), max_length=255)
    name_key = models.CharField(_("کلید تطبیق نام"), max_length=255, db_index=True, editable=False)
    source = models.CharField(_("منبع"), max_length=255, blank=True)
    batch = models.ForeignKey(
        RegistryBatch, verbose_name=_("دسته ورود"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["firm", "name"]
        constraints = [models.UniqueConstraint(fields=["firm", "name_key"], name="uniq_firm_name_key")]
        verbose_name = _("نام دیگر بنگاه")
        verbose_name_plural = _("نام‌های دیگر بنگاه")

    def __str__(self) -> str:
        return self.name


@audited
class CommercialCard(models.Model):
    """A commercial card (کارت بازرگانی) issued by a chamber of commerce to a firm."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("فعال")
        EXPIRED = "expired", _("منقضی")
        SUSPENDED = "suspended", _("تعلیق")

    number = models.CharField(_("شماره کارت"), max_length=20, unique=True)
    firm = models.ForeignKey(Firm, verbose_name=_("دارنده"), on_delete=models.PROTECT, related_name="cards")
    chamber = models.CharField(_("اتاق صادرکننده"), max_length=120, blank=True)
    issued_on = models.DateField(_("تاریخ صدور"))
    expires_on = models.DateField(_("تاریخ انقضا"), db_index=True)
    status = models.CharField(_("وضعیت ثبت‌شده"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.CharField(_("علت وضعیت"), max_length=255, blank=True)
    field_sources = models.JSONField(_("منبع هر فیلد"), default=dict, blank=True)
    is_synthetic = models.BooleanField(_("داده ساختگی"), default=False)
    updated_at = models.DateTimeField(_("آخرین تغییر"), default=timezone.now)

    class Meta:
        ordering = ["expires_on", "number"]
        verbose_name = _("کارت بازرگانی")
        verbose_name_plural = _("کارت‌های بازرگانی")

    def __str__(self) -> str:
        return self.number

    def status_on(self, day: dt.date | None = None) -> str:
        """The status in force: a card past its expiry is expired whatever was recorded; a suspension stands."""
        day = day or timezone.localdate()
        if self.status == self.Status.SUSPENDED:
            return self.Status.SUSPENDED
        if self.expires_on < day:
            return self.Status.EXPIRED
        return self.status


@audited
class IndustrialUnit(models.Model):
    """An industrial unit (واحد صنعتی) with its operation licence (پروانه بهره‌برداری)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("فعال")
        IDLE = "idle", _("راکد")
        CLOSED = "closed", _("تعطیل")

    licence_number = models.CharField(_("شماره پروانه بهره‌برداری"), max_length=30, unique=True)
    licence_date = models.DateField(_("تاریخ پروانه"), null=True, blank=True)
    firm = models.ForeignKey(
        Firm, verbose_name=_("بهره‌بردار"), on_delete=models.PROTECT, related_name="units"
    )
    name = models.CharField(_("نام واحد"), max_length=255, blank=True)
    isic = models.CharField(_("رشته فعالیت (ISIC ویرایش ۴)"), max_length=5, blank=True)
    employees = models.PositiveIntegerField(_("شاغلان"), null=True, blank=True)
    county = models.ForeignKey(
        "reference.County", verbose_name=_("شهرستان"), null=True, blank=True, on_delete=models.PROTECT
    )
    estate = models.CharField(_("شهرک/ناحیه صنعتی"), max_length=160, blank=True)
    status = models.CharField(_("وضعیت"), max_length=8, choices=Status.choices, default=Status.ACTIVE)
    field_sources = models.JSONField(_("منبع هر فیلد"), default=dict, blank=True)
    is_synthetic = models.BooleanField(_("داده ساختگی"), default=False)
    updated_at = models.DateTimeField(_("آخرین تغییر"), default=timezone.now)

    class Meta:
        ordering = ["licence_number"]
        verbose_name = _("واحد صنعتی")
        verbose_name_plural = _("واحدهای صنعتی")

    def __str__(self) -> str:
        return self.name or self.licence_number


@audited
class UnitProduct(models.Model):
    """A product of a unit: a tariff line or HS code (2 to 8 digits) with its nominal capacity."""

    unit = models.ForeignKey(
        IndustrialUnit, verbose_name=_("واحد"), on_delete=models.CASCADE, related_name="products"
    )
    code = models.CharField(_("کد تعرفه/HS"), max_length=8)
    description = models.CharField(_("شرح"), max_length=255, blank=True)
    capacity = models.FloatField(_("ظرفیت اسمی"), null=True, blank=True)
    capacity_unit = models.CharField(_("واحد ظرفیت"), max_length=30, blank=True)

    class Meta:
        ordering = ["unit", "code"]
        constraints = [models.UniqueConstraint(fields=["unit", "code"], name="uniq_unit_product")]
        verbose_name = _("محصول واحد")
        verbose_name_plural = _("محصولات واحد")

    def __str__(self) -> str:
        return f"{self.code} {self.description}".strip()

    @property
    def hs4(self) -> str:
        return self.code[:4] if len(self.code) >= 4 else ""


@audited
class ExporterLink(models.Model):
    """An exporter ID of declaration-level facts that belongs to a firm (a firm may have several)."""

    exporter_id = models.CharField(_("شناسه صادرکننده در اظهارنامه"), max_length=20, unique=True)
    firm = models.ForeignKey(
        Firm, verbose_name=_("بنگاه"), on_delete=models.PROTECT, related_name="exporter_links"
    )
    source = models.CharField(_("منبع"), max_length=255, blank=True)
    batch = models.ForeignKey(
        RegistryBatch, verbose_name=_("دسته ورود"), null=True, blank=True, on_delete=models.SET_NULL
    )
    is_synthetic = models.BooleanField(_("داده ساختگی"), default=False)

    class Meta:
        ordering = ["exporter_id"]
        verbose_name = _("شناسه صادرکننده")
        verbose_name_plural = _("شناسه‌های صادرکننده")

    def __str__(self) -> str:
        return self.exporter_id


class RegistryChange(models.Model):
    """One change of one registry record: what it was, what it became, who, when, from which file.

    ``field`` is ``"*"`` for a record created (``new`` holds its fields) and for merges (``new`` holds what
    moved). Withdrawing a batch undoes its changes in reverse order."""

    model = models.CharField(_("نوع رکورد"), max_length=40)
    object_id = models.CharField(_("شناسه رکورد"), max_length=40)
    firm = models.ForeignKey(
        Firm, verbose_name=_("بنگاه"), null=True, blank=True, on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(_("فیلد"), max_length=40)
    old = models.JSONField(_("مقدار پیشین"), null=True, blank=True)
    new = models.JSONField(_("مقدار تازه"), null=True, blank=True)
    batch = models.ForeignKey(
        RegistryBatch,
        verbose_name=_("دسته ورود"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="changes",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("زمان"), default=timezone.now, db_index=True)
    reverted = models.BooleanField(_("برگردانده شده"), default=False)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"])]
        verbose_name = _("تغییر ثبت")
        verbose_name_plural = _("تاریخچه تغییرات ثبت")

    def __str__(self) -> str:
        return f"{self.model}#{self.object_id}.{self.field}"


@audited
class MatchReview(models.Model):
    """A pair of firms that the resolver found alike but not surely the same: the secretariat decides."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("در انتظار بررسی")
        MERGED = "merged", _("ادغام شد")
        KEPT_APART = "apart", _("جدا ماند")
        UNDONE = "undone", _("ادغام برگردانده شد")

    firm_a = models.ForeignKey(Firm, verbose_name=_("بنگاه الف"), on_delete=models.CASCADE, related_name="+")
    firm_b = models.ForeignKey(Firm, verbose_name=_("بنگاه ب"), on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField(_("احتمال یکی بودن"))
    reason = models.CharField(_("دلیل"), max_length=255, blank=True)
    decision = models.CharField(
        _("تصمیم"), max_length=8, choices=Decision.choices, default=Decision.PENDING, db_index=True
    )
    automatic = models.BooleanField(_("ادغام خودکار (بالای آستانه)"), default=False)
    # What a merge moved (ids of cards, units, names, exporter links), so that it can be undone.
    moved = models.JSONField(_("جابه‌جا شده در ادغام"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("تصمیم‌گیرنده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("زمان تصمیم"), null=True, blank=True)
    created_at = models.DateTimeField(_("زمان"), default=timezone.now)

    class Meta:
        ordering = ["decision", "-probability", "id"]
        constraints = [models.UniqueConstraint(fields=["firm_a", "firm_b"], name="uniq_match_pair")]
        verbose_name = _("بررسی تطبیق بنگاه")
        verbose_name_plural = _("صف بررسی تطبیق بنگاه‌ها")

    def __str__(self) -> str:
        return f"{self.firm_a} ~ {self.firm_b}"


class CardAlert(models.Model):
    """A card-expiry alert sent (60, 30 or 7 days before): sent once per card, threshold and expiry date."""

    card = models.ForeignKey(CommercialCard, on_delete=models.CASCADE, related_name="alerts")
    days_before = models.PositiveSmallIntegerField(_("روز پیش از انقضا"))
    expires_on = models.DateField(_("تاریخ انقضا"))
    sent_at = models.DateTimeField(_("زمان"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["card", "days_before", "expires_on"], name="uniq_card_alert")
        ]
        verbose_name = _("هشدار انقضای کارت")
        verbose_name_plural = _("هشدارهای انقضای کارت")

    def __str__(self) -> str:
        return f"{self.card} −{self.days_before}"
