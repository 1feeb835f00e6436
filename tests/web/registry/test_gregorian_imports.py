"""Registry and quality spreadsheets in a Gregorian workspace (Paraná's profile, issue 13), end to end: the
import service that the page, the API and the CLI share reads a card's dates as Gregorian days (typed year
first or as real Excel date cells), holds a file with a Jalali date typed by habit and names its row, column
and reason in the problems file, and the templates to download show Gregorian example dates."""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from tests.files import nid, write_csv
from tests.ingest.test_sheet_dates import CARD_HEADER, write_dated_xlsx

from saderat.ingest import messages, sheets
from saderat.web.registry import services
from saderat.web.registry.models import CommercialCard, RegistryBatch

PARANA = Path(__file__).resolve().parents[3] / "profiles" / "parana"
HOLDER = nid("1412345671")


@pytest.fixture
def parana(no_active_data, settings):
    """A fresh workspace with Paraná's (Gregorian) profile installed."""
    from saderat.reference.profile import install_profile
    from saderat.web.reference.selectors import workspace_calendar
    from saderat.web.reference.services import reference_apply_profile

    install_profile(PARANA / "profile.toml", settings.SADERAT_HOME)
    reference_apply_profile()
    settings.SADERAT_PROVINCE = "PR"
    assert workspace_calendar() == "gregorian"
    return no_active_data


def run_cli(*argv) -> int:
    from saderat.web.registry.import_cli import register

    parser = argparse.ArgumentParser(prog="saderat")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_a_gregorian_workspace_imports_registry_dates_as_gregorian(client, people, parana, capsys):
    cards = write_dated_xlsx(
        parana / "cards.xlsx",
        CARD_HEADER,
        [
            ["11000000001", HOLDER, "Cooperativa Agroindustrial", dt.date(2024, 5, 4), "2026-05-04", "فعال"],
            ["11000000002", HOLDER, "Cooperativa Agroindustrial", "۲۰۲۵/۰۱/۳۱", dt.date(2027, 1, 31), ""],
        ],
    )
    batch, duplicate = services.registry_import_file(path=cards, user=people["alice"])
    assert not duplicate and batch.status == RegistryBatch.Status.ACTIVE, batch.message
    stored = {c.number: (c.issued_on, c.expires_on) for c in CommercialCard.objects.all()}
    assert stored == {
        "11000000001": (dt.date(2024, 5, 4), dt.date(2026, 5, 4)),
        "11000000002": (dt.date(2025, 1, 31), dt.date(2027, 1, 31)),
    }

    # A Jalali date typed by habit and a date with its year last: the file is held, nothing recorded, and the
    # problems file names each row and column with its reason (the command line reads it the same way).
    habit = write_csv(
        parana / "cards-habit.csv",
        CARD_HEADER,
        [
            ["11000000003", HOLDER, "Cooperativa Agroindustrial", "1403/02/15", "2026-05-04", ""],
            ["11000000004", HOLDER, "Cooperativa Agroindustrial", "2024-05-04", "04/05/2026", ""],
            ["11000000005", HOLDER, "Cooperativa Agroindustrial", "2024-05-04", "2026.05.04", ""],
        ],
    )
    assert run_cli("registry", "import", str(habit), "--json") == 1
    (result,) = json.loads(capsys.readouterr().out)
    assert (result["status"], result["rows_read"], result["rows_rejected"]) == ("held", 3, 2)
    assert CommercialCard.objects.count() == 2
    client.force_login(people["alice"])
    response = client.get(reverse("registry:batch_problems", args=[result["batch"]]))
    problems = b"".join(response.streaming_content).decode("utf-8-sig")
    jalali = sheets.DATE_JALALI.format(value="1403/02/15")
    year_last = sheets.DATE_YEAR_LAST.format(value="04/05/2026")
    assert f"2,تاریخ صدور (issued_on),1403/02/15,{jalali}" in problems
    assert f"3,تاریخ انقضا (expires_on),04/05/2026,{year_last}" in problems
    assert messages.to_english(jalali) == (
        "The date “1403/02/15” looks Jalali; this region's dates are Gregorian: write a Gregorian date "
        "(e.g. 2024-08-02)."
    )


@pytest.mark.parametrize(
    ("kind", "column", "example"),
    [("cards", "تاریخ صدور", "2024-05-04"), ("units", "تاریخ پروانه", "2019-09-23"), ("certificates", "تاریخ انقضا", "2025-05-05")],
)  # fmt: skip
def test_the_templates_of_a_gregorian_workspace_show_gregorian_examples(
    client, people, parana, kind, column, example
):
    client.force_login(people["alice"])
    response = client.get(reverse("registry:template", args=[kind]))
    assert response.status_code == 200
    guide = openpyxl.load_workbook(io.BytesIO(response.content))["guide"]
    examples = {row[0]: row[3] for row in guide.iter_rows(min_row=2, max_col=4, values_only=True) if row[0]}
    assert examples[column] == example
    # The guide's sentence on dates names the workspace's calendar and a Gregorian example.
    guide_text = " ".join(str(c) for row in guide.iter_rows(values_only=True) for c in row if c)
    assert "تاریخ‌ها میلادی (2026-12-04)" in guide_text and "شمسی" not in guide_text
    assert not any(
        str(value or "").startswith(("13", "14")) and "/" in str(value) for value in examples.values()
    )


def test_iran_keeps_its_jalali_template_examples(client, people, no_active_data):
    client.force_login(people["alice"])
    response = client.get(reverse("registry:template", args=["cards"]))
    guide = openpyxl.load_workbook(io.BytesIO(response.content))["guide"]
    examples = {row[0]: row[3] for row in guide.iter_rows(min_row=2, max_col=4, values_only=True) if row[0]}
    assert (examples["تاریخ صدور"], examples["تاریخ انقضا"]) == ("1403/02/15", "1404/02/15")


def test_a_gregorian_workspace_imports_certificate_dates_as_gregorian(people, parana):
    """Certificates (the quality family, read through the same service) take the workspace's calendar too:
    their validity is what compliance compares with the declarations' Gregorian days."""
    from saderat.web.quality.models import Certificate

    cards = write_csv(
        parana / "cards.csv",
        CARD_HEADER,
        [["11000000001", HOLDER, "Cooperativa Agroindustrial", "2024-05-04", "2026-05-04", ""]],
    )
    batch, _ = services.registry_import_file(path=cards, user=people["dave"])
    assert batch.status == RegistryBatch.Status.ACTIVE, batch.message
    header = ["شماره گواهی", "شناسه ملی", "کد تعرفه کالاها", "مرجع صدور", "تاریخ صدور", "تاریخ انقضا"]
    good = write_csv(
        parana / "certificates.csv",
        header,
        [["C-1", HOLDER, "120190", "INMETRO", "2024-05-04", "2025-05-03"]],
    )
    batch, _ = services.registry_import_file(path=good, user=people["dave"], kind="certificates")
    assert batch.status == RegistryBatch.Status.ACTIVE, batch.message
    certificate = Certificate.objects.get()
    assert (certificate.issued_on, certificate.expires_on) == (dt.date(2024, 5, 4), dt.date(2025, 5, 3))
    habit = write_csv(
        parana / "certificates-habit.csv",
        header,
        [["C-2", HOLDER, "120190", "INMETRO", "1403/02/15", "2025-05-03"]],
    )
    batch, _ = services.registry_import_file(path=habit, user=people["dave"], kind="certificates")
    assert batch.status != RegistryBatch.Status.ACTIVE and Certificate.objects.count() == 1
