"""The pages of a region set up from a profile (issue 13): Paraná's dashboard in its own codes, Gregorian
years and municipalities, after `saderat profile import` and an import of its statistics."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.files import import_parana_declarations, parana_in_currency, parana_in_reais

PARANA = Path(__file__).resolve().parents[2] / "profiles" / "parana"


@pytest.fixture
def parana(no_active_data, settings):
    from saderat.reference.profile import install_profile
    from saderat.web.imports.services import batch_import_file
    from saderat.web.reference.services import reference_apply_profile

    install_profile(PARANA / "profile.toml", settings.SADERAT_HOME)
    counts = reference_apply_profile()
    assert counts["provinces"] == 1 and counts["counties"] == 238
    settings.SADERAT_PROVINCE = "PR"
    assert batch_import_file(path=PARANA / "parana_exports_2024_2025.csv.gz").ok
    return pd.read_csv(PARANA / "parana_exports_2024_2025.csv.gz", dtype={"SH4": str, "CO_MUN": str})


def test_the_dashboard_of_a_state_from_its_profile(client, people, parana, settings):
    client.force_login(people["carol"])
    response = client.get("/", {"year": "2024"})
    page = response.content.decode().replace("\u2066", "").replace("\u2069", "")
    assert response.status_code == 200
    assert "عملکرد صادرات پارانا — سال ۲۰۲۴" in page
    total = parana.loc[parana["CO_ANO"] == 2024, "VL_FOB"].sum()
    assert total == 18_033_410_738
    assert '<div class="fs-4 fw-bold num" data-testid="value">۱۸٬۰۳۳٫۴</div>' in page
    # The state's origin-basis file is read without asking for the basis: the profile says it.
    assert "داده‌ای نیست" not in page
    assert "منبع آمار: وزارت توسعه، صنعت، تجارت و خدمات برزیل، Comex Stat؛" in page
    assert "گمرک جمهوری اسلامی ایران" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/", {"year": "2024"}).content.decode()
    assert "Source of statistics: MDIC/SECEX, Comex Stat (Brazil); every figure" in english
    assert "Export performance: Paraná" in english
    download = client.get("/stats/download/markets.csv", {"year": "2024"}).content.decode("utf-8-sig")
    # (the client reads English since the cookie above) the source line names the profile's publisher
    assert "Paraná — year 2024 — basis: Origin of production" in download
    assert "— source: MDIC/SECEX, Comex Stat (Brazil)" in download and "Customs" not in download
    # Destinations in Comex Stat's own codes, read through the profile's table: China (160) first.
    assert download.splitlines()[2].startswith("CHN,China,6648150887,13797051975,")
    api = client.get("/api/stats/overview", {"region": "pr", "year": "2024"}).json()
    assert api["value_usd"] == pytest.approx(total, rel=1e-12) and api["basis"] == "origin"
    unknown = client.get("/api/stats/overview", {"region": "SP", "year": "2024"})
    assert unknown.status_code == 400


def test_a_target_of_a_gregorian_year_from_the_page(client, people, parana):
    """The target form reads years in the profile's calendar: 2025 is a year of Paraná's statistics, 1404
    is refused with the calendar named."""
    from django.urls import reverse

    from saderat.web.targets.models import Target

    client.force_login(people["alice"])
    fields = {"metric": "value_usd", "value": "20000", "dimension": "province", "basis": "origin"}
    refused = client.post(reverse("targets:create"), {**fields, "year": "1404", "profile": "seasonal"})
    assert refused.status_code == 200 and not Target.objects.exists()
    assert "سال «1404» در تقویم آمار این منطقه (میلادی، 1900 تا 2199) نیست." in refused.content.decode()
    response = client.post(reverse("targets:create"), {**fields, "year": "2025", "profile": "seasonal"})
    target = Target.objects.get()
    assert response.status_code == 302 and (target.year, target.region) == (2025, "PR")
    page = client.get(reverse("targets:detail", args=[target.pk])).content.decode()
    assert "الگوی ماهانه: فصلی: میانگین سال‌های ۲۰۲۴" in page  # the shape of the region's own previous year
    # The months of the chart and its table are the statistics' own: January.., not Farvardin..
    assert "<tr><td>ژانویه</td>" in page and "<tr><td>دسامبر</td>" in page and "فروردین" not in page


@pytest.fixture
def reais(no_active_data, settings, tmp_path):
    """Paraná reporting in Brazilian reals; the shipped file (USD) imported at 5 reais per dollar."""
    from saderat.web.imports.services import batch_import_file

    parana_in_reais(settings, tmp_path)
    data = PARANA / "parana_exports_2024_2025.csv.gz"
    assert batch_import_file(path=data, usd_rate=5.0, rate_source="BCB").ok
    return pd.read_csv(data, dtype={"SH4": str, "CO_MUN": str})


def test_the_dashboard_in_the_regions_currency(client, people, reais, settings):
    client.force_login(people["carol"])
    page = client.get("/", {"year": "2024"}).content.decode().replace("\u2066", "").replace("\u2069", "")
    # 18,033,410,738 USD at 5 reais per dollar: 90,167.1 million reais, labelled as such.
    assert '<div class="fs-4 fw-bold num" data-testid="value">۹۰٬۱۶۷٫۱</div>' in page
    assert "ارزش صادرات (میلیون رئال برزیل)" in page and "میلیون دلار" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/", {"year": "2024"}).content.decode()
    assert "Export value (BRL million)" in english and "USD million" not in english
    download = client.get("/stats/download/markets.csv", {"year": "2024"}).content.decode("utf-8-sig")
    header, row = download.splitlines()[1:3]
    assert header.startswith("Code,Destination,Value (BRL),Value (USD),")
    assert row.startswith("CHN,China,33240754435,6648150887,")


def test_the_upload_form_asks_for_a_rate_and_refuses_a_wrong_one(client, people, reais, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saderat.web.imports.models import ImportBatch

    client.force_login(people["alice"])
    form = client.get("/imports/").content.decode()
    assert 'name="usd_rate"' in form and "نرخ (رئال برزیل در هر دلار)" in form
    before = ImportBatch.objects.count()
    upload = SimpleUploadedFile("r.csv", b"CO_ANO,SH4,CO_MUN,value\n2023,1201,4118204,10\n")
    response = client.post(
        "/imports/upload/", {"file": upload, "usd_rate": "-1", "rate_source": "x"}, follow=True
    )
    assert "نرخ تبدیل «-1» معتبر نیست" in response.content.decode()
    assert ImportBatch.objects.count() == before  # nothing recorded
    assert not list(Path(settings.SADERAT_HOME).glob("upload-*"))  # the upload is not kept


def test_a_countrys_codes_are_labelled_from_its_own_nomenclature(no_active_data, settings, tmp_path):
    """Brazil's 8-digit NCM codes take the profile's labels, else their HS6 text: never the description of
    the Iranian tariff line that happens to have the same digits."""
    from saderat.reference.profile import install_profile
    from saderat.web.reference.models import TariffLine
    from saderat.web.reference.selectors import hs_labels, tariff_labels

    iranian = dict(
        TariffLine.objects.filter(code__in=["12019000", "12011000"]).values_list("code", "name_fa")
    )
    assert set(iranian) == {"12019000", "12011000"}  # the same digits exist in Iran's tariff
    profile = parana_in_currency(tmp_path, "USD")
    text = profile.read_text(encoding="utf-8") + '\n[nomenclature]\nname = "NCM"\nfile = "ncm.csv"\n'
    profile.write_text(text, encoding="utf-8")
    (tmp_path / "ncm.csv").write_text(
        'code,label_en,label_fa\n1201.90.00,"Soya beans, other than for sowing",سویا، به جز برای کاشت\n',
        encoding="utf-8",
    )
    install_profile(profile, settings.SADERAT_HOME)
    labels = tariff_labels(["12019000", "12011000"])
    assert labels["12019000"] == "سویا، به جز برای کاشت"
    assert labels["12011000"] == hs_labels(["120110"])["120110"] != iranian["12011000"]


def test_a_league_without_a_rate_ranks_in_the_reporting_currency_and_leaves_usd_unknown(
    no_active_data, settings, tmp_path
):
    """Municipalities ranked on their values in reais (a file imported without a rate): USD unknown (None),
    never 0, and the change on last year's same months taken in reais."""
    from saderat.web.imports.services import batch_import_file
    from saderat.web.targets.selectors import league_tables

    parana_in_reais(settings, tmp_path)
    data = tmp_path / "reais.csv"
    data.write_text(
        "CO_ANO,CO_MES,SH4,SG_UF_MUN,CO_MUN,value\n"
        "2023,1,1201,PR,4118204,1000\n2023,1,1201,PR,4106902,400\n"
        "2024,1,1201,PR,4118204,1500\n2024,1,1201,PR,4106902,300\n",
        encoding="utf-8",
    )
    assert batch_import_file(path=data).ok
    rows = league_tables(region="PR", year=2024, basis="origin")["counties"]
    assert [
        (r["code"], r["value"], r["value_usd"], r["previous_value"], r["previous_value_usd"]) for r in rows
    ] == [("4118204", 1500.0, None, 1000.0, None), ("4106902", 300.0, None, 400.0, None)]
    assert rows[0]["change_vs_previous_year"] == pytest.approx(0.5)


