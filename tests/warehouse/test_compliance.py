"""Standards compliance of exports (saderat.warehouse.compliance), on small hand-checked panels written to a
warehouse, and against an independent pure-Python computation on random panels.

Plain pytest: no Django, no database. The oracle below knows nothing of the module's joins: it walks the days
of each line's period with jdatetime (or Python's own dates, for a Gregorian region) and looks for a
certificate that covers them.
"""

from __future__ import annotations

import calendar as gregorian
import datetime as dt
import random

import jdatetime
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from saderat.warehouse import FACT_SCHEMA, Warehouse
from saderat.warehouse import compliance as cp

DEFAULTS = {
    "batch_id": 1,
    "flow": "export",
    "basis": "customs",
    "year": 1403,
    "month": 5,
    "day": None,
    "region_code": "00",
    "county_code": "0001",
    "exporter_id": "A",
    "tariff_code": "72085100",
    "code_system": "ir-tariff8",
    "partner_code": "IRQ",
    "partner_is_country": True,
    "weight_kg": 1000.0,
    "value_usd": 100.0,
}
STEEL, OTHER_STEEL, DATES = "72085100", "72091500", "08109040"


def fact_rows(rows: list[dict], batch_id: int = 1) -> pa.Table:
    """FACT_SCHEMA rows (missing fields take DEFAULTS; source_row numbers the rows from 2, as files do)."""
    columns = {name: [] for name in FACT_SCHEMA.names}
    for i, row in enumerate(rows):
        full = {**DEFAULTS, "batch_id": batch_id, "source_row": i + 2, **row}
        code = full["tariff_code"]
        full.setdefault("hs2", code[:2])
        full.setdefault("hs4", code[:4])
        full.setdefault("hs6", code[:6])
        for name in FACT_SCHEMA.names:
            columns[name].append(full.get(name))
    return pa.table(columns, schema=FACT_SCHEMA)


def facts_of(tmp_path, rows: list[dict]):
    wh = Warehouse(tmp_path / "warehouse")
    wh.write_batch(1, fact_rows(rows))
    return wh.facts()


def standards(*rows) -> pd.DataFrame:
    """(code_prefix, standard_number, effective_from, effective_to)"""
    return pd.DataFrame(list(rows), columns=list(cp.STANDARD_COLUMNS))


def certificates(*rows) -> pd.DataFrame:
    """(exporter_id, code_prefix, standard_number, valid_from, valid_to); numbered C1, C2, ..."""
    frame = pd.DataFrame(
        list(rows), columns=["exporter_id", "code_prefix", "standard_number", "valid_from", "valid_to"]
    )
    frame.insert(1, "certificate_number", [f"C{i + 1}" for i in range(len(frame))])
    return frame


NO_CERTIFICATES = certificates()
STEEL_STANDARD = standards(("7208", "INSO 1", 14000101, None))


def by_row(frame: pd.DataFrame) -> dict[int, str]:
    """source_row -> reason of the mandatory lines."""
    return dict(zip(frame["source_row"], frame["reason"], strict=True))


# -- hand-checked panels -------------------------------------------------------------------------------------
def test_a_small_panel_by_hand(tmp_path):
    facts = facts_of(
        tmp_path,
        [
            {"day": 10, "value_usd": 100.0},  # 2: certified (valid 1403/01/01-1403/05/15)
            {"day": 20, "value_usd": 200.0},  # 3: after expiry
            {"day": 3, "exporter_id": None, "value_usd": 300.0},  # 4: no exporter ID
            {"day": 3, "exporter_id": "", "value_usd": 50.0},  # 5: empty exporter ID is none either
            {"day": 3, "exporter_id": "B", "value_usd": 400.0},  # 6: B holds nothing
            {"day": 3, "tariff_code": DATES, "value_usd": 999.0},  # 7: no standard for dates
            {"day": 3, "flow": "import", "value_usd": 999.0},  # 8: imports are ignored
            {"day": 3, "basis": "origin", "exporter_id": "B", "value_usd": 999.0},  # 9: other basis
        ],
    )
    certs = certificates(("A", "720851", None, 14030101, 14030515))
    lines = cp.compliance_expr(facts, STEEL_STANDARD, certs).execute()
    assert by_row(lines) == {
        2: cp.REASON_CERTIFIED,
        3: cp.REASON_NOT_VALID,
        4: cp.REASON_NO_EXPORTER_ID,
        5: cp.REASON_NO_EXPORTER_ID,
        6: cp.REASON_NO_CERTIFICATE,
    }
    assert set(lines.columns) == set(cp.COMPLIANCE_COLUMNS)
    assert lines.set_index("source_row").loc[2, "line_start"] == 14030510
    assert set(lines["required_standards"]) == {"INSO 1"}

    summary = cp.compliance_summary(facts, STEEL_STANDARD, certs).iloc[0]
    assert summary["lines"] == 5 and summary["value"] == 1050.0
    assert summary["compliant_lines"] == 1 and summary["compliant_value"] == 100.0
    assert summary["noncompliant_lines"] == 4 and summary["noncompliant_value"] == 950.0
    assert summary["exporters"] == 2 and summary["noncompliant_exporters"] == 2  # A (line 3) and B
    assert summary["rate_lines"] == pytest.approx(1 / 5)
    assert summary["rate_value"] == pytest.approx(100 / 1050)
    assert summary["no_exporter_id_lines"] == 2 and summary["no_exporter_id_value"] == 350.0
    assert summary["month_judged_lines"] == 0 and summary["year_judged_lines"] == 0

    # The other basis is there when asked for.
    origin = cp.compliance_expr(facts, STEEL_STANDARD, certs, basis="origin").execute()
    assert by_row(origin) == {9: cp.REASON_NO_CERTIFICATE}

    listed = cp.noncompliant_exports(facts, STEEL_STANDARD, certs)
    assert tuple(listed.columns) == cp.NONCOMPLIANT_COLUMNS
    assert sorted(listed["source_row"]) == [3, 4, 5, 6]
    assert listed.set_index("source_row").loc[3, "reason_fa"] == cp.REASONS_FA[cp.REASON_NOT_VALID]
    assert listed.set_index("source_row").loc[6, ["year", "month", "day"]].tolist() == [1403, 5, 3]

    firms = cp.noncompliant_exporters(facts, STEEL_STANDARD, certs)
    assert firms["exporter_id"].tolist() == ["B", "A"]  # by non-compliant value: 400, 200
    assert firms.set_index("exporter_id").loc["A", "compliant_lines"] == 1


