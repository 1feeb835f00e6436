"""The standards directorate's registers: which exported lines need a national standard (versioned, as the
yearly export-import regulations change it), and the certificates (گواهی انطباق / گواهی بازرسی) that firms
hold, with their dated status history and scans; plus the batches of foreign notifications (RASFF, FDA)
brought into the warehouse.

Standards and certificates are registers like the firms' (:mod:`saderat.web.registry`): they are imported
through the same batches (:class:`~saderat.web.registry.models.RegistryBatch` of kind ``standards`` or
``certificates``) and every change is a :class:`~saderat.web.registry.models.RegistryChange` row, so a file can
be withdrawn and a certificate's history read on its firm's page. Writes go through
:mod:`saderat.web.quality.services`; only the directorate's members and the admin write
(:mod:`saderat.web.quality.permissions`).
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saderat.web.common.audit import audited
from saderat.web.registry.models import Firm

CODE_INVALID = "کد «{value}» باید ۲ تا ۸ رقم لاتین باشد (ردیف تعرفه یا پیشوند HS)."
STANDARD_INVALID = "شماره استاندارد «{value}» باید رقم با بخش اختیاری باشد (مثلاً 259-1)."
END_BEFORE_START = "تاریخ پایان ({end}) پیش از تاریخ آغاز ({start}) است."
NUMBER_INVALID = "شماره گواهی «{value}» معتبر نیست؛ ۳ تا ۴۰ حرف و رقم (با - ، / یا .) لازم است."
_CODE = re.compile(r"^[0-9]{2,8}$")
_STANDARD = re.compile(r"^[1-9][0-9]{0,5}(-[1-9][0-9]{0,2})?$")
# As the directorate's template reads them (saderat.ingest.quality): letters of any script (ق-40517), digits.
_NUMBER = re.compile(r"^\w[\w/\-.]{2,39}$")


def _check_codes(codes, field: str) -> dict:
    bad = [c for c in codes if not isinstance(c, str) or not _CODE.match(c)]
    return {field: CODE_INVALID.format(value=bad[0])} if bad else {}


def _check_standards(numbers, field: str) -> dict:
    bad = [n for n in numbers if not isinstance(n, str) or not _STANDARD.match(n)]
    return {field: STANDARD_INVALID.format(value=bad[0])} if bad else {}


@audited
class MandatoryStandard(models.Model):
    """One line of the mandatory export-standard list: a tariff line or HS prefix ↔ a national standard, in
    force from ``effective_from`` to ``effective_to`` (inclusive; open when empty). A new regulation that
    changes a line is a new row (the old one gets its ``effective_to``), so past exports are judged by the
    list in force on their date."""

    code_prefix = models.CharField(_("ردیف تعرفه / پیشوند HS"), max_length=8, db_index=True)
    standard_number = models.CharField(_("شماره استاندارد ملی"), max_length=20)
    title = models.CharField(_("عنوان استاندارد"), max_length=255, blank=True)
    effective_from = models.DateField(_("معتبر از"))
    effective_to = models.DateField(_("معتبر تا"), null=True, blank=True)
    source_document = models.CharField(_("مرجع (مصوبه یا سند)"), max_length=255, blank=True)
    note = models.CharField(_("یادداشت"), max_length=255, blank=True)
    field_sources = models.JSONField(_("منبع هر فیلد"), default=dict, blank=True)
    is_synthetic = models.BooleanField(_("داده ساختگی"), default=False)
    updated_at = models.DateTimeField(_("آخرین تغییر"), default=timezone.now)

    class Meta:
        ordering = ["code_prefix", "standard_number", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code_prefix", "standard_number", "effective_from"], name="uniq_standard_version"
            )
        ]
        verbose_name = _("استاندارد اجباری صادراتی")
        verbose_name_plural = _("فهرست استانداردهای اجباری صادراتی")

    def __str__(self) -> str:
        return f"{self.code_prefix} ← {self.standard_number}"

    def clean(self) -> None:
        """The same rules for pages, API and files: what the compliance query relies on (digits only)."""
        errors = _check_codes([self.code_prefix], "code_prefix") | _check_standards(
            [self.standard_number], "standard_number"
        )
        if self.effective_to and self.effective_from and self.effective_to < self.effective_from:
            errors["effective_to"] = END_BEFORE_START.format(end=self.effective_to, start=self.effective_from)
        if errors:
            raise ValidationError(errors)

    def in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)


@audited
class Certificate(models.Model):
    """A certificate of conformity or of inspection held by a firm for some tariff lines."""

    class Kind(models.TextChoices):
        CONFORMITY = "conformity", _("گواهی انطباق")
        INSPECTION = "inspection", _("گواهی بازرسی")

    class Status(models.TextChoices):
        VALID = "valid", _("معتبر")
        SUSPENDED = "suspended", _("تعلیق")
        REVOKED = "revoked", _("ابطال")

    number = models.CharField(_("شماره گواهی"), max_length=40, unique=True)
    firm = models.ForeignKey(
        Firm, verbose_name=_("دارنده"), on_delete=models.PROTECT, related_name="certificates"
    )
    kind = models.CharField(_("نوع گواهی"), max_length=12, choices=Kind.choices, default=Kind.CONFORMITY)
    codes = models.JSONField(_("ردیف‌های تعرفه"), default=list, help_text=_("کدهای ۲ تا ۸ رقمی"))
    product = models.CharField(_("کالا"), max_length=255, blank=True)
    standard_numbers = models.JSONField(_("شماره(های) استاندارد"), default=list, blank=True)
    issuing_body = models.CharField(_("مرجع صدور"), max_length=160)
    issued_on = models.DateField(_("تاریخ صدور"))
    expires_on = models.DateField(_("تاریخ انقضا"), db_index=True)
    # The status now; its dated history is in CertificateStatusChange (what the compliance check reads).
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices, default=Status.VALID)
    status_reason = models.CharField(_("علت وضعیت"), max_length=255, blank=True)
    field_sources = models.JSONField(_("منبع هر فیلد"), default=dict, blank=True)
    is_synthetic = models.BooleanField(_("داده ساختگی"), default=False)
    updated_at = models.DateTimeField(_("آخرین تغییر"), default=timezone.now)

    class Meta:
        ordering = ["expires_on", "number"]
        verbose_name = _("گواهی")
        verbose_name_plural = _("گواهی‌ها")

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        errors = _check_codes(self.codes or [], "codes") | _check_standards(
            self.standard_numbers or [], "standard_numbers"
        )
        if self.number and not _NUMBER.match(self.number):
            errors["number"] = NUMBER_INVALID.format(value=self.number)
        if self.issued_on and self.expires_on and self.expires_on < self.issued_on:
            errors["expires_on"] = END_BEFORE_START.format(end=self.expires_on, start=self.issued_on)
        if errors:
            raise ValidationError(errors)

    @property
    def standards_label(self) -> str:
        return "، ".join(self.standard_numbers or [])

    def status_on(self, day: dt.date | None = None) -> str:
        """``valid``, ``suspended``, ``revoked``, ``expired`` or ``not_yet`` on ``day`` (today by default), from
        the dated history (a suspension from 1403/05/01 makes the certificate suspended from that day on)."""
        day = day or timezone.localdate()
        if day < self.issued_on:
            return "not_yet"
        status = self.Status.VALID
        for change in sorted(self.history.all(), key=lambda c: (c.effective_on, c.pk)):
            if change.effective_on <= day:
                status = change.status
        if status == self.Status.VALID and day > self.expires_on:
            return "expired"
        return status


class CertificateStatusChange(models.Model):
    """A dated status of a certificate: from ``effective_on`` on, the certificate is ``status`` (until the
    next change). The first row of every certificate is ``valid`` from its issue date."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="history")
    status = models.CharField(_("وضعیت"), max_length=10, choices=Certificate.Status.choices)
    effective_on = models.DateField(_("از تاریخ"))
    reason = models.CharField(_("علت"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), null=True, blank=True, on_delete=models.SET_NULL
    )
    batch = models.ForeignKey(
        "registry.RegistryBatch",
        verbose_name=_("دسته ورود"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("زمان ثبت"), default=timezone.now)

    class Meta:
        ordering = ["effective_on", "id"]
        verbose_name = _("تغییر وضعیت گواهی")
        verbose_name_plural = _("تاریخچه وضعیت گواهی‌ها")

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.status} @ {self.effective_on}"


