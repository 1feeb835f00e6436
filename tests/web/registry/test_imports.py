"""Registry imports with real processes: two imports of the same file at the same moment, and an import killed
with SIGKILL while it reads, after validation and inside its transaction. Nothing is half-recorded, nothing
stays "running", and the file imported again afterwards gives the same registry as a clean import."""

from __future__ import annotations

import csv
import json
import os
import signal
import time
import uuid
from pathlib import Path

import pytest
from tests.files import nid
from tests.processes import make_home

ROWS = [[nid(f"14123{n:05d}"), f"شرکت نمونه {n} صنعت", "سهامی خاص", "اراک", "2410"] for n in range(1, 41)]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    h, drop = make_home(tmp_path_factory, "registry-home")
    yield h
    drop()


@pytest.fixture
def firms_file(tmp_path) -> Path:
    path = tmp_path / f"firms-{uuid.uuid4().hex[:6]}.csv"
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(["شناسه ملی", "نام", "نوع شخصیت", "شهرستان", "کد آیسیک"])
        writer.writerows(ROWS)
    return path


def registry_state(home) -> dict:
    return {
        "firms": home.sql("SELECT COUNT(*) FROM registry_firm")[0][0],
        "changes": home.sql("SELECT COUNT(*) FROM registry_registrychange")[0][0],
        "batches": [
            (status, rows)
            for status, rows in home.sql(
                "SELECT status, rows_accepted FROM registry_registrybatch ORDER BY id"
            )
        ],
    }


def withdraw_all(home) -> None:
    for (batch_id,) in home.sql("SELECT id FROM registry_registrybatch WHERE status = 'active'"):
        home.python(
            "import json; from saderat.web.registry.models import RegistryBatch; "
            "from saderat.web.registry.services import registry_batch_withdraw; "
            "from saderat.web.accounts.services import user_create; "
            "from saderat.web.accounts.models import User; "
            "u = User.objects.filter(username='sec').first() or user_create(username='sec', password='sec-pass-12345', role='secretariat', agency_code='imt'); "
            f"registry_batch_withdraw(batch=RegistryBatch.objects.get(pk={batch_id}), user=u); print('[]')"
        )
    assert home.sql("SELECT COUNT(*) FROM registry_firm")[0][0] == 0


def test_two_imports_of_the_same_file_at_once(home, firms_file, tmp_path):
    """Both processes read and validate, wait at the same point, and are released together: one records the
    file, the other finds it recorded (duplicate); 40 firms, once."""
    release = tmp_path / "release"
    env = {"SADERAT_FAULT_STAGE": "validate", "SADERAT_FAULT_RELEASE": str(release)}
    markers = [tmp_path / f"m{i}" for i in range(2)]
    procs = [
        home.start(
            "registry", "import", str(firms_file), "--json", env={**env, "SADERAT_FAULT_MARKER": str(m)}
        )
        for m in markers
    ]
    deadline = time.monotonic() + 120
    while not all(m.exists() and m.read_text() for m in markers):
        assert time.monotonic() < deadline, [p.stderr.read() for p in procs if p.poll() is not None]
        time.sleep(0.05)
    release.write_text("go")
    outputs = [json.loads(p.communicate(timeout=180)[0])[0] for p in procs]
    statuses = sorted(o["status"] for o in outputs)
    assert statuses == ["active", "duplicate"], outputs
    state = registry_state(home)
    assert state["firms"] == 40
    assert home.sql("SELECT COUNT(*) FROM registry_registrychange WHERE field = '*'")[0][0] == 40
    withdraw_all(home)


@pytest.mark.parametrize("stage", ["read", "validate", "commit"])
def test_an_import_killed_at_each_stage_leaves_nothing(home, firms_file, tmp_path, stage):
    marker = tmp_path / f"reached-{stage}"
    proc = home.start(
        "registry",
        "import",
        str(firms_file),
        "--json",
        env={"SADERAT_FAULT_STAGE": stage, "SADERAT_FAULT_MARKER": str(marker)},
    )
    deadline = time.monotonic() + 120
    while not (marker.exists() and marker.read_text()):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"the import never reached {stage}"
        time.sleep(0.05)
    os.kill(int(marker.read_text()), signal.SIGKILL)
    proc.wait(timeout=60)
    before = registry_state(home)
    assert before["firms"] == 0 and before["changes"] == 0, before
    assert before["batches"][-1][0] == "running"
    # The worker's reaper (here called directly, as its housekeeping thread does) sees the process gone.
    reaped = home.python(
        "import json; from saderat.web.registry.services import registry_reap_stale; print(json.dumps(registry_reap_stale()))"
    )
    assert reaped == 1
    (status, message), *_ = home.sql("SELECT status, message FROM registry_registrybatch ORDER BY id DESC")
    assert status == "failed" and "هیچ رکوردی ثبت نشد" in message
    # The same file imported again (no fault) is recorded whole.
    out = home.json("registry", "import", str(firms_file))
    assert out[0]["status"] == "active" and out[0]["created_records"] == 40
    withdraw_all(home)
