"""Compliance in a region of another calendar and currency (issue 13): Paraná reporting in Brazilian reals, with
Gregorian years. Declarations by month imported in reais without a rate (no USD value), a standard and a
certificate entered by the directorate with Gregorian dates: the page, its download, the API and the command
line judge each month on its own days and give the values in reais, labelled as such."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from contextlib import redirect_stdout

import pytest
from django.urls import reverse
from tests.files import import_parana_declarations, nid, parana_in_reais

#: (year, month, exporter ID, value in reais): the cooperative exports in February and March 2024, a trader
#: in February only.
COOPERATIVE, TRADER = "41000001", "41000002"
LINES = [(2024, 2, COOPERATIVE, 600e6), (2024, 3, COOPERATIVE, 250e6), (2024, 2, TRADER, 150e6)]


@pytest.fixture
def reais(no_active_data, settings, tmp_path, personas):
    """Paraná in reais, its declarations, a standard on soya beans (1201) and the cooperative's certificate
    for February 2024 exactly (1 to 29 February: a leap year)."""
    from saderat.web.quality import services
    from saderat.web.registry.models import ExporterLink, Firm

    parana_in_reais(settings, tmp_path)
    import_parana_declarations(tmp_path, LINES)
    firm = Firm.objects.create(national_id=nid("1412345671"), name="Cooperativa Agroindustrial")
    ExporterLink.objects.create(exporter_id=COOPERATIVE, firm=firm)
    standards = personas["standards"]
    services.standard_save(
        user=standards, code_prefix="1201", standard_number="5311-1", effective_from=dt.date(2023, 1, 1)
    )
    services.certificate_save(
        user=standards,
        number="PR-2024-1",
        firm=firm,
        codes=["1201"],
        standard_numbers=["5311-1"],
        issuing_body="INMETRO",
        issued_on=dt.date(2024, 2, 1),
        expires_on=dt.date(2024, 2, 29),
    )
    return standards


def _text(response) -> str:
    return response.content.decode("utf-8-sig").replace("\u2066", "").replace("\u2069", "")


def test_compliance_in_a_gregorian_region_reporting_in_reais(client, reais, settings):
    client.force_login(reais)
    data = client.get("/api/quality/compliance", {"year": 2024, "by": "exporter_id"}).json()
    assert data["currency"] == "BRL" and data["declaration_level"]
    # February is covered to its 29th: compliant. March is after the expiry; the trader holds nothing.
    assert (data["lines"], data["compliant_lines"], data["month_judged_lines"]) == (3, 1, 3)
    assert data["value"] == 1000e6 and data["compliant_value"] == 600e6
    assert data["noncompliant_value"] == 400e6 and data["rate_value"] == pytest.approx(0.6)
    listed = {(r["exporter_id"], r["month"]): (r["value"], r["reason"]) for r in data["noncompliant"]}
    assert listed == {
        (COOPERATIVE, 3): (250e6, "certificate_not_valid"),
        (TRADER, 2): (150e6, "no_certificate"),
    }
    groups = {g["exporter_id"]: g["value"] for g in data["groups"]}
    assert groups == {COOPERATIVE: 850e6, TRADER: 150e6}

    # The page (its year: the latest of the statistics) and its download, in reais.
    page = _text(client.get(reverse("quality:compliance")))
    assert "صادرات مشمول (میلیون رئال برزیل)" in page and "دلار" not in page
    assert '<div class="fs-4" id="covered-value">۱٬۰۰۰٫۰</div>' in page
    assert '<div class="fs-4" id="noncompliant-value">۴۰۰٫۰</div>' in page
    assert "<th>ارزش (رئال برزیل)</th>" in page
    # A Gregorian year is a year of the filter: February 2024 alone (the form once refused 2024 as Jalali).
    february = client.get(reverse("quality:compliance"), {"year": "2024", "months": "2"})
    assert not february.context["form"].errors
    assert '<div class="fs-4" id="covered-value">۷۵۰٫۰</div>' in _text(february)
    home = _text(client.get(reverse("quality:home"), {"year": "2024"}))  # a Gregorian year is a year here
    assert "صادرات مشمول: ۱٬۰۰۰٫۰ میلیون رئال برزیل" in home and "دلار" not in home
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _text(client.get(reverse("quality:compliance")))
    assert "Covered exports (BRL million)" in english and "USD" not in english
    download = _text(client.get(reverse("quality:compliance_download", args=["csv"]))).splitlines()
    header = next(line for line in download if line.startswith("Year,"))
    assert "Value (BRL)" in header.split(",") and "USD" not in "".join(download)


def test_the_command_line_gives_the_same_figures_in_reais(reais):
    from saderat.web.quality.cli import register

    parser = argparse.ArgumentParser(prog="saderat")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["quality", "compliance", "--year", "2024", "--json"])
    out = io.StringIO()
    with redirect_stdout(out):
        assert args.func(args) == 0
    data = json.loads(out.getvalue())
    assert (data["currency"], data["value"], data["compliant_value"]) == ("BRL", 1000e6, 600e6)
