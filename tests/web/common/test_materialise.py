"""Every page's figures are materialised when the data change: after :func:`materialise`, the main pages'
first request on an emptied cache reads no trade fact (no DuckDB connection is opened), and the worker
materialises a new data version by itself."""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse
from tests.conftest import REPO
from tests.processes import make_home

from saderat.warehouse import Warehouse
from saderat.web.common import materialise as m
from saderat.web.common.cache import figure_store

pytestmark = pytest.mark.django_db
FILE_1393 = REPO / "src" / "saderat" / "data" / "demo" / "irica-exports-1393.csv.gz"


@pytest.fixture
def demo_targets(people):
    from saderat.web.demo import create_targets, enter_reports

    enter_reports("00")
    create_targets("00")
    return people


def connections_opened(client, url: str) -> tuple[int, int]:
    """(HTTP status, DuckDB connections opened) of one request."""
    opened = []
    original = Warehouse.connect

    def connect(self):
        opened.append(1)
        return original(self)

    with mock.patch.object(Warehouse, "connect", connect):
        response = client.get(url)
    return response.status_code, len(opened)


def test_materialised_pages_read_no_fact_on_an_emptied_cache(client, demo_targets):
    from saderat.web.opportunities import selectors as opportunities
    from saderat.web.opportunities.views import _params

    report = m.materialise(languages=("fa",))
    assert not report.failed and not report.skipped
    assert "dashboard (fa)" in report.figures and report.seconds > 0
    p = _params(m._default_request())
    ranked, _ = opportunities.opportunities(
        region=p["region"], year=p["year"], strategy=p["strategy"], against=p["against"], limit=50
    )
    hs4 = ranked["hs4"].iloc[0]  # the first product page the list links
    from saderat.web.stats.views import _params as stats_params

    year = stats_params(m._default_request())["year"]  # the dashboard's year
    cache.clear()  # the cache emptied (a restart with another cache, an operator): the store remains
    client.force_login(demo_targets["alice"])
    for url in (
        "/",
        reverse("stats:performance"),
        reverse("targets:list"),
        reverse("opportunities:list"),
        reverse("opportunities:product", args=[hs4]),
        reverse("registry:dynamics"),
        reverse("quality:compliance"),
        f"/api/stats/overview?year={year}",
    ):
        status, opened = connections_opened(client, url)
        assert status == 200, url
        assert opened == 0, f"{url} opened {opened} DuckDB connection(s) after materialisation"


def test_a_page_not_materialised_still_computes_its_figures(client, demo_targets, monkeypatch):
    """Another year than the default is computed on demand (and kept): materialising is an optimisation,
    never a condition."""
    monkeypatch.setattr(m, "PAGES", {"dashboard": m._dashboard})  # (the other pages: the test above)
    m.materialise(languages=("fa",))
    client.force_login(demo_targets["alice"])
    status, opened = connections_opened(client, "/?year=1403")
    assert status == 200 and opened == 1
    cache.clear()
    status, opened = connections_opened(client, "/?year=1403")
    assert status == 200 and opened == 0  # computed once, kept in the store


def test_a_version_is_materialised_once_and_a_new_version_again(demo_targets, monkeypatch):
    monkeypatch.setattr(m, "PAGES", {"targets": m._targets})
    first = m.materialise(languages=("fa",))
    assert not first.skipped
    again = m.materialise(languages=("fa",))
    assert again.skipped and again.version == first.version
    from saderat.web.targets.models import Target
    from saderat.web.targets.services import target_revise

    target = Target.objects.first()
    target_revise(
        user=demo_targets["alice"], target=target, value=1.5 * target.current.value, reason="بازنگری"
    )
    new = m.materialise(languages=("fa",))
    assert not new.skipped and new.version != first.version
    assert figure_store().get(m.marker_key(new.version, ["fa"])) is not None


def test_new_code_materialises_the_same_data_version_again(demo_targets, monkeypatch):
    """After an upgrade a figure's key may have changed: the marker names the code, so the worker fills the
    store again for the data version it already did, instead of leaving the pages to compute on demand."""
    from saderat.web.common import cache as figure_cache

    first = m.materialise(languages=("fa",))
    assert m.materialise(languages=("fa",)).skipped
    monkeypatch.setattr(figure_cache, "code_version", lambda: "an-upgrade")
    upgraded = m.materialise(languages=("fa",))
    assert not upgraded.skipped and upgraded.version == first.version
    assert m.materialise(languages=("fa",)).skipped


def test_a_failing_page_is_logged_and_the_others_still_materialised(demo_targets, monkeypatch, caplog):
    def broken() -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(m, "PAGES", {"dashboard": broken, "targets": m._targets})
    report = m.materialise(languages=("fa",))
    assert report.failed == ["dashboard (fa)"]
    assert report.figures == ["targets (fa)"]
    assert "materialising the figures of dashboard (fa) failed" in caplog.text


def test_the_worker_materialises_a_new_data_version_by_itself(tmp_path_factory):
    """A real ``saderat worker``: an import activated by the command line changes the data version, and the
    worker's figures thread writes the new version's figures to the store within two minutes."""
    home, drop = make_home(tmp_path_factory, "figures-home", SADERAT_MATERIALISE_FIGURES="true")
    worker = home.start("worker", "--interval", "0.2")
    try:
        home.run("import", str(FILE_1393))
        version = home.python(
            "import json; from saderat.web.common.cache import data_version; print(json.dumps(data_version()))"
        )
        marker = m.marker_key(version, ["fa", "en"])
        deadline = time.monotonic() + 120
        found = False
        while time.monotonic() < deadline and not found:
            time.sleep(2)
            found = home.python(
                "import json; from saderat.web.common.cache import figure_store; "
                f"print(json.dumps(figure_store().get({marker!r}) is not None))"
            )
        assert found, "the worker did not materialise the new data version"
        assert any((home.root / "warehouse" / "figures").iterdir())  # kept with the warehouse
    finally:
        worker.terminate()
        worker.wait(30)
        drop()
