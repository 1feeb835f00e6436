"""The days of the demo's synthetic declarations (saderat.demo.declarations): deterministic, valid Jalali dates,
spread over the whole month, drawn from a stream of their own (no other column moves), and imported as they
were written. Without Django: the generator runs on the package's compact copy of the real 1402 rows."""

from __future__ import annotations

import dataclasses

import jdatetime
import numpy as np
import pandas as pd
import pytest
from tests.demo.test_registry import _base_1402

from saderat.demo import declarations as demo
from saderat.ingest.pipeline import prepare_import
from saderat.reference.loaders import ReferenceLookups

# The published destination count belongs to the warehouse's data; the generator is run without it here.
CALIBRATIONS = tuple(dataclasses.replace(c, destinations_at={}) for c in demo.MARKAZI_CALIBRATION)


@pytest.fixture(scope="module")
def base():
    return _base_1402()


@pytest.fixture(scope="module")
def declarations(base):
    return demo.generate_declarations(base, calibrations=CALIBRATIONS)


def test_every_declaration_has_a_day_of_its_month(declarations):
    assert list(declarations.columns[:3]) == ["year", "month", "day"]
    assert declarations["day"].notna().all()
    for year, month, day in declarations[["year", "month", "day"]].drop_duplicates().itertuples(index=False):
        jdatetime.date(int(year), int(month), int(day))  # raises for a day the month does not have


def test_the_days_cover_each_month_evenly(declarations):
    for (year, month), days in declarations.groupby(["year", "month"])["day"]:
        year, month = int(year), int(month)
        length = jdatetime.j_days_in_month[month - 1] + (month == 12 and jdatetime.date(year, 1, 1).isleap())
        assert days.min() == 1 and days.max() == length, (year, month)
        # Uniform on 1..D: mean (D + 1) / 2, standard error sqrt((D² − 1) / 12 / n).
        tolerance = 4 * np.sqrt((length**2 - 1) / 12 / len(days))
        assert abs(days.mean() - (length + 1) / 2) < tolerance, (year, month)
    esfand = declarations.loc[(declarations["year"] == 1403) & (declarations["month"] == 12), "day"]
    assert esfand.max() == 30  # 1403 is a leap year


def test_the_days_are_deterministic_and_move_nothing_else(base, declarations, monkeypatch):
    again = demo.generate_declarations(base, calibrations=CALIBRATIONS)
    pd.testing.assert_frame_equal(declarations, again)

    # Another stream for the days changes the days only: they are drawn after, and apart from, the rest.
    monkeypatch.setattr(demo, "DAY_STREAM", demo.DAY_STREAM + 1)
    other = demo.generate_declarations(base, calibrations=CALIBRATIONS)
    pd.testing.assert_frame_equal(declarations.drop(columns="day"), other.drop(columns="day"))
    assert (declarations["day"] != other["day"]).mean() > 0.9


def test_the_import_reads_the_day_as_the_demo_writes_it(tmp_path, declarations):
    """As saderat.web.demo.synthetic_files writes a year (to_csv of the generator's frame), then the import."""
    rows = declarations[declarations["year"] == 1404]
    path = tmp_path / "synthetic-declarations-00-1404.csv"
    path.write_bytes(rows.to_csv(index=False).encode("utf-8"))
    prepared = prepare_import(path, lookups=ReferenceLookups.load())
    assert prepared.rows_rejected == 0
    accepted = prepared.validation.accepted.sort_values("source_row")
    assert accepted["day"].astype(int).tolist() == rows["day"].tolist()
    assert accepted["month"].astype(int).tolist() == rows["month"].tolist()
