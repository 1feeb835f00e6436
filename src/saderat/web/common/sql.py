"""Hand-written SQL for the small reads that every request makes: the keys of the caches (data version,
reference fingerprint, quality registers' stamps, active batches, unread notifications).

The ORM spent 0.1-0.25 ms building each of these queries, several times what the database took to answer
them; a kept page's request asks five of them. They are written here once, with quoted table and column
names and ``%s`` parameters, so they run on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection


def table(model) -> str:
    """The quoted table name of ``model``."""
    return connection.ops.quote_name(model._meta.db_table)


def column(model, field: str) -> str:
    """The quoted column name of ``model.field``."""
    return connection.ops.quote_name(model._meta.get_field(field).column)


def fetch(query: str, params: Sequence = ()) -> list[tuple]:
    """Every row of ``query``."""
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall()


def fetch_one(query: str, params: Sequence = ()) -> tuple:
    """The one row of ``query`` (an aggregate)."""
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchone()