def test_no_mandatory_line_gives_zeros_and_no_rate(tmp_path):
    facts = facts_of(tmp_path, [{"day": 1, "tariff_code": DATES}])
    summary = cp.compliance_summary(facts, STEEL_STANDARD, NO_CERTIFICATES)
    assert len(summary) == 1
    row = summary.iloc[0]
    assert row["lines"] == 0 and row["value"] == 0.0 and row["exporters"] == 0
    assert row["rate_lines"] is None and row["rate_value"] is None
    assert cp.compliance_summary(facts, standards(), NO_CERTIFICATES)["lines"].tolist() == [0]
    assert cp.compliance_summary(facts, STEEL_STANDARD, NO_CERTIFICATES, by="exporter_id").empty
    assert cp.noncompliant_exports(facts, STEEL_STANDARD, NO_CERTIFICATES).empty


def test_a_zero_value_group_has_a_line_rate_and_no_value_rate(tmp_path):
    facts = facts_of(tmp_path, [{"day": 1, "value_usd": 0.0}])
    row = cp.compliance_summary(facts, STEEL_STANDARD, NO_CERTIFICATES).iloc[0]
    assert row["rate_lines"] == 0.0 and row["rate_value"] is None


# -- the day of expiry ---------------------------------------------------------------------------------------
def days_of(year: int, month: int) -> int:
    return jdatetime.j_days_in_month[month - 1] + (month == 12 and jdatetime.date(year, 1, 1).isleap())


ESFAND_DAYS = {1403: 30, 1404: 29}


@pytest.mark.parametrize(
    "valid_to", [14030430, 14030501, 14030512, 14030530, 14030531, 14030601, 14031229, 14031230]
)
def test_a_certificate_expiring_on_day_d_flips_exactly_the_lines_after_d(tmp_path, valid_to):
    """One line on every day of Mordad, Shahrivar and Esfand 1403 (a leap year): the lines on or before D
    are compliant, the lines after D are not, and nothing else moves."""
    dates = [(m, d) for m in (5, 6, 12) for d in range(1, days_of(1403, m) + 1)]
    facts = facts_of(tmp_path, [{"month": m, "day": d} for m, d in dates])
    certs = certificates(("A", "7208", "INSO 1", 14030101, valid_to))
    lines = cp.compliance_expr(facts, STEEL_STANDARD, certs).execute()
    got = dict(zip(lines["line_start"], lines["compliant"], strict=True))
    expected = {cp.jalali_date_key(1403, m, d): cp.jalali_date_key(1403, m, d) <= valid_to for m, d in dates}
    assert got == expected
    flipped = {k for k, ok in got.items() if not ok}
    assert flipped == {k for k in expected if k > valid_to}
    reasons = set(lines.loc[~lines["compliant"], "reason"])
    assert reasons <= {cp.REASON_NOT_VALID}


def test_valid_one_day_and_expired_the_next(tmp_path):
    facts = facts_of(tmp_path, [{"day": 12}, {"day": 13}])
    certs = certificates(("A", "72085100", None, 14030101, 14030512))
    assert by_row(cp.compliance_expr(facts, STEEL_STANDARD, certs).execute()) == {
        2: cp.REASON_CERTIFIED,
        3: cp.REASON_NOT_VALID,
    }
    # and one that only begins on the 13th
    later = certificates(("A", "72085100", None, 14030513, 14031229))
    assert by_row(cp.compliance_expr(facts, STEEL_STANDARD, later).execute()) == {
        2: cp.REASON_NOT_VALID,
        3: cp.REASON_CERTIFIED,
    }


