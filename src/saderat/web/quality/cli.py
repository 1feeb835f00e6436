"""``saderat quality ...``: foreign notifications, compliance of exports, imports of notification files and
certificate-expiry alerts (``--json`` for scripts). Thin over :mod:`saderat.web.quality.figures` (the same data
functions as the pages). Standards and certificates files are imported with ``saderat registry import`` (they
are registers: ``--kind standards`` or ``--kind certificates``)."""

from __future__ import annotations

import argparse

from saderat.web.registry.exporters_cli import _print_json, _region


def cmd_notifications(args) -> int:
    from django.conf import settings

    from saderat.text import to_persian_digits
    from saderat.web.quality.figures import notifications_data

    data = notifications_data(origin=(args.origin or settings.SADERAT_COUNTRY).upper(), year=args.year)
    if args.json:
        _print_json(data["per_year"])
        return 0
    if not data["per_year"]:
        print("اعلانی برای این مبدأ ثبت نشده است.")
    for row in data["per_year"]:
        top = "، ".join(f"{h} ({to_persian_digits(n)})" for h, n in list(row["hazards"].items())[:3])
        rejected = (
            "رد در مرز نامعلوم (منبع نوع اعلان را ندارد)"
            if row.get("border_rejection_share") is None
            else f"{to_persian_digits(row['border_rejections'])} رد در مرز"
        )
        print(
            f"{to_persian_digits(row['year'])}: {to_persian_digits(row['notifications'])} اعلان، {rejected} — {top}"
        )
    return 0


def cmd_compliance(args) -> int:
    from saderat.text import to_persian_digits
    from saderat.web.quality.figures import compliance_data

    data = compliance_data(region=_region(args.region), year=args.year, months=args.months, by=args.by)
    if args.json:
        _print_json(data)
        return 0
    if not data["declaration_level"]:
        print(data["message"])
        return 0
    rate = data.get("rate_value")
    print(
        to_persian_digits(
            f"{data['year']}: {data.get('lines', 0)} ردیف صادراتی مشمول استاندارد اجباری، "
            f"{data.get('noncompliant_lines', 0)} بدون گواهی معتبر؛ نرخ انطباق (ارزشی) "
            + ("—" if rate is None else f"{100 * rate:.1f}".replace(".", "٫") + "٪")
        )
    )
    if data.get("synthetic"):
        print("داده ساختگی (نمایشی).")
    return 0


def cmd_import(args) -> int:
    from saderat.web.quality.services import notification_import_file

    batch, duplicate = notification_import_file(path=args.file)
    if args.json:
        _print_json(
            {
                "batch": batch.pk,
                "status": batch.status,
                "duplicate": duplicate,
                "layout": batch.layout,
                "rows_read": batch.rows_read,
                "rows_stored": batch.rows_stored,
                "message": batch.message,
            }
        )
    else:
        print(batch.message)
    return 0 if batch.status == "active" else 1


def cmd_alerts(args) -> int:
    from saderat.web.quality.services import certificate_expiry_alerts_send

    sent = certificate_expiry_alerts_send()
    print(f"{sent} certificate-expiry alerts sent")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    quality = subparsers.add_parser(
        "quality", help="standards and quality: foreign notifications, compliance of exports"
    ).add_subparsers(dest="action", required=True)
    p = quality.add_parser("notifications", help="RASFF/FDA notifications on a country's products, per year")
    p.add_argument("--origin", help="ISO3 code of the products' origin (default SADERAT_COUNTRY, IRN)")
    p.add_argument("--year", type=int, help="one Gregorian year (the notifications' calendar)")
    p.add_argument(
        "--json",
        action="store_true",
        help='[{"year", "notifications", "border_rejections", "hazards": {...}}]',
    )
    p.set_defaults(func=cmd_notifications)
    p = quality.add_parser("compliance", help="exports of mandatory lines without a valid certificate")
    p.add_argument("--region", help="a province's code or name; default: SADERAT_PROVINCE")
    p.add_argument(
        "--year", type=int, required=True, help="a year of the statistics' calendar (Jalali for Iran)"
    )
    p.add_argument("--months", type=int, help="the first N months only")
    p.add_argument("--by", choices=["tariff_code", "exporter_id", "county_code", "partner_code", "month"])
    p.add_argument(
        "--json",
        action="store_true",
        help='{"currency", "lines", "value", "compliant_value", "noncompliant_value", "rate_value", ...}',
    )
    p.set_defaults(func=cmd_compliance)
    p = quality.add_parser("import", help="import a RASFF or FDA file into the notification table")
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)
    p = quality.add_parser("alerts", help="send certificate-expiry alerts (30 days) to the directorate")
    p.set_defaults(func=cmd_alerts)
