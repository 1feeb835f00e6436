"""A target whose scope rests on fewer than 3 exporters (a small county of the synthetic 1404 declarations):
Carol (viewer) sees the target and its path but none of its actuals, on the page, the list and the API; Alice
(secretariat) sees everything."""

from __future__ import annotations

import pytest

from saderat.analytics.confidentiality import suppressed
from saderat.warehouse import dynamics
from saderat.web.common.warehouse import active_facts


@pytest.fixture
def small_county_target(people):
    from saderat.web.targets.services import target_create

    table = dynamics.exporter_dynamics(active_facts(), region="00", years=[1404], by="county")
    flags = suppressed(table["exporters"].to_numpy(dtype=float), table["max_exporter_share"].to_numpy())
    small = table[flags]
    assert len(small), "the synthetic declarations have a county on few exporters"
    county = small.iloc[0]["group"]
    return target_create(
        user=people["alice"],
        year=1404,
        metric="value_usd",
        value=5e6,
        region="00",
        dimension="county",
        dimension_code=county,
        baseline=1e6,
    )


def test_viewer_sees_no_actual_of_a_target_on_few_exporters(client, people, small_county_target):
    target = small_county_target
    client.force_login(people["carol"])
    row = client.get(f"/api/targets/{target.pk}").json()
    assert row["suppressed"] and row["actual_to_date"] is None and row["projected_year_end"] is None
    assert row["status"] is None and row["exporters"] is None and row["max_exporter_share"] is None
    listed = [r for r in client.get("/api/targets/status?year=1404").json() if r["id"] == target.pk]
    assert listed[0]["actual_to_date"] is None
    html = client.get(f"/targets/{target.pk}/").content.decode()
    assert 'data-testid="suppression-note"' in html
    client.force_login(people["alice"])
    row = client.get(f"/api/targets/{target.pk}").json()
    assert not row["suppressed"] and row["actual_to_date"] > 0
    assert row["exporters"] < 3 or row["max_exporter_share"] > 0.85
    assert 'data-testid="suppression-note"' not in client.get(f"/targets/{target.pk}/").content.decode()