# -- lines without a day -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("intervals", "compliant"),
    [
        ([(14030101, 14030531)], True),  # the whole of Mordad (31 days)
        ([(14030101, 14030530)], False),  # all but its last day
        ([(14030502, 14031229)], False),  # all but its first day
        ([(14030501, 14030531)], True),  # exactly the month
        ([(14030101, 14030515), (14030516, 14031229)], True),  # renewed the next day: no gap
        ([(14030101, 14030514), (14030516, 14031229)], False),  # a day without certificate
        ([(14030101, 14030520), (14030510, 14030531)], True),  # overlapping intervals
        ([(14030101, 14030515), (14030516, 14030520), (14030521, 14030531)], True),  # a chain
    ],
)
def test_a_line_without_a_day_is_compliant_only_if_the_whole_month_is_covered(tmp_path, intervals, compliant):
    facts = facts_of(tmp_path, [{"month": 5, "day": None}])
    certs = certificates(*[("A", "7208", "INSO 1", a, b) for a, b in intervals])
    lines = cp.compliance_expr(facts, STEEL_STANDARD, certs).execute()
    assert lines["compliant"].tolist() == [compliant]
    assert lines["judged_by"].tolist() == ["month"]
    assert (lines["line_start"].tolist(), lines["line_end"].tolist()) == ([14030501], [14030531])
    summary = cp.compliance_summary(facts, STEEL_STANDARD, certs).iloc[0]
    assert summary["month_judged_lines"] == 1


def test_intervals_of_different_standards_or_prefixes_are_not_joined(tmp_path):
    facts = facts_of(tmp_path, [{"month": 5, "day": None}])
    split = certificates(
        ("A", "7208", "INSO 1", 14030101, 14030515), ("A", "720851", None, 14030516, 14031229)
    )
    assert cp.compliance_expr(facts, STEEL_STANDARD, split).execute()["reason"].tolist() == [
        cp.REASON_NOT_VALID
    ]


def test_a_month_is_mandatory_if_a_standard_is_in_force_on_any_of_its_days(tmp_path):
    facts = facts_of(tmp_path, [{"month": 5, "day": None}, {"month": 5, "day": 19}, {"month": 5, "day": 20}])
    mid_month = standards(("7208", "INSO 1", 14030520, None))
    lines = cp.mandatory_lines_expr(facts, mid_month).execute()
    assert sorted(lines["source_row"]) == [2, 4]  # the month and the 20th; not the 19th
    ended = standards(("7208", "INSO 1", 14020101, 14030501))
    assert sorted(cp.mandatory_lines_expr(facts, ended).execute()["source_row"]) == [2]


def test_esfand_has_30_days_in_a_leap_year_only(tmp_path):
    facts = facts_of(tmp_path, [{"year": 1403, "month": 12}, {"year": 1404, "month": 12}])
    certs = certificates(("A", "7208", None, 14030101, 14031229), ("A", "7208", None, 14040101, 14041229))
    lines = cp.compliance_expr(facts, STEEL_STANDARD, certs).execute().set_index("year")
    assert lines.loc[1403, "line_end"] == 14031230 and not lines.loc[1403, "compliant"]
    assert lines.loc[1404, "line_end"] == 14041229 and lines.loc[1404, "compliant"]


def test_annual_lines_are_judged_by_their_year(tmp_path):
    facts = facts_of(tmp_path, [{"month": None, "exporter_id": None}, {"month": None}])
    whole_year = certificates(("A", "7208", None, 14030101, 14031230))
    lines = cp.compliance_expr(facts, STEEL_STANDARD, whole_year).execute().set_index("source_row")
    assert lines["judged_by"].tolist() == ["year", "year"]
    assert lines.loc[3, "reason"] == cp.REASON_CERTIFIED
    assert lines.loc[2, "reason"] == cp.REASON_NO_EXPORTER_ID
    short = certificates(("A", "7208", None, 14030101, 14031229))
    assert cp.compliance_expr(facts, STEEL_STANDARD, short).execute()["compliant"].tolist() == [False, False]
    summary = cp.compliance_summary(facts, STEEL_STANDARD, whole_year).iloc[0]
    assert summary["year_judged_lines"] == 2


# -- standards and prefixes ----------------------------------------------------------------------------------
def test_the_effective_interval_of_a_standard_is_honoured(tmp_path):
    facts = facts_of(tmp_path, [{"month": 6, "day": d} for d in (9, 10, 11)])
    window = standards(("7208", "INSO 1", 14030610, 14030610))
    assert sorted(cp.mandatory_lines_expr(facts, window).execute()["source_row"]) == [3]
    until = standards(("7208", "INSO 1", 14000101, 14030610))
    assert sorted(cp.mandatory_lines_expr(facts, until).execute()["source_row"]) == [2, 3]
    since = standards(("7208", "INSO 1", 14030610, None))
    assert sorted(cp.mandatory_lines_expr(facts, since).execute()["source_row"]) == [3, 4]


