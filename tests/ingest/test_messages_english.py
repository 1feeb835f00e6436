"""Every ingest message has English wording, and a stored Persian message (a rejected row's reason, a
batch's message) is read back and worded in English, without Django in the ingest."""

import re
import string

import pytest

from saderat.ingest import messages
from saderat.ingest.pipeline import prepare_import
from saderat.ingest.readers import ImportFileError
from saderat.reference.loaders import ReferenceLookups

PERSIAN = re.compile(r"[\u0600-\u06FF]")
CONSTANTS = {
    name: value
    for name, value in vars(messages).items()
    if name.isupper() and isinstance(value, str) and PERSIAN.search(value)
}
SAMPLE = {
    "file": "exports.csv",
    "detail": "Bad magic number",
    "header": "a، b، c",
    "columns": "value_usd (ارزش دلاری)، year (سال)",
    "size_mb": "۵۱٫۲",
    "limit_mb": "۵۰",
    "entry": "data.csv",
    "ratio": "۱۲۰",
    "limit": "۱۰۰٬۰۰۰٬۰۰۰٬۰۰۰",
    "declared": "۱۰۲۴",
    "count": "۲",
    "names": "a.csv، b.csv",
    "encoding": "UTF-16 LE",
    "kind": "PDF",
    "value": "12x",
    "month_name": "اسفند",
    "year": "۱۴۰۳",
    "days": "۳۰",
    "label": "ماه",
    "other": "5",
    "hs4": "7701",
    "unit": "دلار",
    "row": "۵۶٬۴۷۴",
    "currency": "BRL",
    "rate": "۵٫۳۹",
    "source": "BCB, 2024",
}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_message_has_english_with_the_same_placeholders():
    assert set(CONSTANTS) == set(messages.ENGLISH)
    for name, persian in CONSTANTS.items():
        english = messages.ENGLISH[name]
        assert fields(english) == fields(persian), name
        assert not PERSIAN.search(english), name


@pytest.mark.parametrize("name", sorted(CONSTANTS))
def test_a_stored_persian_message_reads_back_in_english(name):
    persian = CONSTANTS[name].format(**{k: v for k, v in SAMPLE.items() if k in fields(CONSTANTS[name])})
    english = messages.to_english(persian)
    assert english != persian
    # Parameters are put in English too: digits, months, units, column labels; only data stays as written.
    assert not PERSIAN.search(english), english
    for key in fields(CONSTANTS[name]) & {"file", "value", "entry", "hs4", "encoding", "kind", "other"}:
        assert SAMPLE[key] in english


def test_parameters_in_english_words():
    assert messages.to_english(
        messages.ROW_DAY_NOT_IN_MONTH.format(value="30", month_name="اسفند", year="۱۴۰۳", days="۳۰")
    ) == ("The day “30” is not in Esfand 1403; Esfand 1403 has 30 days.")
    limit = messages.ROW_NUMBER_TOO_LARGE.format(value="{value}", limit="۱۰۰٬۰۰۰", unit="کیلوگرم")
    assert messages.to_english(limit.format(value="2e11")) == (
        "The value “2e11” exceeds the acceptable limit of one row (100,000 kg); if it is right, the "
        "secretariat can accept it with “confirm large values”."
    )
    assert messages.to_english(
        messages.FILE_MISSING_COLUMNS.format(file="f.csv", columns=SAMPLE["columns"])
    ) == ("The file “f.csv” lacks these required column(s): value_usd (value (USD)), year (year).")
    # A text that is not an ingest message (a note typed by a user) is left as it is.
    assert messages.to_english("دسته را دوباره بفرستید") == "دسته را دوباره بفرستید"
    assert messages.to_english("") == ""


def test_real_rejections_and_refusals_read_in_english(tmp_path):
    lookups = ReferenceLookups.load()
    text = "year,month,day,tariff_code,destination,weight_kg,value_usd\n" + "\n".join(
        [
            "1402,1,,04012000,کشور خیالی,100,200",
            "1402,1,,77012345,عراق,100,200",
            "1402,1,,04012000,ARE,-5,200",
            "1402,13,,04012000,IRQ,5,200",
            "1402,2,,04012000,IRQ,5,abc",
            "1402,12,30,04012000,IRQ,5,7",
            "1402,2,,04012000,IRQ,5,1e999",
            "1402,2,,04012000,,5,7",
        ]
    )
    path = tmp_path / "mixed.csv"
    path.write_text(text, encoding="utf-8")
    rejected = prepare_import(path, lookups=lookups).validation.rejected
    assert len(rejected) == 8
    for reason in rejected["reason"]:
        english = messages.to_english(reason)
        assert english != reason
        # Only the cell as written (a country typed in Persian) may stay Persian.
        assert not PERSIAN.search(english.replace("کشور خیالی", "")), english
    empty = tmp_path / "empty.csv"
    empty.write_text("year,tariff_code,destination,weight_kg,value_usd\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        prepare_import(empty, lookups=lookups)
    assert messages.to_english(str(err.value)) == "The file “empty.csv” has no data rows."


@pytest.mark.parametrize("module_name", ["sheets", "registry", "quality"])
def test_registry_and_quality_messages_have_english_too(module_name):
    import importlib

    module = importlib.import_module(f"saderat.ingest.{module_name}")
    own = {
        name: value
        for name, value in vars(module).items()
        if name.isupper()
        and isinstance(value, str)
        and PERSIAN.search(value)
        and name != "IRICA_TOTAL_LABEL"
        and not any(value is getattr(other, name, None) for other in (messages,))
    }
    shared = {}
    if module_name != "sheets":
        from saderat.ingest import sheets

        shared = {name for name, value in own.items() if getattr(sheets, name, None) is value}
        shared |= {name for name, value in own.items() if value in vars(sheets).values()}
    for name, persian in own.items():
        if name in shared:
            continue
        assert name in module.ENGLISH, name
        english = module.ENGLISH[name]
        assert fields(english) == fields(persian), name
        assert not PERSIAN.search(english), name
        sample = persian.format(**{k: SAMPLE.get(k, "42") for k in fields(persian)})
        assert not PERSIAN.search(messages.to_english(sample)), (name, messages.to_english(sample))


def test_a_nested_reason_and_a_list_of_choices_read_in_english():
    from saderat.ingest import sheets

    text = sheets.BAD_NATIONAL_ID.format(value="10101234567", why=sheets.WHY_CHECK_DIGIT)
    assert messages.to_english(text) == (
        "The national ID “10101234567” is not valid: its check digit is wrong (probably a digit was mistyped)."
    )
