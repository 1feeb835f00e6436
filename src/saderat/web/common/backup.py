"""Backup and restore of a Saderat installation as ONE archive file (``saderat backup`` / ``saderat restore``).

The archive is a tar file (``.tar``; ``.tar.gz``/``.tgz`` when asked for by the name) holding::

    database/saderat.sqlite3            SQLite: a consistent copy made with SQLite's online backup API
    database/saderat.pgdump             PostgreSQL: ``pg_dump --format=custom``
    warehouse/facts/batch=<id>/...      the Parquet files of the batches ACTIVE in that database copy
    warehouse/bilateral/year=<y>/...    the world bilateral (BACI) data
    warehouse/notifications/batch=<id>/...  foreign notifications (RASFF, FDA) of the files ACTIVE in the copy
    imports/<id>/...                    source and rejected-rows files of the batches in the database copy
    evidence/YYYY-MM/...                evidence files and certificate scans referenced in the database copy
    uploads/...                         anything under MEDIA_ROOT
    manifest.json                       (last) size and SHA-256 of every file above, versions, counts

It can be taken while the server runs and while an import is being written: the database copy is taken
FIRST (one read transaction; on PostgreSQL, pg_dump runs on a snapshot exported by the same transaction in
which the batches and counts are read), and the files are chosen from what that copy records, so a batch
that becomes active after the copy is consistently left out. Warehouse partitions are immutable once
renamed into place, so the files read afterwards are the files the copy refers to; a partition withdrawn
in between is detected and the whole backup is taken again.

Not included: the secret key (an archive that carries it would let whoever holds a copy sign session
cookies and password-reset links for the restored site; passwords are hashed independently of it, so
logins survive and only open sessions end) and the cache folder (figures recomputed on demand).

The archive is written to ``<name>.partial`` and renamed into place only when complete, so a failed or
interrupted backup never leaves a half-written archive under the final name.

``restore`` checks every member against the manifest before touching anything, refuses a data directory
that already holds data unless ``force`` (which moves the existing files aside and clears the database),
restores the database, the warehouse and the files, and runs the migrations (an older archive upgrades).
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.conf import settings

__all__ = [
    "BackupError",
    "backup_create",
    "backup_restore",
    "read_manifest",
    "verify_archive",
    "find_pg_tool",
]

FORMAT = "saderat-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/saderat.sqlite3"
PGDUMP_MEMBER = "database/saderat.pgdump"
CHUNK = 1024 * 1024
ATTEMPTS = 3

EXCLUDED = {
    "secret_key": (
        "not archived: whoever holds a copy of the archive could sign session cookies and password-reset "
        "links with it; set SADERAT_SECRET_KEY or copy the file yourself to keep it"
    ),
    "cache/": "not archived: computed figures, recomputed on demand",
    "warehouse/figures/": "not archived: materialised figures, computed again from the restored data",
    "static/": "not archived: collected static files, rebuilt by `saderat manage collectstatic`",
}

# A member name: one of the known roots, no empty, '.' or '..' part, no absolute path.
_SAFE_PART = r"[^/\x00]+"
_MEMBER_RE = re.compile(
    r"^(database/saderat\.(sqlite3|pgdump)"
    r"|warehouse/facts/batch=\d+/"
    + _SAFE_PART
    + r"|warehouse/bilateral/year=\d+/"
    + _SAFE_PART
    + r"|warehouse/notifications/batch=\d+/"
    + _SAFE_PART
    + r"|imports/\d+/"
    + _SAFE_PART
    + r"|evidence/("
    + _SAFE_PART
    + r"/)*"
    + _SAFE_PART
    + r"|uploads/("
    + _SAFE_PART
    + r"/)*"
    + _SAFE_PART
    + r")$"
)


class BackupError(RuntimeError):
    """A backup or restore cannot proceed; ``str(exc)`` is the message in Persian, then English."""

    def __init__(self, fa: str, en: str):
        self.fa, self.en = fa, en
        super().__init__(f"{fa}\n{en}")


class _Vanished(Exception):
    """A file the database copy refers to disappeared before it was read (withdrawn meanwhile): retry."""


# -- small helpers ---------------------------------------------------------------------------------------------
def _version() -> str:
    try:
        return metadata.version("saderat")
    except metadata.PackageNotFoundError:
        return "unknown"


def _engine() -> str:
    vendor = settings.DATABASES["default"]["ENGINE"]
    if vendor.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in vendor:
        return "postgresql"
    raise BackupError(
        f"پایگاه داده «{vendor}» پشتیبانی نمی‌شود؛ فقط SQLite و PostgreSQL.",
        f"Database engine {vendor!r} is not supported; only SQLite and PostgreSQL.",
    )


def _home() -> Path:
    return Path(settings.SADERAT_HOME)


def _roots() -> dict[str, Path]:
    """Where each top-level folder of the archive lives in this installation."""
    from saderat.web.workgroup.uploads import evidence_root

    return {
        "warehouse": Path(settings.SADERAT_WAREHOUSE_DIR),
        "imports": _home() / "imports",
        "evidence": evidence_root(),
        "uploads": Path(settings.MEDIA_ROOT),
    }


def _sqlite_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def _is_temporary(name: str) -> bool:
    return name.startswith(".") or name.endswith((".part", ".partial", ".tmp"))


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _HashingReader:
    """Reads ``size`` bytes of ``fh`` for tarfile, hashing them on the way."""

    def __init__(self, fh, size: int):
        self.fh, self.left, self.digest = fh, size, hashlib.sha256()

    def read(self, n: int = -1) -> bytes:
        if n < 0 or n > self.left:
            n = self.left
        data = self.fh.read(n)
        self.left -= len(data)
        self.digest.update(data)
        return data


# -- PostgreSQL client programs ------------------------------------------------------------------------------------
def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else None


def _tool_candidates(name: str) -> list[str]:
    found: list[str] = []
    bindir = os.environ.get("SADERAT_PG_BINDIR", "").strip()
    if bindir:
        found.append(str(Path(bindir) / name))
    on_path = shutil.which(name)
    if on_path:
        found.append(on_path)

    def version_key(p: str) -> tuple:
        return tuple(int(x) for x in re.findall(r"\d+", p)) or (0,)

    for pattern in (
        "/usr/lib/postgresql/*/bin/",
        "/usr/pgsql-*/bin/",
        "/opt/homebrew/opt/postgresql@*/bin/",
        "/usr/local/opt/postgresql@*/bin/",
        "/Applications/Postgres.app/Contents/Versions/*/bin/",
    ):
        found.extend(sorted(glob.glob(pattern + name), key=version_key, reverse=True))
    found.append("/usr/local/pgsql/bin/" + name)
    unique = []
    for p in found:
        if p not in unique and os.path.isfile(p) and os.access(p, os.X_OK):
            unique.append(p)
    return unique


def find_pg_tool(name: str, server_major: int | None = None) -> str:
    """The path of ``pg_dump``/``pg_restore``, at least as new as the server; else a clear error."""
    candidates = _tool_candidates(name)
    seen = []
    for path in candidates:
        major = _tool_major(path)
        seen.append(f"{path} ({major})")
        if major is not None and (server_major is None or major >= server_major):
            return path
    need = f" (version {server_major} or newer)" if server_major else ""
    need_fa = f" (نسخه {server_major} یا تازه‌تر)" if server_major else ""
    looked = "; found: " + ", ".join(seen) if seen else ""
    raise BackupError(
        f"برنامه «{name}»{need_fa} پیدا نشد. بسته postgresql-client را نصب کنید یا پوشه آن را در "
        "SADERAT_PG_BINDIR بگذارید.",
        f"{name}{need} not found (looked in SADERAT_PG_BINDIR, PATH, /usr/lib/postgresql/*/bin and the "
        f"usual places{looked}). Install the PostgreSQL client programs (e.g. postgresql-client-"
        f"{server_major or 15}) or set SADERAT_PG_BINDIR.",
    )


def _pg_env() -> dict[str, str]:
    """Connection settings for the client programs, as libpq environment variables (no password on the
    command line)."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    env["PGDATABASE"] = str(db["NAME"])
    options = db.get("OPTIONS") or {}
    for key, var in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("options", "PGOPTIONS"),
    ):
        if options.get(key):
            env[var] = str(options[key])
    return env