def test_prefix_rules(tmp_path):
    facts = facts_of(
        tmp_path,
        [
            {"day": 1, "tariff_code": STEEL},  # 2
            {"day": 1, "tariff_code": OTHER_STEEL},  # 3: 7209, outside the 7208 standard
            {"day": 1, "tariff_code": "7208", "code_system": "hs4"},  # 4: an HS4 line is the prefix itself
            {"day": 1, "tariff_code": "720851", "code_system": "hs6"},  # 5
            {"day": 1, "tariff_code": "7208510000", "code_system": "ir-national"},  # 6: pre-HS, never
        ],
    )
    mandatory = cp.mandatory_lines_expr(facts, STEEL_STANDARD).execute()
    assert sorted(mandatory["source_row"]) == [2, 4, 5]
    eight = standards(("72085100", "INSO 8", 14000101, None))
    assert sorted(cp.mandatory_lines_expr(facts, eight).execute()["source_row"]) == [2]  # not the HS4/HS6

    cases = {
        "7208": {2: cp.REASON_CERTIFIED, 4: cp.REASON_CERTIFIED, 5: cp.REASON_CERTIFIED},
        "720851": {2: cp.REASON_CERTIFIED, 4: cp.REASON_NO_CERTIFICATE, 5: cp.REASON_CERTIFIED},
        "72085100": {2: cp.REASON_CERTIFIED, 4: cp.REASON_NO_CERTIFICATE, 5: cp.REASON_NO_CERTIFICATE},
        "72": {2: cp.REASON_CERTIFIED, 4: cp.REASON_CERTIFIED, 5: cp.REASON_CERTIFIED},
        "7209": {2: cp.REASON_NO_CERTIFICATE, 4: cp.REASON_NO_CERTIFICATE, 5: cp.REASON_NO_CERTIFICATE},
    }
    for prefix, expected in cases.items():
        certs = certificates(("A", prefix, None, 14030101, 14031229))
        assert by_row(cp.compliance_expr(facts, STEEL_STANDARD, certs).execute()) == expected, prefix


def test_a_certificate_counts_for_its_own_standard_or_for_any_when_it_names_none(tmp_path):
    facts = facts_of(tmp_path, [{"day": 1}])
    two = standards(("72", "INSO 2", 14000101, None), ("7208", "INSO 10", 14000101, None))
    for standard, expected in [
        ("INSO 10", cp.REASON_CERTIFIED),
        ("INSO 2", cp.REASON_CERTIFIED),  # one of the line's applicable standards is enough
        ("INSO 99", cp.REASON_NO_CERTIFICATE),
        (None, cp.REASON_CERTIFIED),
    ]:
        certs = certificates(("A", "7208", standard, 14030101, 14031229))
        lines = cp.compliance_expr(facts, two, certs).execute()
        assert lines["reason"].tolist() == [expected], standard
        assert lines["required_standards"].tolist() == ["INSO 10, INSO 2"]  # sorted, each once


def test_another_exporters_certificate_does_not_count(tmp_path):
    facts = facts_of(tmp_path, [{"day": 1, "exporter_id": "A"}])
    certs = certificates(("B", "7208", None, 14030101, 14031229))
    assert cp.compliance_expr(facts, STEEL_STANDARD, certs).execute()["reason"].tolist() == [
        cp.REASON_NO_CERTIFICATE
    ]


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="2-8 digits"):
        cp._standards_table(standards(("7", "INSO 1", 14000101, None)))
    with pytest.raises(ValueError, match="effective_to before"):
        cp._standards_table(standards(("7208", "INSO 1", 14030101, 14020101)))
    with pytest.raises(ValueError, match="2-8 digits"):
        cp._certificates_table(certificates(("A", "72-08", None, 14030101, 14031229)))
    with pytest.raises(ValueError, match="lack columns"):
        cp._certificates_table(pd.DataFrame({"exporter_id": ["A"]}))


def test_an_open_standard_is_sent_to_the_backend_without_a_null():
    """Still in force is the end :data:`cp.OPEN_END`, not a null: Spark's memtable of an integer column with a
    null dropped the column's other values too, and read every standard with an end as still in force."""
    table = cp._standards_table(
        standards(("7208", "INSO 1", 14000101, None), ("0810", "INSO 1", 14030407, 14040420))
    )
    assert table.column("effective_to").to_pylist() == [cp.OPEN_END, 14040420]


def test_an_interval_cut_away_whole_is_dropped(tmp_path):
    facts = facts_of(tmp_path, [{"day": 1}])
    certs = certificates(("A", "7208", None, 14030601, 14030531))
    assert cp.compliance_expr(facts, STEEL_STANDARD, certs).execute()["reason"].tolist() == [
        cp.REASON_NO_CERTIFICATE
    ]


def test_date_keys():
    assert cp.jalali_date_key(1403, 5, 12) == 14030512
    assert cp.date_key(dt.date(2024, 3, 20)) == 14030101  # Nowruz 1403
    assert cp.date_key(dt.date(2025, 3, 20)) == 14031230  # the leap day of Esfand 1403
    assert cp.date_key(jdatetime.date(1404, 1, 1)) == 14040101
    assert cp.date_key(dt.date(2025, 3, 20)) < cp.date_key(dt.date(2025, 3, 21))


