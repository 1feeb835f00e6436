"""Foreign notifications end to end: the shipped RASFF files imported as the demo does, then
``saderat quality notifications --origin IRN --json`` against an independent count."""

from __future__ import annotations

import csv
import json
from collections import Counter

import pytest

from saderat.web.quality.demo import RASFF_DIR


def independent_counts() -> dict[int, int]:
    """Iran-origin notifications per year from the combined file (one row per reference), with the csv module."""
    path = RASFF_DIR / "rasff_combined_iran_2019-01_2025-08.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    references = {r["reference"]: r["date"][:4] for r in rows if "iran" in r["origin"].lower()}
    return dict(Counter(int(year) for year in references.values()))


@pytest.fixture
def imported(db, settings, tmp_path):
    from saderat.web.quality import services

    settings.SADERAT_HOME = tmp_path
    settings.SADERAT_WAREHOUSE_DIR = tmp_path / "warehouse"
    return [services.notification_import_file(path=p)[0] for p in sorted(RASFF_DIR.glob("*.csv"))]


def test_every_shipped_layout_is_imported_and_counted_once(imported, capsys):
    from saderat.cli import main

    assert all(b.status == "active" for b in imported), [b.message for b in imported]
    assert len({b.layout for b in imported}) == 4  # portal, window, db export, combined
    assert main(["quality", "notifications", "--origin", "IRN", "--json"]) == 0
    per_year = json.loads(capsys.readouterr().out)
    assert {r["year"]: r["notifications"] for r in per_year} == independent_counts()
    assert sum(r["notifications"] for r in per_year) == 290
    assert all({"year", "notifications", "border_rejections", "hazards"} <= r.keys() for r in per_year)
    top = max(per_year, key=lambda r: r["notifications"])
    assert any("aflatoxin" in h.lower() for h in top["hazards"])


def test_the_same_file_twice_changes_nothing_and_a_withdrawn_file_is_not_read(imported, capsys, people):
    from saderat.cli import main
    from saderat.web.accounts.services import user_create
    from saderat.web.quality import services

    again, duplicate = services.notification_import_file(path=sorted(RASFF_DIR.glob("*.csv"))[0])
    assert duplicate and again.pk == imported[0].pk
    sara = user_create(
        username="sara", password="sara-pass-1234", role="agency_member", agency_code="standards"
    )
    for batch in imported:
        services.notification_batch_withdraw(batch=batch, user=sara)
    assert main(["quality", "notifications", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_the_notifications_page_is_computed_once_per_version_of_the_files(imported, client, people):
    """The page's figures (per year and breakdowns, the province's affected lines, the unmatched notifications)
    are kept per version of the active notification files: a second view asks the warehouse nothing (it asked
    some sixty queries on every view, 4.6 s on the demo's data), and a withdrawn file changes the page."""
    from unittest import mock

    import ibis.expr.types.core as ibis_core
    from django.urls import reverse

    from saderat.web.accounts.services import user_create
    from saderat.web.quality import services

    client.force_login(people["carol"])
    # (This fixture's warehouse lacks the session's trade batches: the first view quarantines them, which is
    # a change of data; the figures are kept from the second view on.)
    client.get(reverse("quality:notifications"))
    first = client.get(reverse("quality:notifications")).content.decode()
    assert "۲۹۰" in first or "290" in first  # the 290 notifications on Iran's products, counted
    executed = []
    original = ibis_core.Expr.execute

    def counting(self, *args, **kwargs):
        executed.append(1)
        return original(self, *args, **kwargs)

    with mock.patch.object(ibis_core.Expr, "execute", counting):
        again = client.get(reverse("quality:notifications")).content.decode()
    assert executed == [] and again.count("<tr") == first.count("<tr")

    sara = user_create(
        username="sara", password="sara-pass-1234", role="agency_member", agency_code="standards"
    )
    for batch in imported:
        services.notification_batch_withdraw(batch=batch, user=sara)
    after = client.get(reverse("quality:notifications")).content.decode()
    assert after.count("<tr") < first.count("<tr")
