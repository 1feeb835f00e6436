"""Every page's figures, computed when the data change instead of on a visitor's first request.

A page's figures are cached per data version (:mod:`saderat.web.common.cache`), so after an import, a
withdrawal or any audited edit the first visitor of each page used to wait for its figures to be computed
from the raw facts (seconds). :func:`materialise` computes them ahead: the figures of every main page as its
default view shows them (the province, the latest year, the default basis, level and strategy; the product
pages of the top opportunities), in Persian and English, and writes them to the figure store, which is kept
with the warehouse and survives a restart or an emptied cache.

The import worker (``saderat worker``) runs :func:`materialise_when_stale` on a thread of its own: a few
seconds after the data version settles, the figures of the new version are on disk. ``saderat demo`` runs
:func:`materialise` (in Persian) before it prints the login. A view that asks for other arguments (another
year, a county) computes its figures on demand, as before, and they are kept too.

The defaults come from the views' own parameter parsers, given a request without a query string, so the
figures materialised are the ones the pages read.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

log = logging.getLogger(__name__)

#: How many of the top opportunities' product pages are materialised (the list links the first ones).
PRODUCT_PAGES = 25
LANGUAGES = ("fa", "en")
_MARKER = "saderat:materialised:"


def marker_key(version: str, languages: tuple[str, ...] | list[str]) -> str:
    """The figure-store key that says ``version`` is materialised in ``languages`` by this code. The figures'
    keys hold the country too (:func:`saderat.web.common.cache.cached`): another country, other figures. The
    code's stamp is part of it: after an upgrade (a figure's key or meaning may have changed) the worker
    materialises the same data version again instead of leaving every page to compute on demand."""
    from saderat.web.common.cache import code_version

    return f"{_MARKER}{version}:{','.join(languages)}:{settings.SADERAT_COUNTRY}:{code_version()}"


@dataclass
class MaterialiseReport:
    version: str
    seconds: float = 0.0
    figures: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: bool = False


def _default_request() -> HttpRequest:
    request = HttpRequest()
    request.method = "GET"
    return request


def _dashboard() -> None:
    """The dashboard and the statistics page (``/``, ``/stats/``), the customs offices and its tiles."""
    from saderat.web.quality import figures as quality
    from saderat.web.stats import selectors as stats
    from saderat.web.stats.views import _params
    from saderat.web.targets.selectors import target_years, targets_status

    p = _params(_default_request())
    if p["year"] is not None:
        region, year, basis = p["region"], p["year"], p["basis"]
        stats.export_overview(region=region, year=year, basis=basis)
        stats.top_products(region=region, year=year, level=p["level"], basis=basis)
        stats.top_markets(region=region, year=year, basis=basis, limit=200)
        stats.export_series(region=region, basis=basis)
        stats.customs_office_league(year=year, highlight_region=region)
        for other in p["years"]:  # the overview of every year (the year menu; the API's stats overview)
            stats.export_overview(region=region, year=other, basis=basis)
    years = target_years()
    if years:
        targets_status(year=years[-1])
    _quality_tiles(settings.SADERAT_PROVINCE, quality)


def _quality_tiles(region: str, quality) -> None:
    """The quality tiles of the dashboard and the directorate's home, the compliance page's default (for
    users without and with firm-level rights) and the notifications page's affected lines."""
    from saderat.web.quality.views import _compliance_params
    from saderat.web.stats.selectors import export_years

    years = export_years(region=region)
    if years:
        quality.compliance_cached(region=region, year=max(years), list_limit=0)  # the dashboard's tile
    p = _compliance_params(_default_request())
    if p["year"]:
        for list_limit in (0, 500):
            quality.compliance_cached(
                region=p["region"], year=p["year"], months=p["months"], by=p["by"], list_limit=list_limit
            )
    quality.affected_lines(region=region)  # the notifications page's
    quality.notifications_data()
    quality.unmatched_notifications(settings.SADERAT_COUNTRY)
    overview = quality.quality_overview(region=region)
    if overview["last_session"] is not None:
        quality.recent_notifications(since=overview["last_session"].held_on, region=region)


def _targets() -> None:
    from saderat.web.targets.selectors import targets_status
    from saderat.web.targets.views import _year

    year = _year(_default_request())
    if year is not None:
        targets_status(year=year)


