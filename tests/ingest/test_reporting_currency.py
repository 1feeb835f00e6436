"""Values in a region profile's reporting currency (issue 13): stored as given and in USD where the batch gives
its rate, USD unknown (null) without one; a file in USD alone needs the rate; in a USD region both columns are
one number. The rate's own checks, each in Persian and English."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.files import parana_in_currency

from saderat.ingest import messages
from saderat.ingest.messages import to_english
from saderat.ingest.pipeline import checked_usd_rate, prepare_import
from saderat.ingest.readers import ImportFileError
from saderat.reference.loaders import ReferenceLookups, load_countries, load_country_aliases
from saderat.reference.profile import read_profile


@pytest.fixture(scope="module")
def lookups() -> ReferenceLookups:
    """Iran's, the default profile: values in USD."""
    return ReferenceLookups.load()


@pytest.fixture(scope="module")
def brl_lookups(tmp_path_factory):
    """An installation whose profile reports in Brazilian reals (Paraná's, with ``currency = "BRL"``)."""
    profile = read_profile(parana_in_currency(tmp_path_factory.mktemp("brl"), "BRL"))
    assert (profile.currency, profile.currency_name_fa) == ("BRL", "رئال برزیل")
    return ReferenceLookups.from_tables(
        countries=load_countries(),
        country_aliases=load_country_aliases(),
        provinces=profile.regions,
        counties=profile.subregions,
        customs_offices=pd.DataFrame({"code": [], "name_fa": [], "province_code": [], "aliases": []}),
        profile=profile,
    )


def _file(tmp_path, header: str, *rows: str) -> Path:
    path = tmp_path / "values.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _prepare(path, lookups, **kwargs):
    prepared = prepare_import(path, lookups=lookups, **kwargs)
    return prepared, prepared.validation.accepted


def test_a_region_in_usd_reads_value_as_usd_and_rejects_two_numbers_that_differ(tmp_path, lookups):
    # Iran's profile: the reporting currency is USD.
    path = _file(tmp_path, "year,tariff_code,destination,weight_kg,value", "1403,72085100,IRQ,10,125.5")
    prepared, accepted = _prepare(path, lookups)
    assert accepted["value_usd"].tolist() == [125.5] and accepted["value"].isna().all()
    assert prepared.scope()[0]["value_usd"] == 125.5 and "currency" not in prepared.scope()[0]
    path = _file(
        tmp_path,
        "year,tariff_code,destination,weight_kg,value_usd,value",
        "1403,72085100,IRQ,10,100,100",
        "1403,72085100,IRQ,10,100,101",
    )
    prepared, accepted = _prepare(path, lookups)
    assert accepted["source_row"].tolist() == [2]
    (rejected,) = prepared.validation.rejected.itertuples()
    assert (rejected.source_row, rejected.column) == (3, "value")
    assert rejected.reason == messages.ROW_VALUE_DISAGREES.format(value="101", other="100")
    assert to_english(rejected.reason) == (
        "The value “101” differs from the USD value “100” of the same row; this region reports in USD, so "
        "both are one number."
    )


def test_the_shipped_template_in_iran_leaves_value_blank(tmp_path, lookups):
    """The downloadable template has the value column, blank: in a region reporting in USD a row needs one of
    value_usd and value, and a header «ارزش» alone (rials, or anything) is not read as either."""
    path = _file(
        tmp_path,
        "year,tariff_code,destination,weight_kg,value_usd,value",
        "1403,72085100,IRQ,10,137500,",
        "1403,72085100,IRQ,10,,2500",
        "1403,72085100,IRQ,10,,",
    )
    prepared, accepted = _prepare(path, lookups)
    assert accepted["value_usd"].tolist() == [137500.0, 2500.0] and accepted["value"].isna().all()
    (rejected,) = prepared.validation.rejected.itertuples()
    assert (rejected.source_row, rejected.column, rejected.reason) == (
        4,
        "value_usd",
        messages.ROW_NUMBER_MISSING,
    )
    path = _file(tmp_path, "سال,کد تعرفه,کشور مقصد,وزن,ارزش", "1403,72085100,IRQ,10,25000000000")
    with pytest.raises(ImportFileError) as err:
        prepare_import(path, lookups=lookups)
    assert "value_usd (ارزش دلاری)" in str(err.value)  # the required column is named, «ارزش» is not taken


