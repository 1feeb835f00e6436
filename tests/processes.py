"""Real processes for fault and concurrency tests: a data directory and a database of their own (a SQLite
file, or a fresh database on the PostgreSQL server of DATABASE_URL), and the ``saderat`` command run against
them in other processes (the session's test database is invisible to other processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

#: Seconds without a heartbeat after which the homes' reaper fails an import (45 in production).
STALE_SECONDS = 6


class Home:
    """A data directory and database, and the ``saderat`` command run against them in other processes."""

    def __init__(self, root: Path, database_url: str | None):
        self.root = root
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SADERAT_"))}
        self.env.pop("DATABASE_URL", None)
        self.env.update(
            SADERAT_HOME=str(root),
            DJANGO_SETTINGS_MODULE="saderat.web.config.settings.dev",
            SADERAT_IMPORT_HEARTBEAT_SECONDS="1",
            SADERAT_IMPORT_STALE_SECONDS=str(STALE_SECONDS),
            SADERAT_WORKER_REAP_SECONDS="1",
            # The fault tests' workers run imports only (tests/web/common/test_materialise.py turns it on).
            SADERAT_MATERIALISE_FIGURES="false",
        )
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "saderat.cli", *args]

    def run(self, *args: str, env: dict | None = None, check: bool = True, timeout: int = 300):
        result = subprocess.run(
            self.command(*args),
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"saderat {' '.join(args)} exited {result.returncode}: {result.stderr[-3000:]}"
            )
        return result

    def start(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(*args),
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def json(self, *args: str):
        return json.loads(self.run(*args, "--json").stdout)

    def python(self, code: str):
        """Run ORM code in a process of this home; the code prints JSON, which is returned."""
        out = self.run("manage", "shell", "-c", code).stdout
        return json.loads(out.strip().splitlines()[-1])

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """Read the home's database directly (no process to start): the tests poll it often."""
        url = self.env.get("DATABASE_URL")
        if url:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                return conn.execute(query.replace("?", "%s"), params).fetchall()
        import sqlite3

        with sqlite3.connect(self.root / "saderat.sqlite3", timeout=30) as conn:
            return conn.execute(query, params).fetchall()


def fresh_postgres_database(url: str) -> tuple[str, callable]:
    import psycopg

    name = f"saderat_fault_{uuid.uuid4().hex[:10]}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return f"{base}/{name}", drop


def make_home(tmp_path_factory, name: str, cls: type[Home] = Home, **extra_env) -> tuple[Home, callable]:
    """A set-up home (reference tables loaded) on the session's engine; call the second value to drop it."""
    url = os.environ.get("DATABASE_URL", "")
    drop = None
    database_url = None
    if url.startswith("postgres"):
        database_url, drop = fresh_postgres_database(url)
    home = cls(tmp_path_factory.mktemp(name), database_url)
    home.env.update(extra_env)
    home.run("setup", "--quiet")
    return home, (drop or (lambda: None))
