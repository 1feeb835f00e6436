"""The directorate's two registers, plugged into the registry's batches (upload page, job queue, hold,
withdrawal, history): read by :mod:`saderat.ingest.quality`, applied by :mod:`saderat.web.quality.services`."""

from __future__ import annotations

from pathlib import Path


def quality_lookups():
    """Validation against the database: the firms' identifiers in the registry (a certificate of an unknown
    firm is refused, naming its row), and the reference tables of products."""
    from saderat.ingest.quality import QualityLookups
    from saderat.web.reference.selectors import workspace_calendar
    from saderat.web.registry.models import Firm

    ids = set()
    for national_id, national_code in Firm.objects.values_list("national_id", "national_code"):
        ids.update(v for v in (national_id, national_code) if v)
    # Dates of the sheets in the workspace's calendar (Gregorian under such a region profile).
    return QualityLookups(known_firm_ids=frozenset(ids), calendar=workspace_calendar())


def prepare(path: Path, *, kind: str | None, display_name: str, limits):
    from saderat.ingest.quality import prepare_quality

    return prepare_quality(
        path, kind=kind, lookups=quality_lookups(), display_name=display_name, limits=limits
    )


def _columns(kind: str) -> tuple:
    from saderat.ingest.quality import QUALITY_TEMPLATES

    return QUALITY_TEMPLATES[kind]


def register() -> None:
    from saderat.web.quality import services
    from saderat.web.quality.models import Certificate, MandatoryStandard
    from saderat.web.registry.services import RegisterKind, register_kind

    register_kind(
        "standards",
        RegisterKind(
            prepare=prepare,
            apply=services.apply_standards,
            models=(MandatoryStandard,),
            columns=lambda: _columns("standards"),
        ),
    )
    register_kind(
        "certificates",
        RegisterKind(
            prepare=prepare,
            apply=services.apply_certificates,
            models=(Certificate,),
            columns=lambda: _columns("certificates"),
            withdraw=services.withdraw_batch_history,
        ),
    )