def test_gregorian_date_keys():
    assert cp.date_key(dt.date(2024, 2, 29), calendar="gregorian") == 20240229
    assert cp.date_key(jdatetime.date(1402, 12, 10), calendar="gregorian") == 20240229  # the same day
    assert cp.ymd_key(2024, 2, 29) == 20240229
    assert cp._next_day(20231231, "gregorian") == 20240101
    assert cp._next_day(20240228, "gregorian") == 20240229 and cp._next_day(20230228, "gregorian") == 20230301
    assert cp._next_day(14031230) == 14040101  # Jalali, the default
    assert cp._next_day(cp.OPEN_END, "gregorian") == cp.OPEN_END + 1
    with pytest.raises(ValueError, match="unknown calendar"):
        cp.date_key(dt.date(2024, 1, 1), calendar="hijri")


# -- a region whose statistics count Gregorian years --------------------------------------------------------
GREGORIAN_STEEL = standards(("7208", "INSO 1", 19000101, None))


@pytest.mark.parametrize(
    ("year", "month", "last"),
    [(2024, 2, 20240229), (2023, 2, 20230228), (2000, 2, 20000229), (2100, 2, 21000228), (2024, 4, 20240430)],
)
def test_a_gregorian_month_is_judged_on_its_own_days(tmp_path, year, month, last):
    """A month of a Gregorian region runs from its 1st to its own last day: 29 February in a leap year
    (divisible by 4, and by 400 when by 100), 30 April; a certificate must cover all of them."""
    facts = facts_of(tmp_path, [{"year": year, "month": month, "day": None}])
    first = cp.ymd_key(year, month, 1)
    for valid_to, compliant in [(last, True), (last - 1, False)]:
        certs = certificates(("A", "7208", "INSO 1", first, valid_to))
        lines = cp.compliance_expr(facts, GREGORIAN_STEEL, certs, calendar="gregorian").execute()
        assert (lines["line_start"].tolist(), lines["line_end"].tolist()) == ([first], [last])
        assert lines["judged_by"].tolist() == ["month"]
        assert lines["compliant"].tolist() == [compliant], valid_to
    late = certificates(("A", "7208", "INSO 1", first + 1, last))
    assert not cp.compliance_expr(facts, GREGORIAN_STEEL, late, calendar="gregorian").execute()["compliant"][
        0
    ]


def test_a_gregorian_february_needs_a_certificate_to_its_29th_in_a_leap_year(tmp_path):
    """The case the Jalali rule got wrong: read as Jalali, the second month (Ordibehesht) has 31 days, and a
    certificate to 29 February left the line non-compliant for a 30th and 31st that do not exist."""
    facts = facts_of(tmp_path, [{"year": 2024, "month": 2, "day": None}])
    certs = certificates(("A", "7208", None, 20240201, 20240229))
    lines = cp.compliance_expr(facts, GREGORIAN_STEEL, certs, calendar="gregorian").execute()
    assert lines["line_end"].tolist() == [20240229] and lines["compliant"].tolist() == [True]
    misread = cp.compliance_expr(facts, GREGORIAN_STEEL, certs).execute()
    assert misread["line_end"].tolist() == [20240231] and misread["compliant"].tolist() == [False]
    # A standard in force from 1 March does not reach February.
    march = standards(("7208", "INSO 1", 20240301, None))
    assert cp.mandatory_lines_expr(facts, march, calendar="gregorian").execute().empty


def test_a_gregorian_year_runs_from_1_january_to_31_december(tmp_path):
    facts = facts_of(tmp_path, [{"year": 2024, "month": None}])
    for valid_from, valid_to, compliant in [
        (20240101, 20241231, True),
        (20240101, 20241230, False),
        (20240102, 20241231, False),
    ]:
        certs = certificates(("A", "7208", None, valid_from, valid_to))
        lines = cp.compliance_expr(facts, GREGORIAN_STEEL, certs, calendar="gregorian").execute()
        assert (lines["line_start"].tolist(), lines["line_end"].tolist()) == ([20240101], [20241231])
        assert lines["judged_by"].tolist() == ["year"] and lines["compliant"].tolist() == [compliant]
    summary = cp.compliance_summary(
        facts, GREGORIAN_STEEL, certificates(("A", "7208", None, 20240101, 20241231)), calendar="gregorian"
    )
    assert summary.iloc[0]["year_judged_lines"] == 1 and summary.iloc[0]["rate_lines"] == 1.0


def test_a_gregorian_renewal_on_the_next_day_leaves_no_gap(tmp_path):
    """A certificate to 31 December 2023 and its renewal from 1 January 2024 are one interval; so are one to
    29 February 2024 and its renewal from 1 March (days after which the Jalali calendar has others)."""
    year_end = certificates(("A", "7208", None, 20230101, 20231231), ("A", "7208", None, 20240101, 20241231))
    merged = cp._certificates_table(year_end, "gregorian").to_pylist()
    assert [(r["valid_from"], r["valid_to"]) for r in merged] == [(20230101, 20241231)]
    assert cp._certificates_table(year_end, "jalali").num_rows == 2  # no 31st day of a 12th month there

    facts = facts_of(tmp_path, [{"year": 2024, "month": None}])
    leap_day = certificates(("A", "7208", None, 20240101, 20240229), ("A", "7208", None, 20240301, 20241231))
    lines = cp.compliance_expr(facts, GREGORIAN_STEEL, leap_day, calendar="gregorian").execute()
    assert lines["compliant"].tolist() == [True]
    gap = certificates(("A", "7208", None, 20240101, 20240228), ("A", "7208", None, 20240301, 20241231))
    lines = cp.compliance_expr(facts, GREGORIAN_STEEL, gap, calendar="gregorian").execute()
    assert lines["reason"].tolist() == [cp.REASON_NOT_VALID]  # 29 February uncovered


