"""A replacement decided on a held batch, its import process killed inside the commit (real processes: the
worker and its bounded import child, SIGKILL): the old batch stays active and nothing of the new one is
visible; the retry then completes the same decision (the old batch withdrawn by the user who decided)."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest
from tests.processes import make_home
from tests.web.imports.test_faults import FILE_1393, TradeHome, _fault_env, _same_year_other_file, _wait_for


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    h, drop = make_home(tmp_path_factory, "decision-home", TradeHome)
    yield h
    drop()


def _wait_for_status(home, batch_id: int, wanted: str, *, seconds: float = 90) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        batch = home.batch(batch_id)
        if batch["status"] == wanted:
            return batch
        time.sleep(0.5)
    raise AssertionError(f"batch {batch_id} is {home.batch(batch_id)['status']}, not {wanted}")


def test_a_replacement_killed_inside_its_commit_leaves_the_old_batch_active(home, tmp_path):
    (old,) = home.json("import", str(FILE_1393))
    assert old["status"] == "active", old
    held_run = home.run("import", str(_same_year_other_file(tmp_path)), "--json", check=False)
    (held,) = json.loads(held_run.stdout)
    assert held["status"] == "held", held
    decided = home.python(
        "import json; from saderat.web.accounts.services import user_create; "
        "from saderat.web.imports.models import ImportBatch; from saderat.web.imports.services import batch_decide; "
        "u = user_create(username='sara', password='sara-pass-1234', role='secretariat', agency_code='imt'); "
        f"r = batch_decide(batch=ImportBatch.objects.get(pk={held['batch']}), decision='replace', user=u, "
        f"replaces=[{old['batch']}]); print(json.dumps([r.batch.status, u.pk]))"
    )
    status, sara = decided
    assert status == "queued"  # the decision and its job committed together; the worker runs it

    env, marker = _fault_env(tmp_path, "commit")
    worker = home.start("worker", "--interval", "0.2", "--until-empty", env=env)
    child = _wait_for(marker)
    os.kill(
        child, signal.SIGKILL
    )  # inside the transaction that withdraws the old batch and activates this one
    worker.communicate(timeout=120)
    failed = _wait_for_status(home, held["batch"], "failed")
    assert "ناگهان پایان یافت" in failed["message"]
    assert home.active_ids() == [old["batch"]]  # nothing half-done: the old batch was not withdrawn
    assert home.warehouse_batches() == [f"batch={old['batch']}"]

    assert home.retry(held["batch"]) == "queued"  # the same decision, taken again by the job
    home.run("worker", "--until-empty", "--interval", "0.2")
    assert home.active_ids() == [held["batch"]]
    assert home.batch(old["batch"])["status"] == "withdrawn"
    ((withdrawn_by,),) = home.sql(
        "SELECT withdrawn_by_id FROM imports_importbatch WHERE id = ?", (old["batch"],)
    )
    assert withdrawn_by == sara
    assert home.warehouse_batches() == [f"batch={held['batch']}"]
    events = home.sql(
        "SELECT action, user_id, changes FROM common_auditevent WHERE object_id IN (?, ?) "
        "AND model = 'imports.ImportBatch' ORDER BY id",
        (str(old["batch"]), str(held["batch"])),
    )
    # PostgreSQL's driver returns the JSON column as a dict, SQLite's as its text.
    changes = [(a, u, c if isinstance(c, dict) else json.loads(c)) for a, u, c in events]
    decisions = [(a, u, c["decision"]) for a, u, c in changes if c.get("decision")]
    assert ("accept_held", sara, "replace") in decisions  # the decision, by whom
    assert ("withdraw", sara, "replace") in decisions  # the old batch's withdrawal, by the same user
    assert ("import", sara, "replace") in decisions