def test_exporter_dynamics_in_the_regions_currency(client, people, no_active_data, settings, tmp_path):
    """Declarations in reais imported without a rate (USD unknown): every line still makes its exporter, and
    the dynamics and their labels are in reais, as the targets' exporter count is."""
    parana_in_reais(settings, tmp_path)
    lines = [(2023, 1, "E1", 400), (2023, 1, "E2", 300), (2023, 1, "E3", 300)]
    lines += [(2024, 1, "E1", 500), (2024, 1, "E2", 250), (2024, 1, "E4", 250), (2024, 1, "E5", 100)]
    import_parana_declarations(tmp_path, lines)
    client.force_login(people["alice"])
    api = client.get("/api/exporters/dynamics", {"region": "PR", "basis": "origin"}).json()
    assert api["currency"] == "BRL"
    rows = {r["year"]: r for r in api["rows"]}
    assert (rows[2024]["exporters"], rows[2024]["entrants"], rows[2024]["exiters"]) == (4, 2, 1)
    assert rows[2024]["value"] == 1100.0 and rows[2023]["value"] == 1000.0
    from django.urls import reverse

    page = client.get(reverse("registry:dynamics"), {"region": "PR", "basis": "origin"}).content.decode()
    assert "ارزش (میلیون رئال برزیل)" in page and "میلیون دلار" not in page


