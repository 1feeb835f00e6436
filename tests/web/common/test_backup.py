"""``saderat backup`` / ``saderat restore`` as real processes on real data directories.

A data directory ``a`` is built with the CLI (set-up, two shipped IRICA files, a user, a target, the demo
working-group history and an evidence file), backed up, and restored into fresh directories; the restored
installation must answer the same commands with identical JSON and hold the same rows and byte-identical
files. A backup taken while an import and a writer run must restore to a committed state; a corrupt archive
and a non-empty target are refused without changing anything.

On PostgreSQL runs (``DATABASE_URL=postgres://...``) every installation gets a database of its own, created
on that server for this module and dropped at the end; otherwise each uses its SQLite file.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import pytest

#: Backups run the real saderat command against a database of their own (SQLite, or PostgreSQL in CI).
pytestmark = pytest.mark.processes

REPO = Path(__file__).resolve().parents[3]
SADERAT = Path(sys.executable).with_name("saderat")
DEMO = REPO / "src" / "saderat" / "data" / "demo"
PASSWORD = "a-Strong-pass-2026"
SESSION_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SESSION_URL.startswith(("postgres://", "postgresql://"))
TIMEOUT = 300

COMPARED_COMMANDS = [
    ("stats", "overview", "--region", "00", "--year", "1402", "--json"),
    ("stats", "overview", "--region", "national", "--year", "1402", "--json"),
    ("stats", "customs-offices", "--year", "1402", "--json"),
    ("targets", "status", "--year", "1403", "--json"),
    ("imports", "list", "--json"),
    ("quality", "notifications", "--origin", "IRN", "--json"),
]
# The rows compared one by one: users (with password hashes), agencies, targets and their revisions and
# reports, sessions, resolutions and their history, attachments, import batches, the audit trail.
DUMPED_APPS = ("accounts", "targets", "workgroup", "imports", "common", "registry", "quality")

RASFF_FILE = DEMO / "rasff" / "rasff_db_iran_2024-01_2025-08.csv"
EVIDENCE_PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


# -- installations ---------------------------------------------------------------------------------------------
class Home:
    """One installation: a data directory and its database (SQLite file, or a PostgreSQL database)."""

    def __init__(self, path: Path, database_url: str | None):
        self.path = path
        self.database_url = database_url
        path.mkdir(parents=True, exist_ok=True)

    @property
    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("DJANGO_SETTINGS_MODULE", None)  # the CLI's own (dev) settings
        env.pop("DATABASE_URL", None)
        env["SADERAT_HOME"] = str(self.path)
        env["SADERAT_IMPORT_ISOLATION"] = "inline"
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [str(SADERAT), *args], env=self.env, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT
        )
        if check:
            assert proc.returncode == 0, f"saderat {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
        return proc

    def start(self, *args: str, log: Path) -> subprocess.Popen:
        """Start a command in the background, its output to ``log`` (never a pipe nobody reads)."""
        with open(log, "wb") as out:
            return subprocess.Popen([str(SADERAT), *args], env=self.env, cwd=REPO, stdout=out, stderr=out)

    def json(self, *args: str):
        return json.loads(self.run(*args).stdout)

    def shell(self, code: str):
        """Run Python in ``saderat manage shell`` and parse the JSON it prints last."""
        out = self.run("manage", "shell", "-c", code).stdout.strip().splitlines()
        return json.loads(out[-1])

    def query(self, sql: str) -> list[tuple]:
        """Read the database directly (not through Saderat)."""
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url, autocommit=True) as con:
                return con.execute(sql).fetchall()
        con = sqlite3.connect(f"file:{self.path / 'saderat.sqlite3'}?mode=ro", uri=True, timeout=30)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def table_count(self) -> int:
        if self.database_url:
            return self.query(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema NOT IN "
                "('pg_catalog', 'information_schema')"
            )[0][0]
        db = self.path / "saderat.sqlite3"
        if not db.exists() or db.stat().st_size == 0:
            return 0
        return self.query("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")[0][0]

    def data_files(self) -> dict[str, str]:
        """sha256 of every file of the warehouse, the import files and the evidence files."""
        out = {}
        for sub in (
            "warehouse/facts",
            "warehouse/bilateral",
            "warehouse/notifications",
            "imports",
            "evidence",
            "uploads",
        ):
            root = self.path / sub
            for p in sorted(root.rglob("*")) if root.exists() else []:
                if p.is_file():
                    out[p.relative_to(self.path).as_posix()] = sha256(p)
        return out

    def all_files(self) -> dict[str, str]:
        return {
            p.relative_to(self.path).as_posix(): sha256(p)
            for p in sorted(self.path.rglob("*"))
            if p.is_file() and "cache" not in p.relative_to(self.path).parts
        }


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def make_home(tmp_path_factory):
    """Fresh installations; on PostgreSQL each with a new database on the session's server, dropped after."""
    created: list[str] = []
    admin_conninfo = None
    if ON_POSTGRES:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        url = SESSION_URL.replace("postgresql://", "postgres://", 1)
        admin_conninfo = make_conninfo(url, dbname="postgres")
        params = conninfo_to_dict(url)

    root = tmp_path_factory.mktemp("backup")

    def make(name: str) -> Home:
        url = None
        if ON_POSTGRES:
            db = f"saderat_bk_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(admin_conninfo, autocommit=True) as con:
                con.execute(f'CREATE DATABASE "{db}"')
            created.append(db)
            auth = params.get("user", "")
            if params.get("password"):
                auth += ":" + params["password"]
            host = params.get("host", "127.0.0.1")
            port = params.get("port", "5432")
            url = f"postgres://{auth}@{host}:{port}/{db}"
        return Home(root / name, url)

    yield make
    if created:
        with psycopg.connect(admin_conninfo, autocommit=True) as con:
            for db in created:
                con.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (db,)
                )
                con.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')


