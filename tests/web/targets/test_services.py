"""Targets on the session's data (real 1402, synthetic Markazi 1403-1404): creation with a computed
baseline, revisions that keep history, reports that ask before replacing and flag decreases."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from saderat.analytics import trajectories as tr
from saderat.web.stats import selectors as stats
from saderat.web.targets import selectors, services
from saderat.web.targets.models import ProgressReport, Target

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 12, 1)


def enter_report(people, months, value_usd, *, source="گمرک", region="00", **kwargs):
    """Alice enters a cumulative report for 1404."""
    return services.report_enter(
        user=people["alice"],
        region=region,
        year=1404,
        months=months,
        value_usd=value_usd,
        source=source,
        reported_on=TODAY,
        **kwargs,
    )


def create(people, **kwargs):
    params = {"user": people["alice"], "year": 1404, "metric": "value_usd", "value": 1_500e6, "region": "00"}
    params.update(kwargs)
    return services.target_create(**params)


def test_baseline_is_last_years_actual_from_the_warehouse(people):
    target = create(people, agency_code="imt")
    revision = target.current
    assert revision.baseline_source == "computed"
    # 1403's synthetic full year, by construction USD 1,345 M.
    assert revision.baseline == pytest.approx(1_345e6, rel=1e-9)
    assert target.created_by == people["alice"]


def test_a_1404_value_target_follows_the_1403_seasonality_to_month_8(people):
    target = create(people)
    view = selectors.target_view(target)
    assert view.profile_source.startswith("فصلی") and "1403" in view.profile_source
    status = view.status
    assert view.actual_source == "warehouse" and status.months_elapsed == 8
    assert status.actual_to_date == pytest.approx(893e6, rel=1e-9)
    # Independently: S(8) from 1403's months in the warehouse.
    from saderat.warehouse import queries
    from saderat.web.common.warehouse import active_facts

    months = queries.monthly_cumulative(active_facts(), metric="value_usd", years=[1403], region="00")
    s8 = (
        months.loc[months.month == 8, "cumulative"].iloc[0]
        / months.loc[months.month == 12, "cumulative"].iloc[0]
    )
    assert status.trajectory_to_date == pytest.approx(1_500e6 * s8, rel=1e-9)
    assert status.projected_year_end == pytest.approx(893e6 / s8, rel=1e-9)
    assert status.required_monthly_pace == pytest.approx((1_500e6 - 893e6) / 4, rel=1e-9)
    assert status.status == tr.status_of(893e6 / (1_500e6 * s8))


def test_a_1403_target_falls_back_to_m_over_12(people):
    """1402 is annual data: no complete monthly year before 1403."""
    target = create(people, year=1403, value=1_300e6)
    view = selectors.target_view(target)
    assert view.profile_source.startswith("یکنواخت")
    assert view.status.months_elapsed == 12
    assert view.status.trajectory_to_date == pytest.approx(1_300e6)
    assert view.status.required_monthly_pace is None
    assert view.baseline == pytest.approx(
        stats.export_overview(region="00", year=1402)["value_usd"], rel=1e-12
    )


def test_revisions_are_dated_records_and_never_overwrite(people):
    target = create(people)
    with pytest.raises(ValidationError) as err:
        services.target_revise(user=people["alice"], target=target, value=1_400e6, reason="  ")
    assert err.value.messages == [services.REASON_REQUIRED]
    services.target_revise(user=people["alice"], target=target, value=1_400e6, reason="کاهش صادرات فولاد")
    values = list(target.revisions.order_by("revised_at", "id").values_list("value", "reason"))
    assert values == [(1_500e6, "هدف اولیه"), (1_400e6, "کاهش صادرات فولاد")]
    assert target.current.value == 1_400e6
    assert target.current.baseline == pytest.approx(1_345e6, rel=1e-9)
    assert selectors.target_view(target).value == 1_400e6


def test_only_the_secretariat_creates_or_revises(people):
    for name in ("bob", "carol"):
        with pytest.raises(PermissionDenied):
            create(people, user=people[name])
    target = create(people)
    with pytest.raises(PermissionDenied):
        services.target_revise(user=people["bob"], target=target, value=1.0, reason="x")
    assert Target.objects.count() == 1 and target.revisions.count() == 1


def test_impossible_inputs_get_persian_errors(people):
    with pytest.raises(ValidationError) as err:
        create(people, value=-5)
    assert "مقدار منفی پذیرفته نیست" in " ".join(err.value.messages)
    with pytest.raises(ValidationError) as err:
        create(people, metric="share_pct", value=140, baseline=2.0)
    assert "بین ۰ و ۱۰۰" in " ".join(err.value.messages)
    with pytest.raises(ValidationError) as err:
        create(people, year=1399)  # no data for 1398: the baseline cannot be computed
    assert "برای سال ۱۳۹۸ در آمار واردشده داده‌ای" in " ".join(err.value.messages)
    with pytest.raises(ValidationError) as err:
        enter_report(people, 13, 1.0, source="x")
    assert "۱ تا ۱۲" in " ".join(err.value.messages)
    with pytest.raises(ValidationError):
        create(people, dimension="county")  # a county target needs the county
    assert Target.objects.count() == 0


def test_a_report_for_reported_months_asks_before_replacing_and_keeps_the_old_one(people):
    first = enter_report(people, 8, 890e6, source="تلفنی")
    with pytest.raises(services.ReportExists) as err:
        enter_report(people, 8, 893e6)
    assert "جایگزینی" in " ".join(err.value.messages)
    second = enter_report(people, 8, 893e6, replace=True)
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert ProgressReport.objects.filter(region="00", year=1404, months=8).count() == 2


def test_a_smaller_cumulative_value_is_flagged_not_silently_accepted(people):
    enter_report(people, 7, 783e6)
    with pytest.raises(services.ReportDecreases) as err:
        enter_report(people, 8, 700e6)
    assert "کمتر است" in " ".join(err.value.messages)
    assert not ProgressReport.objects.filter(months=8).exists()
    report = enter_report(people, 8, 700e6, source="گمرک (اصلاحیه)", confirm_decrease=True)
    assert report.decrease_confirmed


def test_reports_and_warehouse_are_shown_together_and_the_status_names_its_source(people):
    target = create(people)
    enter_report(people, 8, 900e6)
    view = selectors.target_view(target)
    assert view.actual_source == "reports"
    assert view.status.actual_to_date == 900e6
    assert float(view.warehouse.loc[view.warehouse.month == 8, "cumulative"].iloc[0]) == pytest.approx(893e6)
    assert list(view.reports["month"]) == [8]


def test_share_target_projects_from_projected_region_and_national_values(people):
    target = create(people, metric="share_pct", value=2.8, baseline=2.35)
    for months, own, nation in ((8, 893e6, 33.1e9),):
        enter_report(people, months, own)
        enter_report(people, months, nation, region="IR")
    view = selectors.target_view(target)
    status = view.status
    assert view.actual_source == "reports" and status.months_elapsed == 8
    assert status.actual_to_date == pytest.approx(100 * 893e6 / 33.1e9)
    profile = view.profile
    assert status.trajectory_to_date == pytest.approx(2.35 + (2.8 - 2.35) * profile[7])
    # No national monthly history: the nation's profile is m/12; the region's comes from its own 1403.
    assert status.projected_year_end == pytest.approx(100 * (893e6 / profile[7]) / (33.1e9 / (8 / 12)))


def test_status_of_every_target_for_the_cli_and_api(people):
    create(people)
    create(people, dimension="county", dimension_code="0001", value=700e6)
    rows = selectors.targets_status(year=1404)
    keys = {
        "id",
        "scope",
        "metric",
        "target",
        "baseline",
        "months_elapsed",
        "actual_to_date",
        "trajectory_to_date",
        "projected_year_end",
        "required_monthly_pace",
        "status",
    }
    assert all(keys <= set(r) for r in rows)
    arak = next(r for r in rows if r["dimension"] == "county")
    assert "اراک" in arak["scope"] and arak["months_elapsed"] == 8
    assert 0 < arak["actual_to_date"] < 893e6


def test_league_tables_rank_counties_and_sections_on_the_same_months(people):
    create(people, dimension="county", dimension_code="0006", value=250e6)
    tables = selectors.league_tables(region="00", year=1404)
    assert tables["months"] == 8
    counties = tables["counties"]
    assert sum(c["value_usd"] for c in counties) == pytest.approx(893e6, rel=1e-9)
    assert [c["rank"] for c in counties] == list(range(1, len(counties) + 1))
    saveh = counties[0]  # the only county with a target comes first
    assert saveh["code"] == "0006" and saveh["ratio_to_trajectory"] is not None
    for c in counties:
        if c["previous_value_usd"]:
            assert c["change_vs_previous_year"] == pytest.approx(c["value_usd"] / c["previous_value_usd"] - 1)
    sections = tables["sections"]
    assert sum(s["value_usd"] for s in sections) == pytest.approx(893e6, rel=1e-6)
    assert {"XV", "VII"} <= {s["code"] for s in sections}
    (agency,) = tables["agencies"]
    assert agency["targets"] == 1


def test_cli_sets_revises_and_reports(capsys):
    import json

    from saderat.cli import main

    assert main(["targets", "set", "--year", "1404", "--metric", "weight_t", "--value", "2000000"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["action"] == "created"
    assert main(["targets", "set", "--year", "1404", "--metric", "weight_t", "--value", "1900000"]) == 1
    assert "دلیل بازنگری" in capsys.readouterr().err
    args = [
        "targets",
        "set",
        "--year",
        "1404",
        "--metric",
        "weight_t",
        "--value",
        "1900000",
        "--reason",
        "بازنگری میان‌سال",
    ]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["action"] == "revised"
    assert Target.objects.get(pk=created["id"]).revisions.count() == 2
    report = [
        "targets",
        "report",
        "--year",
        "1404",
        "--months",
        "8",
        "--value-usd",
        "893e6",
        "--source",
        "گمرک",
    ]
    assert main(report) == 0
    capsys.readouterr()
    assert main(report) == 1
    assert "جایگزینی" in capsys.readouterr().err
    month13 = ["targets", "report", "--year", "1404", "--months", "13", "--value-usd", "1", "--source", "x"]
    assert main(month13) == 1
    assert "۱ تا ۱۲" in capsys.readouterr().err
