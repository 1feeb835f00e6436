"""Form fields every page shares: numbers and Jalali dates as a clerk types them, and the form base class.

- Numbers (:class:`LocalizedIntegerField`, :class:`LocalizedFloatField`, :class:`NumberField`): Persian,
  Arabic-Indic or Latin digits; thousands separators ``٬`` or ``,`` (in groups of three) and the decimal
  separator ``٫`` or ``.``. Always a text box with ``inputmode`` (a ``type=number`` box empties itself when
  Persian digits are typed), shown with Persian digits on the Persian pages.
- Dates (:class:`JalaliDateField`): ``۱۴۰۴/۰۹/۱۰``, ``1404-9-10``; a Gregorian-looking date (``2026/11/29``) and
  a year outside the field's plausible range are refused, each with its own message. The widget carries
  ``data-jdp``, which ``saderat/inputs.js`` turns into the Jalali date picker (typing still works).
- Years (:class:`JalaliYearField`): a Jalali year in a range; ``2025`` gets the Gregorian message.
- Lookups (:class:`LookupWidget`): a code box marked ``data-lookup="<kind>"``, which ``saderat/inputs.js``
  turns into an autocomplete fed by :mod:`saderat.web.common.lookups`; without JavaScript it is a plain box.
"""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from saderat.jalali import (
    DATE_YEARS,
    GREGORIAN_FROM,
    JalaliDateError,
    format_jalali_date,
    in_calendar_years,
    parse_plausible_date,
)
from saderat.text import to_latin_digits, to_persian_digits

__all__ = [
    "BAD_DATE",
    "BAD_NUMBER",
    "DATE_OUT_OF_RANGE",
    "GREGORIAN_DATE",
    "GREGORIAN_YEAR",
    "BootstrapForm",
    "JalaliDateField",
    "JalaliDateInput",
    "JalaliYearField",
    "LocalizedFloatField",
    "LocalizedIntegerField",
    "LookupWidget",
    "NumberField",
    "NumberInput",
    "normalize_number",
]

BAD_DATE = _("تاریخ را به شکل سال/ماه/روز شمسی بنویسید، مثلاً ۱۴۰۴/۰۹/۱۰.")
NO_SUCH_DAY = _("این روز در تقویم شمسی نیست (ماه ۱ تا ۱۲؛ اسفند فقط در سال کبیسه ۳۰ روز دارد).")
GREGORIAN_DATE = _("«%(value)s» تاریخ میلادی به نظر می‌رسد؛ تاریخ را شمسی بنویسید، مثلاً ۱۴۰۴/۰۹/۱۰.")
DATE_OUT_OF_RANGE = _("سال «%(value)s» باورپذیر نیست؛ سال شمسی باید بین %(low)s و %(high)s باشد.")
#: The same, in a workspace whose region profile counts Gregorian dates.
BAD_GREGORIAN_DATE = _("تاریخ را به شکل سال-ماه-روز میلادی بنویسید، مثلاً 2026-12-04.")
NO_SUCH_GREGORIAN_DAY = _("این روز در تقویم میلادی نیست (ماه ۱ تا ۱۲؛ فوریه فقط در سال کبیسه ۲۹ روز دارد).")
JALALI_DATE = _("«%(value)s» تاریخ شمسی به نظر می‌رسد؛ تاریخ‌های این منطقه میلادی است، مثلاً 2026-12-04.")
GREGORIAN_DATE_OUT_OF_RANGE = _("سال «%(value)s» باورپذیر نیست؛ سال میلادی باید بین %(low)s و %(high)s باشد.")
GREGORIAN_YEAR = _("«%(value)s» سال میلادی به نظر می‌رسد؛ سال را شمسی بنویسید، مثلاً ۱۴۰۴.")
LOOKUP_NONE = _("چیزی پیدا نشد؛ کد یا بخشی از نام را بنویسید.")
LOOKUP_ADD = _("همین را بنویس:")
BAD_NUMBER = _("عدد را با رقم‌های فارسی یا لاتین بنویسید؛ جداکننده هزارگان ٬ یا , و جداکننده اعشار ٫ یا .")