def _opportunities() -> None:
    """The opportunities list and the product pages it links first."""
    from saderat.web.opportunities import selectors as opportunities
    from saderat.web.opportunities.views import _params, ranked_for
    from saderat.web.quality.figures import product_quality

    p = _params(_default_request())
    if p["year"] is None:
        return
    ranked, position = ranked_for(p)
    opportunities.product_space(region=p["region"], year=p["year"], top=ranked.head(25), basis=p["basis"])
    opportunities.world_cleaning(position.world_year)
    opportunities.provinces_eci(year=p["year"], basis=p["basis"], pci_year=p["pci_year"])
    for hs4 in list(ranked["hs4"].head(PRODUCT_PAGES)):
        opportunities.product_detail(hs4=hs4, region=p["region"], year=p["year"])
        product_quality(hs4)


def _exporters() -> None:
    """The exporter dynamics page (all years, each breakdown of the latest) and the potential exporters."""
    from saderat.web.registry import exporter_stats
    from saderat.web.registry.views import _dynamics_params

    p = _dynamics_params(_default_request())
    if p["year"] is None:
        return
    for unsuppressed in (False, True):
        exporter_stats.dynamics_table(region=p["region"], basis=p["basis"], unsuppressed=unsuppressed)
        for by in exporter_stats.BREAKDOWNS:
            exporter_stats.dynamics_table(
                region=p["region"], basis=p["basis"], by=by, year=p["year"], unsuppressed=unsuppressed
            )
    exporter_stats.potential_data(region=p["region"])


#: What is materialised, page by page.
PAGES: dict[str, Callable[[], None]] = {
    "dashboard": _dashboard,
    "targets": _targets,
    "opportunities": _opportunities,
    "exporters": _exporters,
}


def materialise(*, force: bool = False, languages: tuple[str, ...] = LANGUAGES) -> MaterialiseReport:
    """Compute and store the figures of every page in :data:`PAGES` for the current data version (skipped
    when that version is already materialised, unless ``force``). A page whose figures fail is logged and
    left to compute on demand; the others are still materialised."""
    from saderat.web.common.cache import materialising

    start = time.perf_counter()
    token = materialising.set(True)
    try:
        return _materialise(force=force, languages=languages, start=start)
    finally:
        materialising.reset(token)


def _materialise(*, force: bool, languages: tuple[str, ...], start: float) -> MaterialiseReport:
    from saderat.web.common.cache import data_version, figure_store
    from saderat.web.common.request_memo import request_scope

    with request_scope():  # one data version and one fact table for every figure
        version = data_version()
        report = MaterialiseReport(version=version)
        marker = marker_key(version, languages)
        if not force and figure_store().get(marker) is not None:
            report.skipped = True
            return report
        for language in languages:
            with translation.override(language):
                for name, compute in PAGES.items():
                    try:
                        compute()
                        report.figures.append(f"{name} ({language})")
                    except Exception:  # noqa: BLE001 - one page's failure must not keep the others cold
                        log.exception("materialising the figures of %s (%s) failed", name, language)
                        report.failed.append(f"{name} ({language})")
        # Set even when a page failed: its error is logged once per version, and the page computes its
        # figures on demand (where the visitor sees the error, if it persists).
        figure_store().set(marker, time.time(), None)
    report.seconds = time.perf_counter() - start
    return report


def materialise_when_stale(
    stop: threading.Event, *, every_seconds: float = 2.0, settle_seconds: float = 5.0
) -> None:
    """The worker's thread: materialise each new data version (an import activated, a batch withdrawn or
    quarantined, a target or resolution saved) until ``stop`` is set.

    A version is materialised once it has stood for ``settle_seconds``: a working-group session that saves
    ten resolutions in a minute makes one materialisation, not ten."""
    from django.db import connection

    from saderat.web.common.cache import data_version

    seen, since = None, 0.0
    while not stop.is_set():
        try:
            version = data_version()
            if version != seen:
                seen, since = version, time.monotonic()
            elif time.monotonic() - since >= settle_seconds:
                report = materialise()
                if not report.skipped:
                    log.info(
                        "figures of data version %s materialised in %.1f s%s",
                        report.version,
                        report.seconds,
                        f"; failed: {', '.join(report.failed)}" if report.failed else "",
                    )
        except Exception:  # noqa: BLE001 - the worker's imports must go on whatever happens here
            log.exception("materialising the figures failed")
        finally:
            connection.close()
        stop.wait(every_seconds)
