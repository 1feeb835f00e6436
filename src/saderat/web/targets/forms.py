from django import forms

from saderat.text import to_latin_digits
from saderat.web.accounts.models import Agency
from saderat.web.targets.models import Target


class LocalizedFloatField(forms.FloatField):
    """Accepts Persian digits and separators (۱٬۵۰۰٫۵)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value).replace("٬", "").replace(",", "").replace("٫", ".").strip()
        return super().to_python(value)


class LocalizedIntegerField(forms.IntegerField):
    def to_python(self, value):
        if isinstance(value, str):
            value = to_latin_digits(value).replace("٬", "").replace(",", "").strip()
        return super().to_python(value)


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, so the templates can loop over fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")


class TargetForm(BootstrapForm):
    year = LocalizedIntegerField(label="سال", min_value=1300, max_value=1499)
    metric = forms.ChoiceField(label="شاخص", choices=Target.Metric.choices)
    value = LocalizedFloatField(
        label="مقدار هدف", min_value=0, help_text="ارزش به میلیون دلار، وزن به تن، سهم به درصد، تعداد به عدد"
    )
    dimension = forms.ChoiceField(label="دامنه", choices=Target.Dimension.choices, initial="province")
    dimension_code = forms.CharField(
        label="کد دامنه", required=False, help_text="کد شهرستان، بخش/فصل HS، ISO3 کشور یا کد گمرک"
    )
    basis = forms.ChoiceField(label="مبنا", choices=Target.Basis.choices, initial="customs")
    baseline = LocalizedFloatField(
        label="مبنای مقایسه", required=False, min_value=0, help_text="خالی = عملکرد سال پیش از آمار"
    )
    agency = forms.ModelChoiceField(label="دستگاه مسئول", queryset=Agency.objects.all(), required=False)
    profile = forms.ChoiceField(label="الگوی ماهانه", choices=Target.Profile.choices[:3], initial="seasonal")
    note = forms.CharField(label="یادداشت", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RevisionForm(BootstrapForm):
    value = LocalizedFloatField(label="مقدار تازه هدف", min_value=0)
    baseline = LocalizedFloatField(label="مبنای تازه (اختیاری)", required=False, min_value=0)
    reason = forms.CharField(label="دلیل بازنگری", widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(BootstrapForm):
    year = LocalizedIntegerField(label="سال", min_value=1300, max_value=1499)
    months = LocalizedIntegerField(label="ماه‌های سپری‌شده", min_value=1, max_value=12)
    value_musd = LocalizedFloatField(label="ارزش تجمعی (میلیون دلار)", min_value=0)
    weight_t = LocalizedFloatField(label="وزن تجمعی (تن)", required=False, min_value=0)
    destinations = LocalizedIntegerField(label="تعداد کشورهای مقصد", required=False, min_value=0)
    exporters = LocalizedIntegerField(label="تعداد صادرکنندگان", required=False, min_value=0)
    national = forms.BooleanField(label="این رقم کل کشور است", required=False)
    source = forms.CharField(label="منبع", max_length=200)
    reported_on = forms.CharField(label="تاریخ گزارش (شمسی، مثلاً ۱۴۰۴/۰۹/۱۰)")
    replace = forms.BooleanField(label="جایگزین گزارش قبلی همین ماه‌ها شود", required=False)
    confirm_decrease = forms.BooleanField(label="کاهش نسبت به ماه قبل را تأیید می‌کنم", required=False)

    def clean_reported_on(self):
        import jdatetime

        text = to_latin_digits(self.cleaned_data["reported_on"]).strip().replace("-", "/")
        try:
            y, m, d = (int(x) for x in text.split("/"))
            return jdatetime.date(y, m, d).togregorian()
        except (ValueError, TypeError) as exc:
            raise forms.ValidationError("تاریخ را به شکل سال/ماه/روز شمسی بنویسید، مثلاً ۱۴۰۴/۰۹/۱۰.") from exc
