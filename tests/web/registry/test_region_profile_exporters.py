"""A firm's exports, lapsed exporters and their alerts in a region of another country (Paraná in reais, its
statistics by origin of production, issue 13): the activity is read on the profile's basis and in its
currency, not on Iran's customs basis in dollars (on which such a state has no line at all)."""

from __future__ import annotations

import pytest
from tests.files import import_parana_declarations, nid, parana_in_reais

#: (year, month, exporter ID, value in reais; no rate to USD): E3 exported early and stopped, E1 goes on.
LINES = [(2022, 1, "E3", 5_000_000), (2023, 6, "E1", 500), (2024, 1, "E1", 700)]


@pytest.fixture
def exporters(people, no_active_data, settings, tmp_path):
    from saderat.web.registry.models import ExporterLink, Firm

    parana_in_reais(settings, tmp_path)
    import_parana_declarations(tmp_path, LINES)
    firms = {}
    for exporter, national in (("E3", "1412345671"), ("E1", "1412345672")):
        firms[exporter] = Firm.objects.create(national_id=nid(national), name=f"Exportadora {exporter}")
        ExporterLink.objects.create(firm=firms[exporter], exporter_id=exporter)
    return firms


def test_lapsed_exporters_of_a_state_by_origin_in_reais(exporters):
    from saderat.web.registry import selectors

    exports = selectors.firm_exports(exporters["E3"])
    assert exports["basis"] == "origin" and [r["value"] for r in exports["by_year"]] == [5_000_000.0]
    (lapsed,) = selectors.lapsed_exporters(region="PR")
    assert (lapsed["firm_id"], lapsed["value_before"], lapsed["last_year"]) == (exporters["E3"].pk, 5e6, 2022)


def test_a_lapsed_exporter_alert_names_the_regions_currency(exporters):
    from saderat.web.accounts.services import user_create
    from saderat.web.registry import services
    from saderat.web.workgroup.models import Notification

    member = user_create(username="tpo-member", password=None, role="agency_member", agency_code="tpo")
    from django.utils import translation

    # Sent from an English request (or after one in the same thread), the stored message is still Persian.
    with translation.override("en"):
        assert services.lapsed_exporter_alerts_send(region="PR") == 1
    (alert,) = Notification.objects.filter(user=member, kind="lapsed_exporter")
    assert "Exportadora E3" in alert.message and "۵٫۰ میلیون رئال برزیل" in alert.message
    assert "دلار" not in alert.message


def test_the_notifications_page_reads_the_states_lines_on_its_basis(exporters):
    from saderat.web.quality.figures import province_headings

    assert province_headings("PR") == ["1201"]
