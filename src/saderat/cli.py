"""The ``saderat`` command: set-up, demo, imports and statistics (``--json`` for scripting). Thin: it parses
arguments and calls the same services and selectors as the web pages."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from pathlib import Path

#: Help of every --region: the same defaults and names as the pages and the API (saderat.web.common.params).
REGION_HELP = "a province's code or name, or 'national'; default: SADERAT_PROVINCE"
#: The languages the command line speaks (``--lang``).
LANGUAGES = ("fa", "en")
BASIS_HELP = "customs (default) or origin"


def _django(settings: str = "saderat.web.config.settings.dev") -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    import django

    django.setup()


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _print_rows(args, rows: list[dict], line) -> int:
    """``rows`` as JSON with ``--json``, else one ``line(row)`` each."""
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(line(r))
    return 0


# -- set-up ---------------------------------------------------------------------------------------------------
def cmd_setup(args) -> int:
    """Create/upgrade the workspace database, load reference tables, seed agencies (idempotent)."""
    from django.core.management import call_command

    from saderat.web.accounts.services import agencies_seed_default
    from saderat.web.imports.services import imports_recover
    from saderat.web.reference.services import reference_load_all

    call_command("migrate", interactive=False, verbosity=0)
    counts = reference_load_all()
    agencies_seed_default()
    recovered = imports_recover()
    if not args.quiet:
        print("workspace ready:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    for batch_id in recovered["reaped"]:
        print(
            f"دسته {batch_id}: فرایند ورود آن متوقف شده بود؛ «ناموفق» ثبت شد. (batch {batch_id} failed: its process had stopped)"
        )
    for finding in recovered["check"].findings:
        print(finding.message)
    return 0


def cmd_demo(args) -> int:
    """Set up, import the shipped real IRICA series (1371-1393, 1402), print the demo login, serve."""
    from django.conf import settings

    from saderat.web.accounts.services import demo_admin_ensure
    from saderat.web.demo import build_demo

    args.quiet = True
    cmd_setup(args)
    build_demo()
    from saderat.web.common.materialise import materialise

    materialise(languages=("fa",))  # the worker adds English in the background

    user, password = demo_admin_ensure(password_file=Path(settings.SADERAT_HOME) / "demo-admin-password.txt")
    print()
    print(f"  Saderat demo: http://{args.host}:{args.port}/")
    print(f"  login: {user.username}   password: {password}")
    print(f"  (data directory: {settings.SADERAT_HOME})")
    print()
    if args.no_serve:
        return 0
    from django.core.management import call_command

    from saderat.web.imports.cli import SupervisedWorker

    print("  import worker: started with the server (saderat worker)")
    worker = SupervisedWorker().start()
    try:
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    finally:
        worker.stop()
    return 0


def cmd_set_password(args) -> int:
    from django.core.exceptions import ValidationError

    from saderat.web.accounts.models import User
    from saderat.web.accounts.services import password_generate, password_set

    user = User.objects.get(username=args.username)
    password = args.password or password_generate()
    try:
        password_set(user, password)
    except ValidationError as exc:  # weak password: the Persian reasons, nothing changed
        _say_error(" ".join(exc.messages))
        return 1
    print(f"login: {user.username}   password: {password}")
    return 0


def cmd_create_user(args) -> int:
    from django.core.exceptions import ValidationError

    from saderat.web.accounts.services import user_create

    try:
        user = user_create(
            username=args.username, password=args.password, role=args.role, agency_code=args.agency
        )
    except ValidationError as exc:  # weak password (or an invalid user): the Persian reasons, nothing saved
        _say_error(" ".join(exc.messages))
        return 1
    print(f"created {user.username} ({user.get_role_display()})")
    return 0


def cmd_serve(args) -> int:
    from django.core.management import call_command

    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0


# -- imports --------------------------------------------------------------------------------------------------
def _in_language(text: object) -> str:
    """A message in the command's language (``saderat --lang en``): Django's messages are translated where
    they are made; the stored Persian messages of imports and the ingest are put into English by their
    catalogue (:func:`saderat.ingest.messages.to_english`)."""
    from django.utils import translation

    from saderat.ingest.messages import to_english

    text = str(text)
    return to_english(text) if translation.get_language() == "en" else text


def _country(code: str | None) -> str:
    """An ISO3 country code as given, or the installation's country (``SADERAT_COUNTRY``)."""
    from django.conf import settings

    return (code or settings.SADERAT_COUNTRY).strip().upper()


