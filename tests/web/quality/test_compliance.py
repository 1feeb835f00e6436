"""Compliance of exports end to end: the directorate's standard and certificate (through the services), the
session's synthetic declarations in the warehouse, the verdict of :func:`figures.compliance_data`."""

from __future__ import annotations

import datetime as dt

import jdatetime
import pytest


def _day(month: int, day: int, year: int = 1404) -> dt.date:
    return jdatetime.date(year, month, day).togregorian()


def _setup(personas, registry, code: str, *, issued: dt.date, expires: dt.date):
    from saderat.web.quality import services

    services.standard_save(
        user=personas["standards"],
        code_prefix=code[:6],
        standard_number="5311-1",
        effective_from=_day(1, 1, 1396),
    )
    return services.certificate_save(
        user=personas["standards"],
        number="1404-100",
        firm=registry["steel"],
        codes=[code[:6]],
        standard_numbers=["5311-1"],
        issuing_body="اداره کل استاندارد",
        issued_on=issued,
        expires_on=expires,
    )


def _noncompliant(exporter: str, code: str) -> list[tuple[int, int]]:
    from saderat.web.quality.figures import compliance_data

    data = compliance_data(region="00", year=1404, list_limit=100_000)
    assert data["declaration_level"], data
    return sorted(
        (r["month"], r["day"])
        for r in data["noncompliant"]
        if r["exporter_id"] == exporter and r["tariff_code"] == code
    )


def test_a_certificate_that_expires_flips_exactly_the_exports_after_it(personas, registry, steel_line):
    code, lines = steel_line
    dates = sorted({(int(m), int(d)) for m, d in lines[["month", "day"]].itertuples(index=False)})
    assert len(dates) >= 3, "the steel exporter's line needs several export days for this test"
    cut = dates[len(dates) // 2]
    _setup(personas, registry, code, issued=_day(1, 1), expires=_day(*cut))
    expected = sorted(
        (int(m), int(d)) for m, d in lines[["month", "day"]].itertuples(index=False) if (m, d) > cut
    )
    assert _noncompliant(registry["big_exporter"], code) == expected
    # One day later, the exports of the day after the old expiry become compliant, and nothing else changes.
    from saderat.web.quality import services
    from saderat.web.quality.models import Certificate

    certificate = Certificate.objects.get(number="1404-100")
    next_day = jdatetime.date.fromgregorian(date=_day(*cut) + dt.timedelta(days=1))
    services.certificate_save(
        user=personas["standards"], certificate=certificate, expires_on=next_day.togregorian()
    )
    expected_later = [d for d in expected if d != (next_day.month, next_day.day)]
    assert _noncompliant(registry["big_exporter"], code) == expected_later


def test_a_suspension_dated_in_the_past_counts_from_its_own_day(personas, registry, steel_line):
    code, lines = steel_line
    dates = sorted({(int(m), int(d)) for m, d in lines[["month", "day"]].itertuples(index=False)})
    cut = dates[len(dates) // 2]
    certificate = _setup(personas, registry, code, issued=_day(1, 1), expires=_day(12, 29))
    assert _noncompliant(registry["big_exporter"], code) == []
    from saderat.web.quality import services

    services.certificate_set_status(
        user=personas["standards"], certificate=certificate, status="suspended", effective_on=_day(*cut)
    )
    expected = sorted(
        (int(m), int(d)) for m, d in lines[["month", "day"]].itertuples(index=False) if (m, d) >= cut
    )
    assert _noncompliant(registry["big_exporter"], code) == expected


@pytest.mark.django_db
def test_aggregate_data_only_shows_the_value_in_mandatory_lines(personas):
    """1402 is IRICA's aggregate file: no exporter IDs, so compliance cannot be judged, and the page says so."""
    from saderat.web.quality import services
    from saderat.web.quality.figures import NEEDS_DECLARATIONS, compliance_data

    services.standard_save(
        user=personas["standards"], code_prefix="0804", standard_number="395", effective_from=_day(1, 1, 1396)
    )
    data = compliance_data(region="00", year=1402)
    assert not data["declaration_level"] and data["message"] == NEEDS_DECLARATIONS
    assert data["mandatory"] and all(r["tariff_code"].startswith("0804") for r in data["mandatory"])


def test_the_quality_version_moves_with_each_register(personas, registry, steel_line):
    """What the compliance figures and the kept dashboard are keyed on besides the facts: a new standard, a
    certificate saved, a status change each give another version (one query for the three registers)."""
    from saderat.web.quality import services
    from saderat.web.quality.figures import quality_version

    code, _ = steel_line
    seen = [quality_version()]
    certificate = _setup(personas, registry, code, issued=_day(1, 1), expires=_day(12, 29))
    seen.append(quality_version())
    services.certificate_save(user=personas["standards"], certificate=certificate, expires_on=_day(12, 28))
    seen.append(quality_version())
    services.certificate_set_status(
        user=personas["standards"], certificate=certificate, status="suspended", effective_on=_day(6, 1)
    )
    seen.append(quality_version())
    assert len(set(seen)) == 4, seen
    assert quality_version() == seen[-1]  # nothing changed: the same version
