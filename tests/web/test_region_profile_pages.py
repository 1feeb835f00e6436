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


def test_the_dashboard_of_a_state_from_its_profile(client, people, parana):
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
    api = client.get("/api/stats/overview", {"region": "pr", "year": "2024"}).json()
    assert api["value_usd"] == pytest.approx(total, rel=1e-12) and api["basis"] == "origin"
    unknown = client.get("/api/stats/overview", {"region": "SP", "year": "2024"})
    assert unknown.status_code == 400