def _currency() -> str:
    """The reporting currency of ``value`` (ISO 4217): the region profile's, USD by default."""
    from saderat.web.reference.selectors import reporting_currency

    return reporting_currency()


def _in_currency(rows: list[dict], keys: tuple[str, ...]) -> list[dict]:
    """The ``keys`` of each row, and ``currency``: what ``value`` is in (the stats commands' rows)."""
    currency = _currency()
    return [{**{k: r[k] for k in keys}, "currency": currency} for r in rows]


def _say_error(text: object) -> None:
    print(_in_language(text), file=sys.stderr)


def cmd_import(args) -> int:
    """Import files; exit status 0 only if every file ended active (or was already imported).

    Each file runs as a job in its own bounded child process (the same job as the worker's), so no worker
    or server is needed."""
    from tqdm import tqdm

    from saderat.ingest.readers import ImportFileError
    from saderat.web.imports.jobs import import_run_bounded
    from saderat.web.imports.services import ImportResult, batch_create_queued, rejected_file

    failures = 0
    reports = []
    for name in args.files:
        path = Path(name)
        if not path.is_file():
            print(f"فایل «{name}» پیدا نشد. File not found.", file=sys.stderr)
            failures += 1
            continue
        with tqdm(
            total=100, desc=path.name, unit="%", disable=args.json or not sys.stderr.isatty(), leave=False
        ) as bar:

            def progress(fraction: float, label: str, bar=bar) -> None:
                bar.set_postfix_str(label)
                bar.update(max(0, round(fraction * 100) - bar.n))

            try:
                result = batch_create_queued(
                    path=path,
                    display_name=path.name,
                    flow=args.flow,
                    synthetic=args.synthetic,
                    move=False,
                    enqueue=False,
                    accept_partial=args.accept_partial,
                    allow_overlap=args.allow_overlap,
                    confirm_large_values=args.confirm_large_values,
                    usd_rate=args.usd_rate,
                    rate_source=args.rate_source,
                )
            except ImportFileError as exc:  # a bad rate: nothing recorded, no file is tried
                _say_error(exc)
                return 2
            if not result.duplicate and result.batch.status == "queued":
                result = ImportResult(batch=import_run_bounded(result.batch.pk, progress=progress))
        b = result.batch
        report = {
            "file": path.name,
            "batch": b.pk,
            "status": "duplicate" if result.duplicate else b.status,
            "message": _in_language(b.message),
            "rows_read": b.rows_read,
            "rows_accepted": b.rows_accepted,
            "rows_rejected": b.rows_rejected,
            "years": b.years,
            "total_check": b.total_check,
            "rejected_file": str(rejected_file(b)) if b.rows_rejected else None,
            "notes": list(b.notes or []),
        }
        reports.append(report)
        if not (result.ok or result.duplicate or b.status == "duplicate"):
            failures += 1
        if not args.json:
            print(f"{path.name}: [{report['status']}] {report['message']}")
            if b.total_check:
                tc = b.total_check
                print(
                    f"  sum of lines USD {tc['lines_sum_usd']:,.0f}; file total row USD {tc['file_total_usd']:,.0f};"
                    f" difference {tc['difference_usd']:,.0f} ({tc['difference_pct']:.3f} %)"
                )
            if report["rejected_file"]:
                print(f"  rejected rows: {report['rejected_file']}")
            for note in report["notes"]:
                print(f"  {note}")
    if args.json:
        _print_json(reports)
    return 1 if failures else 0


def cmd_imports_list(args) -> int:
    from saderat.web.imports.selectors import batch_list

    rows = [
        {
            "id": b.pk,
            "file": b.source_name,
            "status": b.status,
            "years": b.years,
            "rows_accepted": b.rows_accepted,
        }
        for b in batch_list()
    ]
    return _print_rows(args, rows, lambda r: f"{r['id']:>5}  {r['status']:<10} {r['file']:<40} {r['years']}")


