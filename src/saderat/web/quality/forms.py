"""Forms of the quality pages: a standard line, a certificate, a certificate's dated status, a scan, a file of
foreign notifications, and the compliance page's filters. Codes and IDs may be typed in Persian or Latin
digits; dates are Jalali."""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saderat.registry.identifiers import normalize_identifier
from saderat.text import to_latin_digits
from saderat.web.common.fields import (
    BootstrapForm,
    JalaliDateField,
    LocalizedIntegerField,
    LookupWidget,
    StatisticsYearField,
)
from saderat.web.quality.models import Certificate
from saderat.web.registry.models import Firm

BAD_CODE = _("کد تعرفه یا پیشوند HS باید ۲ تا ۸ رقم باشد (مثلاً ۰۸۰۲ یا ۰۸۰۲۵۱۰۰).")
BAD_CODES = _("کدها را با ویرگول جدا کنید؛ هر کد ۲ تا ۸ رقم (مثلاً ۰۸۰۲۵۱، ۰۸۰۲۵۲).")
BAD_STANDARD = _("شماره استاندارد به شکل رقم با بخش اختیاری نوشته می‌شود (مثلاً ۲۵۹-۱).")
UNKNOWN_FIRM = _("بنگاهی با این شناسه ملی یا کد ملی در ثبت بنگاه‌ها نیست.")
END_BEFORE_START = _("تاریخ پایان پیش از تاریخ آغاز است.")
EXPIRY_BEFORE_ISSUE = _("تاریخ انقضا پیش از تاریخ صدور است.")

#: The default issuer, as stored (a name, not interface text: the same in both languages).
DIRECTORATE_NAME = "اداره کل استاندارد استان مرکزی"
_CODE = re.compile(r"^[0-9]{2,8}$")
_STANDARD = re.compile(r"^[0-9]{1,6}(-[0-9]{1,3})?$")
_SPLIT = re.compile(r"[,،;؛/\s]+")


def clean_code(text: str) -> str:
    code = to_latin_digits(text or "").replace(".", "").replace(" ", "").strip()
    if not _CODE.match(code):
        raise forms.ValidationError(BAD_CODE)
    return code


def clean_standard_number(text: str, *, required: bool = True) -> str:
    number = to_latin_digits(text or "").strip().replace("–", "-").replace("_", "-")
    if not number and not required:
        return ""
    if not _STANDARD.match(number):
        raise forms.ValidationError(BAD_STANDARD)
    return number


class StandardForm(BootstrapForm):
    code_prefix = forms.CharField(
        label=_("ردیف تعرفه / پیشوند HS"), max_length=20, widget=LookupWidget("tariff", params={"create": 1})
    )
    standard_number = forms.CharField(label=_("شماره استاندارد ملی"), max_length=20)
    title = forms.CharField(label=_("عنوان استاندارد"), max_length=255, required=False)
    # Mandatory standards go back to the 1350s; an end date may lie a few years ahead.
    effective_from = JalaliDateField(label=_("معتبر از"), years=(1350, 1430))
    effective_to = JalaliDateField(
        label=_("معتبر تا (خالی: تا اطلاع بعدی)"), required=False, years=(1350, 1440)
    )
    source_document = forms.CharField(label=_("مرجع (مصوبه یا سند)"), max_length=255, required=False)
    note = forms.CharField(label=_("یادداشت"), max_length=255, required=False)

    def clean_code_prefix(self):
        return clean_code(self.cleaned_data["code_prefix"])

    def clean_standard_number(self):
        return clean_standard_number(self.cleaned_data["standard_number"])

    def clean(self):
        data = super().clean()
        start, end = data.get("effective_from"), data.get("effective_to")
        if start and end and end < start:
            self.add_error("effective_to", END_BEFORE_START)
        return data


