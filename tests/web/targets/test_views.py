"""Target pages and API: the secretariat edits, everyone else reads; forged requests change nothing."""

import json

import pytest
from django.urls import reverse

from saderat.web.targets import services
from saderat.web.targets.models import ProgressReport, Target

pytestmark = pytest.mark.django_db


@pytest.fixture
def target(people):
    return services.target_create(
        user=people["alice"], year=1404, metric="value_usd", value=1_500e6, region="00"
    )


@pytest.mark.parametrize("name", ["bob", "carol"])
def test_agency_members_and_viewers_read_but_cannot_edit(client, people, target, name):
    client.force_login(people[name])
    assert client.get(reverse("targets:list")).status_code == 200
    page = client.get(reverse("targets:detail", args=[target.pk])).content.decode()
    assert "مسیر هدف" in page and 'id="revise-form"' not in page
    assert client.get(reverse("targets:create")).status_code == 403
    forged = client.post(reverse("targets:revise", args=[target.pk]), {"value": "1", "reason": "جعل"})
    assert forged.status_code == 403
    assert client.post(reverse("targets:report_create"), {"year": "1404"}).status_code == 403
    api = client.post(
        "/api/targets",
        json.dumps({"year": 1404, "metric": "weight_t", "value": 5}),
        content_type="application/json",
    )
    assert api.status_code == 403
    api = client.post(
        f"/api/targets/{target.pk}/revisions",
        json.dumps({"value": 1.0, "reason": "جعل"}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert target.revisions.count() == 1 and Target.objects.count() == 1


def test_secretariat_creates_revises_and_reports_through_the_pages(client, people):
    client.force_login(people["alice"])
    response = client.post(
        reverse("targets:create"),
        {
            "year": "۱۴۰۴",
            "metric": "value_usd",
            "value": "۱٬۵۰۰",
            "dimension": "province",
            "basis": "customs",
            "profile": "seasonal",
        },
    )
    target = Target.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("targets:detail", args=[target.pk])
    assert target.current.value == 1_500e6
    client.post(reverse("targets:revise", args=[target.pk]), {"value": "1450", "reason": "تحریم بازار"})
    assert list(target.revisions.values_list("value", flat=True)) == [1_500e6, 1_450e6]
    page = client.get(reverse("targets:detail", args=[target.pk])).content.decode()
    assert "تحریم بازار" in page and "هدف اولیه" in page
    data = {
        "year": "1404",
        "months": "8",
        "value_musd": "893",
        "weight_t": "1188000",
        "destinations": "87",
        "source": "گمرک",
        "reported_on": "۱۴۰۴/۰۹/۱۰",
    }
    assert client.post(reverse("targets:report_create"), data).status_code == 302
    again = client.post(reverse("targets:report_create"), {**data, "value_musd": "895"})
    assert again.status_code == 200 and "جایگزین" in again.content.decode()
    assert ProgressReport.objects.filter(is_current=True).count() == 1
    client.post(reverse("targets:report_create"), {**data, "value_musd": "895", "replace": "on"})
    assert list(ProgressReport.objects.order_by("id").values_list("value_usd", "is_current")) == [
        (893e6, False),
        (895e6, True),
    ]
    month13 = client.post(reverse("targets:report_create"), {**data, "months": "13"})
    assert "مطمئن شوید این مقدار کوچکتر و یا مساوی 12 است." in month13.content.decode()
    assert ProgressReport.objects.count() == 2


def test_status_json_through_the_api_matches_the_cli(client, people, target, capsys):
    from saderat.cli import main

    client.force_login(people["carol"])
    api = client.get("/api/targets/status", {"year": 1404}).json()
    assert main(["targets", "status", "--year", "1404", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    # The API says, for a viewer, whether a row is suppressed and keeps no exporter's share; the figures agree.
    disclosure = ("suppressed", "exporters", "max_exporter_share")
    assert [{k: v for k, v in r.items() if k not in disclosure} for r in api] == [
        {k: v for k, v in r.items() if k not in disclosure} for r in cli
    ]
    assert [r["suppressed"] for r in api] == [False] and "max_exporter_share" not in api[0]
    (row,) = api
    assert row["months_elapsed"] == 8 and row["status"] in {"green", "amber", "red"}
    assert client.get(f"/api/targets/{target.pk}").json()["revisions"][0]["reason"] == "هدف اولیه"


def test_dashboard_tile_and_league_tables(client, people, target):
    services.target_create(
        user=people["alice"],
        year=1404,
        metric="value_usd",
        value=700e6,
        region="00",
        dimension="county",
        dimension_code="0001",
    )
    client.force_login(people["carol"])
    page = client.get("/").content.decode()
    assert 'id="targets-tile"' in page and "اهداف کمی سال ۱۴۰۴ (۲ هدف)" in page
    league = client.get(reverse("targets:league"), {"year": 1404}).content.decode()
    assert "اراک" in league and 'id="t-sections"' in league and 'id="t-agencies"' in league


def page_text(response) -> str:
    """The page without the left-to-right isolates (U+2066 ... U+2069) that wrap every number."""
    return response.content.decode().replace("\u2066", "").replace("\u2069", "")


def test_a_target_below_its_baseline_already_met_shows_reached_and_no_negative_pace(client, people):
    """Markazi's 1404 value target of USD 800 M is below its baseline (1403: USD 1,345 M) and the first 8
    months (USD 893 M) already pass it: "reached", with no required pace (it would be (800 - 893) / 4 < 0) and
    no "percent of trajectory" above 100 %."""
    from saderat.web.targets import selectors

    target = services.target_create(
        user=people["alice"], year=1404, metric="value_usd", value=800e6, region="00"
    )
    view = selectors.target_view(target)
    assert view.baseline > view.value  # below its baseline
    status = view.status
    assert status.months_elapsed == 8 and status.actual_to_date > 800e6
    assert status.status == "reached" and status.reached and status.below_baseline
    assert status.required_monthly_pace is None
    (row,) = selectors.targets_status(year=1404)
    assert row["status"] == "reached" and row["required_monthly_pace"] is None and row["reached"] is True

    client.force_login(people["carol"])
    listing = page_text(client.get(reverse("targets:list"), {"year": 1404}))
    assert 'data-status="reached">محقق شد</span>' in listing
    assert '<td class="num" data-testid="pace">محقق شد</td>' in listing
    assert 'data-testid="below-baseline"' in listing
    assert '<div class="fs-3 fw-bold num" data-testid="tally-reached">۱</div>' in listing
    detail = page_text(client.get(reverse("targets:detail", args=[target.pk])))
    pace = detail.split('data-testid="pace">', 1)[1].split("<", 1)[0]
    assert pace == "محقق شد"
    assert "−" not in pace and "-" not in pace
    assert "ارزش صادرات (میلیون دلار)" in detail and "ارزش صادرات (دلار)" not in detail


def test_badges_say_what_they_mean(client, people, target):
    """In the league tables, a county without a target reads "no target", never "no data"; a target that has
    no figure yet (1405: nothing imported) reads "a target without data"."""
    later = services.target_create(
        user=people["alice"], year=1405, metric="value_usd", value=2_000e6, region="00", baseline=1_500e6
    )
    client.force_login(people["carol"])
    league = page_text(client.get(reverse("targets:league"), {"year": 1404}))
    assert 'data-status="no-target"' in league and "بدون هدف" in league
    assert "بی‌داده" not in league
    listing = page_text(client.get(reverse("targets:list"), {"year": 1405}))
    assert f'href="{reverse("targets:detail", args=[later.pk])}"' in listing
    assert 'data-status="no-data"' in listing and "هدف بدون داده" in listing
    assert 'data-status="no-target"' not in listing


def test_counts_and_tonnes_of_targets_are_whole_numbers(client, people):
    """A target of 95 markets reads "۹۵", never "۹۵٫۰"; tonnes have no decimals either."""
    markets = services.target_create(
        user=people["alice"], year=1404, metric="destinations", value=95, region="00"
    )
    services.target_create(user=people["alice"], year=1404, metric="weight_t", value=1_500_000, region="00")
    client.force_login(people["carol"])
    listing = page_text(client.get(reverse("targets:list"), {"year": 1404}))
    assert '<td class="num" data-value="95.0">۹۵</td>' in listing
    assert "۹۵٫۰" not in listing
    assert '<td class="num" data-value="1500000.0">۱٬۵۰۰٬۰۰۰</td>' in listing
    detail = page_text(client.get(reverse("targets:detail", args=[markets.pk])))
    assert '<div class="fs-5 fw-bold num" data-testid="target-value">۹۵</div>' in detail
    actual = detail.split('data-testid="actual">', 1)[1].split("<", 1)[0]
    assert actual.isdigit() or all(c in "۰۱۲۳۴۵۶۷۸۹٬" for c in actual)


@pytest.fixture
def english_targets(people):
    """A province target of the Industry, Mine and Trade Organisation, revised with a reason typed in Persian,
    a target of Arak county (its name has no English) with a note, and a report whose source is typed text."""
    import datetime as dt

    province = services.target_create(
        user=people["alice"], year=1404, metric="value_usd", value=1_500e6, region="00", agency_code="imt"
    )
    services.target_revise(user=people["alice"], target=province, value=1_450e6, reason="تحریم بازار")
    county = services.target_create(
        user=people["alice"],
        year=1404,
        metric="value_usd",
        value=700e6,
        region="00",
        dimension="county",
        dimension_code="0001",
        agency_code="customs",
        note="هدف شهرستان مرکز",
    )
    services.report_enter(
        user=people["alice"],
        region="00",
        year=1404,
        months=8,
        value_usd=893e6,
        source="گزارش ۸ ماهه صادرات استان",
        reported_on=dt.date(2025, 12, 1),
    )
    return province, county


def in_english(client, user) -> None:
    client.force_login(user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


def test_target_pages_in_english_mark_the_data_that_has_no_english(client, people, english_targets):
    """English pages name agencies, months, baseline sources and the system's reasons in English; a county's
    name, a note, a report's source and a typed reason are data without English, marked lang="fa"."""
    from tests.web.test_i18n import persian_outside_data

    province, county = english_targets
    in_english(client, people["alice"])
    listing = page_text(client.get(reverse("targets:list"), {"year": 1404}))
    assert "<td>Industry, Mine and Trade Organisation</td>" in listing
    assert "<td>Customs Directorate</td>" in listing
    assert 'title="County 0001">County 0001 <span lang="fa" dir="rtl">اراک</span></a>' in listing
    assert '<span lang="fa" dir="rtl">گزارش ۸ ماهه صادرات استان</span>' in listing
    detail = page_text(client.get(reverse("targets:detail", args=[province.pk])))
    months = detail.split('id="t-months"')[1]
    assert "<td>Farvardin</td>" in months and "<td>Esfand</td>" in months and "فروردین" not in detail
    assert "Initial target" in detail and "Computed from the statistics" in detail
    assert '<td lang="fa" dir="rtl">تحریم بازار</td>' in detail
    assert "Monthly profile: Seasonal: average of the years" in detail
    county_page = page_text(client.get(reverse("targets:detail", args=[county.pk])))
    assert '<h1 class="h4">County 0001 <span lang="fa" dir="rtl">اراک</span> — ' in county_page
    assert "<title>County 0001 — " in county_page
    assert '· <span lang="fa" dir="rtl">هدف شهرستان مرکز</span>' in county_page
    league = page_text(client.get(reverse("targets:league"), {"year": 1404}))
    assert (
        f'<td lang="fa" dir="rtl"><a href="{reverse("targets:detail", args=[county.pk])}">اراک</a></td>'
        in league
    )
    assert "<td>Industry, Mine and Trade Organisation</td>" in league
    for html in (listing, detail, county_page, league):
        assert persian_outside_data(html) == []


def test_target_pages_in_persian_keep_their_persian(client, people, english_targets):
    """The same pages in Persian: Persian month names, reasons and scope, nothing marked as another language."""
    province, county = english_targets
    client.force_login(people["alice"])
    detail = page_text(client.get(reverse("targets:detail", args=[province.pk])))
    assert (
        "<td>فروردین</td>" in detail and "<td>هدف اولیه</td>" in detail and "<td>تحریم بازار</td>" in detail
    )
    assert "<td>محاسبه از آمار</td>" in detail and "الگوی ماهانه: فصلی: میانگین سال‌های ۱۴۰" in detail
    county_page = page_text(client.get(reverse("targets:detail", args=[county.pk])))
    assert (
        '<h1 class="h4">شهرستان ۰۰۰۱ اراک — ' in county_page
        and 'lang="fa"' not in county_page.split("<main")[1]
    )
    listing = page_text(client.get(reverse("targets:list"), {"year": 1404}))
    assert 'title="شهرستان 0001 اراک">شهرستان ۰۰۰۱ اراک</a>' in listing
    assert "<td>سازمان صنعت، معدن و تجارت</td>" in listing


def test_profile_sources_in_english():
    from django.utils import translation

    from saderat.web.targets.views import profile_source_label

    with translation.override("en"):
        assert profile_source_label("فصلی: میانگین سال‌های 1401، 1402، 1403") == (
            "Seasonal: average of the years 1401, 1402, 1403"
        )
        assert profile_source_label("یکنواخت (m/12)") == "Even (m/12)"
    with translation.override("fa"):
        assert profile_source_label("فصلی: میانگین سال‌های 1402، 1403") == "فصلی: میانگین سال‌های 1402، 1403"


def test_the_synthetic_label_follows_the_batches_flag_not_the_year(client, people, target):
    """1404's monthly actuals come from the demo's synthetic declarations: labelled. The same batches
    recorded as real would not be; the label reads the flag, whatever the year."""
    from saderat.web.imports.models import ImportBatch

    client.force_login(people["carol"])
    url = reverse("targets:detail", args=[target.pk])
    label = "داده‌های ماهانه سال ۱۴۰۴ در این صفحه از دسته‌های ساختگی نمایشی‌اند"
    assert label in client.get(url).content.decode()
    ids = [b.pk for b in ImportBatch.objects.filter(is_synthetic=True) if 1404 in (b.years or [])]
    assert ids
    ImportBatch.objects.filter(pk__in=ids).update(is_synthetic=False)
    assert label not in client.get(url).content.decode()
