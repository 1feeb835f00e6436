"""The import service's stored (Persian) messages read in English on English pages (``|ingest_text``)."""

from __future__ import annotations

from saderat.ingest.messages import to_english
from saderat.web.imports import services


def test_every_stored_import_message_has_its_english():
    samples = {
        services.IMPORTED.format(accepted="۱۷٬۳۷۶", rejected="۰"): "17,376 rows imported (0 rows rejected).",
        services.DUPLICATE_FILE.format(batch="۶"): "imported before in batch 6",
        services.HELD_REJECTIONS.format(rejected="۱", read="۲"): "1 of 2 rows were rejected",
        services.NOTHING_ACCEPTED.format(file="a.csv"): "No row of the file “a.csv” was accepted",
        services.DISCARDED: "This batch was discarded",
    }
    for persian, english in samples.items():
        assert english in to_english(persian), persian
    assert set(services.MESSAGES_EN) >= {services.IMPORTED, services.HELD_OVERLAP, services.DISCARDED}