def test_a_value_target_in_the_regions_currency(client, people, reais, settings):
    """A value target of a region reporting in reais is set, followed and labelled in reais: its computed
    baseline and actual are the file's USD sums at the batch's rate, and a hand-entered report is in reais."""
    from django.urls import reverse

    from saderat.web.targets.models import Target
    from saderat.web.targets.selectors import targets_status

    client.force_login(people["alice"])
    form = client.get(reverse("targets:create")).content.decode()
    assert "ارزش صادرات (میلیون رئال برزیل)" in form and "میلیون دلار" not in form
    fields = {"metric": "value_usd", "value": "100000", "dimension": "province", "basis": "origin"}
    response = client.post(reverse("targets:create"), {**fields, "year": "2025", "profile": "seasonal"})
    assert response.status_code == 302
    target = Target.objects.get()
    (status,) = targets_status(year=2025)
    by_year = reais.groupby("CO_ANO")["VL_FOB"].sum()
    assert (status["target"], status["currency"]) == (100000e6, "BRL")  # entered in million reais
    assert status["baseline"] == pytest.approx(by_year[2024] * 5.0, rel=1e-12)
    assert status["actual_to_date"] == pytest.approx(by_year[2025] * 5.0, rel=1e-12)
    page = client.get(reverse("targets:detail", args=[target.pk])).content.decode()
    assert "ارزش صادرات (میلیون رئال برزیل)" in page and "میلیون دلار" not in page
    report_form = client.get(reverse("targets:report_create")).content.decode()
    assert "ارزش تجمعی (میلیون رئال برزیل)" in report_form
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("targets:list"), {"year": "2025"}).content.decode()
    assert "Export value (BRL million)" in english and "USD million" not in english


