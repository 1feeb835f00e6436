"""Quality fixtures: the registry's personas and firms (tests/web/registry/conftest.py), a mandatory standard
on a line the steel firm's exporter ID exported in 1404, and helpers to write the directorate's files."""

from __future__ import annotations

import pytest
from tests.web.registry.conftest import member, personas, registry, registry_home  # noqa: F401

__all__ = ["member", "personas", "registry", "registry_home"]


def exported_lines(exporter_id: str, year: int = 1404):
    """The exporter's declaration lines of ``year`` (tariff line, month, day, value), in date order."""
    from saderat.web.common.warehouse import active_facts

    facts = active_facts()
    t = facts.filter((facts.exporter_id == exporter_id) & (facts.year == year) & (facts.flow == "export"))
    frame = t.select("tariff_code", "month", "day", "value_usd").execute()
    return frame.sort_values(["month", "day", "tariff_code"]).reset_index(drop=True)


@pytest.fixture
def steel_line(registry):
    """The steel firm's exporter's most exported 8-digit line of 1404, and its lines."""
    lines = exported_lines(registry["big_exporter"])
    code = lines.groupby("tariff_code")["value_usd"].sum().idxmax()
    return code, lines[lines["tariff_code"] == code].reset_index(drop=True)
