"""The targets page reads the warehouse once per basis and dimension, not once per target: each target's
monthly series of a sum (value, weight) is cut from :func:`queries.monthly_totals`, and must equal the series
its own query (:func:`queries.monthly_cumulative`) gives, for every kind of scope."""

from __future__ import annotations

import pandas as pd
import pytest

from saderat.warehouse import queries
from saderat.web.common.warehouse import active_facts
from saderat.web.targets.selectors import section_chapters

pytestmark = pytest.mark.django_db
YEARS = [1402, 1403, 1404]


@pytest.mark.parametrize(
    ("metric", "region", "dimension", "codes"),
    [
        ("value_usd", "00", None, None),
        ("weight_kg", "00", None, None),
        ("value_usd", None, None, None),  # the nation (every region, and lines without one)
        ("value_usd", "00", "county", ["0001"]),
        ("value_usd", "00", "chapter", ["72"]),
        ("weight_kg", "00", "section", "XV"),
        ("value_usd", "00", "market", ["IRQ"]),
        ("value_usd", "00", "office", "first"),
        ("value_usd", "00", "chapter", ["25", "39", "72"]),  # several codes
        ("value_usd", "00", "market", ["XXX"]),  # no row: an empty series
        ("value", "00", None, None),  # the reporting currency, what value targets follow
        ("value", "00", "chapter", ["25", "39", "72"]),
    ],
)
def test_a_scope_cut_from_the_monthly_totals_equals_its_own_query(metric, region, dimension, codes):
    facts = active_facts()
    if codes == "XV":
        codes = section_chapters("XV")
    if codes == "first":
        offices = queries.totals_by(facts, "customs_office_code", year=1404, region="00")
        codes = [offices["customs_office_code"].iloc[0]]
    direct = queries.monthly_cumulative(
        facts, metric=metric, years=YEARS, region=region, dimension=dimension, codes=codes
    )
    monthly = queries.monthly_totals(facts, by=queries.scope_column(dimension))
    cut = queries.cumulative_of(monthly, metric=metric, years=YEARS, region=region, codes=codes)
    if codes != ["XXX"]:
        assert len(direct) >= 12, "the scope should have monthly data"  # the comparison is not vacuous
    pd.testing.assert_frame_equal(
        direct.reset_index(drop=True), cut.reset_index(drop=True), check_dtype=False, rtol=1e-12
    )
