"""Reference tables, loaded from the package's shipped data (``saderat load-reference``) and editable in admin."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from saderat.web.common.audit import audited


@audited
class Country(models.Model):
    code = models.CharField(
        _("کد"), max_length=8, primary_key=True, help_text=_("ISO 3166-1 alpha-3؛ X.. = غیرکشور")
    )
    iso2 = models.CharField("ISO2", max_length=2, blank=True)
    name_fa = models.CharField(_("نام فارسی"), max_length=120)
    name_en = models.CharField(_("نام انگلیسی"), max_length=120, blank=True)
    is_country = models.BooleanField(
        _("کشور است"), default=True, help_text=_("خیر برای مناطق آزاد و مقصدهای غیرکشوری")
    )
    note = models.CharField(_("یادداشت"), max_length=255, blank=True)

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("کشور/مقصد")
        verbose_name_plural = _("کشورها و مقصدها")

    def __str__(self) -> str:
        return f"{self.name_fa} ({self.code})"


@audited
class CountryAlias(models.Model):
    alias_fa = models.CharField(_("نگارش"), max_length=200, unique=True)
    country = models.ForeignKey(
        Country, verbose_name=_("کشور"), on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        ordering = ["alias_fa"]
        verbose_name = _("نگارش دیگر نام کشور")
        verbose_name_plural = _("نگارش‌های دیگر نام کشورها")

    def __str__(self) -> str:
        return self.alias_fa


class HSCode(models.Model):
    code = models.CharField(_("کد"), max_length=8, primary_key=True)
    level = models.PositiveSmallIntegerField(_("سطح"), help_text=_("1 بخش، 2 فصل، 4 سرفصل، 6 زیرسرفصل"))
    parent = models.CharField(_("والد"), max_length=8, blank=True)
    section = models.CharField(_("بخش"), max_length=5, blank=True)
    name_fa = models.TextField(_("شرح فارسی"), blank=True)
    name_en = models.TextField(_("شرح انگلیسی"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("کد HS")
        verbose_name_plural = _("نظام‌نامه HS")

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        """The description in the active language (see ``reference.selectors.localized_name``)."""
        from saderat.web.reference.selectors import english, hs_labels, localized_name

        if english() and not self.name_en:
            return hs_labels([self.code]).get(self.code, self.name_fa)
        return localized_name(self.name_fa, self.name_en)


class TariffLine(models.Model):
    code_system = models.CharField(_("نظام کدگذاری"), max_length=16)
    code = models.CharField(_("کد"), max_length=12)
    hs6 = models.CharField("HS6", max_length=6, blank=True)
    name_fa = models.TextField(_("شرح"), blank=True)

    class Meta:
        ordering = ["code_system", "code"]
        constraints = [models.UniqueConstraint(fields=["code_system", "code"], name="uniq_tariff_line")]
        verbose_name = _("ردیف تعرفه")
        verbose_name_plural = _("ردیف‌های تعرفه")

    def __str__(self) -> str:
        return f"{self.code} {self.name_fa[:60]}"

    @property
    def label(self) -> str:
        """The line's (Persian) description; on English pages its HS6's (or HS4's) English text."""
        from saderat.web.reference.selectors import tariff_labels

        return tariff_labels([self.code]).get(self.code, self.name_fa)


class Province(models.Model):
    # Iran's SCI 2-digit code, or a region profile's code of any alphabet (saderat.reference.profile).
    code = models.CharField(_("کد مرکز آمار"), max_length=16, primary_key=True)
    name_fa = models.CharField(_("نام"), max_length=60)
    name_en = models.CharField(_("نام انگلیسی"), max_length=60, blank=True)
    population_2016 = models.PositiveIntegerField(_("جمعیت ۱۳۹۵"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("استان")
        verbose_name_plural = _("استان‌ها")

    def __str__(self) -> str:
        return self.name_fa


class County(models.Model):
    # Iran's SCI 4-digit code, or a region profile's sub-region code (a municipality's 7-digit IBGE code).
    code = models.CharField(_("کد مرکز آمار"), max_length=16, primary_key=True)
    province = models.ForeignKey(
        Province, verbose_name=_("استان"), on_delete=models.PROTECT, related_name="counties"
    )
    name_fa = models.CharField(_("نام"), max_length=80)
    population_2016 = models.PositiveIntegerField(_("جمعیت ۱۳۹۵"), null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("شهرستان")
        verbose_name_plural = _("شهرستان‌ها")

    def __str__(self) -> str:
        return self.name_fa


@audited
class CustomsOffice(models.Model):
    code = models.CharField(
        _("کد گمرک"), max_length=5, blank=True, help_text=_("۵ رقمی؛ خالی اگر معلوم نیست")
    )
    name_fa = models.CharField(_("نام"), max_length=160, unique=True)
    province = models.ForeignKey(
        Province, verbose_name=_("استان"), on_delete=models.PROTECT, related_name="offices"
    )
    aliases = models.TextField(_("نگارش‌های دیگر"), blank=True, help_text=_("با | جدا کنید"))

    class Meta:
        ordering = ["name_fa"]
        verbose_name = _("گمرک")
        verbose_name_plural = _("گمرکات")

    def __str__(self) -> str:
        return self.name_fa


@audited
class BilateralBatch(models.Model):
    """A year of world bilateral trade (a CEPII BACI file) stored in the warehouse (``warehouse/bilateral``):
    what the product pages' main importers and ITC potential come from. A newer file of the same year
    replaces the stored year and its record; a file already stored is not stored again."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("در انبار")
        REPLACED = "replaced", _("جایگزین شده")

    year = models.IntegerField(_("سال میلادی"))
    source_name = models.CharField(_("نام فایل"), max_length=255)
    checksum = models.CharField(_("چکیده SHA-256"), max_length=64, db_index=True)
    rows = models.IntegerField(_("ردیف‌ها"), default=0)
    exporters = models.IntegerField(_("کشورهای صادرکننده"), default=0)
    value_usd = models.FloatField(_("ارزش (دلار)"), default=0.0)
    status = models.CharField(_("وضعیت"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("کاربر"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("زمان"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(status="active"), name="uniq_active_bilateral_year"
            )
        ]
        verbose_name = _("داده دوجانبه جهانی (BACI)")
        verbose_name_plural = _("داده‌های دوجانبه جهانی (BACI)")

    def __str__(self) -> str:
        return f"BACI {self.year} ({self.source_name})"