def test_every_query_takes_the_calendar(tmp_path):
    facts = facts_of(
        tmp_path, [{"year": 2024, "month": 2, "day": None, "exporter_id": "B", "value_usd": 7.0}]
    )
    certs = certificates(("A", "7208", None, 20240101, 20241231))
    listed = cp.noncompliant_exports(
        facts, GREGORIAN_STEEL, certs, region="00", year=2024, calendar="gregorian"
    )
    assert listed["judged_by"].tolist() == ["month"] and listed["value"].tolist() == [7.0]
    firms = cp.noncompliant_exporters(facts, GREGORIAN_STEEL, certs, calendar="gregorian")
    assert firms["exporter_id"].tolist() == ["B"]
    out = cp.mandatory_exports_aggregate(facts, GREGORIAN_STEEL, region="00", year=2024, calendar="gregorian")
    assert out.declaration_level and out.value == 7.0
    with pytest.raises(ValueError, match="unknown calendar"):
        cp.mandatory_lines_expr(facts, GREGORIAN_STEEL, calendar="julian")


# -- the reporting currency ----------------------------------------------------------------------------------
def test_values_are_in_the_reporting_currency(tmp_path):
    """A region reporting in reais: a line imported without a rate (``value_usd`` null) counts with its value
    in reais, in every value figure, the rate by value, the exporter's share and the list; a line with a rate
    counts in reais too, not in dollars."""
    facts = facts_of(
        tmp_path,
        [
            {"day": 1, "exporter_id": "A", "value_usd": None, "value": 500.0},  # 2: certified, no rate
            {"day": 1, "exporter_id": "B", "value_usd": 20.0, "value": 100.0},  # 3: no certificate
            {"day": 1, "exporter_id": None, "value_usd": None, "value": 40.0},  # 4: no exporter ID
        ],
    )
    certs = certificates(("A", "7208", None, 14030101, 14031229))
    lines = cp.compliance_expr(facts, STEEL_STANDARD, certs).execute().set_index("source_row")
    assert lines["value"].to_dict() == {2: 500.0, 3: 100.0, 4: 40.0}
    row = cp.compliance_summary(facts, STEEL_STANDARD, certs).iloc[0]
    assert (row["value"], row["compliant_value"], row["noncompliant_value"]) == (640.0, 500.0, 140.0)
    assert row["no_exporter_id_value"] == 40.0
    assert row["rate_value"] == pytest.approx(500 / 640)
    assert row["max_exporter_share"] == pytest.approx(500 / 640)
    assert cp.noncompliant_exports(facts, STEEL_STANDARD, certs)["value"].tolist() == [100.0, 40.0]
    by_exporter = cp.compliance_summary(facts, STEEL_STANDARD, certs, by="exporter_id")
    assert by_exporter["exporter_id"].tolist()[:2] == ["A", "B"]  # largest value in reais first
    aggregate = cp.mandatory_exports_aggregate(facts, STEEL_STANDARD, region="00", year=1403)
    assert aggregate.value == 640.0 and aggregate.by_tariff_code["value"].tolist() == [640.0]


# -- old batches, aggregate data -----------------------------------------------------------------------------
def test_batches_written_before_the_day_column_read_with_a_null_day(tmp_path):
    wh = Warehouse(tmp_path / "warehouse")
    old = fact_rows([{"day": None, "month": 5}], batch_id=1).drop_columns(["day"])
    folder = wh.batch_dir(1)
    folder.mkdir(parents=True)
    pq.write_table(old, folder / "part-0.parquet")
    wh.write_batch(2, fact_rows([{"day": 7, "month": 5}], batch_id=2))

    for ids in ([1], [1, 2], [2, 1], None):
        facts = wh.facts(ids)
        assert list(facts.columns[: len(FACT_SCHEMA)]) == FACT_SCHEMA.names
        assert facts.day.type().is_integer()
    frame = wh.facts().execute().sort_values("batch_id")
    assert frame["day"].isna().tolist() == [True, False]
    assert wh.facts([1]).execute()["day"].isna().all()

    lines = cp.compliance_expr(wh.facts(), STEEL_STANDARD, NO_CERTIFICATES).execute().sort_values("batch_id")
    assert lines["judged_by"].tolist() == ["month", "day"]