def _run_pg(args: list[str], what: str) -> None:
    proc = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip()[-2000:]
        raise BackupError(
            f"اجرای {what} ناموفق بود (کد {proc.returncode}): {detail}",
            f"{what} failed (exit status {proc.returncode}): {detail}",
        )


# -- what the database copy holds ---------------------------------------------------------------------------------
def _read_state(query) -> dict:
    """Batches, attachments, migration state and counts, read from the database copy through ``query(sql)``
    (a list of rows); table names come from the models."""
    from saderat.web.accounts.models import User
    from saderat.web.imports.models import ImportBatch
    from saderat.web.quality.models import CertificateScan, NotificationBatch
    from saderat.web.targets.models import Target
    from saderat.web.workgroup.models import Attachment, Resolution, Session

    def table(model) -> str:
        return '"' + model._meta.db_table.replace('"', '""') + '"'

    batches = [
        (int(i), s, int(n or 0))
        for i, s, n in query(f"SELECT id, status, size_bytes FROM {table(ImportBatch)}")
    ]
    latest: dict[str, str] = {}
    for app, name in query("SELECT app, name FROM django_migrations ORDER BY id"):
        latest[app] = name
    counts = {
        "users": query(f"SELECT COUNT(*) FROM {table(User)}")[0][0],
        "batches": len(batches),
        "active_batches": sum(1 for _, s, _ in batches if s == ImportBatch.Status.ACTIVE),
        "targets": query(f"SELECT COUNT(*) FROM {table(Target)}")[0][0],
        "sessions": query(f"SELECT COUNT(*) FROM {table(Session)}")[0][0],
        "resolutions": query(f"SELECT COUNT(*) FROM {table(Resolution)}")[0][0],
        "attachments": query(f"SELECT COUNT(*) FROM {table(Attachment)}")[0][0],
    }
    return {
        "batches": batches,
        "active": sorted(i for i, s, _ in batches if s == ImportBatch.Status.ACTIVE),
        "unfinished": {
            i for i, s, _ in batches if s in (ImportBatch.Status.RUNNING, ImportBatch.Status.QUEUED)
        },
        "evidence": sorted(
            row[0]
            for model in (Attachment, CertificateScan)
            for row in query(f"SELECT stored_name FROM {table(model)}")
        ),
        "notifications_active": sorted(
            int(row[0])
            for row in query(
                f"SELECT id FROM {table(NotificationBatch)} WHERE status = '{NotificationBatch.Status.ACTIVE}'"
            )
        ),
        "migrations": dict(sorted(latest.items())),
        "counts": {k: int(v) for k, v in counts.items()},
    }