def cmd_imports_withdraw(args) -> int:
    from saderat.web.imports.models import ImportBatch
    from saderat.web.imports.services import batch_withdraw

    batch = ImportBatch.objects.get(pk=args.batch)
    try:
        batch_withdraw(batch=batch)
    except ValueError as exc:
        _say_error(exc)
        return 1
    print(f"batch {batch.pk} withdrawn")
    return 0


# -- statistics -----------------------------------------------------------------------------------------------
def cmd_stats_overview(args) -> int:
    from saderat.web.common.params import parse_basis, parse_region
    from saderat.web.stats.selectors import export_overview

    data = export_overview(region=parse_region(args.region), year=args.year, basis=parse_basis(args.basis))
    if args.json:
        _print_json(data)
    else:
        for key, value in data.items():
            if key != "sources":
                print(f"{key:<32} {value}")
    return 0


def cmd_stats_customs_offices(args) -> int:
    from saderat.web.stats.selectors import customs_office_league

    rows = customs_office_league(year=args.year)
    keys = ("rank", "office", "code", "province_code", "value", "value_usd", "weight_kg")
    rows = _in_currency(rows[: args.limit or None], keys)
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(
                f"{r['rank']:>4}  {r['office']:<50} {r['code'] or '':<6} {r['province_code'] or '':<3} {r['value']:>16,.0f}"
            )
    return 0


def cmd_stats_series(args) -> int:
    from saderat.web.common.params import parse_basis, parse_region
    from saderat.web.stats.selectors import export_series

    rows = export_series(region=parse_region(args.region), basis=parse_basis(args.basis))
    keys = (
        "year",
        "months",
        "value",
        "value_usd",
        "weight_kg",
        "destinations",
        "tariff_lines",
        "share_of_national",
    )
    rows = _in_currency(rows, keys)

    def line(r):
        value = "—" if r["value"] is None else f"{r['value']:,.0f}"
        return f"{r['year']}  {value:>18}  {'' if r['months'] is None else str(r['months']) + ' months'}"

    return _print_rows(args, rows, line)


def cmd_stats_products(args) -> int:
    from saderat.web.common.params import parse_basis, parse_region
    from saderat.web.stats.selectors import top_products

    rows = top_products(
        region=parse_region(args.region),
        year=args.year,
        level=args.level,
        limit=args.limit,
        basis=parse_basis(args.basis),
    )
    keys = ("code", "label", "value", "value_usd", "weight_kg", "share", "exporters")
    rows = _in_currency(rows, keys)
    return _print_rows(args, rows, lambda r: f"{r['code'] or '—':<10} {r['value']:>18,.0f}  {r['label']}")


def cmd_stats_subregions(args) -> int:
    from saderat.web.common.params import parse_basis, parse_region
    from saderat.web.stats.selectors import subregion_league

    region = parse_region(args.region, national=False)
    rows = subregion_league(region=region, year=args.year, basis=parse_basis(args.basis))
    keys = ("rank", "code", "name", "value", "value_usd", "weight_kg", "share", "exporters")
    rows = _in_currency(rows, keys)
    return _print_rows(
        args, rows, lambda r: f"{r['rank']:>4}  {r['code'] or '—':<10} {r['value']:>18,.0f}  {r['name']}"
    )


def cmd_profile_import(args) -> int:
    """Install a region profile in the data directory and make its regions the workspace's."""
    from django.conf import settings
    from django.core.management import call_command

    from saderat.reference.profile import ProfileError, install_profile
    from saderat.web.reference.services import (
        ProfileConflict,
        check_profile_may_change,
        reference_apply_profile,
    )

    call_command("migrate", interactive=False, verbosity=0)
    try:
        check_profile_may_change()  # before the file is installed: a refused profile changes nothing
        loaded: dict = {}
        # The regions are loaded under the new profile; if that is refused, the old profile is put back.
        profile = install_profile(
            args.file, settings.SADERAT_HOME, then=lambda: loaded.update(reference_apply_profile())
        )
        counts = loaded
    except (ProfileError, ProfileConflict) as exc:
        _say_error(exc)
        return 1
    from saderat.web.accounts.services import agencies_seed_default

    agencies_seed_default()
    return _print_profile(profile, args, counts)


def cmd_profile_show(args) -> int:
    from django.conf import settings

    from saderat.reference.profile import active_profile

    return _print_profile(active_profile(settings.SADERAT_HOME), args)