def test_aggregate_data_shows_the_value_in_mandatory_lines(tmp_path):
    facts = facts_of(
        tmp_path,
        [
            {"month": None, "exporter_id": None, "value_usd": 500.0},
            {"month": None, "exporter_id": None, "value_usd": 70.0, "partner_code": "TUR"},
            {"month": None, "exporter_id": None, "tariff_code": DATES, "value_usd": 900.0},
            {"month": None, "exporter_id": None, "tariff_code": OTHER_STEEL, "value_usd": 30.0},
            {"month": None, "exporter_id": None, "year": 1402, "value_usd": 1.0},
        ],
    )
    std = standards(("7208", "INSO 1", 14000101, None), ("72091", "INSO 5", 14030601, None))
    out = cp.mandatory_exports_aggregate(facts, std, region="00", year=1403)
    assert not out.declaration_level
    assert out.value == 600.0 and out.lines == 3
    table = out.by_tariff_code
    assert table["tariff_code"].tolist() == [STEEL, OTHER_STEEL]
    assert table["value"].tolist() == [570.0, 30.0]
    assert table["lines"].tolist() == [2, 1]
    assert table["required_standards"].tolist() == ["INSO 1", "INSO 5"]

    with_ids = facts_of(tmp_path / "ids", [{"day": 1}])
    assert cp.mandatory_exports_aggregate(with_ids, std, region="00", year=1403).declaration_level
    assert not cp.mandatory_exports_aggregate(with_ids, std, region="01", year=1403).declaration_level


# -- an independent computation ------------------------------------------------------------------------------
def period(year: int, month: int | None, day: int | None, calendar: str = "jalali") -> list[int]:
    """Every day of the line's period as yyyymmdd, walked with jdatetime (Python's dates if Gregorian)."""
    day_type = dt.date if calendar == "gregorian" else jdatetime.date
    if month is None:
        first, last = day_type(year, 1, 1), day_type(year + 1, 1, 1) - dt.timedelta(days=1)
    elif day is None:
        first = day_type(year, month, 1)
        last = (day_type(year + (month == 12), month % 12 + 1, 1)) - dt.timedelta(days=1)
    else:
        first = last = day_type(year, month, day)
    out, current = [], first
    while current <= last:
        out.append(current.year * 10000 + current.month * 100 + current.day)
        current += dt.timedelta(days=1)
    return out


def oracle(
    rows: list[dict], stds: pd.DataFrame, certs: pd.DataFrame, calendar: str = "jalali"
) -> dict[int, tuple[bool, str, str]]:
    """source_row -> (compliant, reason, required standards) for each mandatory export line on the customs
    basis, from the definitions alone: a certificate group (exporter, prefix, standard) must hold a valid
    interval on every day of the line's period."""
    out = {}
    for i, row in enumerate(rows):
        row = {**DEFAULTS, **row}
        if row["flow"] != "export" or row["basis"] != "customs" or row["code_system"] == "ir-national":
            continue
        days = period(row["year"], row["month"], row["day"], calendar)
        code = row["tariff_code"]
        applicable = {
            s.standard_number
            for s in stds.itertuples()
            if code.startswith(s.code_prefix)
            and s.effective_from <= days[-1]
            and (pd.isna(s.effective_to) or s.effective_to >= days[0])
        }
        if not applicable:
            continue
        required = ", ".join(sorted(applicable))
        exporter = row["exporter_id"]
        if not exporter:
            out[i + 2] = (False, cp.REASON_NO_EXPORTER_ID, required)
            continue
        groups: dict[tuple, list[tuple[int, int]]] = {}
        for c in certs.itertuples():
            if c.exporter_id == exporter and code.startswith(c.code_prefix):
                if pd.isna(c.standard_number) or c.standard_number in applicable:
                    groups.setdefault((c.code_prefix, c.standard_number), []).append(
                        (c.valid_from, c.valid_to)
                    )
        covered = any(all(any(a <= d <= b for a, b in spans) for d in days) for spans in groups.values())
        if covered:
            out[i + 2] = (True, cp.REASON_CERTIFIED, required)
        else:
            out[i + 2] = (False, cp.REASON_NOT_VALID if groups else cp.REASON_NO_CERTIFICATE, required)
    return out


def days_in(year: int, month: int, calendar: str) -> int:
    return gregorian.monthrange(year, month)[1] if calendar == "gregorian" else days_of(year, month)


