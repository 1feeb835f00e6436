"""The canonical import template (docs/import-template.md), downloadable as CSV or XLSX."""

from saderat.ingest.messages import COLUMN_LABELS_FA
from saderat.ingest.readers import CANONICAL_COLUMNS, REQUIRED_COLUMNS

EXAMPLE_ROWS = [
    {
        "year": 1403,
        "month": 1,
        "flow": "export",
        "basis": "customs",
        "region": "00",
        "county": "اراک",
        "customs_office": "15200",
        "exporter_id": "10101234567",
        "tariff_code": "72085100",
        "destination": "عراق",
        "weight_kg": 250000,
        "value_usd": 137500,
        "value_rial": "",
    },
    {
        "year": 1403,
        "month": 1,
        "flow": "export",
        "basis": "customs",
        "region": "00",
        "county": "ساوه",
        "customs_office": "15202",
        "exporter_id": "",
        "tariff_code": "08109040",
        "destination": "ARE",
        "weight_kg": 18000,
        "value_usd": 21600,
        "value_rial": "",
    },
]


def template_columns() -> list[tuple[str, str]]:
    return [
        (c, f"{c} — {COLUMN_LABELS_FA[c]}{' (اجباری)' if c in REQUIRED_COLUMNS else ''}")
        for c in CANONICAL_COLUMNS
    ]