def _print_profile(profile, args, counts: dict | None = None) -> int:
    if profile is None:
        data = {"name": "Iran (default)", "country": "IRN", "calendar": "jalali", "currency": "USD"}
    else:
        data = {
            "name": profile.name,
            "country": profile.country,
            "calendar": profile.calendar,
            "currency": profile.currency,
            "basis": profile.basis,
            "publisher": profile.publisher_en,
            "regions": list(profile.regions["code"]),
            "subregions": len(profile.subregions),
            "columns": {k: list(v) for k, v in profile.columns.items()},
        }
    if counts is not None:
        data["loaded"] = counts
    if args.json:
        _print_json(data)
    else:
        for key, value in data.items():
            print(f"{key:<12} {value}")
    return 0


def _validation_message(exc) -> str:
    messages = getattr(exc, "message_dict", None)
    if messages:
        return " ".join(m for ms in messages.values() for m in ms)
    return " ".join(getattr(exc, "messages", [str(exc)]))


def cmd_targets_set(args) -> int:
    """Create a target, or revise it (with --reason) when the same scope already has one."""
    from django.core.exceptions import ValidationError

    from saderat.web.common.params import parse_basis, parse_region
    from saderat.web.targets.models import Target
    from saderat.web.targets.services import target_create, target_revise

    region, basis = parse_region(args.region), parse_basis(args.basis)
    scope = {"dimension": args.dimension, "dimension_code": args.code or ""}
    existing = Target.objects.filter(
        year=args.year, region=region, metric=args.metric, basis=basis, **scope
    ).first()
    try:
        if existing:
            revision = target_revise(
                user=None, target=existing, value=args.value, baseline=args.baseline, reason=args.reason or ""
            )
            result = {"id": existing.pk, "revision": revision.pk, "action": "revised"}
        else:
            target = target_create(
                user=None,
                year=args.year,
                metric=args.metric,
                value=args.value,
                region=region,
                basis=basis,
                baseline=args.baseline,
                agency_code=args.agency,
                profile=args.profile,
                note=args.note or "",
                **scope,
            )
            result = {"id": target.pk, "revision": target.current.pk, "action": "created"}
    except ValidationError as exc:
        _say_error(_validation_message(exc))
        return 1
    _print_json(result)
    return 0


def cmd_targets_report(args) -> int:
    import datetime as dt

    from django.core.exceptions import ValidationError

    from saderat.web.common.params import parse_region
    from saderat.web.targets.models import ProgressReport
    from saderat.web.targets.services import report_enter

    try:
        region = parse_region(args.region)
        region = ProgressReport.NATIONAL if region is None else region
        report = report_enter(
            user=None,
            region=region,
            year=args.year,
            months=args.months,
            value_usd=args.value_usd,
            weight_kg=None if args.weight_t is None else args.weight_t * 1000,
            destinations=args.destinations,
            exporters=args.exporters,
            source=args.source,
            reported_on=dt.date.fromisoformat(args.date) if args.date else dt.date.today(),
            replace=args.replace,
            confirm_decrease=args.confirm_decrease,
        )
    except ValueError as exc:
        _say_error(exc)
        return 2
    except ValidationError as exc:
        _say_error(_validation_message(exc))
        return 1
    _print_json(
        {
            "id": report.pk,
            "months": report.months,
            "value_usd": report.value_usd,
            "flagged": report.decrease_confirmed,
        }
    )
    return 0


def cmd_targets_status(args) -> int:
    from saderat.web.targets.selectors import targets_status

    rows = targets_status(year=args.year)
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(
                f"{r['id']:>4} {r['scope']:<30} {r['metric']:<13} {r['status'] or '—':<6} {r['actual_to_date']} / {r['trajectory_to_date']}"
            )
    return 0


def cmd_complexity(args) -> int:
    """The world table: every location's ECI and diversity for a world year."""
    from saderat.web.opportunities.selectors import world_complexity

    try:
        result = world_complexity(args.year)
    except ValueError as exc:
        _say_error(exc)
        return 2
    table = result.location_table()
    rows = [
        {"location": r.location, "eci": float(r.eci), "diversity": int(r.diversity), "coi": float(r.coi)}
        for r in table.itertuples()
    ]
    if args.json:
        _print_json(rows)
    else:
        for r in rows:
            print(f"{r['location']:<4} {r['eci']:>8.3f} {r['diversity']:>5}")
    return 0


