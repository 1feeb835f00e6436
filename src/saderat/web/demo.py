"""The demo's data: the real IRICA series, a synthetic declaration-level set for the demo province
(1403-1404, calibrated to the published reports), a synthetic registry of firms, cards, units and exporter IDs
calibrated to those declarations (:mod:`saderat.web.registry.demo`), and the province's targets and reports.
Idempotent: running it again changes nothing."""

from __future__ import annotations

import datetime as dt
import gzip
from importlib import resources
from pathlib import Path

from django.conf import settings

from saderat.demo.declarations import generate_declarations
from saderat.jalali import year_bounds
from saderat.text import to_persian_digits
from saderat.warehouse import queries
from saderat.web.common.warehouse import active_facts
from saderat.web.imports.services import ImportResult, batch_import_file
from saderat.web.targets.models import ProgressReport, Target
from saderat.web.targets.services import report_enter, target_create

DEMO_PROVINCE = "00"
SYNTHETIC_SOURCE = "داده ساختگی نمایشی (مدرک واقعی نیست)"

#: Cumulative reports of Markazi's exports as published (the figures the issue quotes): months -> USD, kg,
#: destination countries.
PUBLISHED_REPORTS = {
    1403: {4: (465e6, None, None)},
    1404: {5: (519e6, None, None), 6: (655e6, None, None), 7: (783e6, None, None), 8: (893e6, 1_188e6, 87)},
}
#: Illustrative national year-to-date figures for 1404, needed by the share target; synthetic.
SYNTHETIC_NATIONAL_1404 = {5: 19.8e9, 6: 24.5e9, 7: 28.9e9, 8: 33.1e9}


def real_files() -> list[Path]:
    folder = resources.files("saderat") / "data" / "demo"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.startswith("irica-exports-"))


def import_real() -> list[ImportResult]:
    return [batch_import_file(path=path, keep_source=False) for path in real_files()]


