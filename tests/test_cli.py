"""The CLI prints the same numbers as the pages, as JSON for scripting."""

import json
import re

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


def synthetic_lines(year: int):
    """The demo's synthetic Markazi declarations of ``year`` as written for the session (the file itself, read
    here with pandas: an independent check of what the warehouse sums)."""
    from pathlib import Path

    import pandas as pd
    from django.conf import settings

    path = Path(settings.SADERAT_HOME) / "demo" / f"synthetic-declarations-00-{year}.csv.gz"
    return pd.read_csv(path, dtype={"region": str, "tariff_code": str})


def test_no_national_figure_share_or_growth_for_a_year_only_one_province_covers(capsys):
    """In the session's data 1404 is one province's declarations (Markazi's synthetic file): "national" 1404
    would be Markazi's USD 893 M under the country's name with a 100 % share. No national value, share or
    growth then, and the JSON says why."""
    assert set(synthetic_lines(1404)["region"]) == {"00"}
    data = run_json(capsys, "stats", "overview", "--region", "national", "--year", "1404", "--json")
    for key in (
        "value_usd",
        "weight_kg",
        "share_of_national",
        "change_vs_previous_year",
        "previous_value_usd",
        "national_value_usd",
        "national_unit_value_usd_per_t",
    ):
        assert data[key] is None, key
    assert data["national_covered"] is False
    assert data["national_coverage_regions"] == 1
    assert data["not_covered_code"] == "one_region"
    assert "یک استان" in data["not_covered_reason"] and "۱۴۰۴" in data["not_covered_reason"]
    # A year the nation is in keeps its national figures and says nothing of coverage.
    covered = run_json(capsys, "stats", "overview", "--region", "national", "--year", "1402", "--json")
    assert covered["national_covered"] is True and covered["not_covered_reason"] is None
    assert round(covered["national_value_usd"] / 1e9, 2) == 50.08


def test_an_incomplete_year_is_compared_with_the_same_months_of_the_previous_year(capsys):
    """Markazi 1404 has 8 months: its change is on 1403's first 8 months, summed here from the source files."""
    now, before = synthetic_lines(1404), synthetic_lines(1403)
    assert now["month"].max() == 8 and before["month"].max() == 12
    previous = before.loc[before["month"] <= 8, "value_usd"].sum()
    expected = now["value_usd"].sum() / previous - 1
    data = run_json(capsys, "stats", "overview", "--region", "00", "--year", "1404", "--json")
    assert data["months"] == 8
    assert data["previous_value_usd"] == pytest.approx(previous, rel=1e-9)
    assert data["change_vs_previous_year"] == pytest.approx(expected, rel=1e-9)
    assert data["compared_with"] == {"year": 1403, "months": 8}
    # The province's own figure stays; what rests on the nation does not (1404 is only this province).
    assert round(data["value_usd"] / 1e6) == 893
    assert data["share_of_national"] is None and data["rank_among_regions"] is None
    assert data["not_covered_code"] == "one_region"


def test_unknown_region_is_a_clear_error(capsys):
    assert main(["stats", "overview", "--region", "Atlantis", "--year", "1402", "--json"]) == 2
    assert "منطقه «Atlantis» شناخته نشد" in capsys.readouterr().err


def test_customs_offices_ranked(capsys):
    rows = run_json(capsys, "stats", "customs-offices", "--year", "1402", "--json")
    assert len(rows) == 106
    keys = {"rank", "office", "code", "province_code", "value", "value_usd", "weight_kg", "currency"}
    assert set(rows[0]) == keys
    arak = next(r for r in rows if r["code"] == "15200")
    assert arak["province_code"] == "00"
    # Iran reports in USD: the value in the reporting currency is the USD value.
    assert all(r["currency"] == "USD" and r["value"] == r["value_usd"] for r in rows)
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


