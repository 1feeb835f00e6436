"""Forms of the working group's pages: they parse what a clerk types (Persian digits, Jalali dates) and
hand clean values to the services, which decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saderat.text import to_latin_digits
from saderat.web.accounts.models import Agency
from saderat.web.common.fields import (  # noqa: F401 - JalaliDateField and NumberField are used from here too
    BAD_DATE,
    BootstrapForm,
    JalaliDateField,
    LookupWidget,
    NumberField,
)
from saderat.web.common.labels import calendar_label
from saderat.web.reference.models import Country, County, HSCode
from saderat.web.targets.models import Target
from saderat.web.workgroup.models import MEMBER_STATUSES, Priority, Status

UNKNOWN_CODE = _("کد «%(code)s» در جدول مرجع پیدا نشد.")


class Checkboxes(forms.CheckboxSelectMultiple):
    """Bootstrap check boxes side by side (Django puts a widget's class on the wrapper and each box alike)."""

    template_name = "workgroup/widgets/choices.html"


class Radios(forms.RadioSelect):
    template_name = "workgroup/widgets/choices.html"


class MarkedSelect(forms.Select):
    """A select whose options hold text in the other language than the page's and mark it: an ``<option>``
    cannot hold a marked ``<span>``, so a target's label with a county's Persian name («1404 — County 0006
    ساوه — Export value») is ``lang="fa"`` on an English page. Its direction stays the page's while the label
    is laid out in the page's language (it has letters of it); an option wholly in the other language takes
    that language's direction too."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        from saderat.web.reference.templatetags.labels import LATIN_LETTER, PERSIAN_LETTER, text_language

        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        text = str(option["label"])
        lang = text_language(text)
        if lang:
            option["attrs"]["lang"] = lang
            if not (LATIN_LETTER if lang == "fa" else PERSIAN_LETTER).search(text):
                option["attrs"]["dir"] = "rtl" if lang == "fa" else "ltr"
        return option


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type sniffed, size, name)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _agencies():
    return Agency.objects.filter(is_active=True).order_by("name_fa")


class SessionForm(BootstrapForm):
    number = NumberField(label=_("شماره جلسه"), min_value=1)
    held_on = JalaliDateField(label=calendar_label(_("تاریخ جلسه (شمسی)")))
    chair = forms.CharField(label=_("رئیس جلسه"), max_length=200)
    location = forms.CharField(label=_("محل برگزاری"), max_length=200, required=False)
    agenda = forms.CharField(label=_("دستور جلسه"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("صورت‌جلسه"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    agencies_present = forms.ModelMultipleChoiceField(
        label=_("دستگاه‌های حاضر"),
        queryset=Agency.objects.none(),
        required=False,
        widget=Checkboxes,
    )
    agencies_absent = forms.ModelMultipleChoiceField(
        label=_("دستگاه‌های غایب"),
        queryset=Agency.objects.none(),
        required=False,
        widget=Checkboxes,
    )
    people_present = forms.CharField(
        label=_("افراد حاضر"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("هر نفر در یک سطر: نام، سپس «-» و سمت؛ مثلاً: علی رضایی - معاون استاندار"),
    )
    people_absent = forms.CharField(
        label=_("افراد غایب"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("هر نفر در یک سطر، مانند بالا"),
    )
    files = MultipleFileField(
        label=_("فایل‌ها (صورت‌جلسه امضاشده، ارائه‌ها)"),
        help_text=_("PDF، تصویر یا سند Word/Excel/PowerPoint؛ نوع فایل از محتوای آن بررسی می‌شود."),
    )

    def __init__(self, *args, with_files: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("agencies_present", "agencies_absent"):
            self.fields[name].queryset = _agencies()
        if not with_files:
            del self.fields["files"]

    def clean(self):
        data = super().clean()
        both = set(data.get("agencies_present") or []) & set(data.get("agencies_absent") or [])
        if both:
            names = "، ".join(str(a) for a in both)
            self.add_error(
                "agencies_absent", _("«%(names)s» هم حاضر و هم غایب زده شده است.") % {"names": names}
            )
        return data

    @staticmethod
    def _people(text: str, present: bool) -> list[dict]:
        people = []
        for line in (text or "").splitlines():
            line = line.strip()
            if not line:
                continue
            name, _sep, title = line.partition(" - ")
            people.append({"name": name.strip(), "title": title.strip(), "present": present})
        return people

    def attendees(self) -> list[dict]:
        data = self.cleaned_data
        rows = [{"agency": a, "present": True} for a in data.get("agencies_present") or []]
        rows += [{"agency": a, "present": False} for a in data.get("agencies_absent") or []]
        rows += self._people(data.get("people_present"), True)
        rows += self._people(data.get("people_absent"), False)
        return rows

    @classmethod
    def initial_for(cls, session) -> dict:
        attendees = list(session.attendees.all())

        def people(present: bool) -> str:
            return "\n".join(
                a.name + (f" - {a.title}" if a.title else "")
                for a in attendees
                if a.agency_id is None and a.name and a.present == present
            )

        return {
            "number": session.number,
            "held_on": session.held_on,
            "chair": session.chair,
            "location": session.location,
            "agenda": session.agenda,
            "minutes": session.minutes,
            "agencies_present": [a.agency_id for a in attendees if a.agency_id and a.present and not a.name],
            "agencies_absent": [
                a.agency_id for a in attendees if a.agency_id and not a.present and not a.name
            ],
            "people_present": people(True),
            "people_absent": people(False),
        }


class CodeField(forms.CharField):
    """A code typed by hand and looked up in a reference table (HS code, ISO3 country, county code)."""

    def __init__(self, *args, model=None, lookup: str | None = None, **kwargs):
        self.model = model
        kwargs.setdefault("required", False)
        if lookup:
            kwargs.setdefault("widget", LookupWidget(lookup))
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("dir", "ltr")

    def prepare_value(self, value):
        return getattr(value, "pk", value)

    def to_python(self, value):
        text = to_latin_digits(super().to_python(value) or "").strip().upper()
        if not text:
            return None
        try:
            return self.model.objects.get(pk=text)
        except self.model.DoesNotExist as exc:
            raise forms.ValidationError(UNKNOWN_CODE, params={"code": text}) from exc


class ResolutionForm(BootstrapForm):
    number = NumberField(label=_("شماره بند"), min_value=1, required=False)
    text = forms.CharField(label=_("متن مصوبه"), widget=forms.Textarea(attrs={"rows": 4}))
    responsible_agency = forms.ModelChoiceField(
        label=_("دستگاه مسئول"),
        queryset=Agency.objects.none(),
        widget=forms.Select(attrs={"data-lookup": "agencies"}),
    )
    supporting_agencies = forms.ModelMultipleChoiceField(
        label=_("دستگاه‌های همکار"),
        queryset=Agency.objects.none(),
        required=False,
        widget=Checkboxes,
    )
    deadline = JalaliDateField(label=calendar_label(_("مهلت (شمسی)")))
    priority = forms.ChoiceField(label=_("اولویت"), choices=Priority.choices, initial=Priority.NORMAL)
    target = forms.ModelChoiceField(
        label=_("هدف کمی مرتبط"), queryset=Target.objects.none(), required=False, widget=MarkedSelect
    )
    hs_code = CodeField(
        label=_("کد HS مرتبط"), model=HSCode, lookup="hs", help_text=_("کد یا نام کالا؛ مثلاً ۰۸۱۰ یا خرما")
    )
    country = CodeField(
        label=pgettext_lazy("label", "بازار مقصد"),
        model=Country,
        lookup="countries",
        help_text=_("نام کشور یا کد سه‌حرفی؛ مثلاً عراق یا IRQ"),
    )
    county = CodeField(
        label=_("شهرستان"),
        model=County,
        lookup="counties",
        help_text=_("نام شهرستان یا کد مرکز آمار؛ مثلاً ۰۰۰۶"),
    )
    note = forms.CharField(label=_("توضیح ویرایش"), required=False, max_length=300)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_agency"].queryset = _agencies()
        self.fields["supporting_agencies"].queryset = _agencies()
        self.fields["target"].queryset = Target.objects.order_by("-year", "dimension", "metric")
        # "۱۴۰۴ — شهرستان ساوه — ارزش صادرات": the year in the page's digits and the scope by name.
        self.fields["target"].label_from_instance = _target_label
        if editing:
            # The deadline changes only by a dated extension; the number is the minutes' own.
            del self.fields["deadline"]
            del self.fields["number"]
        else:
            del self.fields["note"]


class UpdateForm(BootstrapForm):
    text = forms.CharField(
        label=_("شرح اقدام"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("چه کاری، کی و با چه نتیجه‌ای انجام شد؛ اگر مانعی هست، آن را بنویسید."),
    )
    status = forms.ChoiceField(
        label=_("وضعیت"),
        choices=[(s.value, s.label) for s in MEMBER_STATUSES],
        initial=Status.IN_PROGRESS,
    )
    percent_done = NumberField(label=_("درصد پیشرفت"), min_value=0, max_value=100)
    request_done = forms.BooleanField(
        label=_("کار انجام شد؛ تأیید دبیرخانه را می‌خواهم"),
        required=False,
        help_text=_(
            "درصد پیشرفت ۱۰۰ می‌شود و دبیرخانه پس از بررسی مستندات، انجام را تأیید یا برای تکمیل برمی‌گرداند."
        ),
    )
    files = MultipleFileField(
        label=_("مستندات (اختیاری)"),
        help_text=_("PDF، تصویر یا سند Word/Excel/PowerPoint؛ نوع فایل از محتوای آن بررسی می‌شود."),
    )


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(
        label=_("تصمیم دبیرخانه"),
        choices=[("accept", _("انجام تأیید شود")), ("send_back", _("برای تکمیل برگردد"))],
        widget=Radios,
    )
    note = forms.CharField(
        label=_("یادداشت"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("برای برگرداندن لازم است: چه چیزی کم است؟"),
    )
    completed_on = JalaliDateField(
        label=_("تاریخ انجام (اختیاری)"),
        required=False,
        help_text=_("خالی = روزی که دستگاه انجام را اعلام کرد"),
    )


class StatusForm(BootstrapForm):
    status = forms.ChoiceField(label=_("وضعیت تازه"), choices=Status.choices)
    percent_done = NumberField(label=_("درصد پیشرفت"), min_value=0, max_value=100, required=False)
    completed_on = JalaliDateField(label=_("تاریخ انجام (برای «انجام شده»)"), required=False)
    note = forms.CharField(label=_("دلیل"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(BootstrapForm):
    new_deadline = JalaliDateField(label=calendar_label(_("مهلت تازه (شمسی)")))
    reason = forms.CharField(label=_("دلیل تمدید"), widget=forms.Textarea(attrs={"rows": 2}))


class FilesForm(BootstrapForm):
    files = MultipleFileField(label=_("فایل‌ها"), required=True)


class ResolutionFilterForm(forms.Form):
    """The resolution list's filters (GET); unknown values are ignored rather than refused."""

    agency = forms.ChoiceField(label=_("دستگاه"), required=False)
    status = forms.ChoiceField(label=_("وضعیت"), required=False)
    flag = forms.ChoiceField(
        label=_("پیگیری"),
        required=False,
        choices=[
            ("", _("همه")),
            ("open", _("باز (انجام‌نشده)")),
            ("overdue", _("گذشته از مهلت")),
            ("due_soon", _("مهلت تا ۷ روز دیگر")),
            ("awaiting", _("در انتظار تأیید دبیرخانه")),
        ],
    )
    session = NumberField(label=_("جلسه"), required=False, min_value=1)
    q = forms.CharField(label=_("جست‌وجو در متن"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("همه دستگاه‌ها"))] + [
            (a.code, str(a)) for a in Agency.objects.order_by("name_fa")
        ]
        self.fields["status"].choices = [("", _("همه وضعیت‌ها"))] + list(Status.choices)
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm",
            )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "agency": data.get("agency") or None,
            "status": data.get("status") or None,
            "flag": data.get("flag") or None,
            "session": data.get("session"),
            "query": data.get("q") or None,
        }


def _target_label(target: Target) -> str:
    from saderat.web.common.i18n import local_digits
    from saderat.web.targets.selectors import scope_label

    return f"{local_digits(target.year)} — {local_digits(scope_label(target))} — {target.metric_display()}"


class PeriodForm(forms.Form):
    start = JalaliDateField(label=calendar_label(_("از (شمسی)")))
    end = JalaliDateField(label=calendar_label(_("تا (شمسی)")))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("تاریخ آغاز دوره پس از تاریخ پایان آن است."))
        return data
