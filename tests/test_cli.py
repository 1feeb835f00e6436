"""The CLI prints the same numbers as the pages, as JSON for scripting."""

import json

import pytest

from saderat.cli import main

pytestmark = pytest.mark.django_db

OVERVIEW_KEYS = {
    "value_usd",
    "weight_kg",
    "destinations",
    "tariff_lines",
    "share_of_national",
    "rank_among_regions",
    "unit_value_usd_per_t",
    "national_unit_value_usd_per_t",
    "change_vs_previous_year",
}


def run_json(capsys, *argv):
    assert main(list(argv)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("region", ["00", "مرکزی", "Markazi", "0"])
def test_stats_overview_for_markazi(capsys, region):
    data = run_json(
        capsys, "stats", "overview", "--region", region, "--year", "1402", "--basis", "customs", "--json"
    )
    assert OVERVIEW_KEYS <= set(data)
    assert round(data["value_usd"] / 1e6, 1) == 1179.3
    assert round(data["weight_kg"] / 1e9, 2) == 1.90
    assert data["destinations"] == 85
    assert round(100 * data["share_of_national"], 2) == 2.35
    assert data["rank_among_regions"] == 11
    assert data["change_vs_previous_year"] is None


def test_stats_overview_national(capsys):
    data = run_json(capsys, "stats", "overview", "--region", "national", "--year", "1402", "--json")
    assert round(data["value_usd"] / 1e9, 2) == 50.08
    assert data["rank_among_regions"] is None


def test_unknown_region_is_a_clear_error(capsys):
    assert main(["stats", "overview", "--region", "Atlantis", "--year", "1402", "--json"]) == 2
    assert "منطقه «Atlantis» شناخته نشد" in capsys.readouterr().err


def test_customs_offices_ranked(capsys):
    rows = run_json(capsys, "stats", "customs-offices", "--year", "1402", "--json")
    assert len(rows) == 106
    assert set(rows[0]) == {"rank", "office", "code", "province_code", "value_usd", "weight_kg"}
    arak = next(r for r in rows if r["code"] == "15200")
    assert arak["province_code"] == "00"
    assert rows[0]["rank"] == 1 and rows[0]["value_usd"] >= rows[1]["value_usd"]


@pytest.mark.rawdata
def test_import_a_raw_file_reports_the_total_row_difference(capsys, no_active_data):
    from tests.conftest import requires_raw

    path = requires_raw("102.xlsx")
    reports = run_json(capsys, "import", str(path), "--json")
    (report,) = reports
    assert report["status"] == "active"
    assert report["rows_read"] == report["rows_accepted"] == 56472
    assert report["rows_rejected"] == 0
    check = report["total_check"]
    assert check["file_total_usd"] == 50_120_328_912
    assert round(check["lines_sum_usd"]) == 50_077_609_685
    assert round(check["difference_usd"]) == 50_077_609_685 - 50_120_328_912
    again = run_json(capsys, "import", str(path), "--json")
    assert again[0]["status"] == "duplicate" and again[0]["batch"] == report["batch"]


def test_import_of_a_bad_file_exits_non_zero_with_the_reason(capsys, no_active_data):
    bad = no_active_data / "bad.csv"
    bad.write_text(
        "year,tariff_code,destination,weight_kg,value_usd\n1402,72085100,عراق,-1,5\n", encoding="utf-8"
    )
    assert main(["import", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.csv: [failed] هیچ ردیفی از فایل «bad.csv» پذیرفته نشد" in out and "rejected rows:" in out