def test_a_blank_usd_cell_is_filled_at_the_rate_and_a_far_off_rate_cannot_overflow(tmp_path, brl_lookups):
    path = _file(
        tmp_path,
        "CO_ANO,SH4,CO_MUN,value,VL_FOB",
        "2023,1201,4118204,539,",  # USD left blank: the value at the rate
        "2023,1201,4118204,,100",  # reais left blank: USD at the rate
        "2023,1201,4118204,540,101",  # both given: both kept as given
    )
    _, accepted = _prepare(path, brl_lookups, usd_rate=5.39, rate_source="BCB")
    assert accepted["value"].tolist() == pytest.approx([539.0, 539.0, 540.0])
    assert accepted["value_usd"].tolist() == pytest.approx([100.0, 100.0, 101.0])
    # The smallest rate allowed, with a value at the hard limit of a line: its USD would be beyond the USD
    # hard limit, so the row is refused (naming the given cell) rather than stored as an overflow.
    path = _file(tmp_path, "CO_ANO,SH4,CO_MUN,value", "2023,1201,4118204,1e21", "2023,1201,4118204,7")
    prepared, accepted = _prepare(
        path, brl_lookups, usd_rate=1e-4, rate_source="x", confirm_large_values=True
    )
    assert accepted["value_usd"].tolist() == pytest.approx([70000.0])
    (rejected,) = prepared.validation.rejected.itertuples()
    assert (rejected.source_row, rejected.column) == (2, "value")
    assert "1e21" in rejected.reason and "دلار" in rejected.reason


def test_values_in_another_currency_without_a_rate_have_no_usd_value(tmp_path, brl_lookups):
    path = _file(
        tmp_path,
        "CO_ANO,SH4,CO_MUN,KG_LIQUIDO,value",
        "2023,1201,4118204,1000,5000.5",
        "2023,0207,4118204,200,1200",
    )
    prepared, accepted = _prepare(path, brl_lookups)
    assert accepted["value"].tolist() == [5000.5, 1200.0]
    assert accepted["value_usd"].isna().all()  # unknown, never 0 and never the reais taken for dollars
    assert messages.NOTE_NO_USD.format(currency="BRL") in prepared.notes
    (scope,) = prepared.scope()
    assert (scope["value"], scope["value_usd"], scope["currency"]) == (6200.5, None, "BRL")
    table = prepared.validation.to_arrow(batch_id=1)
    assert table.column("value_usd").null_count == 2  # stored null in the warehouse


def test_a_rate_converts_either_way_and_is_named_in_the_notes(tmp_path, brl_lookups):
    path = _file(tmp_path, "CO_ANO,SH4,CO_MUN,value", "2023,1201,4118204,539")
    prepared, accepted = _prepare(path, brl_lookups, usd_rate=5.39, rate_source="BCB, média de 2023")
    assert accepted["value"].tolist() == [539.0]
    assert accepted["value_usd"].tolist() == pytest.approx([100.0], rel=1e-12)
    note = messages.NOTE_VALUE_TO_USD.format(currency="BRL", rate="۵٫۳۹", source="BCB, média de 2023")
    assert note in prepared.notes
    assert to_english(note) == (
        "The values are in BRL; they are also stored in USD at 5.39 BRL per USD (source: BCB, média de 2023)."
    )
    # A file in USD alone (Comex Stat's VL_FOB) is stored in reais at the rate, and kept in USD as given.
    path = _file(tmp_path, "CO_ANO,SH4,CO_MUN,VL_FOB", "2023,1201,4118204,100")
    prepared, accepted = _prepare(path, brl_lookups, usd_rate=5.39, rate_source="BCB")
    assert accepted["value_usd"].tolist() == [100.0]
    assert accepted["value"].tolist() == pytest.approx([539.0], rel=1e-12)


