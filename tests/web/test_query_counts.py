"""No N+1 and one warehouse per request: the main pages read the workspace database a bounded number of times
whatever the number of targets, and open one DuckDB connection (``common.request_memo``).

The cache is emptied before each measured request, so every figure is computed: these are the cold paths'
counts.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saderat.warehouse import Warehouse

pytestmark = pytest.mark.django_db

#: (page, most SQL queries on a cold cache). Measured 2026-12-03 before the request memo: dashboard 82,
#: targets 49, opportunities 33, working group 9, JSON overview 14.
PAGES = [
    ("/?year=1404", 36),
    (reverse("targets:list") + "?year=1404", 22),
    (reverse("targets:league") + "?year=1404", 25),
    (reverse("opportunities:list"), 18),
    (reverse("workgroup:home"), 12),
    ("/api/stats/overview?year=1402", 14),
]


@pytest.fixture
def demo_targets(people):
    from saderat.web.demo import create_targets, enter_reports

    enter_reports("00")
    create_targets("00")
    return people


def measure(client, url: str) -> tuple[int, int, int]:
    """(HTTP status, SQL queries, DuckDB connections opened) of one request on an empty cache."""
    from saderat.web.common.cache import clear_figures

    clear_figures()
    opened = []
    original = Warehouse.connect

    def connect(self):
        opened.append(1)
        return original(self)

    with mock.patch.object(Warehouse, "connect", connect), CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries.captured_queries), len(opened)


@pytest.mark.parametrize(("url", "most"), PAGES)
def test_main_pages_read_the_database_a_bounded_number_of_times(client, demo_targets, url, most):
    client.force_login(demo_targets["alice"])
    client.get(url)  # the first request of a process also loads reference lookups
    status, queries, connections = measure(client, url)
    assert status == 200
    assert queries <= most, f"{url}: {queries} SQL queries (at most {most})"
    assert connections <= 1, f"{url}: {connections} DuckDB connections in one request"


def test_more_targets_cost_no_more_queries(client, demo_targets):
    """Targets of every scope (county, section, office, market): the list and the dashboard read the
    database as many times with four more targets as without them."""
    from saderat.web.targets.services import target_create

    client.force_login(demo_targets["alice"])
    urls = ["/?year=1404", reverse("targets:list") + "?year=1404"]
    for url in urls:
        client.get(url)
    before = [measure(client, url)[1] for url in urls]
    for dimension, code in (("county", "0004"), ("section", "VI"), ("office", "15201"), ("market", "AFG")):
        target_create(
            user=demo_targets["alice"], year=1404, metric="value_usd", value=5e7, region="00",
            dimension=dimension, dimension_code=code, basis="customs", baseline=4e7,
        )  # fmt: skip
    after = [measure(client, url)[1] for url in urls]
    assert after == before, f"queries with 4 more targets: {after} (before: {before})"
