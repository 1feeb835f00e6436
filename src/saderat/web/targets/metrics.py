"""The target metrics, each described once: how the warehouse and the reports measure it, how it is followed
(cumulated or a level), and how it is entered and shown.

A target's value is stored in the metric's own unit (the reporting currency, tonnes, percent, a count); the
warehouse measures value in the region profile's reporting currency (USD for Iran; a Brazilian state's target
in reais is followed in reais) and weight in kg (``from_warehouse`` converts); forms and charts use
``entered_per`` of the stored unit (million), with ``decimals`` shown. A progress report's ``value_usd`` holds
the reporting currency too: the field and the metric code ``value_usd`` keep their first names, which the API
and the CLI use.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from saderat.web.common.labels import currency_label

__all__ = ["Metric", "METRICS", "metric"]


@dataclass(frozen=True)
class Metric:
    code: str
    #: The metric's name with the unit its figures are shown in (the model's labels name the stored unit).
    label: Promise
    unit: Promise
    #: The fact measure of ``queries.monthly_cumulative`` (None: a share, computed from ``value``).
    warehouse: str | None
    #: The ProgressReport field of a hand-entered report (None: a share, computed from the reports' values).
    report_field: str | None
    #: Warehouse unit -> stored unit (kg -> t).
    from_warehouse: float
    #: One entered or charted unit in stored units (1e6: values are entered in million USD).
    entered_per: float
    decimals: int
    #: "cumulative" (year-to-date sums and counts) or "level" (a share, compared month by month).
    kind: str


METRICS: dict[str, Metric] = {
    m.code: m
    for m in (
        Metric(
            "value_usd",
            currency_label(gettext_lazy("ارزش صادرات (میلیون دلار)")),
            currency_label(gettext_lazy("میلیون دلار")),
            # Measured in the reporting currency (USD for Iran; the code keeps its first name for the API).
            warehouse="value",
            report_field="value_usd",
            from_warehouse=1.0,
            entered_per=1e6,
            decimals=1,
            kind="cumulative",
        ),
        Metric(
            "weight_t",
            gettext_lazy("وزن صادرات (تن)"),
            gettext_lazy("تن"),
            warehouse="weight_kg",
            report_field="weight_kg",
            from_warehouse=1 / 1000.0,
            entered_per=1.0,
            decimals=0,
            kind="cumulative",
        ),
        Metric(
            "share_pct",
            gettext_lazy("سهم از صادرات کشور (درصد)"),
            gettext_lazy("درصد"),
            warehouse=None,
            report_field=None,
            from_warehouse=1.0,
            entered_per=1.0,
            decimals=2,
            kind="level",
        ),
        Metric(
            "destinations",
            gettext_lazy("تعداد بازارهای مقصد"),
            gettext_lazy("کشور"),
            warehouse="destinations",
            report_field="destinations",
            from_warehouse=1.0,
            entered_per=1.0,
            decimals=0,
            kind="cumulative",
        ),
        Metric(
            "exporters",
            gettext_lazy("تعداد صادرکنندگان فعال"),
            gettext_lazy("صادرکننده"),
            warehouse="exporters",
            report_field="exporters",
            from_warehouse=1.0,
            entered_per=1.0,
            decimals=0,
            kind="cumulative",
        ),
    )
}


def metric(code: str) -> Metric:
    return METRICS[code]
