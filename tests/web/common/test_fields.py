"""The shared form fields read what a clerk types: Persian, Arabic-Indic or Latin digits, thousands and decimal
separators, Jalali dates (with the picker's marks), and refuse a Gregorian date or an implausible year with
a message that says which."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation

from saderat.jalali import JalaliDateError, looks_gregorian, parse_plausible_jalali_date
from saderat.web.common.fields import (
    JalaliDateField,
    JalaliYearField,
    LocalizedFloatField,
    LocalizedIntegerField,
    LookupWidget,
    normalize_number,
)


@pytest.fixture(autouse=True)
def persian():
    """Messages are checked in Persian whatever language an earlier test's request left active."""
    with translation.override("fa"):
        yield


class Numbers(forms.Form):
    count = LocalizedIntegerField(required=False, min_value=0)
    amount = LocalizedFloatField(required=False, min_value=0)
    year = JalaliYearField(required=False, years=(1380, 1430))


class Dates(forms.Form):
    day = JalaliDateField(required=False)
    standard = JalaliDateField(required=False, years=(1350, 1430))


def clean(form_class, **data):
    form = form_class(data=data)
    form.is_valid()
    return form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۴", 1404),
        ("١٤٠٤", 1404),
        ("1404", 1404),
        ("۱٬۲۳۴٬۵۶۷", 1234567),
        ("1,234,567", 1234567),
        (" ۱ ۲۳۴ ", 1234),
        ("۱۲۰۰٫۰", 1200),
    ],
)
def test_integers_in_any_digits_and_separators(text, expected):
    form = clean(Numbers, count=text)
    assert form.errors == {} and form.cleaned_data["count"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱٬۵۰۰٫۵", 1500.5),
        ("1,500.5", 1500.5),
        ("۸۹۳", 893.0),
        ("٫۵", 0.5),
        ("0.25", 0.25),
        ("١٢٣٫٤", 123.4),
    ],
)
def test_decimals_in_any_digits_and_separators(text, expected):
    form = clean(Numbers, amount=text)
    assert form.errors == {} and form.cleaned_data["amount"] == pytest.approx(expected)


@pytest.mark.parametrize("text", ["1,5", "۱٬۲۳", "12a", "۱۲/۵", "--3"])
def test_misplaced_separators_and_letters_are_refused(text):
    form = clean(Numbers, amount=text)
    assert "جداکننده هزارگان" in form.errors["amount"][0]


def test_number_boxes_are_text_boxes_with_a_numeric_keyboard():
    html = str(Numbers()["count"]) + str(Numbers()["amount"]) + str(Numbers()["year"])
    assert 'type="number"' not in html and html.count('type="text"') == 3
    assert 'inputmode="numeric"' in html and 'inputmode="decimal"' in html
    assert "min=" not in html and "step=" not in html


def test_numbers_are_written_back_in_the_page_language():
    form = Numbers(initial={"count": 1404, "amount": 1500.5})
    with translation.override("fa"):
        assert 'value="۱۴۰۴"' in str(form["count"]) and 'value="۱۵۰۰٫۵"' in str(form["amount"])
    with translation.override("en"):
        assert 'value="1404"' in str(form["count"]) and 'value="1500.5"' in str(form["amount"])
    # What is written back reads again as the same number.
    assert normalize_number("۱۵۰۰٫۵") == "1500.5"


def test_a_gregorian_year_is_refused_with_its_own_message():
    assert clean(Numbers, year="۱۴۰۴").cleaned_data["year"] == 1404
    form = clean(Numbers, year="2025")
    assert "سال میلادی به نظر می‌رسد" in form.errors["year"][0]
    form = clean(Numbers, year="1370")
    assert "year" in form.errors and "میلادی" not in form.errors["year"][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("۱۴۰۴/۰۹/۱۰", dt.date(2025, 12, 1)),
        ("1404-9-10", dt.date(2025, 12, 1)),
        ("١٤٠٤.٠٩.١٠", dt.date(2025, 12, 1)),
        ("1403/12/30", dt.date(2025, 3, 20)),  # Esfand 30 in a leap year
        ("۱۴۰۸/۱۲/۳۰", dt.date(2030, 3, 20)),  # 1408 is leap too
        ("1380/01/01", dt.date(2001, 3, 21)),
        ("1430/12/29", dt.date(2052, 3, 19)),
    ],
)
def test_jalali_dates_in_any_digits(text, expected):
    form = clean(Dates, day=text)
    assert form.errors == {} and form.cleaned_data["day"] == expected


@pytest.mark.parametrize("text", ["2026/11/29", "2026-11-29", "29/11/2026", "۲۰۲۶/۱۱/۲۹", "1999/01/01"])
def test_a_gregorian_date_is_refused_as_gregorian(text):
    form = clean(Dates, day=text)
    (message,) = form.errors["day"]
    assert "تاریخ میلادی به نظر می‌رسد" in message and "شمسی" in message
    with pytest.raises(JalaliDateError) as caught:
        parse_plausible_jalali_date(text)
    assert caught.value.kind == "gregorian" and looks_gregorian(text)


