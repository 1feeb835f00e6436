"""The query engine under the warehouse: DuckDB in-process (the default) or Apache Spark, chosen by configuration.

Every trade query is an Ibis expression (:mod:`saderat.warehouse.queries` and its siblings); this module only
says which backend executes it and how a list of Parquet files becomes an Ibis table on that backend, so the
same code answers on both. Set by environment:

``SADERAT_ENGINE``
    ``duckdb`` (default): one fresh in-process connection per request or command; fast on one machine up to
    a few hundred million lines. ``spark``: a national, multi-year declaration-level warehouse that outgrows
    one machine; the Parquet files must then be on storage that every executor reads (a shared file system,
    HDFS or an object store mounted under the same path).
``SADERAT_SPARK_MASTER``
    The Spark master URL when the engine is Spark: ``local[2]`` (default: in this process's JVM, two
    threads) or a cluster's URL (``spark://host:7077``, ``yarn``...).

Spark 4 runs in ANSI mode: an integer overflow or a division by zero is an error there, where DuckDB gives
``NULL`` or infinity, so the queries guard their divisions (``nullif`` on the divisor) and both engines agree.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa

__all__ = [
    "ENGINES",
    "EngineError",
    "engine_name",
    "connect",
    "read_parquet",
    "empty_table",
    "run_sql",
    "spark_session",
]

ENGINES = ("duckdb", "spark")
DEFAULT_SPARK_MASTER = "local[2]"
_LOG_CONFIG = Path(__file__).with_name("spark-log4j2.properties")


class EngineError(ValueError):
    """The configured engine is unknown or cannot start (the message says which variable to change)."""


def engine_name(value: str | None = None) -> str:
    """The engine to use: ``value``, else ``SADERAT_ENGINE``, else ``duckdb``.

    >>> engine_name("Spark")
    'spark'
    >>> engine_name("oracle")
    Traceback (most recent call last):
    ...
    saderat.warehouse.engine.EngineError: SADERAT_ENGINE must be one of duckdb, spark (got 'oracle')
    """
    name = (value if value is not None else os.environ.get("SADERAT_ENGINE", "")).strip().lower() or "duckdb"
    if name not in ENGINES:
        raise EngineError(f"SADERAT_ENGINE must be one of {', '.join(ENGINES)} (got {name!r})")
    return name


_SPARK_LOCK = threading.Lock()
_SPARK: dict[str, object] = {}


def spark_session():
    """The process's SparkSession (started on first use, then shared: a JVM per request would cost seconds).

    Settings chosen for this workload: no web UI and no console progress bars (a command's output is its
    answer); few shuffle partitions, because a query's groups are small once the facts are filtered.
    """
    with _SPARK_LOCK:
        session = _SPARK.get("session")
        if session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError as exc:  # pragma: no cover - pyspark is a pinned dependency
                raise EngineError(
                    "SADERAT_ENGINE=spark needs PySpark 4.0 (pip install 'pyspark==4.0.*')"
                ) from exc
            master = os.environ.get("SADERAT_SPARK_MASTER", "").strip() or DEFAULT_SPARK_MASTER
            try:
                session = (
                    SparkSession.builder.master(master)
                    .appName("saderat")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", os.environ.get("SADERAT_SPARK_PARTITIONS", "4"))
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG_CONFIG}")
                    .getOrCreate()
                )
            except Exception as exc:  # no Java, wrong master URL: say what to fix, not a JVM stack
                raise EngineError(
                    f"Spark did not start (SADERAT_SPARK_MASTER={master!r}; Java 17 must be on PATH or in "
                    f"JAVA_HOME): {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                ) from exc
            session.sparkContext.setLogLevel("ERROR")
            _SPARK["session"] = session
            _SPARK["backend"] = ibis.pyspark.connect(session)
        return _SPARK["backend"]


def connect(engine: str | None = None) -> ibis.BaseBackend:
    """A backend to run queries on: a fresh in-process DuckDB connection (cheap; one per request or command),
    or the process's Spark backend."""
    if engine_name(engine) == "spark":
        return spark_session()
    return ibis.duckdb.connect()


def is_spark(con: ibis.BaseBackend) -> bool:
    return con.name == "pyspark"


def _view_name(prefix: str, files: Sequence[str], options: dict) -> str:
    """A name per file list: Spark's temporary views live as long as the session and are shared by every
    request of the process, so two different lists must never take the same name."""
    digest = hashlib.sha1("\0".join([*files, repr(sorted(options.items()))]).encode()).hexdigest()[:16]
    return f"{prefix}_{digest}"


def read_parquet(
    con: ibis.BaseBackend,
    files: Sequence[str],
    *,
    table_name: str,
    base_path: str | None = None,
    union_by_name: bool = False,
) -> ibis.Table:
    """The Parquet ``files`` as one Ibis table on ``con``.

    ``base_path`` is the folder whose ``key=value`` sub-folders are partition columns (DuckDB finds them
    itself; Spark needs to be told when given files rather than a folder). ``union_by_name`` matches the
    files' columns by name, a column missing from some files reading as null.
    """
    files = [str(f) for f in files]
    if is_spark(con):
        options = {"mergeSchema": "true"} if union_by_name else {}
        if base_path is not None:
            options["basePath"] = str(base_path)
        name = _view_name(table_name, files, options)
        session = con._session
        session.read.options(**options).parquet(*files).createOrReplaceTempView(name)
        return con.table(name)
    if union_by_name:
        return con.read_parquet(files, table_name=table_name, union_by_name=True)
    return con.read_parquet(files, table_name=table_name)


def run_sql(con: ibis.BaseBackend, sql: str) -> pd.DataFrame:
    """The result of ``sql`` (in the backend's dialect, compiled from an Ibis expression) as a DataFrame,
    run as it is: through the engine's own client, not ``con.sql`` (which parses the text again with sqlglot,
    ~40 ms for the dynamics query). The tables it names must be on ``con``. On DuckDB, ``execute`` rather than
    a relation (``con.con.sql``), which binds the query once more before running it: 0.55 against 0.57 s for
    the dynamics on 10 M lines, median of 13 interleaved. The result is then fetched from the connection, so
    ``con`` must not be shared between threads (every ``Warehouse.connect`` is a connection of its own)."""
    if is_spark(con):
        return con.raw_sql(sql).toPandas()
    return con.con.execute(sql).df()


def empty_table(con: ibis.BaseBackend, schema: pa.Schema, *, table_name: str) -> ibis.Table:
    """A table of ``schema`` with no rows, for a store that holds no batch yet."""
    if is_spark(con):
        return ibis.memtable(schema.empty_table())
    return con.create_table(table_name, schema=ibis.schema(schema), temp=True, overwrite=True)