def test_a_file_in_usd_alone_needs_the_rate_of_a_region_in_another_currency(tmp_path, brl_lookups):
    path = _file(tmp_path, "CO_ANO,SH4,CO_MUN,VL_FOB", "2023,1201,4118204,100")
    with pytest.raises(ImportFileError) as err:
        prepare_import(path, lookups=brl_lookups)
    assert str(err.value) == messages.FILE_NEEDS_RATE.format(file="values.csv", currency="BRL")
    assert to_english(str(err.value)) == (
        "The values of the file “values.csv” are in USD, but this region reports in BRL: give the rate (BRL "
        "per USD) and its source."
    )


def test_every_value_cell_is_checked_in_the_reporting_currency(tmp_path, brl_lookups):
    path = _file(
        tmp_path,
        "CO_ANO,SH4,CO_MUN,value",
        "2023,1201,4118204,inf",
        "2023,1201,4118204,-5",
        "2023,1201,4118204,",
        "2023,1201,4118204,۱۲٬۵۰۰",  # Persian digits and separator: 12500
        "2023,1201,4118204,1e30",  # beyond the hard limit of any currency
    )
    prepared, accepted = _prepare(path, brl_lookups)
    assert accepted["value"].tolist() == [12500.0]
    rejected = prepared.validation.rejected.set_index("source_row")
    assert set(rejected["column"]) == {"value"}
    assert rejected.loc[2, "reason"] == messages.ROW_NUMBER_NOT_FINITE.format(value="inf")
    assert rejected.loc[3, "reason"] == messages.ROW_NUMBER_NEGATIVE.format(value="-5")
    assert rejected.loc[4, "reason"] == messages.ROW_NUMBER_MISSING
    assert "واحد ارز گزارش" in rejected.loc[6, "reason"]
    assert "units of the reporting currency" in to_english(rejected.loc[6, "reason"])


@pytest.mark.parametrize(
    ("rate", "source", "expected"),
    [
        ("5.39", "BCB", (5.39, "BCB")),
        ("۵٫۳۹", "  BCB,   2024 ", (5.39, "BCB, 2024")),  # Persian digits; spaces folded
        ("", "", (None, "")),
        (None, None, (None, "")),
    ],
)
def test_a_rate_as_typed(rate, source, expected):
    assert checked_usd_rate(rate, source, currency="BRL") == expected


@pytest.mark.parametrize(
    ("rate", "source", "currency", "english"),
    [
        (
            "abc",
            "BCB",
            "BRL",
            "The rate “abc” is not valid: a decimal number between 0.0001 and 10,000,000 (BRL per USD), with a point "
            "and no thousands separator, is needed.",
        ),
        ("0", "BCB", "BRL", "The rate “0” is not valid"),
        ("5,39", "BCB", "BRL", "The rate “5,39” is not valid"),  # a decimal or a thousands comma?
        ("۵٬۳۹", "BCB", "BRL", "The rate “۵٬۳۹” is not valid"),  # the Persian thousands separator
        ("5_39", "BCB", "BRL", "The rate “5_39” is not valid"),  # Python reads 539
        ("1e300", "BCB", "BRL", "The rate “1e300” is not valid"),
        ("0.00001", "BCB", "BRL", "between 0.0001 and 10,000,000"),
        ("", "BCB", "BRL", "A source of the rate was given but not the rate itself"),
        ("-5", "BCB", "BRL", "The rate “-5” is not valid"),
        ("inf", "BCB", "BRL", "The rate “inf” is not valid"),
        ("nan", "BCB", "BRL", "The rate “nan” is not valid"),
        ("5.39", " ", "BRL", "The rate's source is missing"),
        ("5.39", "BCB", "USD", "This region reports in USD: a rate to USD has no meaning."),
    ],
)
def test_a_wrong_rate_is_refused_in_persian_and_english(rate, source, currency, english):
    with pytest.raises(ImportFileError) as err:
        checked_usd_rate(rate, source, currency=currency)
    persian = str(err.value)
    assert english in to_english(persian) and english not in persian  # stored Persian, read in English
