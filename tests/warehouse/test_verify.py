"""The warehouse checks itself: fingerprints of committed batches, cheap and deep verification against them,
orphans set aside in _trash/ (kept for the retention), never deleted with the staging debris."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import time

import pyarrow.parquet as pq
import pytest
from tests.warehouse.test_store import facts_table

from saderat.warehouse import Warehouse, queries, store

ROWS = [(1402, "00", "IRQ", "72085100", 1000 + i, 500 + i) for i in range(2000)]


def flip_byte(path, offset: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ 0xFF]))


def data_offset(path) -> int:
    """Somewhere in the first data page of the value column: a flip there leaves size and footer intact."""
    md = pq.ParquetFile(path).metadata
    col = md.schema.names.index("value_usd")
    chunk = md.row_group(0).column(col)
    return chunk.data_page_offset + chunk.total_compressed_size // 2


@pytest.fixture
def wh(tmp_path):
    w = Warehouse(tmp_path)
    w.write_batch(1, facts_table(1, ROWS))
    return w


def test_fingerprint_is_the_files_checksum_size_and_footer_rows(wh):
    part = wh.batch_dir(1) / "part-0.parquet"
    fp = wh.fingerprint(1)
    assert fp.sha256 == hashlib.sha256(part.read_bytes()).hexdigest()
    assert fp.bytes == part.stat().st_size
    assert fp.rows == len(ROWS) == pq.ParquetFile(part).metadata.num_rows
    with pytest.raises(FileNotFoundError):
        wh.fingerprint(99)


def test_a_whole_batch_verifies_cheaply_and_deeply(wh):
    fp = wh.fingerprint(1)
    assert wh.verify(1, expected_bytes=fp.bytes, expected_rows=fp.rows) is None
    assert (
        wh.verify(1, expected_bytes=fp.bytes, expected_rows=fp.rows, expected_sha256=fp.sha256, deep=True)
        is None
    )


def test_each_kind_of_damage_has_its_reason(wh):
    fp = wh.fingerprint(1)
    expect = {"expected_bytes": fp.bytes, "expected_rows": fp.rows}
    assert (
        wh.verify(1, expected_bytes=fp.bytes, expected_rows=fp.rows + 1)
        == f"rows-differ: {fp.rows} != {fp.rows + 1}"
    )
    assert wh.verify(2, **expect) == store.MISSING_FOLDER
    part = wh.batch_dir(1) / "part-0.parquet"
    original = part.read_bytes()

    os.truncate(part, 1000)
    assert wh.verify(1, **expect) == f"size-differs: 1000 != {fp.bytes}"
    assert wh.verify(1, expected_bytes=None, expected_rows=None).startswith(store.UNREADABLE_FOOTER)

    part.write_bytes(original)
    flip_byte(part, data_offset(part))
    assert part.stat().st_size == fp.bytes
    # Same size, footer intact: only the deep check sees it (the checksum, and the page checksum on a full read).
    assert wh.verify(1, **expect) is None
    assert wh.verify(1, **expect, expected_sha256=fp.sha256, deep=True).startswith(store.CHECKSUM_DIFFERS)
    assert wh.verify(1, **expect, deep=True).startswith(store.UNREADABLE_DATA)

    part.unlink()
    assert wh.verify(1, **expect) == store.MISSING_FILE
    part.write_bytes(original)  # restored: whole again
    assert wh.verify(1, **expect, expected_sha256=fp.sha256, deep=True) is None


def test_the_cheap_check_is_remembered_per_file_state(wh, tmp_path):
    """~30 batches verified per page request: after the first footer read it is a stat per file."""
    for i in range(2, 31):
        wh.write_batch(i, facts_table(i, ROWS[:50]))
    expected = {i: wh.fingerprint(i) for i in range(1, 31)}

    def verify_all():
        return [wh.verify(i, expected_bytes=f.bytes, expected_rows=f.rows) for i, f in expected.items()]

    assert verify_all() == [None] * 30  # first: reads 30 footers
    t0 = time.perf_counter()
    rounds = 50
    for _ in range(rounds):
        assert verify_all() == [None] * 30
    per_request_ms = (time.perf_counter() - t0) / rounds * 1000
    print(f"cheap verification of 30 batches: {per_request_ms:.3f} ms per request")
    assert per_request_ms < 5
    # A change of the file (size or mtime) is read again, not served from memory.
    part = wh.batch_dir(3) / "part-0.parquet"
    os.truncate(part, 1000)
    assert wh.verify(3, expected_bytes=None, expected_rows=None).startswith(store.UNREADABLE_FOOTER)


def test_move_to_trash_keeps_the_folder_out_of_reads(wh):
    target = wh.move_to_trash("batch=1")
    assert target.parent == wh.trash_dir and target.name.startswith("batch=1-")
    assert (target / "part-0.parquet").is_file()
    assert wh.committed_batches() == []
    assert queries.totals(wh.facts(), year=1402)["rows"] == 0
    with pytest.raises(ValueError):
        wh.move_to_trash("../_staging")
    with pytest.raises(FileNotFoundError):
        wh.move_to_trash("batch=1")


def test_garbage_collection_never_deletes_a_committed_batch(wh):
    wh.write_batch(2, facts_table(2, ROWS[:10]))
    (wh.staging_dir / "7-0123abcd").mkdir()  # batch 7 is still being written
    (wh.staging_dir / "8-0123abcd").mkdir()  # debris of a killed import
    (wh.trash_dir / "batch=5-0123456789abcdef0123456789abcdef").mkdir()  # a withdrawal's leftovers

    report = wh.collect_garbage(keep=lambda: [1, 7])
    assert report.staging_removed == ["8-0123abcd"]
    assert report.trash_removed == ["batch=5-0123456789abcdef0123456789abcdef"]
    assert (wh.staging_dir / "7-0123abcd").is_dir()  # still being written: left alone
    assert [name for name, _ in report.orphans_trashed] == ["batch=2"]
    assert wh.committed_batches() == [1]
    ((_, kept),) = report.orphans_trashed
    assert (kept / "part-0.parquet").is_file()

    # Kept for the retention period, then deleted.
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=29)
    assert wh.collect_garbage(keep=[1, 7], now=soon).trash_removed == []
    assert kept.is_dir()
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert wh.collect_garbage(keep=[1, 7], now=later).trash_removed == [kept.name]
    assert not kept.exists()
    shorter = wh.move_to_trash("batch=1")
    assert wh.collect_garbage(keep=[], trash_retention=dt.timedelta(0)).trash_removed == [shorter.name]


def test_without_keep_no_committed_folder_is_touched(wh):
    wh.write_batch(2, facts_table(2, ROWS[:10]))
    report = wh.collect_garbage()
    assert wh.committed_batches() == [1, 2] and report.orphans_trashed == []


def test_a_notification_or_world_year_being_written_is_left_alone_until_it_is_old(wh):
    """Staging folders named by no trade batch (a notification file, a BACI year) carry no id the caller can
    vouch for: only those older than the grace period are debris."""
    young = wh.staging_dir / "notifications-12-0123abcd"
    old = wh.staging_dir / "bilateral-2017-0123abcd"
    young.mkdir()
    old.mkdir()
    hours_ago = time.time() - 2 * store.OTHER_STAGING_GRACE.total_seconds()
    os.utime(old, (hours_ago, hours_ago))
    report = wh.collect_garbage(keep=lambda: [])
    assert report.staging_removed == ["bilateral-2017-0123abcd"]
    assert young.is_dir() and not old.exists()


def test_first_run_removes_staging_debris_and_deletion_leftovers(wh):
    (wh.staging_dir / "8-0123abcd").mkdir()
    leftovers = wh.trash_dir / "batch=5-0123456789abcdef0123456789abcdef"
    leftovers.mkdir()
    report = wh.collect_garbage(keep=[1])
    assert report.staging_removed == ["8-0123abcd"] and report.trash_removed == [leftovers.name]
    assert list(wh.staging_dir.iterdir()) == [] and not leftovers.exists()
    assert wh.committed_batches() == [1]


def test_restoring_a_trashed_folder_makes_it_readable_again(wh):
    fp = wh.fingerprint(1)
    target = wh.move_to_trash("batch=1")
    shutil.move(target, wh.batch_dir(1))
    assert (
        wh.verify(1, expected_bytes=fp.bytes, expected_rows=fp.rows, expected_sha256=fp.sha256, deep=True)
        is None
    )
