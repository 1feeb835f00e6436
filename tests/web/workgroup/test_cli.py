"""``saderat workgroup overdue``: Jalali dates in the text, ISO dates (plus the Jalali one) in the JSON."""

import argparse
import json

import pytest
from tests.web.workgroup.conftest import days, jalali

from saderat.jalali import parse_jalali_date
from saderat.web.workgroup.cli import register

pytestmark = pytest.mark.django_db


def run(*argv) -> int:
    parser = argparse.ArgumentParser(prog="saderat")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return args.func(args)


def test_overdue_as_text_and_json(customs_resolution, standards_resolution, capsys):
    assert run("workgroup", "overdue") == 0
    out = capsys.readouterr().out
    assert "مصوبه ۱۲-۱" in out and "اداره کل گمرک" in out and jalali(days(-8)) in out and "۸ روز گذشته" in out
    assert "جمع: ۱ مصوبه گذشته از مهلت" in out
    assert run("workgroup", "overdue", "--json") == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert set(row) >= {"id", "session", "agency", "deadline", "days_overdue", "status", "deadline_jalali"}
    assert row["deadline"] == days(-8).isoformat()
    assert parse_jalali_date(row["deadline_jalali"]) == days(-8)
    assert run("workgroup", "overdue", "--json", "--agency", "standards") == 0
    assert json.loads(capsys.readouterr().out) == []


def test_nothing_overdue(db, capsys):
    assert run("workgroup", "overdue") == 0
    assert "مصوبه گذشته از مهلتی نیست." in capsys.readouterr().out


def test_reminders_command(customs_resolution, capsys):
    assert run("workgroup", "remind") == 0
    assert capsys.readouterr().out.strip() == "notifications: 1"
    assert run("workgroup", "remind") == 0
    assert capsys.readouterr().out.strip() == "notifications: 0"
