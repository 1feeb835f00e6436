"""The demo's synthetic registry, imported through the real registry pipeline.

:func:`import_synthetic_registry` reads the active synthetic declarations of the demo province from the
warehouse (exporter ID, county, tariff line, year), generates a registry calibrated to them and to the
province's published counts (:func:`saderat.demo.registry.generate_registry`: every name, identifier, card and
unit in it is synthetic), writes the four registry templates as XLSX files and imports them with
:func:`saderat.web.registry.services.registry_import_file` (``synthetic=True``) in the order firms → units →
cards → exporters — the same path as an agency's spreadsheet, so the demo exercises validation, the joining
of records to firms and the entity resolver — then sends the card-expiry alerts.

Idempotent: the files are byte-for-byte deterministic (fixed seed, fixed workbook creation time, and the
cards' dates anchored on the day the synthetic registry was first imported), so a second run finds every file
already imported (a duplicate batch) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import xlsxwriter
from django.utils import timezone

from saderat.demo.registry import SYNTHETIC_LABEL, generate_registry
from saderat.ingest.registry import KIND_LABELS
from saderat.reference.loaders import load_counties, load_hs, load_isic, load_isic_hs6, load_tariff_lines
from saderat.warehouse import queries
from saderat.web.common.warehouse import active_facts
from saderat.web.registry import services
from saderat.web.registry.models import RegistryBatch

__all__ = ["import_synthetic_registry", "synthetic_registry_files", "IMPORT_ORDER", "REFERENCE_YEAR"]

#: Firms first (they carry the identifiers), then units and cards (whose names other agencies spell their own
#: way), then the exporter IDs of customs.
IMPORT_ORDER = ("firms", "units", "cards", "exporters")
#: The year of real province data whose tariff lines potential exporters are drawn from (besides the
#: synthetic declarations).
REFERENCE_YEAR = 1402
#: The workbooks' creation time: fixed, so that the same registry gives the same bytes.
_CREATED = dt.datetime(2025, 1, 1, 0, 0, 0)
NO_DECLARATIONS = "داده‌های اظهارنامه ساختگی استان {region} در انبار نیست؛ نخست آن‌ها را وارد کنید."


def _anchor_day(today: dt.date | None) -> dt.date:
    """The day the cards' dates are counted from: ``today`` if given, else the day the synthetic registry
    was first imported (so that a later run writes the same files), else today."""
    if today is not None:
        return today
    first = (
        RegistryBatch.objects.filter(is_synthetic=True, status=RegistryBatch.Status.ACTIVE, kind="cards")
        .order_by("created_at")
        .first()
    )
    return timezone.localdate(first.created_at) if first else timezone.localdate()


def _declarations(region: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    facts = active_facts()
    declarations = queries.exporter_totals(
        facts, by=("exporter_id", "county_code", "tariff_code", "year"), year=None, basis=None, region=region
    )
    if declarations.empty:
        raise RuntimeError(NO_DECLARATIONS.format(region=region))
    # The province's real (aggregate, IRICA) exports of the reference year, by tariff line.
    lines = queries.totals_by_product(facts, level="tariff_code", year=REFERENCE_YEAR, region=region)
    province_exports = (
        lines.rename(columns={"code": "tariff_code"})[["tariff_code", "value_usd"]]
        .sort_values("tariff_code")
        .reset_index(drop=True)
    )
    return declarations, province_exports


def _write_xlsx(frame: pd.DataFrame, path: Path, kind: str) -> None:
    """One sheet, right to left, every identifier as text; the same frame always gives the same bytes."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    book.set_properties(
        {
            "title": KIND_LABELS[kind],
            "subject": SYNTHETIC_LABEL,
            "comments": SYNTHETIC_LABEL,
            "created": _CREATED,
        }
    )
    sheet = book.add_worksheet("ساختگی")
    sheet.right_to_left()
    bold = book.add_format({"bold": True})
    for col, header in enumerate(frame.columns):
        sheet.write_string(0, col, str(header), bold)
        sheet.set_column(col, col, 18)
    for row, values in enumerate(frame.itertuples(index=False), start=1):
        for col, value in enumerate(values):
            if value is None or (isinstance(value, float) and value != value) or value == "":
                continue
            if isinstance(value, str):
                sheet.write_string(row, col, value)
            else:
                sheet.write_number(row, col, float(value))
    book.close()


def synthetic_registry_files(
    folder: Path,
    *,
    region: str,
    today: dt.date,
    seed: int = 1405,
    units_total: int = 3050,
    active_licences: int = 1839,
) -> tuple[dict[str, Path], dict[str, pd.DataFrame]]:
    """Generate the synthetic registry of ``region`` and write its four files into ``folder``. Returns the
    paths by kind and the generated frames (with ``truth`` and ``roles``)."""
    declarations, province_exports = _declarations(region)
    generated = generate_registry(
        declarations,
        counties=load_counties(),
        isic=load_isic(),
        isic_hs6=load_isic_hs6(),
        tariff_lines=load_tariff_lines(),
        hs=load_hs(),
        today=today,
        seed=seed,
        units_total=units_total,
        active_licences=active_licences,
        province_exports=province_exports,
    )
    paths = {}
    for kind in IMPORT_ORDER:
        paths[kind] = folder / f"synthetic-registry-{region}-{kind}.xlsx"
        _write_xlsx(generated[kind], paths[kind], kind)
    return paths, generated


def _withdraw_outdated(paths: dict[str, Path]) -> None:
    """A demo whose generator changed writes other files: its earlier synthetic registry is withdrawn first
    (dependants first), so that two synthetic registries never stand side by side."""
    from saderat.ingest.pipeline import file_checksum

    fresh = {kind: file_checksum(path) for kind, path in paths.items()}
    active = RegistryBatch.objects.filter(status=RegistryBatch.Status.ACTIVE, is_synthetic=True)
    if all(active.filter(kind=kind, checksum=checksum).exists() for kind, checksum in fresh.items()):
        return
    for kind in reversed(IMPORT_ORDER):
        for batch in active.filter(kind=kind).exclude(checksum=fresh[kind]).order_by("-id"):
            services.registry_batch_withdraw(batch=batch, user=None, system=True)


def import_synthetic_registry(
    *,
    today: dt.date | None = None,
    region: str = "00",
    seed: int = 1405,
    units_total: int = 3050,
    active_licences: int = 1839,
) -> list[RegistryBatch]:
    """Generate, write and import the demo's synthetic registry (firms → units → cards → exporters), then send
    the card-expiry alerts. Returns the four batches, each with an attribute ``duplicate`` (True when the
    same file had been imported before and nothing changed). ``units_total`` and ``active_licences``: the
    calibration counts (smaller values make a smaller registry, for tests)."""
    day = _anchor_day(today)
    batches = []
    with tempfile.TemporaryDirectory(prefix="saderat-registry-") as tmp:
        paths, _ = synthetic_registry_files(
            Path(tmp),
            region=region,
            today=day,
            seed=seed,
            units_total=units_total,
            active_licences=active_licences,
        )
        _withdraw_outdated(paths)
        for kind in IMPORT_ORDER:
            batch, duplicate = services.registry_import_file(path=paths[kind], kind=kind, synthetic=True)
            batch.duplicate = duplicate
            batches.append(batch)
    services.card_expiry_alerts_send()
    return batches
