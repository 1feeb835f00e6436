"""The warehouse: trade facts as Parquet files, one partition per import batch, read through Ibis + DuckDB.

This package is the only code that knows where facts are stored. Everything else asks it for an Ibis table
(:meth:`Warehouse.facts`) or for the ready-made aggregations in :mod:`saderat.warehouse.queries`.
"""

from saderat.warehouse.schema import FACT_COLUMNS, FACT_SCHEMA
from saderat.warehouse.store import BatchFingerprint, GarbageReport, Warehouse

__all__ = ["FACT_COLUMNS", "FACT_SCHEMA", "BatchFingerprint", "GarbageReport", "Warehouse"]
