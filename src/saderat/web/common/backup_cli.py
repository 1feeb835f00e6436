"""``saderat backup DEST`` and ``saderat restore SRC [--force]`` (see :mod:`saderat.web.common.backup`).

Registered by :func:`register` on the ``saderat`` command's sub-parsers; thin over the service. Any failure
ends with a non-zero exit status and a message in Persian and English on stderr.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time


def _fail(exc: BaseException, what_fa: str, what_en: str) -> int:
    from saderat.web.common.backup import BackupError

    if isinstance(exc, BackupError):
        print(str(exc), file=sys.stderr)
    else:
        print(f"{what_fa}: {exc}\n{what_en}: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


def _terminate_cleanly() -> None:
    """SIGTERM (e.g. a timeout in cron) unwinds like Ctrl-C, so the partial archive is removed."""

    def handler(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def cmd_backup(args) -> int:
    from saderat.web.common.backup import backup_create, read_manifest

    _terminate_cleanly()
    started = time.monotonic()
    try:
        path = backup_create(args.dest)
        manifest = read_manifest(path)
    except KeyboardInterrupt:
        print(
            "پشتیبان‌گیری متوقف شد؛ فایلی ساخته نشد.\nBackup interrupted; no archive written.", file=sys.stderr
        )
        return 130
    except Exception as exc:
        return _fail(exc, "پشتیبان‌گیری ناموفق بود", "Backup failed")
    seconds = round(time.monotonic() - started, 1)
    size = path.stat().st_size
    summary = {
        "archive": str(path),
        "bytes": size,
        "seconds": seconds,
        "engine": manifest["database"]["engine"],
        "files": len(manifest["files"]),
        "counts": manifest["counts"],
        "active_batches": manifest["active_batches"],
        "skipped": manifest["skipped"],
        "warnings": manifest["warnings"],
    }
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        counts = ", ".join(f"{k} {v}" for k, v in manifest["counts"].items())
        print(f"backup written: {path} ({size / 2**20:.1f} MiB, {len(manifest['files'])} files, {seconds} s)")
        print(f"  {summary['engine']}; {counts}")
    for warning in manifest["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    return 0


def cmd_restore(args) -> int:
    from saderat.web.common.backup import backup_restore

    started = time.monotonic()
    try:
        summary = backup_restore(args.src, force=args.force)
    except KeyboardInterrupt:
        print("بازگردانی متوقف شد.\nRestore interrupted.", file=sys.stderr)
        return 130
    except Exception as exc:
        return _fail(exc, "بازگردانی ناموفق بود", "Restore failed")
    summary["seconds"] = round(time.monotonic() - started, 1)
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    counts = ", ".join(f"{k} {v}" for k, v in summary["counts"].items())
    print(
        f"restored {summary['archive']} (made {summary['created_at']} by Saderat {summary['saderat_version_of_archive']})"
    )
    print(f"  {summary['engine']}: {counts}")
    print(
        f"  {summary['files']} files, {summary['file_bytes'] / 2**20:.1f} MiB (database included); {summary['seconds']} s"
    )
    if summary["migrations_applied"]:
        print(f"  upgraded: {', '.join(summary['migrations_applied'])}")
    if summary["moved_aside"]:
        print(f"  the previous files were moved to {summary['moved_aside']}")
    print(
        "next: `saderat setup` (reference data of this version, interrupted imports), then start the server"
    )
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``backup`` and ``restore`` to the ``saderat`` command."""
    p = subparsers.add_parser(
        "backup",
        help="write one archive of the database, warehouse and files (safe while the server runs)",
        description=(
            "DEST is a file name ending .tar (or .tar.gz), or an existing folder in which "
            "saderat-backup-YYYYmmdd-HHMMSS.tar is written. The secret key and the cache are not included."
        ),
    )
    p.add_argument("dest", help="archive file (.tar, .tar.gz) or existing folder")
    p.add_argument("--json", action="store_true", help="print {archive, bytes, seconds, counts, ...}")
    p.set_defaults(func=cmd_backup)

    p = subparsers.add_parser(
        "restore",
        help="restore an archive into an empty data directory and database, then migrate",
        description=(
            "Every file is checked against the archive's manifest first. The data directory (SADERAT_HOME) "
            "and the database must be empty unless --force."
        ),
    )
    p.add_argument("src", help="archive written by `saderat backup`")
    p.add_argument(
        "--force",
        action="store_true",
        help="replace existing data: files moved to SADERAT_HOME/replaced-<time>/, the database cleared",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_restore)
