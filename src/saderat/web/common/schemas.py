"""Types shared by the JSON API's schemas (django-ninja / pydantic).

The API takes ISO dates (machines write Gregorian), yet a date is held to the same sensible years as in the
forms (:data:`saderat.jalali.DATE_YEARS`, counted in Jalali years): a deadline in 1326 or 2626 is a typo, not
a plan. ``PlausibleDate`` is such a date; ``plausible_date(years)`` gives one with other bounds.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator

from saderat.jalali import DATE_YEARS, to_jalali


def _check(years: tuple[int, int]):
    def check(value: dt.date) -> dt.date:
        year = to_jalali(value).year
        if not years[0] <= year <= years[1]:
            raise ValueError(
                f"سال شمسی {year} بیرون از بازه پذیرفتنی {years[0]} تا {years[1]} است "
                f"(Jalali year {year} outside {years[0]}-{years[1]})."
            )
        return value

    return check


def plausible_date(years: tuple[int, int] = DATE_YEARS):
    """An ISO date whose Jalali year lies in ``years`` (inclusive)."""
    return Annotated[dt.date, AfterValidator(_check(years))]


PlausibleDate = plausible_date()
