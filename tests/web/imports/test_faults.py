"""Fault injection with real processes: the CLI, the worker and their import child processes, killed with
SIGKILL at each stage of an import, two imports racing for the same year, and bombs.

Each test module gets a data directory and a database of its own (a SQLite file, or a fresh database on the
PostgreSQL server of DATABASE_URL), because the session's test database is invisible to other processes.
Processes reach a stage through the fault seam of :mod:`saderat.faults` and are killed there.
"""

from __future__ import annotations

import json
import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from tests.conftest import REPO
from tests.processes import Home, make_home

DEMO = REPO / "src" / "saderat" / "data" / "demo"
FILE_1393 = DEMO / "irica-exports-1393.csv.gz"


class TradeHome(Home):
    """A home with the trade-import helpers."""

    def batches(self) -> list[dict]:
        rows = self.sql("SELECT id, status, message, source_name FROM imports_importbatch ORDER BY id")
        return [dict(zip(("id", "status", "message", "source_name"), r, strict=True)) for r in rows]

    def batch(self, batch_id: int) -> dict:
        return next(b for b in self.batches() if b["id"] == batch_id)

    def active_ids(self) -> list[int]:
        return [b["id"] for b in self.batches() if b["status"] == "active"]

    def queue(self, path: Path) -> int:
        """What the upload page does: record the file as a queued batch and put its job in the queue."""
        return self.python(
            "import json; from pathlib import Path; from saderat.web.imports.services import batch_create_queued; "
            f"r = batch_create_queued(path=Path({str(path)!r}), display_name={path.name!r}, move=False); "
            "print(json.dumps(r.batch.pk))"
        )

    def retry(self, batch_id: int) -> str:
        return self.python(
            "import json; from saderat.web.imports.models import ImportBatch; "
            "from saderat.web.imports.services import batch_retry; "
            f"print(json.dumps(batch_retry(batch=ImportBatch.objects.get(pk={batch_id})).batch.status))"
        )

    def withdraw_all_active(self) -> None:
        if self.active_ids():
            self.python(
                "import json; from saderat.web.imports.models import ImportBatch; "
                "from saderat.web.imports.services import batch_withdraw; "
                "[batch_withdraw(batch=b) for b in ImportBatch.objects.filter(status='active')]; print('[]')"
            )

    def warehouse_batches(self) -> list[str]:
        facts = self.root / "warehouse" / "facts"
        return sorted(p.name for p in facts.glob("batch=*")) if facts.exists() else []

    def staging_debris(self) -> list[str]:
        staging = self.root / "warehouse" / "_staging"
        return sorted(p.name for p in staging.iterdir()) if staging.exists() else []


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A set-up data directory (reference tables loaded) on the session's database engine."""
    h, drop = make_home(tmp_path_factory, "fault-home", TradeHome)
    yield h
    drop()


@pytest.fixture(scope="module")
def clean_1393(home):
    """The figures of 1393 imported without a fault: what every retry must give back."""
    report = home.json("import", str(FILE_1393))[0]
    assert report["status"] == "active", report
    figures = national_1393(home)
    home.withdraw_all_active()
    return figures


def national_1393(home: Home) -> dict:
    """The national overview of 1393 without its source line (a retried batch has another id), floats to 12
    significant digits (DuckDB's parallel sums may differ in the last bit from one run to the next)."""
    figures = home.json("stats", "overview", "--region", "national", "--year", "1393")
    figures.pop("sources")
    return {k: float(f"{v:.12g}") if isinstance(v, float) else v for k, v in figures.items()}


def _wait_for(path: Path, *, seconds: float = 120) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists() and path.read_text():
            return int(path.read_text())
        time.sleep(0.05)
    raise AssertionError(f"no process reached the stage (no {path})")


def _wait_for_status(home: Home, batch_id: int, wanted: str, *, seconds: float = 60) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch = home.batch(batch_id)
        if batch["status"] == wanted:
            return batch
        time.sleep(1)
    raise AssertionError(
        f"batch {batch_id} is {home.batch(batch_id)['status']}, not {wanted}, after {seconds} s"
    )


def _fault_env(tmp_path: Path, stage: str) -> tuple[dict, Path]:
    marker = tmp_path / f"reached-{stage}-{uuid.uuid4().hex[:6]}"
    return {"SADERAT_FAULT_STAGE": stage, "SADERAT_FAULT_MARKER": str(marker)}, marker


