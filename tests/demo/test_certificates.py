"""The demo's synthetic certificates (saderat.demo.certificates) and the compliance of the demo's declarations:
the warehouse's verdict (saderat.warehouse.compliance) equals an independent computation in plain Python over
the same declarations, standards and certificates. Without Django: the declarations are generated from the
package's copy of the real 1402 rows and imported through the real pipeline into a temporary warehouse; the
standards are the shipped seed list read through the directorate's template."""

from __future__ import annotations

import dataclasses
import datetime as dt
from importlib import resources
from pathlib import Path

import jdatetime
import pandas as pd
import pytest
from tests.demo.test_registry import _base_1402

from saderat.demo import declarations as demo
from saderat.demo.certificates import CASE_SHARES, generate_certificates
from saderat.ingest.pipeline import prepare_import
from saderat.ingest.quality import prepare_quality
from saderat.reference.loaders import ReferenceLookups
from saderat.warehouse import Warehouse, compliance

SEED = Path(str(resources.files("saderat") / "data" / "reference" / "mandatory_standards_seed.csv"))

CALIBRATIONS = tuple(dataclasses.replace(c, destinations_at={}) for c in demo.MARKAZI_CALIBRATION)


def _key(day: dt.date) -> int:
    j = jdatetime.date.fromgregorian(date=day)
    return j.year * 10000 + j.month * 100 + j.day


@pytest.fixture(scope="module")
def declarations():
    return demo.generate_declarations(_base_1402(), calibrations=CALIBRATIONS)


@pytest.fixture(scope="module")
def standards() -> pd.DataFrame:
    prepared = prepare_quality(SEED, kind="standards")
    assert prepared.rows_rejected == 0
    return pd.DataFrame(
        {
            "code_prefix": r["code_prefix"],
            "standard_number": r["standard_number"],
            "effective_from": _key(r["effective_from"]),
            "effective_to": _key(r["effective_to"]) if r["effective_to"] else None,
        }
        for r in prepared.records
    ).astype({"effective_to": "Int64"})


@pytest.fixture(scope="module")
def facts(declarations, tmp_path_factory):
    folder = tmp_path_factory.mktemp("certificates")
    warehouse = Warehouse(folder / "warehouse")
    for batch_id, (year, rows) in enumerate(declarations.groupby("year"), start=1):
        path = folder / f"synthetic-declarations-00-{year}.csv"
        path.write_bytes(rows.to_csv(index=False).encode("utf-8"))
        prepared = prepare_import(path, lookups=ReferenceLookups.load())
        assert prepared.rows_rejected == 0
        warehouse.write_batch(batch_id, prepared.validation.to_arrow(batch_id))
    return warehouse.facts()


@pytest.fixture(scope="module")
def mandatory(declarations, standards) -> pd.DataFrame:
    """Every declaration line under a standard (the demo's standards are in force over both years)."""
    prefixes = tuple(standards["code_prefix"].unique())
    lines = declarations[declarations["tariff_code"].str.startswith(prefixes)].copy()
    assert len(lines) > 10, "the demo's declarations must reach some mandatory lines"
    return lines


@pytest.fixture(scope="module")
def certificates(mandatory, standards) -> pd.DataFrame:
    exporters = sorted(mandatory["exporter_id"].unique())
    holders = pd.DataFrame(
        {
            "exporter_id": exporters,
            "national_id": [f"1{i:010d}" for i in range(len(exporters))],
            "national_code": "",
            "name": [f"بنگاه {i}" for i in range(len(exporters))],
        }
    )
    generated = generate_certificates(mandatory, holders, standards[["code_prefix", "standard_number"]])
    owner = dict(zip(holders["national_id"], holders["exporter_id"], strict=True))
    rows = []
    for c in generated.itertuples(index=False):
        issued = jdatetime.datetime.strptime(c.issued_on, "%Y/%m/%d").date()
        expires = jdatetime.datetime.strptime(c.expires_on, "%Y/%m/%d").date()
        for code, number in (
            (code, n) for code in c.codes.split("، ") for n in c.standard_numbers.split("، ")
        ):
            rows.append(
                {
                    "exporter_id": owner[c.national_id],
                    "certificate_number": c.certificate_number,
                    "code_prefix": code,
                    "standard_number": number,
                    "valid_from": issued.year * 10000 + issued.month * 100 + issued.day,
                    "valid_to": expires.year * 10000 + expires.month * 100 + expires.day,
                    "case": c.case,
                }
            )
    return pd.DataFrame(rows)


def test_the_certificates_are_deterministic_and_draw_every_case(mandatory, standards, certificates):
    assert set(certificates["case"]) == set(CASE_SHARES) - {"none"}
    again = generate_certificates(
        mandatory,
        pd.DataFrame(
            {
                "exporter_id": sorted(mandatory["exporter_id"].unique()),
                "national_id": [f"1{i:010d}" for i in range(mandatory["exporter_id"].nunique())],
                "national_code": "",
                "name": "x",
            }
        ),
        standards[["code_prefix", "standard_number"]],
    )
    assert len(again) == certificates["certificate_number"].nunique()


def independent(mandatory: pd.DataFrame, standards: pd.DataFrame, certificates: pd.DataFrame, year: int):
    """Compliant and non-compliant value and line counts, by plain Python: a line is compliant when one of its
    exporter's certificates covers its code (prefix), names one of the line's standards, and is valid on the
    line's day."""
    needed: dict[str, set[str]] = {}
    for prefix, number in standards[["code_prefix", "standard_number"]].itertuples(index=False):
        needed.setdefault(prefix, set()).add(number)
    held = certificates.groupby("exporter_id")
    totals = {"lines": 0, "value": 0.0, "bad_lines": 0, "bad_value": 0.0}
    for line in mandatory[mandatory["year"] == year].itertuples(index=False):
        day = line.year * 10000 + line.month * 100 + line.day
        wanted = set().union(*(n for p, n in needed.items() if line.tariff_code.startswith(p)))
        ok = False
        if line.exporter_id in held.groups:
            for c in held.get_group(line.exporter_id).itertuples(index=False):
                if (
                    line.tariff_code.startswith(c.code_prefix)
                    and c.standard_number in wanted
                    and c.valid_from <= day <= c.valid_to
                ):
                    ok = True
                    break
        totals["lines"] += 1
        totals["value"] += line.value_usd
        if not ok:
            totals["bad_lines"] += 1
            totals["bad_value"] += line.value_usd
    return totals


@pytest.mark.parametrize("year", [1403, 1404])
def test_compliance_of_the_demo_equals_an_independent_computation(
    facts, mandatory, standards, certificates, year
):
    expected = independent(mandatory, standards, certificates, year)
    got = compliance.compliance_summary(
        facts, standards, certificates.drop(columns="case"), region="00", year=year
    ).iloc[0]
    assert got["lines"] == expected["lines"] > 0
    assert got["noncompliant_lines"] == expected["bad_lines"]
    assert got["value"] == pytest.approx(expected["value"], rel=1e-12)
    assert got["noncompliant_value"] == pytest.approx(expected["bad_value"], rel=1e-12, abs=1e-9)
    rate = 1 - expected["bad_value"] / expected["value"]
    assert got["rate_value"] == pytest.approx(rate, rel=1e-12)


def test_some_demo_exports_are_deliberately_non_compliant(facts, standards, certificates):
    both = compliance.compliance_summary(facts, standards, certificates.drop(columns="case"), region="00")
    assert both.iloc[0]["noncompliant_lines"] > 0 and both.iloc[0]["compliant_lines"] > 0
