"""Synthetic certificates of conformity for the demo's synthetic registry, so that the compliance page has
something to find.

No public register of certificates exists. For every (firm, standard line) pair that the synthetic
declarations need — a firm that exported under a code prefix of the mandatory-standard list — the generator
draws one of four cases
(deterministic for a seed), with the shares below, so that the demo shows compliant exporters and each kind of
non-compliance:

- *covered* (60 %): a certificate issued 30-200 days before the firm's first such export, valid past its last;
- *lapsed* (15 %): issued before the first export, expired on a day between the first and the last export, so
  the exports after that day are non-compliant and those before it are not;
- *late* (10 %): issued on a day between the first and the last export: the exports before it are
  non-compliant;
- *none* (15 %): no certificate at all.

The cases are dealt in those shares (largest remainders), in an order shuffled by the seed. Every certificate
names the firm by its identifier, the tariff lines the firm exported under that standard,
the standard, "the provincial standards directorate" as issuer, Jalali dates; the rows are written in the
directorate's template (:data:`saderat.ingest.quality.QUALITY_TEMPLATES`) and imported through the real
pipeline, flagged synthetic.
"""

from __future__ import annotations

import datetime as dt

import jdatetime
import numpy as np
import pandas as pd

__all__ = ["CASE_SHARES", "generate_certificates", "ISSUER"]

CASE_SHARES = {"covered": 0.60, "lapsed": 0.15, "late": 0.10, "none": 0.15}
ISSUER = "اداره کل استاندارد استان مرکزی"


def _gregorian(year: int, month: int, day: int) -> dt.date:
    return jdatetime.date(int(year), int(month), int(day)).togregorian()


def _jalali_text(day: dt.date) -> str:
    return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")


def _quota(n: int) -> np.ndarray:
    """``n`` cases in the shares of :data:`CASE_SHARES` (largest remainders), so that a small demo still shows
    each kind of case rather than whatever a random draw happens to give."""
    exact = np.array(list(CASE_SHARES.values())) * n
    counts = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - counts), kind="stable")[: n - counts.sum()]:
        counts[i] += 1
    return np.repeat(list(CASE_SHARES), counts)


def generate_certificates(
    lines: pd.DataFrame, holders: pd.DataFrame, standards: pd.DataFrame, *, seed: int = 1405
) -> pd.DataFrame:
    """Certificates for the mandatory lines exported in ``lines``.

    ``lines``: declaration lines with ``exporter_id, tariff_code, year, month, day`` (Jalali);
    ``holders``: ``exporter_id, national_id, national_code, name`` (the registry's link of an exporter ID to
    its firm; lines of unknown exporters are left out); ``standards``: ``code_prefix, standard_number``.
    Returns one row per certificate with the columns ``certificate_number, national_id, national_code,
    holder_name, codes, standard_numbers, issuing_body, issued_on, expires_on, case`` (dates as Jalali
    text; ``case`` is the drawn case, for tests)."""
    columns = [
        "certificate_number",
        "national_id",
        "national_code",
        "holder_name",
        "codes",
        "standard_numbers",
        "issuing_body",
        "issued_on",
        "expires_on",
        "case",
    ]
    if lines.empty or standards.empty:
        return pd.DataFrame(columns=columns)
    # One certificate per firm and standard line (a code prefix of the list), naming every standard of that
    # line: a line with several standards (dates have a dozen) is then covered or not as a whole, so the
    # drawn case decides its exports.
    numbers = standards.groupby("code_prefix")["standard_number"].agg(lambda s: sorted(set(s)))
    pairs = []
    for prefix, standard_numbers in numbers.items():
        hit = lines[lines["tariff_code"].str.startswith(prefix)]
        if len(hit):
            pairs.append(hit.assign(code_prefix=prefix, standard_numbers="، ".join(standard_numbers)))
    if not pairs:
        return pd.DataFrame(columns=columns)
    needed = pd.concat(pairs, ignore_index=True).merge(holders, on="exporter_id", how="inner")
    needed["date"] = [
        _gregorian(y, m, d) for y, m, d in needed[["year", "month", "day"]].itertuples(index=False)
    ]
    needed["firm"] = (
        needed["national_id"].fillna("").astype(str) + "|" + needed["national_code"].fillna("").astype(str)
    )
    groups = (
        needed.groupby(["firm", "code_prefix"], sort=True)
        .agg(
            first=("date", "min"),
            last=("date", "max"),
            codes=("tariff_code", lambda s: sorted(set(s))),
            standard_numbers=("standard_numbers", "first"),
            national_id=("national_id", "first"),
            national_code=("national_code", "first"),
            name=("name", "first"),
        )
        .reset_index()
    )
    rng = np.random.default_rng(seed)
    cases = rng.permutation(_quota(len(groups)))
    lead = rng.integers(30, 201, size=len(groups))
    cut = rng.random(len(groups))
    rows = []
    for i, g in enumerate(groups.itertuples(index=False)):
        case = cases[i]
        if case == "none":
            continue
        span = max((g.last - g.first).days, 1)
        middle = g.first + dt.timedelta(days=1 + int(cut[i] * (span - 1)))
        issued = g.first - dt.timedelta(days=int(lead[i]))
        expires = max(issued + dt.timedelta(days=730), g.last + dt.timedelta(days=30))
        if case == "lapsed":
            expires = middle - dt.timedelta(days=1) if middle > g.first else g.first
        elif case == "late":
            issued = middle
        rows.append(
            {
                "certificate_number": f"S{1403 + i // 10000:04d}-{i:05d}",
                "national_id": g.national_id or "",
                "national_code": g.national_code or "",
                "holder_name": g.name,
                "codes": "، ".join(g.codes),
                "standard_numbers": g.standard_numbers,
                "issuing_body": ISSUER,
                "issued_on": _jalali_text(issued),
                "expires_on": _jalali_text(expires),
                "case": case,
            }
        )
    return pd.DataFrame(rows, columns=columns)