def synthetic_files(region: str = DEMO_PROVINCE) -> list[Path]:
    """Write the synthetic declarations (deterministic) under SADERAT_HOME/demo and return the files."""
    facts = active_facts()
    base = queries.region_lines(facts, year=1402, region=region)
    if base.empty:
        raise RuntimeError("the real 1402 data of the demo province must be imported first")
    known = set(base["partner_code"])
    extra = [code for code in queries.partners_by_value(facts, year=1402) if code not in known][
        :2
    ]  # 85 + 2 = 87 destinations
    declarations = generate_declarations(base, region=region, extra_destinations=extra)
    folder = Path(settings.SADERAT_HOME) / "demo"
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for year, rows in declarations.groupby("year"):
        path = folder / f"synthetic-declarations-{region}-{year}.csv.gz"
        data = rows.to_csv(index=False).encode("utf-8")
        with open(path, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(data)
        files.append(path)
    return files


def import_synthetic(region: str = DEMO_PROVINCE) -> list[ImportResult]:
    files = synthetic_files(region)
    _withdraw_outdated_synthetic(files)
    return [batch_import_file(path=p, synthetic=True, keep_source=False) for p in files]


def _withdraw_outdated_synthetic(files: list[Path]) -> None:
    """A demo whose generator changed (the declarations gained their day) writes other bytes: the earlier
    synthetic declarations of those years are withdrawn first, so that the new ones are not held as an overlap
    and two synthetic sets never stand side by side. Real batches are never touched."""
    from saderat.ingest.pipeline import file_checksum
    from saderat.web.imports.models import ImportBatch
    from saderat.web.imports.services import batch_withdraw

    fresh = {file_checksum(p) for p in files}
    names = {p.name for p in files}
    active = ImportBatch.objects.filter(
        status=ImportBatch.Status.ACTIVE, is_synthetic=True, source_name__in=names
    )
    for batch in active.exclude(checksum__in=fresh):
        batch_withdraw(batch=batch, user=None)


def _last_day_of_month(year: int, month: int) -> dt.date:
    import jdatetime

    if month == 12:
        return year_bounds(year)[1]
    return jdatetime.date(year, month + 1, 1).togregorian() - dt.timedelta(days=1)


def enter_reports(region: str = DEMO_PROVINCE) -> int:
    entered = 0
    for year, reports in PUBLISHED_REPORTS.items():
        for months, (value, weight, countries) in reports.items():
            if ProgressReport.objects.filter(
                region=region, year=year, months=months, is_current=True
            ).exists():
                continue
            report_enter(
                user=None,
                region=region,
                year=year,
                months=months,
                value_usd=value,
                weight_kg=weight,
                destinations=countries,
                source=f"گزارش {to_persian_digits(months)} ماهه صادرات استان (منتشرشده)",
                reported_on=_last_day_of_month(year, months) + dt.timedelta(days=10),
            )
            entered += 1
    for months, value in SYNTHETIC_NATIONAL_1404.items():
        if not ProgressReport.objects.filter(region="IR", year=1404, months=months, is_current=True).exists():
            report_enter(
                user=None,
                region="IR",
                year=1404,
                months=months,
                value_usd=value,
                source=SYNTHETIC_SOURCE,
                reported_on=_last_day_of_month(1404, months) + dt.timedelta(days=10),
                synthetic=True,
            )
            entered += 1
    return entered


#: (year, metric, value, dimension, code, agency, baseline or None = computed, note)
DEMO_TARGETS = [
    (1403, "value_usd", 1_300e6, "province", "", "imt", None, "هدف نمایشی ۱۴۰۳"),
    (1404, "value_usd", 1_500e6, "province", "", "imt", None, "هدف اعلام‌شده استان: ۱٫۵ میلیارد دلار"),
    (1404, "weight_t", 2_000_000, "province", "", "imt", None, "هدف نمایشی"),
    (1404, "destinations", 95, "province", "", "tpo", None, "هدف نمایشی: بازارهای تازه"),
    (1404, "exporters", 320, "province", "", "chamber", None, "هدف نمایشی: صادرکنندگان فعال"),
    (
        1404,
        "share_pct",
        2.8,
        "province",
        "",
        "governorate",
        2.35,
        "مبنا: سهم واقعی ۱۴۰۲ (کل کشور ۱۴۰۳ در دست نیست)",
    ),
    (1404, "value_usd", 760e6, "county", "0001", "imt", None, "هدف نمایشی اراک"),
    (1404, "value_usd", 230e6, "county", "0006", "imt", None, "هدف نمایشی ساوه"),
    (1404, "value_usd", 300e6, "section", "XV", "imt", None, "هدف نمایشی فلزات معمولی"),
    (1404, "value_usd", 220e6, "section", "VII", "imt", None, "هدف نمایشی پلاستیک و لاستیک"),
    (1404, "value_usd", 420e6, "market", "IRQ", "tpo", None, "هدف نمایشی بازار عراق"),
    (1404, "value_usd", 600e6, "office", "15200", "customs", None, "هدف نمایشی گمرک اراک"),
]


def create_targets(region: str = DEMO_PROVINCE) -> int:
    created = 0
    for year, metric, value, dimension, code, agency, baseline, note in DEMO_TARGETS:
        if Target.objects.filter(
            year=year, region=region, dimension=dimension, dimension_code=code, metric=metric
        ).exists():
            continue
        target_create(
            user=None,
            year=year,
            metric=metric,
            value=value,
            region=region,
            dimension=dimension,
            dimension_code=code,
            baseline=baseline,
            agency_code=agency,
            note=note + " (داده‌های ماهانه ۱۴۰۳-۱۴۰۴ ساختگی‌اند)",
        )
        created += 1
    return created


def import_registry(region: str = DEMO_PROVINCE) -> str:
    """Import the synthetic registry (firms, cards, units, exporter IDs) calibrated to the synthetic
    declarations, through the registry pipeline; returns the line the demo prints."""
    import time

    from saderat.web.registry.demo import import_synthetic_registry
    from saderat.web.registry.selectors import registry_counts

    started = time.monotonic()
    batches = import_synthetic_registry(region=region)
    seconds = time.monotonic() - started
    counts = registry_counts()
    done = "unchanged" if all(b.duplicate for b in batches) else f"imported in {seconds:.0f} s"
    return (
        f"registry (synthetic): firms {counts['firms']}, cards {counts['cards_active']} valid / "
        f"{counts['cards_expired']} expired / {counts['cards_suspended']} suspended, units "
        f"{sum(counts['units'].values())} ({counts['units'].get('active', 0)} active), exporter IDs "
        f"{counts['exporter_ids']}, review queue {counts['review_pending']} — {done}"
    )


def build_demo(region: str = DEMO_PROVINCE, *, echo=print) -> None:
    for result in import_real() + import_synthetic(region):
        if not result.duplicate:
            echo(f"{result.batch.source_name}: {result.batch.get_status_display()} — {result.batch.message}")
    echo(import_registry(region))
    from saderat.web.quality.demo import import_quality_demo

    echo(import_quality_demo(region))
    echo(f"reports entered: {enter_reports(region)}; targets created: {create_targets(region)}")
    from saderat.web.workgroup.demo import create_demo_history

    history = create_demo_history(region)
    echo(f"working group (synthetic): sessions {history['sessions']}, resolutions {history['resolutions']}")