@pytest.mark.parametrize(
    ("text", "year"), [("1379/12/29", "۱۳۷۹"), ("1431/01/01", "۱۴۳۱"), ("1800/01/01", "۱۸۰۰")]
)
def test_an_implausible_year_is_refused_with_the_range(text, year):
    with translation.override("fa"):
        form = clean(Dates, day=text)
        (message,) = form.errors["day"]
    assert "باورپذیر نیست" in message and year in message and "۱۳۸۰" in message and "۱۴۳۰" in message


def test_the_range_is_configurable_per_field():
    form = clean(Dates, standard="1360/05/01", day="")
    assert form.errors == {} and form.cleaned_data["standard"] == dt.date(1981, 7, 23)
    assert "day" not in form.errors
    assert "باورپذیر نیست" in clean(Dates, day="1360/05/01").errors["day"][0]


@pytest.mark.parametrize(
    ("text", "words"), [("1404/12/30", "اسفند"), ("1404/13/01", "ماه ۱ تا ۱۲"), ("امروز", "سال/ماه/روز")]
)
def test_impossible_days_and_other_text(text, words):
    form = clean(Dates, day=text)
    assert words in form.errors["day"][0]


def test_date_boxes_carry_the_picker_marks_and_show_the_date_in_the_page_language():
    form = Dates(initial={"day": dt.date(2025, 12, 1)})
    with translation.override("fa"):
        html = str(form["day"])
    assert "data-jdp" in html and 'data-jdp-min-date="1380/01/01"' in html
    assert 'data-jdp-max-date="1430/12/29"' in html and 'value="۱۴۰۴/۰۹/۱۰"' in html
    assert 'type="text"' in html and 'dir="ltr"' in html
    assert 'data-jdp-min-date="1350/01/01"' in str(form["standard"])
    with translation.override("en"):
        assert 'value="1404/09/10"' in str(form["day"])


@pytest.mark.django_db
def test_a_lookup_box_names_its_current_code_and_works_without_javascript():
    class Pick(forms.Form):
        country = forms.CharField(required=False, widget=LookupWidget("countries"))
        codes = forms.CharField(
            required=False, widget=LookupWidget("tariff", multiple=True, params={"create": 1})
        )

    with translation.override("fa"):
        html = str(Pick(initial={"country": "IRQ"})["country"])
    assert 'data-lookup="countries"' in html and 'type="text"' in html and 'value="IRQ"' in html
    assert 'data-lookup-label="عراق (IRQ)"' in html and 'data-lookup-base="/lookups/"' in html
    with translation.override("en"):
        assert 'data-lookup-label="Iraq (IRQ)"' in str(Pick(initial={"country": "IRQ"})["country"])
    codes = str(Pick()["codes"])
    assert "data-lookup-multiple" in codes and 'data-lookup-create="1"' in codes


@pytest.mark.django_db
def test_a_target_below_its_baseline_needs_the_confirmation_box():
    from saderat.web.targets.forms import TargetForm

    data = {
        "year": "۱۴۰۴",
        "metric": "value_usd",
        "value": "۸۰۰",
        "baseline": "۱٬۰۰۰",
        "dimension": "province",
        "basis": "customs",
        "profile": "seasonal",
    }
    with translation.override("fa"):
        form = TargetForm(data=data)
        assert not form.is_valid()
        (message,) = form.errors["confirm_below_baseline"]
    assert "کمتر است" in message and "۸۰۰" in message and "۱٬۰۰۰" in message
    confirmed = TargetForm(data={**data, "confirm_below_baseline": "on"})
    assert confirmed.is_valid(), confirmed.errors
    assert confirmed.cleaned_data["year"] == 1404 and confirmed.cleaned_data["baseline"] == 1000.0
    assert TargetForm(data={**data, "value": "1,000"}).is_valid()  # equal to the baseline: no question
    # Without a typed baseline, last year's actual from the warehouse is the baseline, as the service says.
    from saderat.web.targets.models import Target
    from saderat.web.targets.selectors import computed_baseline

    last_year = computed_baseline(Target(year=1403, region="00", metric="value_usd", basis="customs"))
    assert last_year, "the session's data has 1402"
    below = {**data, "year": "1403", "baseline": "", "value": str(last_year / 1e6 / 2)}
    form = TargetForm(data=below)
    assert not form.is_valid() and "confirm_below_baseline" in form.errors


@pytest.mark.parametrize("typed", ["1 2", "1_000", "1e5", "nan", "inf", "12abc"])
def test_number_fields_refuse_what_only_python_would_read(typed):
    """int()/float() read "1_000", "1e5", "nan" and "inf"; a clerk's number box does not."""
    from django import forms as django_forms

    from saderat.web.common.fields import LocalizedFloatField, LocalizedIntegerField

    for field in (LocalizedIntegerField(), LocalizedFloatField()):
        with pytest.raises(django_forms.ValidationError):
            field.clean(typed)


def test_number_fields_read_spaces_as_groups_and_a_true_minus_sign():
    from django import forms as django_forms

    from saderat.web.common.fields import LocalizedIntegerField

    field = LocalizedIntegerField()
    assert field.clean("1 500 000") == 1_500_000 and field.clean("\u2212۵") == -5
    with pytest.raises(django_forms.ValidationError):
        field.clean("9" * 30)  # beyond a database integer column
