"""Export targets, their dated revisions, and cumulative progress reports entered by hand.

A target is never overwritten: its value and baseline live in :class:`TargetRevision` rows; the latest
is in force. A progress report replaced by a newer one for the same months stays, marked not current.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext, gettext_noop, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from saderat.web.common.audit import audited
from saderat.web.common.fields import validate_statistics_year
from saderat.web.common.labels import currency_label


@audited
class Target(models.Model):
    class Metric(models.TextChoices):
        # In the reporting currency (USD for Iran); the code keeps its first name for the API. The label is
        # fixed here (a migration must not depend on the installed profile): pages show it through
        # currency_label (metric_choices, metric_display).
        VALUE = "value_usd", _("ارزش صادرات (میلیون دلار)")
        WEIGHT = "weight_t", _("وزن صادرات (تن)")
        SHARE = "share_pct", _("سهم از صادرات کشور (درصد)")
        DESTINATIONS = "destinations", _("تعداد بازارهای مقصد")
        EXPORTERS = "exporters", _("تعداد صادرکنندگان فعال")

    class Dimension(models.TextChoices):
        PROVINCE = "province", _("کل استان")
        COUNTY = "county", _("شهرستان")
        SECTION = "section", _("بخش HS")
        CHAPTER = "chapter", _("فصل HS")
        MARKET = "market", pgettext_lazy("label", "بازار مقصد")
        OFFICE = "office", _("گمرک")

    class Basis(models.TextChoices):
        CUSTOMS = "customs", _("گمرک ترخیص")
        ORIGIN = "origin", _("مبدأ تولید")

    class Profile(models.TextChoices):
        SEASONAL = "seasonal", _("فصلی: سال‌های گذشته همین دامنه")
        PROVINCE = "province", _("فصلی: سال‌های گذشته کل استان")
        LINEAR = "linear", _("یکنواخت (m/12)")
        CUSTOM = "custom", _("دلخواه دبیرخانه")

    year = models.PositiveSmallIntegerField("سال", validators=[validate_statistics_year], db_index=True)
    region = models.CharField("استان (کد مرکز آمار)", max_length=16)  # any region profile's code
    dimension = models.CharField(
        "دامنه", max_length=10, choices=Dimension.choices, default=Dimension.PROVINCE
    )
    dimension_code = models.CharField("کد دامنه", max_length=12, blank=True)
    metric = models.CharField("شاخص", max_length=14, choices=Metric.choices)
    basis = models.CharField("مبنا", max_length=8, choices=Basis.choices, default=Basis.CUSTOMS)
    responsible_agency = models.ForeignKey(
        "accounts.Agency", verbose_name="دستگاه مسئول", null=True, blank=True, on_delete=models.PROTECT
    )
    profile = models.CharField(
        "الگوی ماهانه", max_length=10, choices=Profile.choices, default=Profile.SEASONAL
    )
    custom_profile = models.JSONField("الگوی دلخواه (درصد تجمعی ۱۲ ماه)", null=True, blank=True)
    note = models.TextField("یادداشت", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ثبت‌کننده", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    class Meta:
        ordering = ["year", "region", "dimension", "dimension_code", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region", "dimension", "dimension_code", "metric", "basis"],
                name="uniq_target_scope",
            )
        ]
        verbose_name = "هدف کمی"
        verbose_name_plural = "اهداف کمی"

    def __str__(self) -> str:
        scope = self.get_dimension_display() + (f" {self.dimension_code}" if self.dimension_code else "")
        return f"{self.year} — {scope} — {self.metric_display()}"

    def metric_display(self) -> str:
        """The metric's name in the reporting currency («ارزش صادرات (میلیون رئال برزیل)» in Paraná)."""
        return str(currency_label(self.get_metric_display()))

    @property
    def current(self) -> "TargetRevision | None":
        """The latest revision; from the prefetched revisions when the query prefetched them (no N+1)."""
        prefetched = getattr(self, "_prefetched_objects_cache", {}).get("revisions")
        if prefetched is not None:
            return max(prefetched, key=lambda r: (r.revised_at, r.id), default=None)
        return self.revisions.order_by("-revised_at", "-id").first()


#: The reason stored with a target's first revision (kept in Persian in the database and the API; pages show it
#: in their language, see :attr:`TargetRevision.reason_label`).
INITIAL_REASON = gettext_noop("هدف اولیه")


def metric_choices() -> list[tuple[str, str]]:
    """The metrics of a form, the value's in the reporting currency (lazily: read when the form is drawn)."""
    return [(code, currency_label(label)) for code, label in Target.Metric.choices]


@audited
class TargetRevision(models.Model):
    class BaselineSource(models.TextChoices):
        COMPUTED = "computed", _("محاسبه از آمار")
        ENTERED = "entered", _("واردشده")

    target = models.ForeignKey(Target, verbose_name="هدف", on_delete=models.CASCADE, related_name="revisions")
    value = models.FloatField("مقدار هدف", validators=[MinValueValidator(0)])
    baseline = models.FloatField("مبنای مقایسه (سال پیش)", validators=[MinValueValidator(0)])
    baseline_source = models.CharField("منبع مبنا", max_length=10, choices=BaselineSource.choices)
    reason = models.TextField("دلیل", blank=True)
    revised_at = models.DateTimeField("زمان", auto_now_add=True)
    revised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="کاربر", null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["target", "revised_at", "id"]
        verbose_name = "بازنگری هدف"
        verbose_name_plural = "بازنگری‌های هدف"

    def __str__(self) -> str:
        return f"{self.target}: {self.value:,.0f}"

    @property
    def reason_label(self) -> str:
        """The reason in the page's language where the system wrote it (the first revision's), else as typed."""
        return gettext(INITIAL_REASON) if self.reason == INITIAL_REASON else self.reason


@audited
class ProgressReport(models.Model):
    """A cumulative figure as the province receives it: "8 months: USD 893 M, 1.188 Mt, 87 countries".

    The national figure for the same months (for share targets) is a report of region ``IR``.
    """

    NATIONAL = "IR"

    region = models.CharField("استان", max_length=16, help_text="کد استان، یا IR برای رقم کل کشور")
    year = models.PositiveSmallIntegerField("سال", validators=[validate_statistics_year])
    months = models.PositiveSmallIntegerField(
        "ماه‌های سپری‌شده", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    value_usd = models.FloatField("ارزش تجمعی (دلار)", validators=[MinValueValidator(0)])
    weight_kg = models.FloatField(
        "وزن تجمعی (کیلوگرم)", null=True, blank=True, validators=[MinValueValidator(0)]
    )
    destinations = models.PositiveIntegerField("تعداد کشورهای مقصد", null=True, blank=True)
    exporters = models.PositiveIntegerField("تعداد صادرکنندگان", null=True, blank=True)
    source = models.CharField("منبع", max_length=200)
    reported_on = models.DateField("تاریخ گزارش")
    is_current = models.BooleanField("جاری", default=True)
    decrease_confirmed = models.BooleanField("کاهش نسبت به ماه قبل تأیید شد", default=False)
    is_synthetic = models.BooleanField("نمونه (ساختگی)", default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ثبت‌کننده", null=True, blank=True, on_delete=models.SET_NULL
    )
    entered_at = models.DateTimeField("زمان ثبت", auto_now_add=True)

    class Meta:
        ordering = ["region", "year", "months", "-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "year", "months"],
                condition=models.Q(is_current=True),
                name="uniq_current_report",
            )
        ]
        verbose_name = "گزارش تجمعی"
        verbose_name_plural = "گزارش‌های تجمعی"

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.months} ماه: {self.value_usd:,.0f}"
