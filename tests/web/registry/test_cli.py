"""``saderat exporters dynamics|potential``: the JSON of scripts, with the figures counted again here from the
warehouse's declaration lines (1404 holds 8 months and is compared with months 1-8 of 1403)."""

import argparse
import json
import math

import pytest
from tests.web.registry.test_api import declaration_lines

from saderat.web.registry.exporters_cli import register

pytestmark = pytest.mark.django_db

KEYS = {
    "exporters",
    "entrants",
    "exiters",
    "incumbents",
    "entry_rate",
    "exit_rate",
    "survival_1y",
    "top5_share",
    "hhi",
}


def run(*argv) -> int:
    parser = argparse.ArgumentParser(prog="saderat")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def run_json(capsys, *argv):
    assert run(*argv, "--json") == 0
    return json.loads(capsys.readouterr().out)


def test_dynamics_of_an_incomplete_year_against_an_independent_count(db, capsys):
    data = run_json(capsys, "exporters", "dynamics", "--region", "00", "--year", "1404")
    assert KEYS <= set(data)
    assert data["year"] == 1404 and data["months"] == 8 and data["partial"] is True
    assert data["compared_with"] == {"year": 1403, "months": 8}
    assert data["synthetic"] is True and data["region"] == "00"

    now = declaration_lines(1404)
    before = declaration_lines(1403)
    assert now["month"].max() == 8
    before = before[before["month"] <= 8]  # the same months of the year before
    current, previous = set(now["exporter_id"]), set(before["exporter_id"])
    assert data["exporters"] == len(current)
    assert data["entrants"] == len(current - previous)
    assert data["exiters"] == len(previous - current)
    assert data["incumbents"] == len(current & previous)
    assert data["entry_rate"] == pytest.approx(len(current - previous) / len(current))
    assert data["exit_rate"] == pytest.approx(len(previous - current) / len(previous))
    values = now.groupby("exporter_id")["value_usd"].sum().sort_values(ascending=False)
    top = math.ceil(0.05 * len(values))
    assert data["top5_share"] == pytest.approx(values.iloc[:top].sum() / values.sum())
    assert data["hhi"] == pytest.approx(((values / values.sum()) ** 2).sum())
    # No declarations after 1404: survival is undefined (null), never 0.
    assert data["survival_1y"] is None


def test_dynamics_by_county_and_every_year(db, capsys):
    data = run_json(capsys, "exporters", "dynamics", "--year", "1404", "--by", "county")
    lines = declaration_lines(1404)
    counts = lines.groupby("county_code")["exporter_id"].nunique().to_dict()
    assert {g["group"]: g["exporters"] for g in data["groups"] if g["exporters"]} == counts
    assert data["groups"][0]["group_name"] == "اراک"  # most exporters first
    # The CLI serves the operator: unsuppressed, unless asked for the rule (for a table to be published).
    assert any(g["exporters"] == 1 for g in data["groups"])
    published = run_json(capsys, "exporters", "dynamics", "--year", "1404", "--by", "county", "--suppress")
    assert (
        all(g["exporters"] is None or g["exporters"] >= 3 for g in published["groups"]) and published["rule"]
    )
    every = run_json(capsys, "exporters", "dynamics")
    assert [r["year"] for r in every["rows"]] == [1403, 1404] and every["rows"][0]["entrants"] is None


def test_dynamics_as_text_and_a_year_without_declarations(db, capsys):
    assert run("exporters", "dynamics", "--year", "1404") == 0
    out = capsys.readouterr().out
    assert "صادرکنندگان" in out and "۸ ماه نخست با همان ماه‌های سال پیش مقایسه شده است" in out
    with pytest.raises(SystemExit, match="داده اظهارنامه"):
        run("exporters", "dynamics", "--year", "1402")


def test_potential_exporters_json(registry, capsys):
    data = run_json(capsys, "exporters", "potential", "--region", "00", "--limit", "100")
    assert data["year"] == 1402 and data["units_considered"] == 2
    rows = data["rows"]
    assert {r["firm_id"] for r in rows} == {registry["aluminium"].pk, registry["pomegranate"].pk}
    assert [r["rank"] for r in rows] == [1, 2] and rows[0]["score"] >= rows[1]["score"]
    assert {"firm_name", "unit_name", "hs4", "score", "reasons", "licence_number"} <= set(rows[0])
    aluminium = next(r for r in rows if r["firm_id"] == registry["aluminium"].pk)
    assert aluminium["hs4"] == "7601" and aluminium["rca"] > 1
    assert run("exporters", "potential", "--limit", "1") == 0
    assert "۱." in capsys.readouterr().out


def test_registered_on_the_saderat_command():
    from saderat.cli import build_parser
    from saderat.web.registry.exporters_cli import cmd_dynamics, cmd_potential

    parser = build_parser()
    args = parser.parse_args(["exporters", "dynamics", "--region", "00", "--year", "1404", "--json"])
    assert args.func is cmd_dynamics and args.year == 1404 and args.json
    args = parser.parse_args(["exporters", "potential", "--region", "00", "--limit", "100", "--json"])
    assert args.func is cmd_potential and args.limit == 100