# Thousands separators a clerk may type: Persian ٬ (U+066C), comma, Arabic comma ، (typed on a Persian
# keyboard by mistake for ٬), apostrophe-like marks; spaces (normal, no-break, thin) are removed too.
# A space inside a number groups thousands too (1 500 000): it must stand where a comma would.
_THOUSANDS = str.maketrans(
    {"٬": ",", "،": ",", "٫": ".", "\u00a0": ",", "\u2009": ",", "\u202f": ",", " ": ",", "\u2212": "-"}
)
_PLAIN = re.compile(r"^[+-]?\d+(\.\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
_LEADING_DOT = re.compile(r"^[+-]?\.\d+$")


def _persian() -> bool:
    return (get_language() or "fa").startswith("fa")


def normalize_number(text: str) -> str:
    """What a clerk typed, as Latin digits without grouping: ``"۱٬۵۰۰٫۵"`` -> ``"1500.5"``.

    Separators must be where they belong: ``1,5`` (no group of three) is not a number. Returns the text
    unchanged (stripped) when it does not read as a number, so the field's own message is shown.

    >>> normalize_number("۱٬۲۳۴٫۵"), normalize_number("1,234.5"), normalize_number(" ١٤٠٤ ")
    ('1234.5', '1234.5', '1404')
    """
    cleaned = to_latin_digits(text).strip().translate(_THOUSANDS)
    if _PLAIN.match(cleaned):
        return cleaned
    if _GROUPED.match(cleaned):
        return cleaned.replace(",", "")
    if _LEADING_DOT.match(cleaned):
        return cleaned.replace(".", "0.", 1)
    return cleaned


def local_number(value) -> str:
    """A number written back into a box: Persian digits and ``٫`` on the Persian pages, no grouping."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = str(value)
    if _persian():
        return to_persian_digits(text).replace(".", "٫")
    return text


class NumberInput(forms.TextInput):
    """A text box for numbers (never ``type=number``): the phone shows its numeric keyboard."""

    def __init__(self, attrs=None, *, decimal: bool = False):
        base = {"inputmode": "decimal" if decimal else "numeric", "dir": "ltr", "autocomplete": "off"}
        super().__init__({**base, **(attrs or {})})


class _LocalizedNumber:
    """Shared by the integer and the decimal field: parse Persian/Latin text, show local digits."""

    decimal = False

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", NumberInput(decimal=self.decimal))
        if isinstance(kwargs["widget"], type):
            kwargs["widget"] = kwargs["widget"]()
        super().__init__(*args, **kwargs)
        self.error_messages["invalid"] = BAD_NUMBER

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # min/max/step belong to number boxes; on a text box they mean nothing (the field checks the range).
        for key in ("min", "max", "step"):
            attrs.pop(key, None)
        return attrs

    def to_python(self, value):
        if isinstance(value, str):
            value = normalize_number(value)
            # Only plain digits reach Python's int()/float(), which would take "1_000", "1e5", "nan", "inf".
            if value and not _PLAIN.match(value):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return local_number(value)
        return value


class LocalizedIntegerField(_LocalizedNumber, forms.IntegerField):
    """A whole number: ``۱۴۰۴``, ``1,404``, ``۱٬۴۰۴``; bounded to what a database integer column holds."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_value", 2_147_483_647)
        kwargs.setdefault("min_value", -2_147_483_648)
        super().__init__(*args, **kwargs)


class LocalizedFloatField(_LocalizedNumber, forms.FloatField):
    """A decimal number: ``۱٬۵۰۰٫۵``, ``1,500.5``, ``893``."""

    decimal = True


#: The working group's name for the whole-number field.
NumberField = LocalizedIntegerField


class JalaliYearField(LocalizedIntegerField):
    """A Jalali year (``۱۴۰۴``); a Gregorian-looking year (``2025``) is refused with its own message."""

    def __init__(self, *args, years: tuple[int, int] = (1300, 1499), **kwargs):
        kwargs.setdefault("min_value", years[0])
        kwargs.setdefault("max_value", years[1])
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        year = super().to_python(value)
        if year is not None and year >= GREGORIAN_FROM:
            raise forms.ValidationError(
                GREGORIAN_YEAR, code="gregorian", params={"value": to_persian_digits(year)}
            )
        return year


#: A year of the statistics must be in the calendar of the region profile.
YEAR_OUT_OF_CALENDAR = _("سال «%(value)s» در تقویم آمار این منطقه (%(calendar)s، %(low)s تا %(high)s) نیست.")


