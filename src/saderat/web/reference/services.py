"""Load the reference tables shipped with the package into the workspace database (idempotent upserts)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from saderat.reference import loaders
from saderat.web.reference.models import (
    BilateralBatch,
    Country,
    CountryAlias,
    County,
    CustomsOffice,
    HSCode,
    Province,
    TariffLine,
)
from saderat.web.reference.selectors import installed_profile


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _int_or_none(value):
    try:
        return None if value is None or value != value else int(value)
    except (TypeError, ValueError):
        return None


def _upsert(model, objects: list, unique_fields: list[str], update_fields: list[str]) -> int:
    model.objects.bulk_create(
        objects,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=unique_fields,
        update_fields=update_fields,
    )
    return len(objects)


@transaction.atomic
def reference_load_all() -> dict[str, int]:
    """Insert or update every reference table from ``saderat/data/reference`` and return row counts. With a
    region profile installed (``saderat profile import``), its regions and sub-regions take the place of
    Iran's provinces and counties, and Iran's customs offices are not loaded."""
    counts = {}
    profile = installed_profile()
    provinces = profile.regions if profile else loaders.load_provinces()
    counts["provinces"] = _upsert(
        Province,
        [
            Province(
                code=r.code,
                name_fa=r.name_fa,
                name_en=_text(r.name_en),
                population_2016=_int_or_none(r.population_2016),
            )
            for r in provinces.itertuples()
        ],
        ["code"],
        ["name_fa", "name_en", "population_2016"],
    )
    counties = profile.subregions if profile else loaders.load_counties()
    counts["counties"] = _upsert(
        County,
        [
            County(
                code=r.code,
                province_id=r.province_code,
                name_fa=r.name_fa,
                population_2016=_int_or_none(r.population_2016),
            )
            for r in counties.itertuples()
        ],
        ["code"],
        ["province", "name_fa", "population_2016"],
    )
    countries = loaders.load_countries()
    counts["countries"] = _upsert(
        Country,
        [
            Country(
                code=r.code,
                iso2=_text(r.iso2),
                name_fa=r.name_fa,
                name_en=_text(r.name_en),
                is_country=bool(int(r.is_country)),
                note=_text(r.note)[:255],
            )
            for r in countries.itertuples()
        ],
        ["code"],
        ["iso2", "name_fa", "name_en", "is_country", "note"],
    )
    aliases = loaders.load_country_aliases()
    counts["country_aliases"] = _upsert(
        CountryAlias,
        [CountryAlias(alias_fa=r.alias_fa, country_id=r.code) for r in aliases.itertuples()],
        ["alias_fa"],
        ["country"],
    )
    hs = loaders.load_hs()
    counts["hs_codes"] = _upsert(
        HSCode,
        [
            HSCode(
                code=r.code,
                level=int(r.level),
                parent=_text(r.parent),
                section=_text(r.section),
                name_fa=_text(r.name_fa),
                name_en=_text(r.name_en),
            )
            for r in hs.itertuples()
        ],
        ["code"],
        ["level", "parent", "section", "name_fa", "name_en"],
    )
    lines = loaders.load_tariff_lines()
    counts["tariff_lines"] = _upsert(
        TariffLine,
        [
            TariffLine(code_system=r.code_system, code=r.code, hs6=_text(r.hs6), name_fa=_text(r.name_fa))
            for r in lines.itertuples()
        ],
        ["code_system", "code"],
        ["hs6", "name_fa"],
    )
    offices = loaders.load_customs_offices().iloc[:0] if profile else loaders.load_customs_offices()
    counts["customs_offices"] = _upsert(
        CustomsOffice,
        [
            CustomsOffice(
                code=_text(r.code), name_fa=r.name_fa, province_id=r.province_code, aliases=_text(r.aliases)
            )
            for r in offices.itertuples()
        ],
        ["name_fa"],
        ["code", "province", "aliases"],
    )
    return counts


class ProfileConflict(RuntimeError):
    """A profile cannot replace the regions of a workspace that holds data of other regions."""


def check_profile_may_change() -> None:
    """Raise :class:`ProfileConflict` when the workspace holds imported data of the current regions: a batch
    that is active, or may become so (queued, running, held, quarantined). Withdrawn, failed, discarded and
    duplicate batches feed no figure."""
    from saderat.web.imports.models import ImportBatch

    S = ImportBatch.Status
    live = (S.QUEUED, S.RUNNING, S.HELD, S.ACTIVE, S.QUARANTINED)
    if ImportBatch.objects.filter(status__in=live).exists():
        raise ProfileConflict(
            "این فضای کار داده واردشده دارد؛ پروفایل منطقه را پیش از ورود داده، در فضای کاری تازه نصب کنید "
            "(the workspace holds imported data: install a region profile in a fresh workspace, before any import)"
        )


@transaction.atomic
def reference_apply_profile() -> dict[str, int]:
    """Make the workspace's regions those of the installed profile: Iran's (or a former profile's)
    provinces, counties and customs offices are removed, then :func:`reference_load_all` loads the
    profile's. Refused (:class:`ProfileConflict`, nothing changed) while an import batch or a record that
    names a former region exists: its figures would lose their region."""
    from django.db.models import ProtectedError

    profile = installed_profile()
    if profile is None:
        return reference_load_all()
    check_profile_may_change()
    keep_regions, keep_subregions = set(profile.regions["code"]), set(profile.subregions["code"])
    try:
        CustomsOffice.objects.all().delete()
        County.objects.exclude(code__in=keep_subregions).delete()
        Province.objects.exclude(code__in=keep_regions).delete()
    except ProtectedError as exc:
        raise ProfileConflict(
            "رکوردهایی (بنگاه، واحد صنعتی ...) به شهرستان‌های پیشین اشاره دارند؛ پروفایل در فضای کاری تازه نصب شود "
            "(records such as firms or units name former counties: install the profile in a fresh workspace)"
        ) from exc
    return reference_load_all()


@dataclass
class BilateralImport:
    """What :func:`bilateral_import` did: the year records it wrote, or the records that already hold the
    file (``duplicate``)."""

    batches: list
    duplicate: bool = False


def bilateral_import(path, *, country_codes_path=None, user=None) -> BilateralImport:
    """Store a CEPII BACI file (one or more years) in the warehouse as recorded batches.

    The file's SHA-256 identifies it: a file already stored is not stored again. Each year is written
    atomically (``Warehouse.write_bilateral``) inside the transaction that records it and marks the year's
    previous record replaced, so a failed write leaves the previous year and its record. Raises
    ``ValueError`` / ``FileNotFoundError`` (from :func:`saderat.ingest.baci.read_baci`) for a file that
    cannot be used, before anything is written."""
    import pyarrow as pa

    from saderat.ingest.baci import read_baci
    from saderat.ingest.pipeline import file_checksum
    from saderat.web.common.warehouse import get_warehouse

    path = Path(path)
    if not path.is_file():  # the clerk's message, not the operating system's
        raise FileNotFoundError(f"فایل «{path.name}» پیدا نشد. File not found.")
    checksum = file_checksum(path)
    stored = list(BilateralBatch.objects.filter(checksum=checksum, status=BilateralBatch.Status.ACTIVE))
    if stored:
        return BilateralImport(batches=stored, duplicate=True)
    frame = read_baci(path, country_codes_path=country_codes_path)
    keep = ["year", "exporter", "importer", "product", "value_usd", "quantity_t"]
    batches = []
    for year in sorted(int(y) for y in frame["year"].unique()):
        part = frame.loc[frame["year"] == year, keep].astype(
            {"exporter": str, "importer": str, "product": str}
        )
        with transaction.atomic():
            BilateralBatch.objects.select_for_update().filter(
                year=year, status=BilateralBatch.Status.ACTIVE
            ).update(status=BilateralBatch.Status.REPLACED)
            batch = BilateralBatch.objects.create(
                year=year,
                source_name=path.name,
                checksum=checksum,
                rows=len(part),
                exporters=int(part["exporter"].nunique()),
                value_usd=float(part["value_usd"].sum()),
                created_by=user if getattr(user, "pk", None) else None,
            )
            get_warehouse().write_bilateral(year, pa.Table.from_pandas(part, preserve_index=False))
        batches.append(batch)
    return BilateralImport(batches=batches)
