"""``saderat workgroup ...``: the overdue list (``--json`` for scripts) and the daily reminders.

Registered by :func:`register` on the ``saderat`` command's sub-parsers; thin over the selectors and services.
"""

from __future__ import annotations

import argparse
import json
import sys


def cmd_overdue(args) -> int:
    """Open resolutions past their deadline in force, most overdue first."""
    from saderat.text import to_persian_digits
    from saderat.web.workgroup.selectors import overdue

    rows = overdue(agency=args.agency)
    if args.json:
        keys = (
            "id",
            "code",
            "session",
            "agency",
            "agency_name",
            "deadline",
            "deadline_jalali",
            "days_overdue",
            "status",
            "percent_done",
        )
        json.dump([{k: r[k] for k in keys} for r in rows], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if not rows:
        print("مصوبه گذشته از مهلتی نیست.")
        return 0
    for r in rows:
        print(
            to_persian_digits(
                f"مصوبه {r['code']:<7} {r['agency_name']} — مهلت {r['deadline_jalali']} — "
                f"{r['days_overdue']} روز گذشته — {r['percent_done']}٪ — {r['text'][:60]}"
            )
        )
    print(to_persian_digits(f"جمع: {len(rows)} مصوبه گذشته از مهلت"))
    return 0


def cmd_remind(args) -> int:
    """Notify each responsible agency of its overdue resolutions and those due within a week (once a day)."""
    from saderat.web.workgroup.services import overdue_reminders_send

    made = overdue_reminders_send()
    print(f"notifications: {made}")
    return 0


def cmd_demo(args) -> int:
    from saderat.web.workgroup.demo import create_demo_history

    result = create_demo_history(region=args.region)
    print(json.dumps(result, ensure_ascii=False))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``workgroup overdue|remind|demo`` to the ``saderat`` command."""
    workgroup = subparsers.add_parser(
        "workgroup", help="working group: overdue resolutions, reminders"
    ).add_subparsers(dest="action", required=True)
    p = workgroup.add_parser("overdue", help="open resolutions past their deadline (Jalali dates in text)")
    p.add_argument("--agency", help="only this responsible agency (code, e.g. customs)")
    p.add_argument(
        "--json",
        action="store_true",
        help="[{id, session, agency, deadline (ISO), deadline_jalali, days_overdue, status, ...}]",
    )
    p.set_defaults(func=cmd_overdue)
    p = workgroup.add_parser("remind", help="notify agencies of overdue and due-soon resolutions (daily job)")
    p.set_defaults(func=cmd_remind)
    p = workgroup.add_parser("demo", help="create the synthetic demo history of sessions and resolutions")
    p.add_argument("--region", default="00")
    p.set_defaults(func=cmd_demo)