def _assert_nothing_visible(home: Home, batch_id: int) -> None:
    """No active batch (the statistics read only active batches), no committed folder, no staging debris."""
    assert home.active_ids() == []
    assert f"batch={batch_id}" not in home.warehouse_batches()
    assert not [d for d in home.staging_debris() if d.startswith(f"{batch_id}-")]


@pytest.mark.parametrize("stage", ["read", "validate", "staging", "rename", "commit"])
def test_import_process_killed_at_each_stage_fails_at_once_and_the_retry_succeeds(
    home, clean_1393, tmp_path, stage
):
    env, marker = _fault_env(tmp_path, stage)
    cli = home.start("import", str(FILE_1393), "--json", env=env)
    child = _wait_for(marker)
    assert child != cli.pid  # the import runs in the CLI's bounded child process, not in the CLI itself
    os.kill(child, signal.SIGKILL)
    killed_at = time.monotonic()
    out, err = cli.communicate(timeout=60)
    print(f"\nimport child killed at {stage}: CLI reported failed {time.monotonic() - killed_at:.1f} s later")
    assert cli.returncode == 1
    (report,) = json.loads(out)
    assert report["status"] == "failed"
    assert "ناگهان پایان یافت" in report["message"] and "SIGKILL" in report["message"]
    _assert_nothing_visible(home, report["batch"])

    assert home.retry(report["batch"]) == "queued"
    home.run("worker", "--until-empty", "--interval", "0.2")
    assert home.batch(report["batch"])["status"] == "active"
    assert national_1393(home) == clean_1393
    home.withdraw_all_active()


# Noticing a dead worker does not depend on the stage; these two leave the most behind (a staging file; a
# renamed folder and an open transaction). Every stage is killed in the test above.
@pytest.mark.parametrize("stage", ["staging", "commit"])
def test_worker_killed_mid_import_is_noticed_within_a_minute(home, clean_1393, tmp_path, stage):
    """SIGKILL of the worker itself: its import child dies with it, the heartbeat stops, and the batch is
    failed by the next worker's housekeeping (after STALE_SECONDS), which then runs the retry."""
    env, marker = _fault_env(tmp_path, stage)
    batch_id = home.queue(FILE_1393)
    victim = home.start("worker", "--interval", "0.2", env=env)
    child = _wait_for(marker)
    killed_at = time.monotonic()
    victim.kill()
    victim.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and Path(f"/proc/{child}").exists():
        time.sleep(0.05)
    assert not Path(f"/proc/{child}").exists()  # the import child died with its worker (PR_SET_PDEATHSIG)
    assert home.batch(batch_id)["status"] == "running"  # nobody has noticed yet

    survivor = home.start("worker", "--interval", "0.2")
    try:
        failed = _wait_for_status(home, batch_id, "failed", seconds=60)
        noticed_after = time.monotonic() - killed_at
        print(f"\nworker killed at {stage}: batch failed {noticed_after:.1f} s later")
        assert noticed_after < 60
        assert "نشانه‌ای نفرستاد" in failed["message"]
        _assert_nothing_visible(home, batch_id)
        assert home.retry(batch_id) == "queued"
        _wait_for_status(home, batch_id, "active", seconds=120)
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(timeout=60)
    assert national_1393(home) == clean_1393
    assert not home.staging_debris()
    assert home.warehouse_batches() == [f"batch={batch_id}"]
    home.withdraw_all_active()


def _same_year_other_file(tmp_path: Path) -> Path:
    """1393's real rows with one value changed: different bytes, same (flow, basis, year)."""
    import gzip

    text = gzip.decompress(FILE_1393.read_bytes()).decode("utf-8")
    header, first, rest = text.split("\n", 2)
    path = tmp_path / "irica-exports-1393-revised.csv"
    path.write_text("\n".join([header, first.replace(",", ", ", 1), rest]), encoding="utf-8")
    return path