def random_panel(seed: int, n: int, calendar: str = "jalali"):
    """Lines of two years (1403-1404, or the leap 2024 and 2023 if Gregorian), standards and certificates with
    random intervals, and renewals the day after some expiries."""
    rnd = random.Random(seed)
    years = [2024, 2023] if calendar == "gregorian" else [1403, 1404]
    codes = [
        "72085100",
        "72085200",
        "72091500",
        "72101100",
        "08109040",
        "08045020",
        "25231000",
        "7208",
        "720851",
    ]
    exporters = [f"99{k:09d}" for k in range(12)]
    rows = []
    for _ in range(n):
        year = rnd.choice(years)
        month = None if rnd.random() < 0.03 else rnd.randint(1, 12)
        day = None if month is None or rnd.random() < 0.12 else rnd.randint(1, days_in(year, month, calendar))
        code = rnd.choice(codes)
        rows.append(
            {
                "year": year,
                "month": month,
                "day": day,
                "exporter_id": None
                if rnd.random() < 0.04
                else ("" if rnd.random() < 0.01 else rnd.choice(exporters)),
                "tariff_code": code,
                "code_system": {4: "hs4", 6: "hs6", 8: "ir-tariff8"}[len(code)],
                "county_code": rnd.choice(["0001", "0006", "0007"]),
                "partner_code": rnd.choice(["IRQ", "AFG", "TUR", "ARE"]),
                "flow": "import" if rnd.random() < 0.03 else "export",
                "value_usd": round(rnd.uniform(0, 1e6), 2),
            }
        )

    def key() -> int:
        year = rnd.choice(years)
        month = rnd.randint(1, 12)
        return cp.ymd_key(year, month, rnd.randint(1, days_in(year, month, calendar)))

    stds = []
    for k, prefix in enumerate(["7208", "720851", "7209", "72", "0810", "080450", "72085200"]):
        a, b = sorted((key(), key()))
        stds.append((prefix, f"INSO {k % 4}", a, None if rnd.random() < 0.5 else b))
    certs = []
    for _ in range(60):
        a, b = sorted((key(), key()))
        standard = None if rnd.random() < 0.4 else f"INSO {rnd.randint(0, 4)}"
        prefix = rnd.choice(["7208", "720851", "72085100", "72", "7209", "0810", "08045020"])
        certs.append((rnd.choice(exporters), prefix, standard, a, b))
    # a few renewals the day after expiry
    day_type = dt.date if calendar == "gregorian" else jdatetime.date
    last = cp.ymd_key(max(years), 12, days_in(max(years), 12, calendar))
    for exporter, prefix, standard, _, b in list(certs[:10]):
        following = day_type(b // 10000, b // 100 % 100, b % 100) + dt.timedelta(days=1)
        certs.append(
            (exporter, prefix, standard, cp.ymd_key(following.year, following.month, following.day), last)
        )
    return rows, standards(*stds), certificates(*certs)


@pytest.mark.parametrize(
    ("seed", "calendar"), [(1, "jalali"), (2, "jalali"), (3, "jalali"), (4, "gregorian")]
)
def test_the_ibis_computation_equals_an_independent_one(tmp_path, seed, calendar):
    rows, stds, certs = random_panel(seed, 2500, calendar)
    facts = facts_of(tmp_path, rows)
    lines = cp.compliance_expr(facts, stds, certs, calendar=calendar).execute()
    got = {
        int(r): (bool(c), reason, required)
        for r, c, reason, required in zip(
            lines["source_row"], lines["compliant"], lines["reason"], lines["required_standards"], strict=True
        )
    }
    expected = oracle(rows, stds, certs, calendar)
    assert got == expected
    # The panel exercises every outcome, not only the easy ones.
    assert 300 < len(expected) and 50 < sum(ok for ok, _, _ in expected.values()) < len(expected) - 50
    assert {reason for _, reason, _ in expected.values()} == set(cp.REASONS_FA)

    # Summaries: overall and by every breakdown, against sums over the oracle's lines.
    frame = pd.DataFrame([{**DEFAULTS, **row, "source_row": i + 2} for i, row in enumerate(rows)])
    frame = frame[frame["source_row"].isin(expected)].copy()
    frame["compliant"] = frame["source_row"].map(lambda r: expected[r][0])
    frame["known"] = frame["exporter_id"].fillna("") != ""
    for by in (None, "tariff_code", "exporter_id", "county_code", "partner_code", "month"):
        keys = list(cp.BY_COLUMNS[by]) if by else []
        groups = frame.groupby(keys, dropna=False) if keys else [((), frame)]
        expected_summary = pd.DataFrame(
            [
                {
                    **dict(zip(keys, name if isinstance(name, tuple) else (name,), strict=True)),
                    **expected_row(g),
                }
                for name, g in groups
            ]
        )
        summary = cp.compliance_summary(facts, stds, certs, by=by, calendar=calendar)
        assert len(summary) == len(expected_summary)
        merged = summary.merge(expected_summary, on=keys, suffixes=("", "_expected")) if keys else None
        if merged is None:
            merged = pd.concat([summary, expected_summary.add_suffix("_expected")], axis=1)
        assert len(merged) == len(summary)
        for name in expected_summary.columns.difference(keys):
            got_values = merged[name].astype(float).fillna(-1.0).to_numpy()
            want_values = merged[f"{name}_expected"].astype(float).fillna(-1.0).to_numpy()
            assert got_values == pytest.approx(want_values), (by, name)


def expected_row(group: pd.DataFrame) -> dict:
    """The summary's figures for one group of oracle lines, by pandas."""
    ok, known = group["compliant"], group["known"]
    total, good = group["value_usd"].sum(), group.loc[ok, "value_usd"].sum()
    return {
        "lines": len(group),
        "value": total,
        "compliant_lines": ok.sum(),
        "compliant_value": good,
        "noncompliant_lines": (~ok).sum(),
        "noncompliant_value": group.loc[~ok, "value_usd"].sum(),
        "exporters": group.loc[known, "exporter_id"].nunique(),
        "noncompliant_exporters": group.loc[known & ~ok, "exporter_id"].nunique(),
        "rate_lines": ok.mean(),
        "rate_value": good / total if total else None,
        "no_exporter_id_lines": (~known).sum(),
        "no_exporter_id_value": group.loc[~known, "value_usd"].sum(),
        "month_judged_lines": (group["month"].notna() & group["day"].isna()).sum(),
        "year_judged_lines": group["month"].isna().sum(),
    }
