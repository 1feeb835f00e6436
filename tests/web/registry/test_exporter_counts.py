"""The "active exporters" of targets and of exporter dynamics are one count (DESIGN.md: E_t, IDs with value >
0), on the session's synthetic declarations of 1403 (12 months) and 1404 (8 months)."""

from __future__ import annotations

from saderat.warehouse import dynamics, queries
from saderat.web.common.warehouse import active_facts


def test_targets_exporter_metric_equals_dynamics_exporters(db):
    facts = active_facts()
    cumulative = queries.monthly_cumulative(facts, metric="exporters", years=[1403, 1404], region="00")
    at_end = cumulative.groupby("year").last()
    table = dynamics.exporter_dynamics(facts, region="00").set_index("year")
    assert list(table.index) == [1403, 1404]
    assert table.loc[1404, "months"] == 8 and bool(table.loc[1404, "partial"])
    for year in (1403, 1404):
        assert int(at_end.loc[year, "cumulative"]) == int(table.loc[year, "exporters"])
    # And both equal a plain count of the IDs with a positive value.
    lines = queries.exporter_totals(facts, by=("exporter_id", "year"), region="00", year=None)
    plain = lines[lines["value_usd"] > 0].groupby("year")["exporter_id"].nunique()
    assert plain.to_dict() == {y: int(table.loc[y, "exporters"]) for y in (1403, 1404)}