def validate_statistics_year(year: int) -> None:
    """A year of the statistics' calendar: Jalali 1300-1499 for Iran (the default), Gregorian 1900-2199 for
    a region whose profile says so (saderat.reference.profile)."""
    from django.core.exceptions import ValidationError

    from saderat.ingest.validate import YEARS
    from saderat.web.reference.selectors import statistics_calendar

    calendar = statistics_calendar()
    low, high = YEARS[calendar]
    if not low <= year <= high:
        name = _("میلادی") if calendar == "gregorian" else _("شمسی")
        raise ValidationError(
            YEAR_OUT_OF_CALENDAR,
            code="calendar",
            params={"value": year, "calendar": name, "low": low, "high": high},
        )


class StatisticsYearField(JalaliYearField):
    """A year of the statistics (a target's, a report's): Jalali, as :class:`JalaliYearField`, unless the
    region profile counts Gregorian years (saderat.reference.profile); :class:`BootstrapForm` sets it from
    the profile each time a form is made, so a profile installed later is followed."""

    gregorian = False

    def follow_profile(self) -> None:
        from saderat.ingest.validate import YEARS
        from saderat.web.reference.selectors import statistics_calendar

        self.gregorian = statistics_calendar() == "gregorian"
        if self.gregorian:
            self.min_value, self.max_value = YEARS["gregorian"]
            self.validators = [validate_statistics_year]
            self.widget.attrs["placeholder"] = "2025"

    def to_python(self, value):
        if self.gregorian:
            return LocalizedIntegerField.to_python(self, value)
        return super().to_python(value)


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


class JalaliDateInput(forms.TextInput):
    """A text box for a Jalali date, marked ``data-jdp`` for the date picker (typing still works); under a
    Gregorian region profile, the browser's own date box (``type="date"``, ISO values, the phone's picker),
    decided when it is drawn so that a profile installed later is followed."""

    def __init__(self, attrs=None):
        base = {
            "data-jdp": "",
            "maxlength": "12",
            "placeholder": _("۱۴۰۴/۰۹/۱۰"),
            "inputmode": "numeric",
            "dir": "ltr",
            "autocomplete": "off",
        }
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name, value, attrs):
        from saderat.web.reference.selectors import workspace_calendar

        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        bounds = (
            widget["attrs"].pop("data-gregorian-min", None),
            widget["attrs"].pop("data-gregorian-max", None),
        )
        if workspace_calendar() == "gregorian":
            jalali = {"data-jdp", "data-jdp-min-date", "data-jdp-max-date", "maxlength", "inputmode"}
            widget["attrs"] = {k: v for k, v in widget["attrs"].items() if k not in jalali}
            if widget["value"] and not _ISO_DAY.fullmatch(str(widget["value"])):
                # A refused entry stays as typed beside its error (a date box would drop it).
                widget["attrs"]["placeholder"] = "2026-12-04"
            else:
                widget["type"] = "date"
                widget["attrs"].pop("placeholder", None)
                if bounds[0]:
                    widget["attrs"]["min"], widget["attrs"]["max"] = bounds
        return context


def date_input_text(value: dt.date) -> str:
    """A day as a date box of the workspace's calendar holds it: ``۱۴۰۴/۰۹/۱۰`` in Iran (Latin digits on
    English pages), ``2026-12-04`` under a Gregorian profile (what the browser's date box takes)."""
    from saderat.web.reference.selectors import workspace_calendar

    if workspace_calendar() == "gregorian":
        return value.isoformat()
    text = format_jalali_date(value)
    return to_persian_digits(text) if _persian() else text


