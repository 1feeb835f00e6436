"""Reference tables, loaded from the package's shipped data (``saderat load-reference``) and editable in admin."""

from django.db import models

from saderat.web.common.audit import audited


@audited
class Country(models.Model):
    code = models.CharField(
        "کد", max_length=8, primary_key=True, help_text="ISO 3166-1 alpha-3؛ X.. = غیرکشور"
    )
    iso2 = models.CharField("ISO2", max_length=2, blank=True)
    name_fa = models.CharField("نام فارسی", max_length=120)
    name_en = models.CharField("نام انگلیسی", max_length=120, blank=True)
    is_country = models.BooleanField(
        "کشور است", default=True, help_text="خیر برای مناطق آزاد و مقصدهای غیرکشوری"
    )
    note = models.CharField("یادداشت", max_length=255, blank=True)

    class Meta:
        ordering = ["name_fa"]
        verbose_name = "کشور/مقصد"
        verbose_name_plural = "کشورها و مقصدها"

    def __str__(self) -> str:
        return f"{self.name_fa} ({self.code})"


@audited
class CountryAlias(models.Model):
    alias_fa = models.CharField("نگارش", max_length=200, unique=True)
    country = models.ForeignKey(
        Country, verbose_name="کشور", on_delete=models.CASCADE, related_name="aliases"
    )

    class Meta:
        ordering = ["alias_fa"]
        verbose_name = "نگارش دیگر نام کشور"
        verbose_name_plural = "نگارش‌های دیگر نام کشورها"

    def __str__(self) -> str:
        return self.alias_fa


class HSCode(models.Model):
    code = models.CharField("کد", max_length=8, primary_key=True)
    level = models.PositiveSmallIntegerField("سطح", help_text="1 بخش، 2 فصل، 4 سرفصل، 6 زیرسرفصل")
    parent = models.CharField("والد", max_length=8, blank=True)
    section = models.CharField("بخش", max_length=5, blank=True)
    name_fa = models.TextField("شرح فارسی", blank=True)
    name_en = models.TextField("شرح انگلیسی", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "کد HS"
        verbose_name_plural = "نظام‌نامه HS"

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    @property
    def label(self) -> str:
        return self.name_fa or self.name_en


class TariffLine(models.Model):
    code_system = models.CharField("نظام کدگذاری", max_length=16)
    code = models.CharField("کد", max_length=12)
    hs6 = models.CharField("HS6", max_length=6, blank=True)
    name_fa = models.TextField("شرح", blank=True)

    class Meta:
        ordering = ["code_system", "code"]
        constraints = [models.UniqueConstraint(fields=["code_system", "code"], name="uniq_tariff_line")]
        verbose_name = "ردیف تعرفه"
        verbose_name_plural = "ردیف‌های تعرفه"

    def __str__(self) -> str:
        return f"{self.code} {self.name_fa[:60]}"


class Province(models.Model):
    code = models.CharField("کد مرکز آمار", max_length=2, primary_key=True)
    name_fa = models.CharField("نام", max_length=60)
    name_en = models.CharField("نام انگلیسی", max_length=60, blank=True)
    population_2016 = models.PositiveIntegerField("جمعیت ۱۳۹۵", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "استان"
        verbose_name_plural = "استان‌ها"

    def __str__(self) -> str:
        return self.name_fa


class County(models.Model):
    code = models.CharField("کد مرکز آمار", max_length=4, primary_key=True)
    province = models.ForeignKey(
        Province, verbose_name="استان", on_delete=models.PROTECT, related_name="counties"
    )
    name_fa = models.CharField("نام", max_length=80)
    population_2016 = models.PositiveIntegerField("جمعیت ۱۳۹۵", null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "شهرستان"
        verbose_name_plural = "شهرستان‌ها"

    def __str__(self) -> str:
        return self.name_fa


@audited
class CustomsOffice(models.Model):
    code = models.CharField("کد گمرک", max_length=5, blank=True, help_text="۵ رقمی؛ خالی اگر معلوم نیست")
    name_fa = models.CharField("نام", max_length=160, unique=True)
    province = models.ForeignKey(
        Province, verbose_name="استان", on_delete=models.PROTECT, related_name="offices"
    )
    aliases = models.TextField("نگارش‌های دیگر", blank=True, help_text="با | جدا کنید")

    class Meta:
        ordering = ["name_fa"]
        verbose_name = "گمرک"
        verbose_name_plural = "گمرکات"

    def __str__(self) -> str:
        return self.name_fa