def test_lang_en_speaks_english_for_the_same_errors(capsys, no_active_data):
    """``saderat --lang en``: the import's stored Persian message, a bad parameter and an analysis error in
    English; the same commands without it in Persian."""
    bad = no_active_data / "bad.csv"
    bad.write_text(
        "year,tariff_code,destination,weight_kg,value_usd\n1402,72085100,عراق,-1,5\n", encoding="utf-8"
    )
    assert main(["--lang", "en", "import", str(bad), "--json"]) == 1
    (report,) = json.loads(capsys.readouterr().out)
    assert report["message"] == "No row of the file “bad.csv” was accepted; nothing was imported."
    assert main(["--lang", "en", "stats", "overview", "--region", "Atlantis", "--year", "1402"]) == 2
    err = capsys.readouterr().err
    assert "Atlantis" in err and not re.search("[\u0600-\u06ff]", err)
    assert (
        main(["--lang", "en", "opportunities", "--region", "00", "--year", "1402", "--atlas-pci", "1990"])
        == 2
    )
    assert capsys.readouterr().err.strip() == (
        "“1990” for “Atlas PCI year (atlas_pci)” must be between 1995 and 2023."
    )
    assert main(["stats", "overview", "--region", "Atlantis", "--year", "1402"]) == 2
    assert "منطقه «Atlantis» شناخته نشد" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--lang", "de", "stats", "overview"])


@pytest.mark.spark
@pytest.mark.parametrize(
    "argv",
    [
        ("stats", "overview", "--region", "00", "--year", "1402", "--basis", "customs", "--json"),
        ("stats", "overview", "--region", "00", "--year", "1404", "--json"),
        ("stats", "customs-offices", "--year", "1402", "--json"),
        ("exporters", "dynamics", "--region", "00", "--by", "county", "--json"),
    ],
    ids=["overview 1402", "overview 1404 (declarations)", "customs offices 1402", "exporter dynamics"],
)
def test_spark_engine_prints_the_same_figures_as_the_default_engine(capsys, monkeypatch, argv):
    """``SADERAT_ENGINE=spark saderat stats ...`` answers from Spark (PySpark in this process, local[2]) with
    the default engine's figures (floats to 1e-9 relative); each run starts from an empty figure cache, so neither reads the other's."""
    from tests.warehouse.test_engines import _java_or_skip, assert_same

    from saderat.web.common import request_memo
    from saderat.web.common.cache import clear_figures

    _java_or_skip()
    answers = {}
    for engine in ("duckdb", "spark"):
        monkeypatch.setenv("SADERAT_ENGINE", engine)
        clear_figures()
        request_memo.forget()
        answers[engine] = run_json(capsys, *argv)
    assert answers["duckdb"]  # figures, not an empty answer
    assert_same(answers["duckdb"], answers["spark"], ordered=True)  # floats to 1e-9: sums in another order


def test_a_file_of_totals_without_destination_or_weight_gives_unknown_weight_not_zero(capsys, no_active_data):
    """Issue 13: a region's totals by product (no destination, no weight) import, and the overview sums the
    file's values while its weight and unit value are null (unknown), never 0."""
    totals = no_active_data / "totals.csv"
    totals.write_text(
        "year,month,region,tariff_code,value_usd\n1402,1,00,0401,100\n1402,2,00,0402,250.5\n1402,2,00,0806,49.5\n",
        encoding="utf-8",
    )
    (report,) = run_json(capsys, "import", str(totals), "--json")
    assert report["status"] == "active" and report["rows_accepted"] == 3
    data = run_json(capsys, "stats", "overview", "--region", "00", "--year", "1402", "--json")
    assert data["value_usd"] == pytest.approx(400.0)
    assert data["weight_kg"] is None and data["unit_value_usd_per_t"] is None
    assert data["destinations"] is None and data["tariff_lines"] == 3


def test_the_import_report_carries_the_files_notes(capsys, no_active_data):
    typo = no_active_data / "typo.csv"
    typo.write_text("year,tariff_code,destinaton,weight_kg,value_usd\n1402,0401,عراق,1,5\n", encoding="utf-8")
    (report,) = run_json(capsys, "import", str(typo), "--json")
    assert report["status"] == "active"
    assert report["notes"] == [
        "فایل ستون کشور مقصد ندارد؛ ردیف‌ها بدون مقصد (جمع منطقه) ثبت شد.",
        "این ستون(های) فایل شناخته نشد و خوانده نشد: destinaton.",
    ]
