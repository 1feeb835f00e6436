"""Primary suppression on the dashboard, its downloads, the customs-office API and the league tables: Carol
(a viewer) never gets a figure of a cell built on fewer than 3 exporters or dominated (> 85 %) by one; Alice
(secretariat) and Bob (customs) see every figure. The truth is computed here from the warehouse."""

from __future__ import annotations

import csv
import io

import pytest

from saderat.analytics.confidentiality import suppressed
from saderat.warehouse import dynamics
from saderat.web.common.warehouse import active_facts


def fa_musd(value: float) -> str:
    """The dashboard's million-USD figure (filter ``musd``) of a value, in Persian digits."""
    from saderat.web.common.templatetags.fa import musd

    return musd(value)


@pytest.fixture
def tariff_cells(db):
    cells = dynamics.exporter_cells(active_facts(), by=["tariff_code"], region="00", year=1404)
    flags = suppressed(cells["exporters"].to_numpy(), cells["max_exporter_share"].to_numpy())
    secret = cells[flags]
    public = cells[~flags]
    assert len(secret) > 10 and len(public) > 10, "the synthetic declarations have both kinds of cells"
    return secret, public


def download(client, fmt: str = "csv") -> list[dict]:
    response = client.get(f"/stats/download/products.{fmt}?year=1404&region=00&level=tariff_code")
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_viewer_download_has_no_figure_of_a_small_cell(client, people, tariff_cells):
    secret, public = tariff_cells
    client.force_login(people["carol"])
    rows = download(client)
    by_code = {r[0]: r for r in rows[1:] if r and r[0].isdigit()}
    for code in secret["tariff_code"]:
        if code in by_code:
            assert by_code[code][2:] == ["", "", ""], by_code[code]
    shown = [c for c in public["tariff_code"] if c in by_code]
    assert shown and all(by_code[c][2] for c in shown)


@pytest.mark.parametrize("who", ["alice", "bob"])
def test_firm_level_roles_see_every_figure(client, people, tariff_cells, who):
    secret, _ = tariff_cells
    client.force_login(people[who])
    by_code = {r[0]: r for r in download(client)[1:] if r and r[0].isdigit()}
    for code in secret["tariff_code"]:
        assert by_code[code][2], (who, code)


def test_viewer_dashboard_hides_small_markets_and_says_why(client, people):
    from saderat.analytics.confidentiality import RULE_FA

    cells = dynamics.exporter_cells(active_facts(), by=["partner_code"], region="00", year=1404)
    flags = suppressed(cells["exporters"].to_numpy(), cells["max_exporter_share"].to_numpy())
    assert flags.any()
    client.force_login(people["carol"])
    html = client.get("/?year=1404&region=00").content.decode()
    assert RULE_FA in html and "محرمانه" in html
    client.force_login(people["alice"])
    assert "محرمانه" not in client.get("/?year=1404&region=00").content.decode()


def test_aggregate_years_are_shown_as_published(client, people):
    """1402 is IRICA's aggregate file: no exporter IDs, nothing to suppress."""
    client.force_login(people["carol"])
    html = client.get("/?year=1402&region=00&level=tariff_code").content.decode()
    assert "محرمانه" not in html


def test_customs_office_api_for_a_viewer(client, people):
    client.force_login(people["carol"])
    rows = client.get("/api/stats/customs-offices?year=1404").json()
    assert rows
    for row in rows:
        assert "max_exporter_share" not in row
        if row["suppressed"]:
            assert row["value_usd"] is None and row["exporters"] is None
        elif row["exporters"] is not None:
            assert row["exporters"] >= 3


def test_league_table_rows_on_few_exporters_are_suppressed_for_viewers(client, people):
    table = dynamics.exporter_dynamics(active_facts(), region="00", years=[1404], by="county")
    small = table[
        suppressed(table["exporters"].to_numpy(dtype=float), table["max_exporter_share"].to_numpy())
    ]
    client.force_login(people["carol"])
    html = client.get("/targets/league/?year=1404").content.decode()
    if len(small):
        assert "محرمانه" in html
    client.force_login(people["alice"])
    assert "محرمانه" not in client.get("/targets/league/?year=1404").content.decode()
