"""``saderat registry import|imports|withdraw|remind``: registry files from the command line (the same service
as the import page, run in this process), the batch list, withdrawal, and the daily alerts.

Added to the ``saderat registry`` parser by :func:`add_commands`; thin over the services and selectors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _batch_json(batch, duplicate: bool = False) -> dict:
    return {
        "batch": batch.pk,
        "kind": batch.kind,
        "file": batch.source_name,
        "status": batch.status,
        "duplicate": duplicate,
        "rows_read": batch.rows_read,
        "rows_accepted": batch.rows_accepted,
        "rows_rejected": batch.rows_rejected,
        "created_records": batch.created_records,
        "updated_records": batch.updated_records,
        "message": batch.message,
    }


def cmd_import(args) -> int:
    """Import registry files now; exit 0 when every file is recorded (or a duplicate), 1 otherwise."""
    from saderat.web.common.audit import acting_as
    from saderat.web.registry import services
    from saderat.web.registry.models import RegistryBatch

    results, ok = [], True
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"فایل «{name}» پیدا نشد. File not found.", file=sys.stderr)
            return 2
        with acting_as(None):
            batch, duplicate = services.registry_import_file(
                path=path, kind=args.kind, accept_partial=args.accept_partial
            )
        ok &= duplicate or batch.status == RegistryBatch.Status.ACTIVE
        results.append(_batch_json(batch, duplicate))
        if not args.json:
            print(f"{path.name}: {batch.get_status_display()} — {batch.message}")
            if batch.rows_rejected:
                print(f"  ایرادها: {services.problems_file(batch)}")
    if args.json:
        json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 0 if ok else 1


def cmd_batches(args) -> int:
    from saderat.web.registry import selectors

    rows = [_batch_json(b) for b in selectors.batch_list()]
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    for r in rows:
        print(
            f"#{r['batch']:<5} {r['kind']:<10} {r['status']:<10} {r['rows_accepted']:>6}/{r['rows_read']:<6} {r['file']}"
        )
    return 0


def cmd_withdraw(args) -> int:
    from django.core.exceptions import ValidationError

    from saderat.web.accounts.models import User
    from saderat.web.common.audit import acting_as
    from saderat.web.registry import services
    from saderat.web.registry.models import RegistryBatch

    batch = RegistryBatch.objects.filter(pk=args.batch).first()
    if batch is None:
        print(f"دسته {args.batch} پیدا نشد. No such batch.", file=sys.stderr)
        return 2
    # The command line is the administrator's: it acts as the first superuser (audited as such).
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    try:
        with acting_as(admin):
            batch = services.registry_batch_withdraw(batch=batch, user=admin)
    except ValidationError as exc:
        print(" ".join(exc.messages), file=sys.stderr)
        return 1
    print(batch.message)
    return 0


def cmd_remind(args) -> int:
    """Daily: card-expiry alerts to the chamber (60/30/7 days) and lapsed large exporters to the TPO."""
    from django.conf import settings

    from saderat.web.registry import services

    cards = services.card_expiry_alerts_send()
    lapsed = services.lapsed_exporter_alerts_send(region=args.region or settings.SADERAT_PROVINCE)
    print(f"card alerts: {cards}, lapsed-exporter alerts: {lapsed}")
    return 0


def add_commands(registry: argparse._SubParsersAction) -> None:
    p = registry.add_parser("import", help="import registry spreadsheets (firms, cards, units, exporter IDs)")
    p.add_argument("files", nargs="+")
    p.add_argument(
        "--kind",
        choices=["firms", "cards", "units", "exporters", "standards", "certificates"],
        default=None,
        help="the register (standards and certificates: the standards directorate's)",
    )
    p.add_argument(
        "--accept-partial", action="store_true", help="record the accepted rows of a file with rejects"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)
    p = registry.add_parser("batches", help="list registry import batches")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_batches)
    p = registry.add_parser("withdraw", help="withdraw a registry batch (its changes are undone)")
    p.add_argument("batch", type=int)
    p.set_defaults(func=cmd_withdraw)
    p = registry.add_parser("remind", help="daily: card-expiry and lapsed-exporter alerts")
    p.add_argument("--region", default=None)
    p.set_defaults(func=cmd_remind)


def register(sub: argparse._SubParsersAction) -> None:
    """``saderat registry ...``: the import commands here, and the resolver's ``resolve`` (registry/cli.py)."""
    registry = sub.add_parser(
        "registry", help="registries of firms, cards, units and exporter IDs"
    ).add_subparsers(dest="action", required=True)
    add_commands(registry)
    try:
        from saderat.web.registry.cli import add_commands as add_resolve
    except ImportError:  # pragma: no cover - the resolver's command is always shipped
        return
    add_resolve(registry)