class CertificateForm(BootstrapForm):
    number = forms.CharField(label=_("شماره گواهی"), max_length=40)
    firm_identifier = forms.CharField(
        label=_("شناسه ملی یا کد ملی دارنده"),
        max_length=20,
        widget=LookupWidget("firms", params={"create": 1}),
    )
    kind = forms.ChoiceField(label=_("نوع گواهی"), choices=Certificate.Kind.choices)
    codes = forms.CharField(
        label=_("ردیف‌های تعرفه (با ویرگول جدا)"),
        max_length=400,
        widget=LookupWidget("tariff", multiple=True, params={"create": 1}),
    )
    product = forms.CharField(label=_("کالا"), max_length=255, required=False)
    standard_numbers = forms.CharField(
        label=_("شماره(های) استاندارد (با ویرگول جدا)"), max_length=200, required=False
    )
    issuing_body = forms.CharField(label=_("مرجع صدور"), max_length=160, initial=DIRECTORATE_NAME)
    issued_on = JalaliDateField(label=_("تاریخ صدور"), years=(1380, 1430))
    expires_on = JalaliDateField(label=_("تاریخ انقضا"), years=(1380, 1440))

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["number"].disabled = True

    def clean_number(self):
        # One certificate whether its digits are typed in Persian or Latin (ق-۴۰۵۱۷ is ق-40517).
        return to_latin_digits(self.cleaned_data["number"]).strip()

    def clean_firm_identifier(self):
        value = normalize_identifier(to_latin_digits(self.cleaned_data["firm_identifier"]))
        live = Firm.objects.filter(merged_into__isnull=True)
        firm = live.filter(Q(national_id=value) | Q(national_code=value)).first()
        if firm is None:
            raise forms.ValidationError(UNKNOWN_FIRM)
        self.cleaned_data["firm"] = firm
        return value

    def clean_codes(self):
        parts = [p for p in _SPLIT.split(to_latin_digits(self.cleaned_data["codes"])) if p]
        if not parts:
            raise forms.ValidationError(BAD_CODES)
        try:
            return sorted(dict.fromkeys(clean_code(p) for p in parts))
        except forms.ValidationError as exc:
            raise forms.ValidationError(BAD_CODES) from exc

    def clean_standard_numbers(self):
        parts = [p for p in _SPLIT.split(to_latin_digits(self.cleaned_data.get("standard_numbers", ""))) if p]
        return sorted(dict.fromkeys(clean_standard_number(p) for p in parts))

    def clean(self):
        data = super().clean()
        if data.get("issued_on") and data.get("expires_on") and data["expires_on"] < data["issued_on"]:
            self.add_error("expires_on", EXPIRY_BEFORE_ISSUE)
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "firm": data["firm"],
            "kind": data["kind"],
            "codes": data["codes"],
            "product": data.get("product", ""),
            "standard_numbers": data.get("standard_numbers", []),
            "issuing_body": data["issuing_body"],
            "issued_on": data["issued_on"],
            "expires_on": data["expires_on"],
        }


class StatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("وضعیت تازه"), choices=Certificate.Status.choices)
    effective_on = JalaliDateField(label=_("از تاریخ"))
    reason = forms.CharField(label=_("علت"), max_length=255, required=False)


class ScanForm(BootstrapForm):
    scan = forms.FileField(label=_("تصویر گواهی (PDF یا تصویر)"))


class NotificationUploadForm(BootstrapForm):
    file = forms.FileField(label=_("فایل RASFF یا FDA (csv)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".csv,.csv.gz,.zip,.xlsx"


class ComplianceFilterForm(forms.Form):
    # A year of the statistics: Gregorian under such a region profile (2024 in Paraná).
    year = StatisticsYearField(label=_("سال"), required=False, years=(1300, 1499))
    months = LocalizedIntegerField(label=_("ماه‌های نخست"), required=False, min_value=1, max_value=12)
    by = forms.ChoiceField(
        label=_("به تفکیک"),
        required=False,
        choices=[
            ("tariff_code", _("ردیف تعرفه")),
            ("exporter_id", _("صادرکننده")),
            ("county_code", _("شهرستان")),
            ("partner_code", _("بازار مقصد")),
            ("month", _("ماه")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].follow_profile()
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm",
            )
