"""Names instead of codes, in the page's language, for notes and downloads: a region code (``"00"``,
``None``/``"national"``) becomes «مرکزی» or «کل کشور», a basis code its description."""

from __future__ import annotations

from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from saderat.web.common.i18n import local_digits

BASIS_LABELS = {
    "customs": gettext_lazy("گمرک ترخیص (گمرکات استان)"),
    "origin": gettext_lazy("مبدأ تولید (استان تولیدکننده)"),
}
FLOW_LABELS = {"export": gettext_lazy("صادرات"), "import": gettext_lazy("واردات")}


def region_label(code: str | None) -> str:
    """``"00"`` → «مرکزی» (English: Markazi); ``None``/``"national"`` → «کل کشور»; an unknown code as it is."""
    from saderat.web.reference.selectors import province_names

    if code in (None, "", "national", "IR"):
        return gettext("کل کشور")
    return province_names().get(code, local_digits(code))


def _in_reporting_currency(label) -> str:
    from saderat.web.reference.selectors import in_currency

    return in_currency(str(label))


#: A label naming the dollar, put in the region profile's reporting currency when it is shown (not when it is
#: defined: model choices and metrics are built before a profile is read): ``currency_label(gettext_lazy(
#: "ارزش (میلیون دلار)"))`` shows «ارزش (میلیون رئال برزیل)» in Paraná, and is unchanged in Iran.
currency_label = lazy(_in_reporting_currency, str)


def _in_workspace_calendar(label) -> str:
    from saderat.web.reference.selectors import in_calendar

    return in_calendar(str(label))


#: A label naming the Jalali calendar, put in the workspace's calendar when it is shown: «تاریخ جلسه (شمسی)»
#: reads «تاریخ جلسه (میلادی)» under a Gregorian region profile.
calendar_label = lazy(_in_workspace_calendar, str)


def basis_label(basis: str) -> str:
    return str(BASIS_LABELS.get(basis, basis))


def flow_label(flow: str) -> str:
    return str(FLOW_LABELS.get(flow, flow))