def test_the_workspaces_own_dates_follow_a_gregorian_profile(client, people, parana, settings):
    """Under Paraná's Gregorian profile, the working group's dates are typed, checked, stored and shown in
    Gregorian: the session form is the browser's date box, a Jalali date typed by habit is refused naming
    the calendar, and pages and downloads write 2026-12-04, never a Jalali day."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from saderat.web.accounts.models import Agency
    from saderat.web.targets.models import ProgressReport
    from saderat.web.workgroup.models import Session

    client.force_login(people["alice"])
    form = client.get(reverse("workgroup:session_create")).content.decode()
    assert "تاریخ جلسه (میلادی)" in form and "(شمسی)" not in form
    held_on = form[form.index('name="held_on"') - 200 : form.index('name="held_on"') + 300]
    assert 'type="date"' in held_on and 'min="2001-01-01"' in held_on and "data-jdp" not in held_on
    fields = {
        "number": "3",
        "chair": "Governor",
        "agenda": "Port of Paranaguá",
        "agencies_present": [Agency.objects.first().pk],
    }
    refused = client.post(reverse("workgroup:session_create"), {**fields, "held_on": "1405/09/13"})
    assert refused.status_code == 200 and not Session.objects.exists()
    text = refused.content.decode()
    assert "«۱۴۰۵/۰۹/۱۳» تاریخ شمسی به نظر می‌رسد؛ تاریخ‌های این منطقه میلادی است" in text
    typed = text[text.index('name="held_on"') - 200 : text.index('name="held_on"') + 300]
    assert 'value="1405/09/13"' in typed and 'type="text"' in typed  # kept as typed, beside its error
    far = client.post(reverse("workgroup:session_create"), {**fields, "held_on": "2053-01-01"})
    assert "سال «۲۰۵۳» باورپذیر نیست؛ سال میلادی باید بین ۲۰۰۱ و ۲۰۵۲ باشد." in far.content.decode()
    leap = client.post(reverse("workgroup:session_create"), {**fields, "held_on": "2025-02-29"})
    assert "این روز در تقویم میلادی نیست" in leap.content.decode() and not Session.objects.exists()
    response = client.post(reverse("workgroup:session_create"), {**fields, "held_on": "۲۰۲۶-۱۱-۲۰"})
    session = Session.objects.get()
    assert response.status_code == 302 and session.held_on == dt.date(2026, 11, 20)
    listing = client.get(reverse("workgroup:sessions")).content.decode()
    assert "۲۰۲۶-۱۱-۲۰" in listing and "۱۴۰۵/۰۸/۲۹" not in listing  # 2026-11-20 is 1405/08/29

    data = {"year": "2025", "months": "3", "value_musd": "4000", "source": "Comex Stat"}
    report_form = client.get(reverse("targets:report_create")).content.decode()
    assert "تاریخ گزارش (میلادی، مثلاً 2026-12-04)" in report_form
    assert (
        client.post(reverse("targets:report_create"), {**data, "reported_on": "2025-04-10"}).status_code
        == 302
    )
    assert ProgressReport.objects.get().reported_on == dt.date(2025, 4, 10)
    reports = client.get(reverse("targets:list"), {"year": "2025"}).content.decode()
    assert "۲۰۲۵-۰۴-۱۰" in reports
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("workgroup:session_create")).content.decode()
    assert "Session date (Gregorian)" in english and "Jalali" not in english
    download = client.get(reverse("workgroup:resolutions_download", args=["csv"])).content.decode("utf-8-sig")
    header = download.splitlines()[1]
    # One date column, in ISO, instead of a Jalali one and an ISO one; the note's date is Gregorian too.
    assert "Session date," in header and "(ISO)" not in header
    assert timezone.localdate().isoformat() in download.splitlines()[0]


def test_a_profile_asks_for_no_migration(reais):
    """Labels in the reporting currency are put in when shown: the models, and so the migrations, stay the
    same under any profile."""
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) on a pending change