def test_two_imports_of_the_same_year_released_together_give_one_active_batch(home, clean_1393, tmp_path):
    """Both processes write their files, wait at the door of the activation, and go through it together."""
    release = tmp_path / "release"
    other = _same_year_other_file(tmp_path)
    runs = []
    for name, path in (("a", FILE_1393), ("b", other)):
        marker = tmp_path / f"reached-{name}"
        env = {
            "SADERAT_FAULT_STAGE": "rename",
            "SADERAT_FAULT_MARKER": str(marker),
            "SADERAT_FAULT_RELEASE": str(release),
        }
        runs.append((home.start("import", str(path), "--json", env=env), marker))
    for _, marker in runs:
        _wait_for(marker)
    release.write_text("go")
    reports = []
    for process, _ in runs:
        out, err = process.communicate(timeout=120)
        reports.append(json.loads(out)[0])
    statuses = sorted(r["status"] for r in reports)
    assert statuses == ["active", "held"], reports
    held = next(r for r in reports if r["status"] == "held")
    assert "دوبار می‌شمارد" in held["message"]
    assert f"batch={held['batch']}" not in home.warehouse_batches()
    assert home.json("stats", "overview", "--region", "national", "--year", "1393")[
        "value_usd"
    ] == pytest.approx(clean_1393["value_usd"], rel=1e-9)
    home.withdraw_all_active()


def test_two_imports_started_at_the_same_moment_give_one_active_batch(home, clean_1393, tmp_path):
    other = _same_year_other_file(tmp_path)
    for _ in range(2):
        a = home.start("import", str(FILE_1393), "--json")
        b = home.start("import", str(other), "--json")
        reports = [json.loads(p.communicate(timeout=180)[0])[0] for p in (a, b)]
        assert sorted(r["status"] for r in reports) == ["active", "held"], reports
        home.withdraw_all_active()


def _tree_hwm_kb(pid: int) -> int:
    """The largest VmHWM (peak resident memory of the process's own image) of ``pid`` and its descendants now
    alive; 0 for processes gone."""
    peak, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/status") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending.extend(int(c) for c in children.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return peak


def _run_watching_memory(home: Home, *args: str) -> tuple[int, str, float]:
    """``saderat ARGS`` in another process: exit status, stdout, and the peak memory (MB) of it and its import
    child, sampled every 20 ms. (``ru_maxrss`` of the children would not do: Linux carries a parent's peak
    across fork and exec, so the children of a large pytest process report at least its size.)"""
    proc = home.start(*args)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, _tree_hwm_kb(proc.pid))
        time.sleep(0.02)
    out, _ = proc.communicate()
    return proc.returncode, out, peak / 1024


def test_bombs_are_refused_with_a_persian_message_while_the_import_stays_small(home, tmp_path):
    """A 16 MB .xlsx whose sheet declares 2.5 GB, and a .csv.gz that expands to 1.5 GB, through the CLI and its
    bounded child (the real default limits), whose memory is watched while they run."""
    import gzip
    import zipfile

    xlsx = tmp_path / "bomb.xlsx"
    chunk = b"<c><v>0</v></c>" * (1 << 16)
    with zipfile.ZipFile(xlsx, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range((2500 << 20) // len(chunk)):
                sheet.write(chunk)
    gz = tmp_path / "bomb.csv.gz"
    line = b"1393,72085100,\xd8\xb9\xd8\xb1\xd8\xa7\xd9\x82,1,1\n" * (1 << 15)
    with gzip.open(gz, "wb", compresslevel=1) as out:
        out.write(b"year,tariff_code,destination,weight_kg,value_usd\n")
        for _ in range((1500 << 20) // len(line)):
            out.write(line)

    peaks = []
    for bomb in (xlsx, gz):
        started = time.monotonic()
        returncode, out, peak_mb = _run_watching_memory(home, "import", str(bomb), "--json")
        elapsed = time.monotonic() - started
        (report,) = json.loads(out)
        assert returncode == 1 and report["status"] == "failed", report
        assert "مگابایت" in report["message"] and bomb.name in report["message"], report["message"]
        print(
            f"\n{bomb.name} ({bomb.stat().st_size / 2**20:.1f} MB) refused in {elapsed:.1f} s, peak memory of "
            f"the CLI and its import child {peak_mb:.0f} MB: {report['message']}"
        )
        assert elapsed < 120
        peaks.append(peak_mb)
    assert 50 < max(peaks) < 1024  # measured (an interpreter with pandas is far above 50 MB), and small
    assert not home.warehouse_batches()
