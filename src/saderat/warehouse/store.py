"""Parquet partitions per import batch, written atomically; read by DuckDB through Ibis.

Layout under the warehouse root::

    facts/batch=<id>/part-0.parquet     committed batches
    _staging/<id>-<random>/             being written (never read)
    _trash/                             being deleted (never read)

A batch becomes visible by a single ``os.rename`` of its staging directory into ``facts/``; it disappears by
a rename into ``_trash/``. Readers therefore see a batch whole or not at all, and a process killed half-way
leaves only staging debris that :meth:`Warehouse.collect_garbage` removes.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path

import ibis
import pyarrow as pa
import pyarrow.parquet as pq

from saderat.warehouse.schema import FACT_SCHEMA

__all__ = ["Warehouse", "SORT_KEYS"]

SORT_KEYS = ("flow", "basis", "year", "region_code", "month")
ROW_GROUP_SIZE = 128_000


class Warehouse:
    """Trade facts stored under ``root``."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.facts_dir = self.root / "facts"
        self.staging_dir = self.root / "_staging"
        self.trash_dir = self.root / "_trash"
        for d in (self.facts_dir, self.staging_dir, self.trash_dir):
            d.mkdir(parents=True, exist_ok=True)

    # -- writing -----------------------------------------------------------------------------------------
    def batch_dir(self, batch_id: int) -> Path:
        return self.facts_dir / f"batch={int(batch_id)}"

    def has_batch(self, batch_id: int) -> bool:
        return self.batch_dir(batch_id).is_dir()

    def write_batch(self, batch_id: int, table: pa.Table) -> Path:
        """Write ``table`` (cast to :data:`FACT_SCHEMA`) as batch ``batch_id``, atomically.

        Raises ``FileExistsError`` if the batch is already committed: batches are append-only.
        """
        final = self.batch_dir(batch_id)
        if final.exists():
            raise FileExistsError(f"batch {batch_id} already exists in the warehouse")
        # Sorted by the columns every query filters on, the row groups' min/max statistics let DuckDB skip
        # most of a multi-year batch when it asks for one year or one province.
        table = (
            table.select(FACT_SCHEMA.names).cast(FACT_SCHEMA).sort_by([(c, "ascending") for c in SORT_KEYS])
        )
        staging = self.staging_dir / f"{int(batch_id)}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            part = staging / "part-0.parquet"
            pq.write_table(table, part, compression="zstd", row_group_size=ROW_GROUP_SIZE)
            with open(part, "rb") as fh:
                os.fsync(fh.fileno())
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def remove_batch(self, batch_id: int) -> bool:
        """Withdraw a batch (rename out of sight, then delete). Returns whether it existed."""
        final = self.batch_dir(batch_id)
        if not final.exists():
            return False
        gone = self.trash_dir / f"{final.name}-{uuid.uuid4().hex}"
        os.rename(final, gone)
        shutil.rmtree(gone, ignore_errors=True)
        return True

    def committed_batches(self) -> list[int]:
        ids = []
        for d in self.facts_dir.glob("batch=*"):
            try:
                ids.append(int(d.name.split("=", 1)[1]))
            except ValueError:
                continue
        return sorted(ids)

    def collect_garbage(self, *, keep: Iterable[int] | None = None) -> list[str]:
        """Delete staging and trash debris, and committed batches not in ``keep`` (when given)."""
        removed = []
        for d in list(self.staging_dir.iterdir()) + list(self.trash_dir.iterdir()):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(d.name)
        if keep is not None:
            keep = set(keep)
            for batch_id in self.committed_batches():
                if batch_id not in keep:
                    self.remove_batch(batch_id)
                    removed.append(f"batch={batch_id}")
        return removed

    # -- world bilateral data (BACI) --------------------------------------------------------------------
    @property
    def bilateral_dir(self) -> Path:
        return self.root / "bilateral"

    def write_bilateral(self, year: int, table: pa.Table) -> Path:
        """Store one year of world bilateral trade (BACI layout, read by ``analytics.potential.read_baci``),
        replacing that year atomically: written aside, then renamed into place."""
        final = self.bilateral_dir / f"year={int(year)}"
        staging = self.staging_dir / f"bilateral-{int(year)}-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            pq.write_table(table, staging / "part-0.parquet", compression="zstd")
            self.bilateral_dir.mkdir(parents=True, exist_ok=True)
            if final.exists():
                os.rename(final, self.trash_dir / f"{final.name}-{uuid.uuid4().hex}")
            os.rename(staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return final

    def bilateral_years(self) -> list[int]:
        if not self.bilateral_dir.exists():
            return []
        return sorted(int(d.name.split("=", 1)[1]) for d in self.bilateral_dir.glob("year=*"))

    def bilateral(self, year: int, *, con: ibis.BaseBackend | None = None) -> ibis.Table:
        con = con or self.connect()
        return con.read_parquet(
            str(self.bilateral_dir / f"year={int(year)}" / "*.parquet"), table_name="bilateral"
        )

    # -- reading -----------------------------------------------------------------------------------------
    def files(self, batch_ids: Iterable[int] | None = None) -> list[str]:
        ids = self.committed_batches() if batch_ids is None else sorted(set(batch_ids))
        return [str(p) for i in ids for p in sorted(self.batch_dir(i).glob("*.parquet"))]

    def connect(self) -> ibis.BaseBackend:
        """A fresh in-process DuckDB connection (cheap; one per request or command)."""
        return ibis.duckdb.connect()

    def facts(
        self, batch_ids: Iterable[int] | None = None, *, con: ibis.BaseBackend | None = None
    ) -> ibis.Table:
        """The fact table over the given committed batches (all committed batches when ``None``)."""
        con = con or self.connect()
        files = self.files(batch_ids)
        if not files:
            return con.create_table("facts_empty", schema=ibis.schema(FACT_SCHEMA), temp=True, overwrite=True)
        return con.read_parquet(files, table_name="facts")
