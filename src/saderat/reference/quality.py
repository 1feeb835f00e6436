"""Reference tables for foreign notifications and rejections (issue 10), shipped in ``saderat/data/reference``.

- ``notification_products.csv`` — the maintained keyword table that maps RASFF/FDA product texts to HS
  headings (written by hand and reviewed like code; see ``docs/methods/notifications.md``);
- ``eu_special_conditions.csv`` — Regulation (EU) 2019/1793, Annex II entries on pistachios (Iran, Türkiye,
  United States via Türkiye): the lines under special import conditions and the frequency of identity and
  physical checks at the EU border;
- ``eu_max_levels.csv`` — Regulation (EU) 2023/915, Annex I, selected maximum levels of aflatoxins and
  ochratoxin A, each entry mapped to the HS codes it applies to;
- ``fda_charges.csv`` — the US FDA's crosswalk of import-refusal charge ids (``ASC_ID``) to charge codes.

The last three are built by ``scripts/build_quality_reference.py`` from ``../shared/data/standards``; origin
and licence are in ``DATA_SOURCES.md``. Like :mod:`saderat.reference.loaders`, every ``load_*`` returns a fresh
:class:`pandas.DataFrame` whose codes are strings with their leading zeros (``"0802"``, ``"08025100"``).
"""

from __future__ import annotations

import pandas as pd

from saderat.reference.loaders import _read

__all__ = [
    "NOTIFICATION_PRODUCTS_FILE",
    "EU_SPECIAL_CONDITIONS_FILE",
    "EU_MAX_LEVELS_FILE",
    "FDA_CHARGES_FILE",
    "KEYWORD_SEPARATOR",
    "load_notification_products",
    "load_eu_special_conditions",
    "load_eu_max_levels",
    "load_fda_charges",
]

NOTIFICATION_PRODUCTS_FILE = "notification_products.csv"
EU_SPECIAL_CONDITIONS_FILE = "eu_special_conditions.csv"
EU_MAX_LEVELS_FILE = "eu_max_levels.csv"
FDA_CHARGES_FILE = "fda_charges.csv"
#: Separator of the list cells (keywords, HS codes) of the quality tables.
KEYWORD_SEPARATOR = "|"


def load_notification_products() -> pd.DataFrame:
    """The keyword table: ``product_key, hs4, hs6, label_fa, label_en, keywords_en, keywords_fa, note``.

    ``keywords_en`` (any Latin-script language: English, Italian, German, Spanish, Polish ... as RASFF
    subjects are written) and ``keywords_fa`` are ``|``-separated; a keyword ending in ``*`` is a stem that
    matches any word beginning with it. ``hs6`` is empty where the keyword says only the heading.
    The matching rules are :func:`saderat.ingest.notifications.match_product`'s.
    """
    return _read(NOTIFICATION_PRODUCTS_FILE)


def load_eu_special_conditions() -> pd.DataFrame:
    """Regulation (EU) 2019/1793 Annex II lines: ``country_of_origin`` (ISO3), ``dispatched_from`` (ISO3 or
    empty), ``cn_code`` (8 digits), ``ex`` (bool: only part of the CN code is covered), ``taric``, ``hs4``,
    ``hs6``, ``product``, ``hazard``, ``frequency_pct`` (int64: identity and physical checks at the border),
    ``intended_use``, ``annex``, ``annex_row``, ``source``."""
    df = _read(EU_SPECIAL_CONDITIONS_FILE, ("frequency_pct",))
    df["ex"] = df["ex"].eq("1")
    return df


def load_eu_max_levels() -> pd.DataFrame:
    """Regulation (EU) 2023/915 Annex I, selected entries: ``entry, contaminant, food, ml_b1_or_ota,
    ml_sum_aflatoxins, ml_m1`` (µg/kg, float64, NaN where the regulation sets none), ``hs4`` and
    ``hs_prefixes`` (``|``-separated HS codes of 4 or 6 digits that the entry covers), ``product_keys``
    (``|``-separated keys of the keyword table), ``excepted_by`` (``|``-separated entries that the regulation
    excepts from this one: "except products listed in 1.1.8 and 1.1.10"), ``mapping_note``, ``source``."""
    df = _read(EU_MAX_LEVELS_FILE)
    for col in ("ml_b1_or_ota", "ml_sum_aflatoxins", "ml_m1"):
        df[col] = pd.to_numeric(df[col].replace({"": None, "-": None}), errors="raise").astype("float64")
    return df


def load_fda_charges() -> pd.DataFrame:
    """FDA import-refusal charges: ``asc_id`` (the numeric id used in a refusal's ``REFUSAL_CHARGES``, as a
    string), ``charge_code`` (``FILTHY``, ``SALMONELLA`` ...), ``statement`` (one line), ``section`` (as
    published) and ``category`` (``adulteration`` | ``misbranding`` | ``other``)."""
    return _read(FDA_CHARGES_FILE)