class JalaliDateField(forms.CharField):
    """A date of the workspace's calendar, cleaned to a ``datetime.date``: Jalali in Iran, typed as
    ۱۴۰۴/۰۹/۱۰ or 1404-9-10 (or picked); under a Gregorian region profile typed or picked as 2026-12-04
    (:func:`saderat.jalali.parse_plausible_date`). The calendar is read when the form is cleaned or drawn.

    ``years`` is the inclusive range of plausible Jalali years (:data:`saderat.jalali.DATE_YEARS` unless
    given; the overlapping Gregorian years under a Gregorian profile); the picker is told the same range
    (``data-jdp-min-date``/``data-jdp-max-date``, or the date box's ``min``/``max``)."""

    widget = JalaliDateInput

    def __init__(self, *args, years: tuple[int, int] = DATE_YEARS, **kwargs):
        self.years = years
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, JalaliDateInput):
            attrs["data-jdp-min-date"] = f"{self.years[0]}/01/01"
            attrs["data-jdp-max-date"] = f"{self.years[1]}/12/29"
            low, high = in_calendar_years(self.years, "gregorian")
            attrs["data-gregorian-min"], attrs["data-gregorian-max"] = f"{low}-01-01", f"{high}-12-31"
        return attrs

    def prepare_value(self, value):
        return date_input_text(value) if isinstance(value, dt.date) else value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        from saderat.web.reference.selectors import workspace_calendar

        calendar = workspace_calendar()
        try:
            return parse_plausible_date(text, self.years, calendar)
        except JalaliDateError as exc:
            shown = to_persian_digits(text.strip()) if _persian() else text.strip()
            if calendar == "gregorian":
                raise _gregorian_date_error(exc, shown) from exc
            if exc.kind == "gregorian":
                raise forms.ValidationError(
                    GREGORIAN_DATE, code="gregorian", params={"value": shown}
                ) from exc
            if exc.kind == "range":
                low, high = (to_persian_digits(y) if _persian() else str(y) for y in self.years)
                year = shown.replace("-", "/").split("/")[0]
                raise forms.ValidationError(
                    DATE_OUT_OF_RANGE, code="range", params={"value": year, "low": low, "high": high}
                ) from exc
            if exc.kind == "invalid":
                raise forms.ValidationError(NO_SUCH_DAY, code="invalid") from exc
            raise forms.ValidationError(BAD_DATE, code="invalid") from exc


def _gregorian_date_error(exc: JalaliDateError, shown: str) -> forms.ValidationError:
    """Why a date typed in a Gregorian workspace is refused
    (:func:`saderat.jalali.parse_plausible_gregorian_date`)."""
    if exc.kind == "jalali":
        return forms.ValidationError(JALALI_DATE, code="jalali", params={"value": shown})
    if exc.kind == "range":
        low, high = (to_persian_digits(y) if _persian() else str(y) for y in exc.years)
        year = shown.replace("/", "-").replace(".", "-").split("-")[0]
        return forms.ValidationError(
            GREGORIAN_DATE_OUT_OF_RANGE, code="range", params={"value": year, "low": low, "high": high}
        )
    if exc.kind == "invalid":
        return forms.ValidationError(NO_SUCH_GREGORIAN_DAY, code="invalid")
    return forms.ValidationError(BAD_GREGORIAN_DATE, code="invalid")


class LookupWidget(forms.TextInput):
    """A code box that ``saderat/inputs.js`` turns into an autocomplete (tom-select) fed by the lookup
    endpoint of ``kind`` (``hs``, ``tariff``, ``countries``, ``counties``, ``agencies``, ``firms``).

    Without JavaScript the clerk types the code. ``labels`` (optional) maps a code to the text shown for
    the current value, so the autocomplete starts with the name rather than the bare code."""

    def __init__(self, kind: str, attrs=None, *, multiple: bool = False, params: dict | None = None):
        base = {"data-lookup": kind, "dir": "ltr", "autocomplete": "off"}
        if multiple:
            base["data-lookup-multiple"] = ""
        for key, value in (params or {}).items():
            base[f"data-lookup-{key}"] = str(value)
        super().__init__({**base, **(attrs or {})})
        self.kind = kind

    def get_context(self, name, value, attrs):
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        # The endpoints' common prefix (the kind is appended by inputs.js) and the box's own words.
        widget_attrs["data-lookup-base"] = reverse("lookups:lookup", args=["kind"])[: -len("kind/")]
        widget_attrs["data-lookup-none"] = LOOKUP_NONE
        widget_attrs["data-lookup-add"] = LOOKUP_ADD
        label = _lookup_label(self.kind, value)
        if label:
            widget_attrs["data-lookup-label"] = label
        return context


def _lookup_label(kind: str, value) -> str:
    if value in (None, ""):
        return ""
    from saderat.web.common.lookups import label_for

    try:
        return label_for(kind, str(value))
    except Exception:  # noqa: BLE001 - a label is a nicety; the box still shows the code
        return ""


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, so the templates can loop over fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, StatisticsYearField):
                field.follow_profile()
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
