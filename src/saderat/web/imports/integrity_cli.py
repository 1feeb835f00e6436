"""``saderat check``: compare the workspace database with the warehouse and repair what can be repaired.

Registered by :func:`register` on the ``saderat`` command's sub-parsers; thin over
:func:`saderat.web.imports.integrity.warehouse_check`.
"""

from __future__ import annotations

import argparse
import json
import sys

HELP = (
    "compare the database with the warehouse files: missing or corrupt batches are quarantined, orphan folders "
    "moved to _trash/, quarantined batches whose file is whole again reactivated. Exit status 0 when nothing "
    "was found, 1 when something was found (even if it was repaired)."
)
ALL_WELL = (
    "انبار داده و پایگاه داده با هم می‌خوانند؛ مشکلی پیدا نشد ({batches} دسته، {folders} پوشه بررسی شد)."
)
FOUND = "{n} مورد پیدا شد{repaired}."
REPAIRED = "؛ آنچه درست‌شدنی بود درست شد"
NOT_REPAIRED = "؛ چیزی تغییر داده نشد (--no-repair)"


def cmd_check(args) -> int:
    from saderat.text import to_persian_digits
    from saderat.web.imports.integrity import warehouse_check

    report = warehouse_check(deep=not args.quick, repair=not args.no_repair)
    if args.json:
        json.dump(report.as_dict(), sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    elif report.ok:
        print(to_persian_digits(ALL_WELL.format(batches=report.batches_checked, folders=report.folders_seen)))
    else:
        for f in report.findings:
            print(f"[{f.kind}] {f.message}")
        print(
            FOUND.format(
                n=to_persian_digits(len(report.findings)),
                repaired=REPAIRED if report.repair else NOT_REPAIRED,
            )
        )
    return 0 if report.ok else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``check [--json] [--no-repair] [--quick]`` to the ``saderat`` command."""
    p = subparsers.add_parser("check", help=HELP, description=HELP)
    p.add_argument(
        "--json",
        action="store_true",
        help="{ok, deep, repair, batches_checked, folders_seen, fingerprints_recorded, "
        "findings: [{kind, batch, file, message, reason, action}]}",
    )
    p.add_argument(
        "--no-repair", action="store_true", help="report only: quarantine, move or reactivate nothing"
    )
    p.add_argument(
        "--quick",
        action="store_true",
        help="size and Parquet footer only (no SHA-256, no full read): fast, but misses same-size damage",
    )
    p.set_defaults(func=cmd_check)