def cmd_world_cleaning(args) -> int:
    """What the Atlas's cleaning rules dropped from the world table of a year, and why."""
    from saderat.reference.world import load_clean_world

    try:
        cleaned = load_clean_world(args.year)
    except ValueError as exc:
        _say_error(exc)
        return 2
    dropped = cleaned.dropped.to_dict("records")
    if args.json:
        _print_json({"year": args.year, **cleaned.summary(), "dropped_rows": dropped})
    else:
        summary = cleaned.summary()
        print(
            f"world {args.year}: {summary['locations']} locations, {summary['products']} products kept "
            f"({summary['value_kept_share']:.2%} of exports)"
        )
        for row in dropped:
            print(f"{row['rule']:<20} {row['location']:<4} {row['product']:<5} {row['value']:>18,.0f}")
    return 0


def cmd_opportunities(args) -> int:
    import pandas as pd

    from saderat.web.common.params import BASES, parse_atlas_year, parse_choice, parse_region
    from saderat.web.opportunities.selectors import AGAINST, STRATEGIES, default_basis, opportunities

    region = parse_region(args.region, national=False)
    strategy = parse_choice(args.strategy, "strategy", tuple(STRATEGIES), "low-hanging-fruit")
    against = parse_choice(args.against, "against", AGAINST)
    basis = parse_choice(args.basis, "basis", BASES, default_basis(region))
    pci_year = parse_atlas_year(args.atlas_pci)
    try:
        ranked, position = opportunities(
            region=region,
            year=args.year,
            strategy=strategy,
            limit=args.limit,
            against=against,
            basis=basis,
            pci_year=pci_year,
        )
    except ValueError as exc:
        _say_error(exc)
        return 2
    rows = [
        {
            "hs4": r.hs4,
            "label": r.label,
            "density": float(r.density),
            "pci": float(r.pci),
            "cog": float(r.cog),
            "score": float(r.score),
            "province_rca": float(r.rca),
            "world_exports_usd": float(r.world_exports_usd),
            "national_exports_usd": None
            if pd.isna(r.national_exports_usd)
            else float(r.national_exports_usd),
            "province_exports_usd": float(r.region_exports_usd),
            "basis": position.basis,
            "pci_source": position.pci_source,
        }
        for r in ranked.itertuples()
    ]
    if args.json:
        _print_json(rows)
    else:
        print(
            f"ECI {position.result.eci:.3f} (world {position.world_year}, RCA against the {position.against}, "
            f"{position.basis} basis)"
        )
        for r in rows:
            print(f"{r['hs4']} {r['score']:>7.3f} {r['density']:.3f} {r['pci']:>6.2f} {r['label'][:50]}")
        if len(position.unmapped):
            print(
                f"unmapped: {len(position.unmapped)} codes, USD {position.unmapped['value_usd'].sum():,.0f}"
            )
    return 0