@pytest.fixture(scope="module")
def source(make_home) -> Home:
    """Installation ``a``: real data, a user, a target, sessions and resolutions, an evidence file."""
    a = make_home("a")
    a.run("setup")
    a.run("import", str(DEMO / "irica-exports-1402.csv.gz"), str(DEMO / "irica-exports-1393.csv.gz"))
    a.run("create-user", "alice", "--role", "secretariat", "--agency", "imt", "--password", PASSWORD)
    a.run("targets", "set", "--year", "1403", "--metric", "value_usd", "--value", "1.5e9")
    a.run("workgroup", "demo")
    attached = a.shell(
        "import json\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from saderat.web.accounts.models import User\n"
        "from saderat.web.accounts.services import user_create\n"
        f"user_create(username='bob', password={PASSWORD + 'b'!r}, role='agency_member', agency_code='customs')\n"
        "from saderat.web.workgroup.models import Session\n"
        "from saderat.web.workgroup.services import session_files_add\n"
        "s = Session.objects.order_by('number').first()\n"
        f"f = SimpleUploadedFile('minutes.pdf', {EVIDENCE_PDF!r})\n"
        "made = session_files_add(user=User.objects.get(username='alice'), session=s, files=[f])\n"
        "print(json.dumps([m.stored_name for m in made]))"
    )
    assert len(attached) == 1 and (a.path / "evidence" / attached[0]).read_bytes() == EVIDENCE_PDF
    # The standards directorate's data: a file of foreign notifications (in the warehouse) and a certificate
    # with its scan (an evidence file).
    a.run("quality", "import", str(RASFF_FILE))
    scanned = a.shell(
        "import datetime as dt, json\n"
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from saderat.web.accounts.services import user_create\n"
        "from saderat.web.registry.models import Firm\n"
        "from saderat.web.quality import services\n"
        f"sara = user_create(username='sara', password={PASSWORD + 's'!r}, role='agency_member', "
        "agency_code='standards')\n"
        "firm = Firm.objects.create(national_id='10100374890', name='فولاد نمونه')\n"
        "c = services.certificate_save(user=sara, number='1404-1', firm=firm, codes=['0804'], "
        "issuing_body='اداره کل استاندارد', issued_on=dt.date(2025, 4, 1), expires_on=dt.date(2026, 4, 1))\n"
        f"scan = services.certificate_scan_add(user=sara, certificate=c, upload=SimpleUploadedFile('c.pdf', {EVIDENCE_PDF!r}))\n"
        "print(json.dumps([scan.stored_name]))"
    )
    assert (a.path / "evidence" / scanned[0]).read_bytes() == EVIDENCE_PDF
    return a


