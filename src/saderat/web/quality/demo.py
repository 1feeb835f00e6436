"""The demo's quality data, brought in through the real pipelines:

- the mandatory-standard lines the real data supports (pistachio, saffron, dates, edible oils, compiled from
  public pages: ``data/reference/mandatory_standards_seed.csv``, to be confirmed by the directorate, and so
  noted on every line) — a standards file;
- the real RASFF extracts of notifications on Iranian products (``data/demo/rasff/``) — notification files;
- synthetic certificates for the synthetic registry's exporters of those lines
  (:func:`saderat.demo.certificates.generate_certificates`: some exports deliberately non-compliant) — a
  certificates file, flagged synthetic;
- then the certificate-expiry alerts.

Idempotent: the same files give the same bytes, found already imported on a second run.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import pandas as pd

from saderat.demo.certificates import generate_certificates
from saderat.web.quality import selectors, services
from saderat.web.registry.services import registry_import_file

__all__ = ["import_quality_demo", "SEED", "RASFF_DIR"]

SEED = Path(str(resources.files("saderat") / "data" / "reference" / "mandatory_standards_seed.csv"))
RASFF_DIR = Path(str(resources.files("saderat") / "data" / "demo" / "rasff"))


def _mandatory_lines(region: str) -> pd.DataFrame:
    """Every declaration line of ``region`` in a mandatory line, with its exporter and date (in the
    statistics' calendar, as the standards' dates are keyed)."""
    from saderat.warehouse import compliance
    from saderat.web.common.warehouse import active_facts
    from saderat.web.reference.selectors import statistics_calendar

    empty = pd.DataFrame(columns=selectors.CERTIFICATE_COLUMNS).astype(
        {"valid_from": "int64", "valid_to": "int64"}
    )
    calendar = statistics_calendar()
    lines = compliance.noncompliant_exports(
        active_facts(), selectors.standards_frame(calendar), empty, region=region, calendar=calendar
    )
    # Lines without an exporter ID or a day have no certificate to draw (they stay non-compliant).
    return lines[lines["exporter_id"].notna() & lines["day"].notna()].reset_index(drop=True)


def _holders() -> pd.DataFrame:
    from saderat.web.registry.models import ExporterLink

    rows = [
        {
            "exporter_id": link.exporter_id,
            "national_id": link.firm.national_id or "",
            "national_code": link.firm.national_code or "",
            "name": link.firm.name,
        }
        for link in ExporterLink.objects.select_related("firm")
    ]
    return pd.DataFrame(rows, columns=["exporter_id", "national_id", "national_code", "name"])


def _write_certificates(frame: pd.DataFrame, path: Path) -> None:
    from saderat.ingest.quality import QUALITY_TEMPLATES

    labels = {c.key: c.label_fa for c in QUALITY_TEMPLATES["certificates"]}
    out = frame.drop(columns=["case"]).rename(columns=labels)
    out.to_csv(path, index=False, encoding="utf-8")


def _withdraw_outdated(path: Path) -> None:
    """A demo whose generator (or registry) changed writes another certificates file: the earlier synthetic one
    is withdrawn first, so that two synthetic sets never stand side by side."""
    from saderat.ingest.pipeline import file_checksum
    from saderat.web.registry.models import RegistryBatch
    from saderat.web.registry.services import registry_batch_withdraw

    active = RegistryBatch.objects.filter(
        status=RegistryBatch.Status.ACTIVE, is_synthetic=True, kind="certificates"
    ).exclude(checksum=file_checksum(path))
    for batch in active.order_by("-id"):
        registry_batch_withdraw(batch=batch, user=None, system=True)


def import_quality_demo(region: str) -> str:
    """Import the demo's standards, notifications and synthetic certificates; returns the line the demo
    prints."""
    standards_batch, _ = registry_import_file(path=SEED, kind="standards")
    notifications = [services.notification_import_file(path=p)[0] for p in sorted(RASFF_DIR.glob("*.csv"))]
    lines = _mandatory_lines(region)
    certificates = generate_certificates(lines, _holders(), selectors.standards_frame())
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"synthetic-certificates-{region}.csv"
        _write_certificates(certificates, path)
        _withdraw_outdated(path)
        certificates_batch, _ = registry_import_file(
            path=path, kind="certificates", synthetic=True, display_name=path.name
        )
    alerts = services.certificate_expiry_alerts_send()
    stored = sum(b.rows_stored for b in notifications if b.status == "active")
    from saderat.warehouse.notifications import notifications_by_year

    distinct = sum(r["notifications"] for r in notifications_by_year(selectors.notifications_table()))
    return (
        f"quality: standards {standards_batch.get_status_display()} ({standards_batch.rows_accepted} lines); "
        f"notifications: {len(notifications)} files, {stored} rows, {distinct} distinct on Iranian products; "
        f"certificates (synthetic) {certificates_batch.get_status_display()} ({len(certificates)}, one per firm "
        f"and standard line, for {len(lines)} declaration lines under a mandatory standard); alerts {alerts}"
    )