@dataclass
class _Snapshot:
    db_file: Path
    db_member: str
    state: dict
    server_version: str | None = None
    warnings: list[str] = field(default_factory=list)


def _not_set_up(exc: Exception) -> BackupError:
    return BackupError(
        f"پایگاه داده آماده نیست (نخست «saderat setup» را اجرا کنید): {exc}",
        f"The workspace database is not set up (run `saderat setup` first): {exc}",
    )


def _snapshot_sqlite(workdir: Path) -> _Snapshot:
    source_path = _sqlite_path()
    if not source_path.is_file() or source_path.stat().st_size == 0:
        raise BackupError(
            f"پایگاه داده «{source_path}» وجود ندارد؛ چیزی برای پشتیبان‌گیری نیست.",
            f"There is no database at {source_path}: nothing to back up.",
        )
    copy_path = workdir / "saderat.sqlite3"
    source = sqlite3.connect(source_path, timeout=60)
    try:
        target = sqlite3.connect(copy_path)
        try:
            # One step (all pages under one read transaction): a consistent copy including what is still in
            # the WAL; a writer meanwhile is not blocked (WAL) and what it commits later is not in the copy.
            source.backup(target)
            target.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
            check = target.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise BackupError(
                    f"بررسی درستی نسخه پایگاه داده ناموفق بود: {check[:5]}",
                    f"The database copy failed SQLite's integrity check: {check[:5]}",
                )
            try:
                state = _read_state(lambda sql: target.execute(sql).fetchall())
            except sqlite3.DatabaseError as exc:
                raise _not_set_up(exc) from exc
        finally:
            target.close()
    finally:
        source.close()
    return _Snapshot(
        db_file=copy_path, db_member=SQLITE_MEMBER, state=state, server_version=sqlite3.sqlite_version
    )