@pytest.fixture(scope="module")
def archive(source, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("archives")
    started = time.monotonic()
    out = source.json("backup", str(folder), "--json")
    print(
        f"\nbackup: {out['bytes']:,} bytes, {time.monotonic() - started:.1f} s wall (in-process {out['seconds']} s)"
    )
    (path,) = folder.iterdir()  # one archive, no .partial left behind
    assert path.name.startswith("saderat-backup-") and path.suffix == ".tar"
    assert len(path.stem) == len("saderat-backup-YYYYmmdd-HHMMSS")
    assert Path(out["archive"]) == path
    return path


def read_archive(path: Path) -> tuple[dict, dict[str, str]]:
    """(manifest, sha256 of every other member), read with tarfile only."""
    digests = {}
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        for m in tar.getmembers():
            if m.name != "manifest.json":
                assert m.isfile(), m.name
                digests[m.name] = hashlib.sha256(tar.extractfile(m).read()).hexdigest()
    return manifest, digests


def run_all(jobs):
    """Run ``fn(*args)`` jobs in parallel (each starts its own process); their results in order."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda job: job[0](*job[1:]), jobs))


STATE = """
import contextlib, io, json
from django.core.management import call_command
from saderat.cli import main
from saderat.web.accounts.models import User
out = {{"commands": []}}
for argv in {commands!r}:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(list(argv))
    out["commands"].append({{"argv": argv, "exit": code, "json": json.loads(buf.getvalue())}})
if {apps!r}:
    buf = io.StringIO()
    call_command("dumpdata", *{apps!r}, stdout=buf)
    out["rows"] = json.loads(buf.getvalue())
    out["alice_login_ok"] = User.objects.get(username="alice").check_password({password!r})
    out["users"] = sorted(User.objects.values_list("username", "password"))
print(json.dumps(out, ensure_ascii=False))
"""


def state(home: Home, commands=COMPARED_COMMANDS, apps=DUMPED_APPS) -> dict:
    """What an installation answers: the JSON of ``saderat <command>`` for each command (run through the
    CLI's entry point, several in one process to spare the start-up), its rows (dumpdata) and users."""
    result = home.shell(STATE.format(commands=list(commands), apps=tuple(apps), password=PASSWORD))
    for item in result["commands"]:
        assert item["exit"] == 0, item
    return result


# -- the round trip --------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def restored(make_home, archive) -> Home:
    b = make_home("b")
    started = time.monotonic()
    summary = b.json("restore", str(archive), "--json")
    print(f"\nrestore: {time.monotonic() - started:.1f} s wall (in-process {summary['seconds']} s)")
    assert summary["moved_aside"] is None and summary["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    return b


def test_manifest_describes_and_verifies_the_archive(source, archive):
    manifest, digests = read_archive(archive)
    listed = {e["path"]: e for e in manifest["files"]}
    assert set(listed) == set(digests)
    for name, digest in digests.items():
        assert listed[name]["sha256"] == digest, name
    with tarfile.open(archive) as tar:
        for m in tar.getmembers():
            if m.name in listed:
                assert m.size == listed[m.name]["size"]
    assert manifest["saderat_version"] == metadata.version("saderat")
    assert manifest["database"]["engine"] == ("postgresql" if ON_POSTGRES else "sqlite")
    db_member = "database/saderat.pgdump" if ON_POSTGRES else "database/saderat.sqlite3"
    assert manifest["database"]["file"] == db_member and db_member in digests
    assert manifest["counts"] == {
        "users": 3,  # alice, bob and sara (standards)
        "batches": 2,
        "active_batches": 2,
        "targets": 1,
        "sessions": 6,
        "resolutions": 40,
        "attachments": 1,
    }
    assert manifest["active_batches"] == [1, 2]
    for app in ("accounts", "imports", "targets", "workgroup", "auth", "contenttypes"):
        assert manifest["migrations"][app][:4].isdigit(), app
    assert manifest["created_at"].endswith("+00:00")
    # The files of the data directory, and nothing else: no secret key, no cache, no static files.
    on_disk = {k: v for k, v in source.data_files().items()}
    in_archive = {k: v for k, v in digests.items() if not k.startswith("database/")}
    assert in_archive == on_disk
    assert {k.split("/")[0] for k in in_archive} == {"warehouse", "imports", "evidence"}
    assert not any("secret" in k or k.startswith(("cache", "static")) for k in digests)
    assert (archive.stat().st_mode & 0o077) == 0  # holds password hashes: owner only
    if not ON_POSTGRES:  # the copy is a whole, self-contained database
        with tarfile.open(archive) as tar:
            data = tar.extractfile(db_member).read()
        assert data[:16] == b"SQLite format 3\x00"


def same_figures(a, b) -> bool:
    """Equal, floats to 1e-12 relative: DuckDB sums doubles on several threads, in an order that varies from
    run to run, so a total can differ in its last bits (31459374966.81001 against .810066) between two runs
    over the very same files."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-12)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_figures(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_figures(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.fixture(scope="module")
def states(source, restored) -> tuple[dict, dict]:
    return tuple(run_all([(state, source), (state, restored)]))


def test_restored_installation_answers_identically(states):
    a, b = states
    for a_out, b_out in zip(a["commands"], b["commands"], strict=True):
        assert same_figures(a_out, b_out), f"saderat {' '.join(a_out['argv'])} differs after restore"
    overview, national, offices, targets, batches, notifications = (c["json"] for c in a["commands"])
    assert (
        sum(r["notifications"] for r in notifications) == 91
    )  # the 91 Iran-origin notifications of the file
    assert round(overview["value_usd"] / 1e6, 1) == 1179.3  # real figures, not two empty answers
    assert round(national["value_usd"] / 1e9, 2) == 50.08 and len(offices) > 100
    assert targets and targets[0]["year"] == 1403
    assert [b["status"] for b in batches] == ["active", "active"]


def test_restored_rows_and_files_are_identical(source, restored, states):
    a, b = states
    assert a["rows"] == b["rows"]
    models = {row["model"] for row in a["rows"]}
    assert {"accounts.user", "targets.target", "workgroup.resolution", "workgroup.attachment"} <= models
    assert a["users"] == b["users"] and b["alice_login_ok"] is True
    assert [u for u, _ in b["users"]] == ["alice", "bob", "sara"]
    assert all(h.startswith("pbkdf2_sha256$") for _, h in b["users"])
    files = source.data_files()
    assert files == restored.data_files()
    assert sum(k.endswith(".parquet") for k in files) == 3 and any(k.startswith("evidence/") for k in files)
    assert sum(k.startswith("warehouse/notifications/") for k in files) == 1
    assert (
        sum(k.startswith("evidence/") for k in files) == 2
    )  # the session's minutes and the certificate's scan
    # The secret key is not carried: the restored installation made its own.
    assert (restored.path / "secret_key").read_text() != (source.path / "secret_key").read_text()
    if not ON_POSTGRES:
        con = sqlite3.connect(restored.path / "saderat.sqlite3")
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.close()


def test_the_restored_warehouse_passes_the_deep_check(restored, states):
    report = restored.json("check", "--no-repair", "--json")
    assert report["ok"] is True and report["findings"] == [], report
    assert report["batches_checked"] == 2


# -- refusals --------------------------------------------------------------------------------------------------
def test_restore_into_a_non_empty_installation_is_refused_then_forced(source, restored, archive):
    before_rows = state(restored, commands=())["rows"]
    before_files = restored.all_files()
    proc = restored.run("restore", str(archive), check=False)
    assert proc.returncode == 1
    assert "--force" in proc.stderr and "already holds data" in proc.stderr and "داده دارد" in proc.stderr
    assert restored.all_files() == before_files
    assert state(restored, commands=())["rows"] == before_rows

    forced = restored.json("restore", str(archive), "--force", "--json")
    assert forced["moved_aside"] and Path(forced["moved_aside"]).is_dir()
    assert restored.data_files() == source.data_files()
    assert state(restored, commands=())["rows"] == before_rows


def flip_byte(archive: Path, member: str, dest: Path) -> Path:
    shutil.copyfile(archive, dest)
    with tarfile.open(dest) as tar:
        info = tar.getmember(member)
    offset = info.offset_data + info.size // 2
    with open(dest, "r+b") as fh:
        fh.seek(offset)
        byte = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([byte[0] ^ 0xFF]))
    return dest


@pytest.mark.parametrize("member", ["warehouse/facts/batch=1/part-0.parquet", "database/DB", "manifest.json"])
def test_corrupt_archive_is_refused_naming_the_file(make_home, archive, tmp_path, member):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    if member == "database/DB":
        member = next(n for n in names if n.startswith("database/"))
    bad = flip_byte(archive, member, tmp_path / "bad.tar")
    target = make_home(f"corrupt-{uuid.uuid4().hex[:6]}")
    proc = target.run("restore", str(bad), check=False)
    assert proc.returncode == 1
    assert member in proc.stderr and "corrupt" in proc.stderr and "خراب" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert target.table_count() == 0
    assert target.data_files() == {}


def test_backup_refuses_a_bad_destination_and_leaves_nothing(source, tmp_path):
    existing = tmp_path / "there.tar"
    existing.write_bytes(b"keep me")
    proc = source.run("backup", str(existing), check=False)
    assert proc.returncode == 1 and "already exists" in proc.stderr and existing.read_bytes() == b"keep me"
    proc = source.run("backup", str(tmp_path / "no-such-folder" / "x.tar"), check=False)
    assert proc.returncode == 1 and "does not exist" in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.tar"]


# -- a backup taken while others write ------------------------------------------------------------------------
WRITER = """
import pathlib, time
from django.db import transaction
from saderat.web.common.models import AuditEvent
stop, started, done = (pathlib.Path(p) for p in {paths!r})
i = 0
while not stop.exists():
    with transaction.atomic():  # two rows per transaction: a consistent copy holds both or neither
        AuditEvent.objects.create(action="update", model="backup-writer", object_id=str(i), object_repr="a")
        AuditEvent.objects.create(action="update", model="backup-writer", object_id=str(i), object_repr="b")
    i += 1
    if i == 20:
        started.touch()
    time.sleep(0.01)
done.write_text(str(i))
"""


def wait_for(condition, what: str, *, process: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if (process.poll() is not None and not condition()) or time.monotonic() > deadline:
            pytest.fail(
                f"{what} did not happen; the process said:\n{log.read_text(errors='replace')[-3000:]}"
            )
        time.sleep(0.05)


def test_backup_while_an_import_and_a_writer_run_restores_a_committed_state(
    source, restored, make_home, tmp_path
):
    """Run after the round trip (module order), as it changes ``a``."""
    national_1392 = ("stats", "overview", "--region", "national", "--year", "1392", "--json")
    figures = [("imports", "list", "--json"), national_1392]
    before = [c["json"] for c in state(source, commands=figures, apps=())["commands"]]
    last_id = max(b["id"] for b in before[0])
    stop, started, done = tmp_path / "stop", tmp_path / "started", tmp_path / "done"
    writer_log, import_log = tmp_path / "writer.log", tmp_path / "import.log"
    code = WRITER.format(paths=(str(stop), str(started), str(done)))
    writer = source.start("manage", "shell", "-v", "0", "-c", code, log=writer_log)
    importer = None
    try:
        wait_for(started.exists, "the writer's first commits", process=writer, log=writer_log)
        importer = source.start("import", str(DEMO / "irica-exports-1392.csv.gz"), log=import_log)
        new_batch = f"SELECT id FROM imports_importbatch WHERE id > {last_id}"
        wait_for(lambda: source.query(new_batch), "the import's batch", process=importer, log=import_log)
        backup_dir = tmp_path / "during"
        backup_dir.mkdir()
        manifest = source.json("backup", str(backup_dir), "--json")
        assert importer.wait(timeout=TIMEOUT) == 0, import_log.read_text()
    finally:
        stop.touch()
        if importer and importer.poll() is None:
            importer.kill()
        try:
            writer.wait(timeout=120)
        except subprocess.TimeoutExpired:
            writer.kill()
            raise
    assert writer.returncode == 0 and done.exists(), writer_log.read_text()
    total_pairs = int(done.read_text())
    after = [c["json"] for c in state(source, commands=figures, apps=())["commands"]]
    assert after[1]["value_usd"] and not before[1]["value_usd"]  # the import did change the figures

    c = make_home("c")
    c.run("restore", manifest["archive"])
    if not ON_POSTGRES:
        con = sqlite3.connect(c.path / "saderat.sqlite3")
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        con.close()
    # The writer's rows: a prefix of what it committed, whole transactions only.
    rows = c.query("SELECT object_id, object_repr FROM common_auditevent WHERE model = 'backup-writer'")
    pairs = {}
    for object_id, side in rows:
        pairs.setdefault(int(object_id), set()).add(side)
    assert pairs, "the backup was taken while the writer ran: some of its rows are in"
    assert set(pairs) == set(range(len(pairs))) and all(s == {"a", "b"} for s in pairs.values())
    assert len(pairs) < total_pairs  # and it kept writing after the copy

    # The batches and figures are those of a committed state: before the import, or after it.
    restored_list, restored_1392 = (item["json"] for item in state(c, commands=figures, apps=())["commands"])
    new = [b for b in restored_list if b["id"] > last_id]
    old = [b for b in restored_list if b["id"] <= last_id]
    assert old == before[0]
    final_new = [b for b in after[0] if b["id"] > last_id]
    if new and new[0]["status"] == "active":
        assert new == final_new and same_figures(restored_1392, after[1])
        expected_batches = {1, 2, new[0]["id"]}
    else:
        # Queued stays queued (a worker will run it); running had no process after the restore: failed.
        assert all(b["status"] in ("queued", "failed") for b in new)
        assert same_figures(restored_1392, before[1])
        expected_batches = {1, 2}
    print(f"\nconcurrent backup captured the new batch as: {[b['status'] for b in new] or 'absent'}")
    facts = {k: v for k, v in c.data_files().items() if k.startswith("warehouse/facts/")}
    assert {int(k.split("batch=")[1].split("/")[0]) for k in facts} == expected_batches
    a_files = source.data_files()
    assert all(a_files[k] == v for k, v in facts.items())


def test_an_archive_from_an_older_schema_is_upgraded_on_restore(make_home, tmp_path):
    """An archive lacking a migration (as one from an older version does) gets it applied by restore."""
    old = make_home("old")
    old.run("manage", "migrate", "-v", "0")
    old.run("manage", "migrate", "sessions", "zero", "-v", "0")
    manifest = old.json("backup", str(tmp_path / "old.tar"), "--json")
    with tarfile.open(manifest["archive"]) as tar:
        assert "sessions" not in json.load(tar.extractfile("manifest.json"))["migrations"]
    new = make_home("new")
    summary = new.json("restore", manifest["archive"], "--json")
    assert summary["migrations_applied"] == ["sessions.0001_initial"]
    assert new.query("SELECT COUNT(*) FROM django_session") == [(0,)]