def cmd_potential(args) -> int:
    """Export potential by product x market: the national mode from the imported IRICA data (default), or the
    ITC method for a country from a BACI bilateral file (--baci)."""
    import math

    if args.baci:
        from saderat.analytics.potential import itc_export_potential
        from saderat.ingest.baci import read_baci
        from saderat.reference.world import demand_growth, demand_notes

        try:
            bilateral = read_baci(args.baci, country_codes_path=args.country_codes)
            # --demand latest: demand projected from the file's year to the latest World Bank year shipped
            # (several years are refused by itc_export_potential).
            years = sorted({int(y) for y in bilateral["year"].unique()})
            base_year = years[0] if len(years) == 1 else None
            growth = demand_growth(base_year) if args.demand == "latest" and base_year is not None else None
            frame = itc_export_potential(
                bilateral,
                exporter=_country(args.exporter),
                ease=args.ease,
                gdp_growth=None if growth is None else growth.gdp_growth,
                population_growth=None if growth is None else growth.population_growth,
            )
        except (ValueError, FileNotFoundError) as exc:
            _say_error(exc)
            return 2
        if args.demand == "latest" and base_year is not None:
            frame.attrs["notes"] = demand_notes(frame, base_year, growth)
        notes = frame.attrs.get("notes", "")
    else:
        from saderat.web.common.params import parse_region
        from saderat.web.opportunities.selectors import national_potential

        frame = national_potential(
            region=parse_region(args.region, national=False), year=args.year, hs4=args.hs4
        )
        notes = frame.attrs.get("notes", "")
    sort_key = "untapped" if "untapped" in frame else "untapped_usd"
    frame = frame.sort_values(sort_key, ascending=False).head(args.limit)
    rows = [
        {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]
    if args.json:
        _print_json({"notes": notes, "rows": rows})
    else:
        print(notes)
        for r in rows:
            print(r)
    return 0


def cmd_import_baci(args) -> int:
    """Store a BACI bilateral file (one year or more) in the warehouse, recorded as batches, for the product
    pages' main importers and ITC-mode potential."""
    from saderat.web.reference.services import bilateral_import

    try:
        result = bilateral_import(args.file, country_codes_path=args.country_codes)
    except (ValueError, FileNotFoundError) as exc:
        _say_error(exc)
        return 2
    for b in result.batches:
        if result.duplicate:
            print(f"BACI {b.year}: already stored from this file (batch {b.pk}, {b.source_name})")
        else:
            print(
                f"BACI {b.year}: {b.rows:,} rows, {b.exporters} exporters, USD {b.value_usd:,.0f} (batch {b.pk})"
            )
    return 0


def cmd_manage(args) -> int:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["saderat manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="saderat", description="Saderat (صادرات): export development for provinces"
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        help="the language of messages: fa (Persian) or en (English); default the installation's",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("setup", help="create/upgrade the database and load reference data (idempotent)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_setup)

    p = sub.add_parser("demo", help="set up, import the real IRICA series, print a login and serve")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--no-serve", action="store_true", help="prepare everything but do not start the server")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("serve", help="run the web server (development server; see README for production)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("set-password", help="set (or generate) a user's password")
    p.add_argument("username")
    p.add_argument("--password")
    p.set_defaults(func=cmd_set_password)

    p = sub.add_parser("create-user", help="create a user with a role")
    p.add_argument("username")
    p.add_argument("--password")
    p.add_argument("--role", required=True, choices=["admin", "secretariat", "agency_member", "viewer"])
    p.add_argument("--agency", help="agency code (e.g. customs, standards, imt)")
    p.set_defaults(func=cmd_create_user)

    p = sub.add_parser("import", help="import IRICA annual files or canonical-template files")
    p.add_argument("files", nargs="+")
    p.add_argument("--flow", choices=["export", "import"], default="export")
    p.add_argument(
        "--accept-partial", action="store_true", help="import accepted rows even if some are rejected"
    )
    p.add_argument(
        "--allow-overlap", action="store_true", help="import even if the same years are already in"
    )
    p.add_argument("--synthetic", action="store_true", help="label the batch as synthetic data")
    p.add_argument(
        "--confirm-large-values",
        action="store_true",
        help="accept lines above the plausibility bound (SADERAT_MAX_LINE_USD) after checking them",
    )
    p.add_argument(
        "--usd-rate",
        metavar="RATE",
        help="units of the profile's reporting currency per USD, to store the values in USD too (or, for a "
        "file in USD, in the reporting currency); needs --rate-source",
    )
    p.add_argument("--rate-source", default="", help="where the rate comes from (stored with the batch)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    imports = sub.add_parser(
        "imports", help="list, show, decide on or withdraw import batches"
    ).add_subparsers(dest="action", required=True)
    p = imports.add_parser(
        "list", help="import batches: file, status, years, rows read, accepted and rejected"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_imports_list)
    p = imports.add_parser("withdraw", help="take an active batch out of every figure (kept, audited)")
    p.add_argument("batch", type=int)
    p.set_defaults(func=cmd_imports_withdraw)
    from saderat.web.imports.cli import register_decisions

    register_decisions(imports)  # show, decide: the held batch's page on the command line

    profile = sub.add_parser(
        "profile", help="the region profile: calendar, currency, regions and header names of the statistics"
    ).add_subparsers(dest="action", required=True)
    p = profile.add_parser(
        "import", help="install a region profile (TOML) in a fresh workspace; its regions replace Iran's"
    )
    p.add_argument("file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_profile_import)
    p = profile.add_parser("show", help="the installed region profile (Iran's when none is installed)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_profile_show)

    stats = sub.add_parser("stats", help="export statistics").add_subparsers(dest="action", required=True)

    def region_year_basis(p, *, year: bool = True) -> None:
        """The arguments every per-region statistics command takes."""
        p.add_argument("--region", help=REGION_HELP)
        if year:
            p.add_argument("--year", type=int, required=True)
        p.add_argument("--basis", help=BASIS_HELP)
        p.add_argument("--json", action="store_true")

    p = stats.add_parser("overview", help="headline of a region (SCI code, name, or 'national') for a year")
    region_year_basis(p)
    p.set_defaults(func=cmd_stats_overview)
    p = stats.add_parser("customs-offices", help="national league table of customs offices for a year")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_stats_customs_offices)
    p = stats.add_parser("series", help="a region's exports year by year (incomplete years marked)")
    region_year_basis(p, year=False)
    p.set_defaults(func=cmd_stats_series)
    p = stats.add_parser(
        "products", help="a region's largest products of a year (HS2, HS4, HS6 or tariff line)"
    )
    region_year_basis(p)
    p.add_argument("--level", choices=["hs2", "hs4", "hs6", "tariff_code"], default="hs2")
    p.add_argument("--limit", type=int, default=20)
    p.set_defaults(func=cmd_stats_products)
    p = stats.add_parser(
        "subregions", help="a region's counties (or a profile's sub-regions) by value in a year"
    )
    region_year_basis(p)
    p.set_defaults(func=cmd_stats_subregions)

    targets = sub.add_parser("targets", help="export targets").add_subparsers(dest="action", required=True)
    p = targets.add_parser("set", help="create a target, or revise it (--reason) if the scope has one")
    p.add_argument("--year", type=int, required=True)
    p.add_argument(
        "--metric", required=True, choices=["value_usd", "weight_t", "share_pct", "destinations", "exporters"]
    )
    p.add_argument("--value", type=float, required=True, help="USD, tonnes, percent or a count")
    p.add_argument("--region", help=REGION_HELP)
    p.add_argument(
        "--dimension",
        default="province",
        choices=["province", "county", "section", "chapter", "market", "office"],
    )
    p.add_argument("--code", help="county code, HS section/chapter, ISO3 market or customs office code")
    p.add_argument("--basis", help=BASIS_HELP)
    p.add_argument("--baseline", type=float, help="default: last year's actual from the imported data")
    p.add_argument("--agency", help="responsible agency code (imt, customs, tpo, ...)")
    p.add_argument("--profile", default="seasonal", choices=["seasonal", "province", "linear"])
    p.add_argument("--note")
    p.add_argument("--reason", help="why the target is revised (required for a revision)")
    p.set_defaults(func=cmd_targets_set)
    p = targets.add_parser("report", help="enter a cumulative figure ('8 months: USD 893 M')")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--months", type=int, required=True)
    p.add_argument("--value-usd", type=float, required=True)
    p.add_argument("--weight-t", type=float)
    p.add_argument("--destinations", type=int)
    p.add_argument("--exporters", type=int)
    p.add_argument("--region", help=REGION_HELP + " (the country's figure)")
    p.add_argument("--source", required=True)
    p.add_argument("--date", help="report date, YYYY-MM-DD (Gregorian); default today")
    p.add_argument("--replace", action="store_true", help="replace the current report for these months")
    p.add_argument("--confirm-decrease", action="store_true", help="accept a value below an earlier month's")
    p.set_defaults(func=cmd_targets_report)
    p = targets.add_parser("status", help="trajectory, projection and status of every target of a year")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_targets_status)

    p = sub.add_parser("complexity", help="world economic complexity table for a world year (ECI, diversity)")
    p.add_argument("--year", type=int, default=2017)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_complexity)

    p = sub.add_parser(
        "world-cleaning", help="what the Atlas's cleaning rules dropped from the world table, and why"
    )
    p.add_argument("--year", type=int, default=2017)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_world_cleaning)

    p = sub.add_parser("opportunities", help="a province's export opportunities by Atlas strategy")
    p.add_argument("--region", help=REGION_HELP)
    p.add_argument("--year", type=int, required=True)
    p.add_argument(
        "--basis", help="customs or origin (default: customs where the region has it, else origin)"
    )
    p.add_argument(
        "--atlas-pci",
        metavar="YEAR",
        help="use the Atlas's published PCI of YEAR (1995-2023) instead of the computed one",
    )
    p.add_argument("--strategy", help="low-hanging-fruit (default), balanced or long-jumps")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--against", help="world (default) or nation")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_opportunities)

    p = sub.add_parser(
        "potential", help="export potential by product x market (national mode, or ITC with --baci)"
    )
    p.add_argument("--region", help=REGION_HELP)
    p.add_argument("--year", type=int, help="Jalali year of the imported data (national mode)")
    p.add_argument("--hs4", help="one HS4 heading only")
    p.add_argument("--baci", help="a BACI bilateral file (t,i,j,k,v,q): ITC method for --exporter")
    p.add_argument("--country-codes", help="BACI country codes file, to read exporters as ISO3")
    p.add_argument("--exporter", help="the exporter's ISO3 code; default SADERAT_COUNTRY (IRN)")
    p.add_argument("--ease", choices=["bilateral", "neutral"], default="bilateral")
    p.add_argument(
        "--demand",
        choices=["latest", "current"],
        default="latest",
        help="ITC demand: projected from the BACI year to the latest World Bank GDP and population shipped "
        "(nominal growth; default), or the year's current imports",
    )
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_potential)

    p = sub.add_parser(
        "import-baci", help="store a CEPII BACI bilateral file (world trade) for ITC-mode potential"
    )
    p.add_argument("file")
    p.add_argument("--country-codes", help="BACI country codes file (to store ISO3 codes)")
    p.set_defaults(func=cmd_import_baci)

    from saderat.web.workgroup.cli import register as register_workgroup

    register_workgroup(sub)

    from saderat.web.registry.exporters_cli import register as register_exporters

    register_exporters(sub)

    from saderat.web.imports.cli import register as register_imports

    register_imports(sub)

    from saderat.web.imports.integrity_cli import register as register_integrity

    register_integrity(sub)

    from saderat.web.common.backup_cli import register as register_backup

    register_backup(sub)

    from saderat.web.registry.import_cli import register as register_registry

    register_registry(sub)

    from saderat.web.quality.cli import register as register_quality

    register_quality(sub)

    p = sub.add_parser("manage", help="Django management commands (e.g. createsuperuser, dbshell)")
    p.add_argument("rest", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_manage)
    return parser


