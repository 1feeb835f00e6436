"""Forms of the target pages: a target, its revision and a cumulative report. Numbers and years are typed
with Persian or Latin digits (:mod:`saderat.web.common.fields`); the services decide the rest."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from saderat.text import to_persian_digits
from saderat.web.accounts.models import Agency
from saderat.web.common.fields import (
    BootstrapForm,
    JalaliDateField,
    LocalizedFloatField,
    LocalizedIntegerField,
    LookupWidget,
    StatisticsYearField,
)
from saderat.web.common.labels import calendar_label, currency_label
from saderat.web.targets.models import Target, metric_choices

# Re-exported: other forms imported these from here before they moved to saderat.web.common.fields.
__all__ = [
    "BootstrapForm",
    "LocalizedFloatField",
    "LocalizedIntegerField",
    "ReportForm",
    "RevisionForm",
    "TargetForm",
]

BELOW_BASELINE = _(
    "هدف (%(value)s) از مبنای مقایسه (%(baseline)s) کمتر است، یعنی کاهش نسبت به سال پیش. اگر عمداً چنین "
    "است، «هدف کمتر از مبنا را تأیید می‌کنم» را بزنید."
)
#: The scope's code box looks up the kind that fits the chosen scope (inputs.js switches it).
SCOPE_LOOKUPS = "county=counties;section=hs:1;chapter=hs:2;market=countries;office=offices"


def _entry_factor(metric: str) -> float:
    from saderat.web.targets.metrics import METRICS

    spec = METRICS.get(metric)
    return spec.entered_per if spec else 1.0


def _shown(value: float) -> str:
    text = f"{value:,.1f}".removesuffix(".0")
    if (get_language() or "fa").startswith("fa"):
        return to_persian_digits(text.replace(",", "٬").replace(".", "٫"))
    return text


class TargetForm(BootstrapForm):
    year = StatisticsYearField(label=_("سال"), years=(1380, 1430))
    metric = forms.ChoiceField(label=_("شاخص"), choices=metric_choices)
    value = LocalizedFloatField(
        label=_("مقدار هدف"),
        min_value=0,
        help_text=currency_label(_("ارزش به میلیون دلار، وزن به تن، سهم به درصد، تعداد به عدد")),
    )
    dimension = forms.ChoiceField(label=_("دامنه"), choices=Target.Dimension.choices, initial="province")
    dimension_code = forms.CharField(
        label=_("کد دامنه"),
        required=False,
        help_text=_("کد شهرستان، بخش/فصل HS، ISO3 کشور یا کد گمرک"),
        widget=LookupWidget("", params={"switch": "dimension", "kinds": SCOPE_LOOKUPS}),
    )
    basis = forms.ChoiceField(label=_("مبنا"), choices=Target.Basis.choices, initial="customs")
    baseline = LocalizedFloatField(
        label=_("مبنای مقایسه"), required=False, min_value=0, help_text=_("خالی = عملکرد سال پیش از آمار")
    )
    confirm_below_baseline = forms.BooleanField(label=_("هدف کمتر از مبنا را تأیید می‌کنم"), required=False)
    agency = forms.ModelChoiceField(
        label=_("دستگاه مسئول"),
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.Select(attrs={"data-lookup": "agencies"}),
    )
    profile = forms.ChoiceField(
        label=_("الگوی ماهانه"), choices=Target.Profile.choices[:3], initial="seasonal"
    )
    note = forms.CharField(label=_("یادداشت"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def _baseline(self, data) -> float | None:
        """The baseline in entry units: the one typed, else last year's actual (as the service computes it)."""
        if data.get("baseline") is not None:
            return data["baseline"]
        from saderat.web.targets import selectors

        target = Target(
            year=data["year"],
            region=settings.SADERAT_PROVINCE,
            dimension=data.get("dimension") or Target.Dimension.PROVINCE,
            dimension_code=(data.get("dimension_code") or "").strip(),
            metric=data["metric"],
            basis=data.get("basis") or Target.Basis.CUSTOMS,
        )
        try:
            computed = selectors.computed_baseline(target)
        except Exception:  # noqa: BLE001 - no warehouse, unknown scope: the service reports it
            return None
        return None if computed is None else computed / _entry_factor(data["metric"])

    def clean(self):
        data = super().clean()
        if data.get("year") is None or data.get("value") is None or not data.get("metric"):
            return data
        baseline = self._baseline(data)
        if baseline is not None and data["value"] < baseline and not data.get("confirm_below_baseline"):
            self.add_error(
                "confirm_below_baseline",
                forms.ValidationError(
                    BELOW_BASELINE,
                    code="below_baseline",
                    params={"value": _shown(data["value"]), "baseline": _shown(baseline)},
                ),
            )
        return data


class RevisionForm(BootstrapForm):
    value = LocalizedFloatField(label=_("مقدار تازه هدف"), min_value=0)
    baseline = LocalizedFloatField(label=_("مبنای تازه (اختیاری)"), required=False, min_value=0)
    reason = forms.CharField(label=_("دلیل بازنگری"), widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(BootstrapForm):
    year = StatisticsYearField(label=_("سال"), years=(1380, 1430))
    months = LocalizedIntegerField(label=_("ماه‌های سپری‌شده"), min_value=1, max_value=12)
    value_musd = LocalizedFloatField(label=currency_label(_("ارزش تجمعی (میلیون دلار)")), min_value=0)
    weight_t = LocalizedFloatField(label=_("وزن تجمعی (تن)"), required=False, min_value=0)
    destinations = LocalizedIntegerField(label=_("تعداد کشورهای مقصد"), required=False, min_value=0)
    exporters = LocalizedIntegerField(label=_("تعداد صادرکنندگان"), required=False, min_value=0)
    national = forms.BooleanField(label=_("این رقم کل کشور است"), required=False)
    source = forms.CharField(label=_("منبع"), max_length=200)
    reported_on = JalaliDateField(label=calendar_label(_("تاریخ گزارش (شمسی، مثلاً ۱۴۰۴/۰۹/۱۰)")))
    replace = forms.BooleanField(label=_("جایگزین گزارش قبلی همین ماه‌ها شود"), required=False)
    confirm_decrease = forms.BooleanField(label=_("کاهش نسبت به ماه قبل را تأیید می‌کنم"), required=False)