def _snapshot_postgresql(workdir: Path) -> _Snapshot:
    from django.db import DatabaseError, connection, transaction

    connection.ensure_connection()
    major = connection.pg_version // 10000
    pg_dump = find_pg_tool("pg_dump", major)
    dump_path = workdir / "saderat.pgdump"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot_id = cursor.fetchone()[0]

        def query(sql):
            cursor.execute(sql)
            return cursor.fetchall()

        try:
            state = _read_state(query)
        except DatabaseError as exc:
            raise _not_set_up(exc) from exc
        # pg_dump reads the very snapshot this transaction holds (kept open until it is done).
        _run_pg(
            [pg_dump, "--format=custom", f"--snapshot={snapshot_id}", "--no-password", f"--file={dump_path}"],
            "pg_dump",
        )
    return _Snapshot(
        db_file=dump_path, db_member=PGDUMP_MEMBER, state=state, server_version=str(connection.pg_version)
    )


# -- backup ---------------------------------------------------------------------------------------------------
def _destination(dest: Path) -> tuple[Path, str]:
    """(final archive path, tarfile write mode)."""
    from django.utils import timezone

    text = str(dest)
    if dest.is_dir() or text.endswith(("/", os.sep)):
        if not dest.is_dir():
            raise BackupError(
                f"پوشه «{dest}» وجود ندارد.",
                f"Folder {dest} does not exist.",
            )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        final = dest / f"saderat-backup-{stamp}.tar"
        n = 1
        while final.exists() or final.with_name(final.name + ".partial").exists():
            n += 1
            final = dest / f"saderat-backup-{stamp}-{n}.tar"
        return final.resolve(), "w"
    lower = dest.name.lower()
    if lower.endswith(".tar"):
        mode = "w"
    elif lower.endswith((".tar.gz", ".tgz")):
        mode = "w:gz"
    else:
        raise BackupError(
            f"مقصد «{dest}» باید پوشه‌ای موجود یا نام فایلی با پسوند ‎.tar (یا ‎.tar.gz) باشد.",
            f"DEST {dest} must be an existing folder or a file name ending .tar (or .tar.gz).",
        )
    if dest.exists():
        raise BackupError(
            f"فایل «{dest}» از پیش وجود دارد؛ آن را بازنویسی نمی‌کنم. نام دیگری یا یک پوشه بدهید.",
            f"{dest} already exists; it is not overwritten. Give another name, or a folder.",
        )
    if not dest.parent.is_dir():
        raise BackupError(
            f"پوشه «{dest.parent}» وجود ندارد.",
            f"Folder {dest.parent} does not exist.",
        )
    return dest.resolve(), mode


def _add_file(tar: tarfile.TarFile, name: str, path: Path, entries: list) -> None:
    """Add ``path`` as member ``name``, hashing while writing; FileNotFoundError if it is gone."""
    with open(path, "rb") as fh:
        st = os.fstat(fh.fileno())
        info = tarfile.TarInfo(name)
        info.size = st.st_size
        info.mtime = int(st.st_mtime)
        info.mode = 0o600 if name.startswith("database/") else 0o640
        reader = _HashingReader(fh, st.st_size)
        tar.addfile(info, reader)
        if reader.left:
            raise OSError(f"{path} shrank while being read")
    entries.append({"path": name, "size": st.st_size, "sha256": reader.digest.hexdigest()})