def cli_reference(parser: argparse.ArgumentParser | None = None) -> str:
    """Every command of ``saderat`` with its arguments and what it does, one entry per command, in the order
    the parser declares them: the README's reference (``scripts/cli_reference.py`` writes it; a test checks
    that the README says what the parser does)."""
    parser = parser or build_parser()
    entries: list[str] = []

    def walk(node: argparse.ArgumentParser, help_text: str | None) -> None:
        subparsers = [a for a in node._actions if isinstance(a, argparse._SubParsersAction)]
        if subparsers:
            helps = {choice.dest: choice.help for choice in subparsers[0]._choices_actions}
            for name, child in subparsers[0].choices.items():
                walk(child, helps.get(name))
            return
        node.formatter_class = lambda prog: argparse.HelpFormatter(prog, width=10_000)
        usage = " ".join(node.format_usage().removeprefix("usage: ").split()).replace(" [-h]", "")
        entries.append(usage + (f"\n    {' '.join(help_text.split())}" if help_text else ""))

    entries.append(
        "saderat --lang {fa,en} COMMAND ...\n    any command with its messages in Persian or English (default: the "
        "installation's language)"
    )
    walk(parser, None)
    return "\n".join(entries) + "\n"


def main(argv: list[str] | None = None) -> int:
    if argv is None and hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `saderat ... --json | head` ends quietly
    args = build_parser().parse_args(argv)
    _django()
    from django.conf import settings
    from django.utils import translation

    from saderat.web.common.params import BadParameter

    # The command speaks the installation's language, whatever the calling thread had activated before (a
    # test's request in English, an embedding program).
    with translation.override(args.lang or settings.LANGUAGE_CODE):
        try:
            return int(args.func(args) or 0)
        except BadParameter as exc:  # the pages' and the API's message for the same value (common.params)
            _say_error(exc)
            return 2


if __name__ == "__main__":
    sys.exit(main())
