"""Forms of the registry pages: the firm list's filters, the registry upload, and the resolution that names
potential exporters (the working group's resolution form with a session and the firms chosen in the list)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saderat.text import to_latin_digits
from saderat.web.common.fields import BootstrapForm
from saderat.web.registry import permissions
from saderat.web.registry.models import Firm, RegistryBatch
from saderat.web.workgroup.forms import ResolutionForm
from saderat.web.workgroup.models import Session

CARD_CHOICES = [
    ("", _("همه")),
    ("active", _("کارت فعال")),
    ("expired", _("کارت منقضی")),
    ("suspended", _("کارت تعلیق‌شده")),
    ("none", _("بدون کارت")),
]
YES_NO = [("", _("همه")), ("yes", _("دارد")), ("no", _("ندارد"))]
NO_FIRMS_CHOSEN = _("دست‌کم یک بنگاه را از فهرست انتخاب کنید.")
NO_SESSION = _("جلسه‌ای ثبت نشده است؛ نخست جلسه کارگروه را ثبت کنید.")


class DataSelect(forms.Select):
    """A select whose options are data values (county names): an option written in the language other than
    the page's is marked with its ``lang`` and ``dir`` (an ``<option>`` cannot hold a marked ``<span>``)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        from saderat.web.reference.templatetags.labels import data_digits, text_language

        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        lang = text_language(option["label"])
        if lang is not None:
            option["attrs"] = {**option["attrs"], "lang": lang, "dir": "rtl" if lang == "fa" else "ltr"}
        else:
            option["label"] = data_digits(option["label"])
        return option


def _small(form: forms.Form) -> None:
    for field in form.fields.values():
        field.widget.attrs.setdefault(
            "class",
            "form-select form-select-sm"
            if isinstance(field.widget, forms.Select)
            else "form-control form-control-sm",
        )


class FirmFilterForm(forms.Form):
    """The firm list's search and filters (GET); unknown values are ignored rather than refused."""

    q = forms.CharField(
        label=_("نام، شناسه ملی، کد ملی، شماره کارت یا پروانه"), required=False, max_length=120
    )
    county = forms.ChoiceField(label=_("شهرستان"), required=False, widget=DataSelect)
    isic = forms.CharField(label=_("فعالیت (ISIC)"), required=False, max_length=5)
    card = forms.ChoiceField(label=_("کارت بازرگانی"), required=False, choices=CARD_CHOICES)
    exporter = forms.ChoiceField(label=_("شناسه صادرکننده"), required=False, choices=YES_NO)
    has_units = forms.ChoiceField(label=_("واحد صنعتی"), required=False, choices=YES_NO)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from saderat.web.reference.models import County
        from saderat.web.reference.templatetags.labels import local_name

        counties = County.objects.filter(province_id=settings.SADERAT_PROVINCE).order_by("name_fa")
        self.fields["county"].choices = [("", _("همه شهرستان‌ها"))] + [
            (c.code, local_name(c)) for c in counties
        ]
        _small(self)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "q": data.get("q") or "",
            "county": data.get("county") or None,
            "isic": to_latin_digits(data.get("isic") or "").strip(),
            "card": data.get("card") or "",
            "exporter": data.get("exporter") or "",
            "has_units": data.get("has_units") or "",
        }


def kinds_for(user) -> list[tuple[str, str]]:
    """The registers ``user`` may import (all for the secretariat; its own for an agency)."""
    return [(k, label) for k, label in RegistryBatch.Kind.choices if permissions.can_manage_registry(user, k)]


class RegistryUploadForm(BootstrapForm):
    file = forms.FileField(label=_("فایل (xlsx، xls، ods یا csv)"))
    kind = forms.ChoiceField(label=_("نوع فهرست"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = kinds_for(user)
        # Detection picks any register: only for a user who may import every register.
        auto = [("", _("تشخیص از سرستون‌ها"))] if permissions.is_manager(user) else []
        self.fields["kind"].choices = auto + kinds
        self.fields["kind"].required = not auto
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xlsm,.ods,.xls,.csv"


def _session_label(session) -> str:
    from saderat.web.common.i18n import local_digits
    from saderat.web.reference.selectors import workspace_date

    return gettext("جلسه %(number)s (%(date)s)") % {
        "number": local_digits(session.number),
        "date": local_digits(workspace_date(session.held_on)),
    }


class PotentialResolutionForm(ResolutionForm):
    """A resolution of a session that names firms of the potential exporters' list (their check boxes in
    the list belong to this form)."""

    session = forms.ModelChoiceField(label=_("جلسه کارگروه"), queryset=Session.objects.none())
    firms = forms.ModelMultipleChoiceField(
        label=_("بنگاه‌ها"),
        queryset=Firm.objects.none(),
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    field_order = ["session", "text", "responsible_agency", "deadline", "priority"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("number", "target", "hs_code", "country", "supporting_agencies"):
            self.fields.pop(name, None)
        self.fields["session"].queryset = Session.objects.order_by("-held_on", "-number")
        self.fields["session"].label_from_instance = _session_label
        self.fields["session"].widget.attrs.setdefault("class", "form-select")
        self.fields["firms"].queryset = Firm.objects.filter(merged_into__isnull=True)
        self.fields["text"].widget.attrs["rows"] = 3

    def clean_firms(self):
        firms = self.cleaned_data.get("firms")
        if not firms:
            raise forms.ValidationError(NO_FIRMS_CHOSEN)
        return firms
