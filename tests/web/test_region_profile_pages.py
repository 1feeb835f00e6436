"""The pages of a region set up from a profile (issue 13): Paraná's dashboard in its own codes, Gregorian
years and municipalities, after `saderat profile import` and an import of its statistics."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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
    assert "No destination (the region's totals),18033410738,30391637404,1" in download
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
