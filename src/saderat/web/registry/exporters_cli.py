"""``saderat exporters ...``: exporter dynamics and potential exporters (``--json`` for scripts).

Registered by :func:`register` on the ``saderat`` command's sub-parsers; thin over
:mod:`saderat.web.registry.exporter_stats`, the same data function as the pages and the API. The command is
run by whoever operates the server, who holds the database itself: figures are unsuppressed unless
``--suppress`` asks for the rule applied to roles without firm-level rights (for a table to be published).
"""

from __future__ import annotations

import argparse
import json
import sys


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _region(value: str | None) -> str:
    """A province (the front door's rule, ``SADERAT_PROVINCE`` by default); the CLI's ``main`` prints a
    refusal and exits with code 2."""
    from saderat.web.common.params import parse_region

    return parse_region(value, national=False)


def _sources(years) -> list[dict]:
    from saderat.web.imports.integrity import verified_active_batch_ids
    from saderat.web.imports.models import ImportBatch

    wanted = set(years)
    return [
        {"batch": b.pk, "file": b.source_name, "synthetic": b.is_synthetic}
        for b in ImportBatch.objects.filter(pk__in=verified_active_batch_ids())
        if wanted & set(b.years or [])
    ]


def dynamics_result(*, region: str, year: int | None, by: str | None, basis: str, suppress: bool) -> dict:
    """What ``saderat exporters dynamics --json`` prints (module docstring)."""
    from saderat.web.reference.selectors import reporting_currency
    from saderat.web.registry.exporter_stats import dynamics_table, rule_text

    table = dynamics_table(region=region, basis=basis, by=by, year=year, unsuppressed=not suppress)
    # Values are in the region profile's reporting currency (USD for Iran).
    head = {"region": region, "basis": basis, "flow": "export", "currency": reporting_currency()}
    if suppress:
        head["rule"] = rule_text()
    if year is None:
        sources = _sources(table.years)
        return {
            **head,
            "by": by,
            "rows": table.rows,
            "sources": sources,
            "synthetic": any(s["synthetic"] for s in sources),
        }
    if year not in table.years:
        raise SystemExit(
            f"سال {year} داده اظهارنامه (با شناسه صادرکننده) ندارد؛ سال‌های موجود: {sorted(table.years)}"
        )
    months = table.years[year]
    sources = _sources([year, year - 1])
    period = {
        "year": year,
        "months": months,
        "partial": months < 12,
        # An incomplete year is compared with the same months of the year before.
        "compared_with": {"year": year - 1, "months": months},
        "sources": sources,
        "synthetic": any(s["synthetic"] for s in sources),
    }
    if by is None:
        (row,) = table.rows
        figures = {
            k: v for k, v in row.items() if k not in ("group", "group_name", "year", "months", "partial")
        }
        return {**head, **period, **figures}
    return {**head, **period, "by": by, "groups": table.rows}


def cmd_dynamics(args) -> int:
    """Exporter dynamics of a province: by year, or one year (optionally by county, section or market)."""
    from saderat.text import to_persian_digits
    from saderat.web.common.params import parse_basis

    result = dynamics_result(
        region=_region(args.region),
        year=args.year,
        by=args.by,
        basis=parse_basis(args.basis),
        suppress=args.suppress,
    )
    if args.json:
        _print_json(result)
        return 0

    def cell(v, pct=False):
        if v is None:
            return "—"
        return to_persian_digits(f"{100 * v:.1f}٪" if pct else f"{v:,}".replace(",", "٬"))

    rows = result.get("groups") or result.get("rows") or [result]
    for r in rows:
        label = r.get("group_name") or r.get("group") or to_persian_digits(r["year"])
        print(
            f"{label}: صادرکنندگان {cell(r['exporters'])}، تازه‌وارد {cell(r['entrants'])}، خارج‌شده "
            f"{cell(r['exiters'])}، ماندگار {cell(r['incumbents'])}، نرخ ورود {cell(r['entry_rate'], True)}، "
            f"نرخ خروج {cell(r['exit_rate'], True)}، سهم ۵٪ بزرگ‌ترین {cell(r['top5_share'], True)}"
        )
    if result.get("partial"):
        m, y = to_persian_digits(result["months"]), to_persian_digits(result["year"])
        print(f"سال {y} ناقص است: {m} ماه نخست با همان ماه‌های سال پیش مقایسه شده است.")
    if result.get("synthetic"):
        print("داده ساختگی (نمایشی).")
    return 0


def cmd_potential(args) -> int:
    """Potential exporters: active units with export potential whose firms export nothing."""
    from saderat.text import to_persian_digits
    from saderat.web.registry.exporter_stats import potential_data

    data = potential_data(region=_region(args.region), year=args.year, limit=args.limit)
    if args.json:
        keys = (
            "rank",
            "firm_id",
            "firm_name",
            "unit_id",
            "unit_name",
            "licence_number",
            "county",
            "employees",
            "hs4",
            "hs4_label",
            "via_isic",
            "score",
            "rca",
            "density",
            "reasons",
            "is_synthetic",
        )
        out = {k: data[k] for k in ("region", "year", "world_year", "latest", "units_considered")}
        out["rows"] = [{k: r[k] for k in keys} for r in data["rows"]]
        _print_json(out)
        return 0
    if not data["rows"]:
        print("صادرکننده بالقوه‌ای پیدا نشد.")
        return 0
    for r in data["rows"]:
        print(
            to_persian_digits(
                f"{r['rank']:>3}. {r['firm_name']} — {r['unit_name']} — HS {r['hs4']} — امتیاز {r['score']}"
            )
        )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``exporters dynamics|potential`` to the ``saderat`` command."""
    exporters = subparsers.add_parser(
        "exporters", help="exporters: dynamics (entry, exit, survival, concentration), potential exporters"
    ).add_subparsers(dest="action", required=True)
    p = exporters.add_parser("dynamics", help="exporter dynamics of a province from declaration-level data")
    p.add_argument("--region", help="a province's code or name; default: SADERAT_PROVINCE")
    p.add_argument(
        "--year",
        type=int,
        help="one year of the statistics (Jalali in Iran; default: every year with declaration data)",
    )
    p.add_argument("--by", choices=["county", "section", "market"], help="breakdown of the year")
    p.add_argument("--basis", help="customs (default) or origin")
    p.add_argument(
        "--suppress", action="store_true", help="apply the confidentiality rule (cells on < 3 exporters)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="{region, year, months, partial, exporters, entrants, exiters, incumbents, entry_rate, exit_rate, "
        "survival_1y, top5_share, hhi, ...}",
    )
    p.set_defaults(func=cmd_dynamics)
    p = exporters.add_parser("potential", help="potential exporters: units with export potential, no exports")
    p.add_argument("--region", help="a province's code or name; default: SADERAT_PROVINCE")
    p.add_argument(
        "--year", type=int, help="year of the province's exports that ranks products (default: latest)"
    )
    p.add_argument("--limit", type=int, default=100)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_potential)