class CertificateScan(models.Model):
    """A scan of a certificate (PDF or image), stored as evidence files are (outside the web root, random
    name, type sniffed from the content) and served by a view that checks who may see it."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="scans")
    original_name = models.CharField(_("نام فایل"), max_length=200)
    stored_name = models.CharField(_("نام ذخیره"), max_length=200, unique=True)
    content_type = models.CharField(_("نوع (از محتوا)"), max_length=120)
    size = models.PositiveBigIntegerField(_("اندازه (بایت)"))
    sha256 = models.CharField(_("چکیده SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("بارگذار"), null=True, blank=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("زمان بارگذاری"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("تصویر گواهی")
        verbose_name_plural = _("تصاویر گواهی‌ها")

    def __str__(self) -> str:
        return self.original_name


class CertificateAlert(models.Model):
    """A certificate-expiry alert sent (30 days before): once per certificate, threshold and expiry date."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="alerts")
    days_before = models.PositiveSmallIntegerField(_("روز پیش از انقضا"))
    expires_on = models.DateField(_("تاریخ انقضا"))
    sent_at = models.DateTimeField(_("زمان"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before", "expires_on"], name="uniq_certificate_alert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} −{self.days_before}"


class NotificationBatch(models.Model):
    """A file of foreign notifications (RASFF) or import refusals (FDA) brought into the warehouse's
    notification table: append-only like trade batches; checksum-idempotent; withdrawable."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("وارد شده")
        FAILED = "failed", _("ناموفق")
        WITHDRAWN = "withdrawn", _("پس گرفته شده")

    source_name = models.CharField(_("نام فایل"), max_length=255)
    layout = models.CharField(_("قالب"), max_length=20, blank=True)
    checksum = models.CharField(_("چکیده SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    rows_read = models.IntegerField(_("ردیف‌های خوانده"), default=0)
    rows_stored = models.IntegerField(_("اعلان‌های ثبت‌شده"), default=0)
    # What the reader reported: duplicates dropped, date gaps, unmatched products, row problems.
    report = models.JSONField(_("گزارش خواندن"), default=dict, blank=True)
    message = models.TextField(_("پیام"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("کاربر"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("زمان"), default=timezone.now)
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
        constraints = [
            models.UniqueConstraint(
                fields=["checksum"], condition=models.Q(status="active"), name="uniq_active_notification_file"
            )
        ]
        verbose_name = _("دسته اعلان‌های خارجی")
        verbose_name_plural = _("دسته‌های اعلان‌های خارجی")

    def __str__(self) -> str:
        return f"#{self.pk} {self.source_name}"