def _walk(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        files.extend(Path(dirpath) / f for f in sorted(filenames) if not _is_temporary(f))
    return files


def _write_archive(partial: Path, mode: str, snap: _Snapshot) -> dict:
    roots = _roots()
    state = snap.state
    entries: list[dict] = []
    skipped: list[dict] = []
    # The archive holds password hashes and everything else: readable by its owner only.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(partial, 0o600)
    with tarfile.open(partial, mode, format=tarfile.PAX_FORMAT) as tar:
        _add_file(tar, snap.db_member, snap.db_file, entries)

        facts = roots["warehouse"] / "facts"
        for batch_id in state["active"]:
            folder = facts / f"batch={batch_id}"
            files = [p for p in sorted(folder.glob("*")) if p.is_file() and not _is_temporary(p.name)]
            if not files:
                if not folder.exists():
                    raise _Vanished(f"batch={batch_id}")
                snap.warnings.append(f"warehouse folder of active batch {batch_id} is empty")
            for path in files:
                try:
                    _add_file(tar, f"warehouse/facts/batch={batch_id}/{path.name}", path, entries)
                except FileNotFoundError as exc:
                    raise _Vanished(str(path)) from exc

        notifications = roots["warehouse"] / "notifications"
        for batch_id in state["notifications_active"]:
            folder = notifications / f"batch={batch_id}"
            files = [p for p in sorted(folder.glob("*")) if p.is_file() and not _is_temporary(p.name)]
            if not files and not folder.exists():
                raise _Vanished(f"notifications/batch={batch_id}")
            for path in files:
                try:
                    _add_file(tar, f"warehouse/notifications/batch={batch_id}/{path.name}", path, entries)
                except FileNotFoundError as exc:
                    raise _Vanished(str(path)) from exc

        bilateral = roots["warehouse"] / "bilateral"
        for path in _walk(bilateral):
            rel = path.relative_to(bilateral).as_posix()
            try:
                _add_file(tar, f"warehouse/bilateral/{rel}", path, entries)
            except FileNotFoundError as exc:  # a year replaced meanwhile
                raise _Vanished(str(path)) from exc

        for batch_id, _status, size_bytes in sorted(state["batches"]):
            folder = roots["imports"] / str(batch_id)
            for path in _walk(folder):
                if path.parent != folder:
                    continue
                try:
                    if batch_id in state["unfinished"] and not (
                        path.name.startswith("source") and path.stat().st_size == size_bytes
                    ):
                        # Being written by an import queued or running at the time of the copy: its source
                        # may be incomplete and its rejected rows are not final.
                        skipped.append(
                            {"path": f"imports/{batch_id}/{path.name}", "reason": "import running"}
                        )
                        continue
                    _add_file(tar, f"imports/{batch_id}/{path.name}", path, entries)
                except FileNotFoundError:  # removed by the retention clean-up meanwhile
                    skipped.append({"path": f"imports/{batch_id}/{path.name}", "reason": "removed meanwhile"})

        for stored_name in state["evidence"]:
            path = roots["evidence"] / stored_name
            name = f"evidence/{stored_name}"
            if not _MEMBER_RE.match(name) or ".." in Path(stored_name).parts:
                snap.warnings.append(f"attachment with an unsafe stored name skipped: {stored_name!r}")
                continue
            try:
                _add_file(tar, name, path, entries)
            except FileNotFoundError:
                skipped.append({"path": name, "reason": "missing on disk"})
                snap.warnings.append(f"evidence file {path} referenced by an attachment is missing")

        for path in _walk(roots["uploads"]):
            rel = path.relative_to(roots["uploads"]).as_posix()
            try:
                _add_file(tar, f"uploads/{rel}", path, entries)
            except FileNotFoundError:
                skipped.append({"path": f"uploads/{rel}", "reason": "removed meanwhile"})

        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "saderat_version": _version(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "source_home": str(_home()),
            "database": {
                "engine": _engine(),
                "file": snap.db_member,
                "server_version": snap.server_version,
            },
            "migrations": state["migrations"],
            "counts": state["counts"],
            "active_batches": state["active"],
            "files": entries,
            "skipped": skipped,
            "warnings": snap.warnings,
            "excluded": EXCLUDED,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(dt.datetime.now().timestamp())
        info.mode = 0o640
        tar.addfile(info, io.BytesIO(data))
    with open(partial, "rb+") as fh:
        os.fsync(fh.fileno())
    return manifest


def backup_create(dest: Path | str) -> Path:
    """Write one archive (see the module docstring) at ``dest`` — a ``.tar``/``.tar.gz`` file name, or an
    existing folder in which ``saderat-backup-YYYYmmdd-HHMMSS.tar`` is written. Returns its path."""
    final, mode = _destination(Path(dest).expanduser())
    partial = final.with_name(final.name + ".partial")
    workdir = Path(tempfile.mkdtemp(prefix=".saderat-backup-", dir=final.parent))
    try:
        for attempt in range(1, ATTEMPTS + 1):
            snap = _snapshot_sqlite(workdir) if _engine() == "sqlite" else _snapshot_postgresql(workdir)
            try:
                _write_archive(partial, mode, snap)
                break
            except _Vanished as exc:
                partial.unlink(missing_ok=True)
                snap.db_file.unlink(missing_ok=True)
                if attempt == ATTEMPTS:
                    raise BackupError(
                        f"داده‌ها در حین پشتیبان‌گیری {ATTEMPTS} بار تغییر کرد ({exc})؛ دوباره تلاش کنید.",
                        f"The data changed during the backup {ATTEMPTS} times ({exc}); try again.",
                    ) from exc
        if final.exists():
            raise BackupError(f"فایل «{final}» در این فاصله ساخته شد.", f"{final} appeared meanwhile.")
        os.replace(partial, final)
        _fsync_dir(final.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return final


# -- verification ---------------------------------------------------------------------------------------------
def _open_archive(src: Path) -> tarfile.TarFile:
    if not src.is_file():
        raise BackupError(f"فایل پشتیبان «{src}» پیدا نشد.", f"Backup archive {src} not found.")
    try:
        return tarfile.open(src, "r:*")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(
            f"فایل «{src}» بایگانی پشتیبان خوانایی نیست: {exc}",
            f"{src} is not a readable backup archive: {exc}",
        ) from exc


def _corrupt(name: str, why_fa: str, why_en: str) -> BackupError:
    return BackupError(
        f"بایگانی پشتیبان خراب است: «{name}» {why_fa}. چیزی تغییر نکرد.",
        f"The backup archive is corrupt: {name} {why_en}. Nothing was changed.",
    )


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.loads(tar.extractfile(member).read().decode("utf-8"))
    except KeyError as exc:
        raise _corrupt(MANIFEST, "ندارد", "is missing") from exc
    except (ValueError, tarfile.TarError, OSError, EOFError) as exc:
        raise _corrupt(MANIFEST, f"خوانا نیست ({exc})", f"cannot be read ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _corrupt(MANIFEST, "فهرست پشتیبان صادرات نیست", "is not a Saderat backup manifest")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"نسخه قالب پشتیبان ({manifest.get('format_version')}) را این نسخه صادرات نمی‌شناسد.",
            f"Backup format version {manifest.get('format_version')} is not known to this Saderat version.",
        )
    return manifest


def read_manifest(src: Path | str) -> dict:
    """The manifest of an archive (not verified: see :func:`verify_archive`)."""
    with _open_archive(Path(src)) as tar:
        return _read_manifest(tar)


def verify_archive(src: Path | str) -> dict:
    """Check every member against the manifest (size, SHA-256, safe name, nothing missing or extra).
    Returns the manifest; raises :class:`BackupError` naming the first bad file."""
    src = Path(src)
    with _open_archive(src) as tar:
        manifest = _read_manifest(tar)
        expected = {}
        for entry in manifest.get("files", []):
            name = entry.get("path", "")
            if not _MEMBER_RE.match(name) or any(p in ("", ".", "..") for p in name.split("/")):
                raise _corrupt(name, "نام نامجاز دارد", "has a name outside the archive's layout")
            expected[name] = entry
        db_member = manifest.get("database", {}).get("file")
        if db_member not in expected:
            raise _corrupt(str(db_member), "در بایگانی نیست", "is not in the archive")
        seen = set()
        try:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                entry = expected.get(member.name)
                if entry is None:
                    raise _corrupt(member.name, "در فهرست نیست", "is not listed in the manifest")
                if not member.isfile():
                    raise _corrupt(member.name, "فایل معمولی نیست", "is not a regular file")
                if member.name in seen:
                    raise _corrupt(member.name, "دوبار آمده است", "appears twice")
                if member.size != entry["size"]:
                    raise _corrupt(
                        member.name,
                        f"اندازه‌اش {member.size} است نه {entry['size']}",
                        f"has size {member.size}, the manifest says {entry['size']}",
                    )
                digest = hashlib.sha256()
                fh = tar.extractfile(member)
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                if digest.hexdigest() != entry["sha256"]:
                    raise _corrupt(
                        member.name,
                        "با چکیده SHA-256 فهرست جور نیست",
                        "does not match its SHA-256 checksum in the manifest",
                    )
                seen.add(member.name)
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
            raise _corrupt(str(src), f"خوانا نیست ({exc})", f"cannot be read ({exc})") from exc
        missing = sorted(set(expected) - seen)
        if missing:
            raise _corrupt(missing[0], "در بایگانی نیست", "is listed in the manifest but not in the archive")
    return manifest


# -- restore --------------------------------------------------------------------------------------------------
def _pg_table_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM information_schema.tables "
            "WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
        )
        return int(cursor.fetchone()[0])


def _sqlite_has_tables(path: Path) -> bool:
    """Whether the SQLite file holds any table, read without leaving -wal/-shm files behind."""
    if not path.exists() or path.stat().st_size == 0:
        return False
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return True  # committed pages not yet copied into the file
    try:
        con = sqlite3.connect(path.resolve().as_uri() + "?immutable=1", uri=True)
        try:
            return bool(con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0])
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return True  # something that is not an empty database


def _existing_data(engine: str) -> list[str]:
    """What in this installation would be overwritten by a restore (empty: the home is empty)."""
    roots = _roots()
    found = []
    if engine == "sqlite":
        path = _sqlite_path()
        if _sqlite_has_tables(path):
            found.append(str(path))
    else:
        from django.db import connection

        try:
            tables = _pg_table_count()
        except Exception as exc:
            raise BackupError(
                f"اتصال به پایگاه داده PostgreSQL «{settings.DATABASES['default']['NAME']}» ممکن نشد: {exc}",
                f"Cannot connect to the PostgreSQL database {settings.DATABASES['default']['NAME']!r}: {exc}",
            ) from exc
        if tables:
            found.append(f"PostgreSQL database {connection.settings_dict['NAME']!r} ({tables} tables)")
    for sub in ("facts", "bilateral", "notifications"):
        folder = roots["warehouse"] / sub
        if folder.is_dir() and any(folder.iterdir()):
            found.append(str(folder))
    for key in ("imports", "evidence", "uploads"):
        if _walk(roots[key]):
            found.append(str(roots[key]))
    return found


def _move_aside(engine: str) -> Path | None:
    """--force: move this installation's files into ``SADERAT_HOME/replaced-<time>/``; clear the database."""
    roots = _roots()
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = _home() / f"replaced-{stamp}"
    moved = False

    def move(path: Path, name: str) -> None:
        nonlocal moved
        if path.exists():
            aside.mkdir(parents=True, exist_ok=True)
            shutil.move(str(path), str(aside / name))
            moved = True

    if engine == "sqlite":
        db = _sqlite_path()
        for suffix in ("", "-wal", "-shm", "-journal"):
            move(Path(f"{db}{suffix}"), db.name + suffix)
    else:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA IF EXISTS public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    move(roots["warehouse"] / "facts", "warehouse-facts")
    move(roots["warehouse"] / "bilateral", "warehouse-bilateral")
    move(roots["warehouse"] / "notifications", "warehouse-notifications")
    for key in ("imports", "evidence", "uploads"):
        move(roots[key], key)
    return aside if moved else None


def _check_compatible(manifest: dict, engine: str) -> None:
    archived = manifest.get("database", {}).get("engine")
    if archived != engine:
        names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
        a, b = names.get(archived, str(archived)), names.get(engine, engine)
        raise BackupError(
            f"این پشتیبان از پایگاه داده {a} است و این نصب {b} را به کار می‌برد؛ بازگردانی میان دو نوع "
            "پایگاه داده پشتیبانی نمی‌شود. DATABASE_URL را مطابق پشتیبان تنظیم کنید.",
            f"This backup holds a {a} database and this installation uses {b}; restoring across database "
            "engines is not supported. Set DATABASE_URL to match the backup.",
        )
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    labels = {a.label for a in apps.get_app_configs()}
    for app, name in manifest.get("migrations", {}).items():
        if app in labels and (app, name) not in known:
            raise BackupError(
                f"این پشتیبان از نسخه تازه‌تر صادرات ({manifest.get('saderat_version')}) است (مهاجرت "
                f"{app}.{name} را این نسخه، {_version()}، ندارد)؛ نخست صادرات را به‌روز کنید.",
                f"This backup comes from a newer Saderat ({manifest.get('saderat_version')}): migration "
                f"{app}.{name} is unknown to this version ({_version()}). Upgrade Saderat first.",
            )


def _extract_to(tar: tarfile.TarFile, member: tarfile.TarInfo, entry: dict, dest: Path) -> None:
    """Write a member to ``dest`` (temporary name, checksum checked again, then rename)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name("." + dest.name + ".restore-part")
    digest = hashlib.sha256()
    try:
        with tar.extractfile(member) as src, open(tmp, "wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != entry["sha256"]:
            raise _corrupt(member.name, "هنگام بازگردانی تغییر کرد", "changed while being restored")
        os.chmod(tmp, 0o600 if member.name.startswith("database/") else 0o640)
        os.utime(tmp, (member.mtime, member.mtime))
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _restored_counts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:

        def query(sql):
            cursor.execute(sql)
            return cursor.fetchall()

        return _read_state(query)["counts"]


def backup_restore(src: Path | str, force: bool = False) -> dict:
    """Restore an archive made by :func:`backup_create` into this (empty) installation; see the module
    docstring. Returns a summary."""
    from django.core.management import call_command
    from django.db import connection

    from saderat.web.common.cache import clear_figures

    src = Path(src).expanduser().resolve()
    manifest = verify_archive(src)  # before touching anything
    engine = _engine()
    _check_compatible(manifest, engine)
    existing = _existing_data(engine)
    if existing and not force:
        listing = "، ".join(existing)
        raise BackupError(
            f"این نصب از پیش داده دارد ({listing})؛ بازگردانی فقط در پوشه داده و پایگاه داده خالی انجام "
            "می‌شود. برای جایگزینی «--force» بدهید (فایل‌های کنونی کنار گذاشته می‌شوند). چیزی تغییر نکرد.",
            f"This installation already holds data ({', '.join(existing)}); restore needs an empty data "
            "directory and database. Use --force to replace it (the current files are moved aside). "
            "Nothing was changed.",
        )
    roots = _roots()
    entries = {e["path"]: e for e in manifest["files"]}
    db_member = manifest["database"]["file"]
    aside = _move_aside(engine) if existing else None
    with _open_archive(src) as tar:
        members = {m.name: m for m in tar.getmembers()}
        # 1. the database
        if engine == "sqlite":
            connection.close()
            target = _sqlite_path()
            target.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("-wal", "-shm", "-journal"):  # a stale WAL would be applied to the new file
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            _extract_to(tar, members[db_member], entries[db_member], target)
        else:
            connection.ensure_connection()
            pg_restore = find_pg_tool("pg_restore", connection.pg_version // 10000)
            with tempfile.TemporaryDirectory(prefix=".saderat-restore-", dir=_home()) as tmp:
                dump = Path(tmp) / "saderat.pgdump"
                _extract_to(tar, members[db_member], entries[db_member], dump)
                args = [pg_restore, "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction"]
                if force:
                    args += ["--clean", "--if-exists"]
                connection.close()
                _run_pg(
                    [*args, "--no-password", f"--dbname={settings.DATABASES['default']['NAME']}", str(dump)],
                    "pg_restore",
                )
        # 2. the warehouse and 3. the files
        restored_bytes = entries[db_member]["size"]
        for name, entry in entries.items():
            if name == db_member:
                continue
            top, rest = name.split("/", 1)
            _extract_to(tar, members[name], entry, roots[top] / rest)
            restored_bytes += entry["size"]
    for sub in ("_staging", "_trash"):
        (roots["warehouse"] / sub).mkdir(parents=True, exist_ok=True)
    # 4. migrations: an archive from an older version upgrades
    from django.db.migrations.recorder import MigrationRecorder

    before = set(MigrationRecorder(connection).applied_migrations())
    call_command("migrate", interactive=False, verbosity=0)
    applied = sorted(f"{a}.{n}" for a, n in set(MigrationRecorder(connection).applied_migrations()) - before)
    clear_figures()  # figures cached and materialised for the data this installation held before
    counts = _restored_counts()
    mismatched = {k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v}
    if mismatched:
        raise BackupError(
            f"شمار رکوردهای بازگردانده با فهرست پشتیبان جور نیست: {mismatched}",
            f"The restored record counts differ from the backup's manifest: {mismatched}",
        )
    # Imports that were running when the backup was taken have no process here: fail them now (the batch page
    # offers "run again"), and let the warehouse check confirm what was restored.
    from django.utils import timezone

    from saderat.web.imports.integrity import warehouse_check
    from saderat.web.imports.services import imports_reap_stale

    reaped = imports_reap_stale(now=timezone.now() + dt.timedelta(days=1))
    check = warehouse_check(deep=True, repair=True)
    return {
        "interrupted_imports_failed": reaped,
        "check_findings": [f.message for f in check.findings],
        "archive": str(src),
        "created_at": manifest["created_at"],
        "saderat_version_of_archive": manifest["saderat_version"],
        "saderat_version": _version(),
        "engine": engine,
        "files": len(entries),
        "file_bytes": restored_bytes,
        "active_batches": manifest["active_batches"],
        "counts": counts,
        "migrations_applied": applied,
        "skipped_at_backup": manifest.get("skipped", []),
        "moved_aside": str(aside) if aside else None,
    }
