"""Map product codes to the HS4 headings of the world data (DESIGN.md, "Data"; issue 5).

The world exports table (``shared/data/world/world_exports_country_hs4_2017.csv``, Open Trade Statistics from
UN Comtrade) is HS 2007 (Comtrade ``H3``) at 4 digits: its 1,222 codes are exactly the 1,222 headings of the
H3 list in ``shared/data/reference/hs/comtrade_hs_codes_all_revisions_H0-H6.csv.gz`` (checked by
:func:`identify_revision` in the tests), as its SOURCE.txt says ("HS07 4-digit").

Iranian export data comes as 8-digit tariff lines whose first 6 digits are the HS6 of the revision in force
(1402: HS 2022, ``H6``; 1375-1382: 6-digit HS of older revisions). The Comtrade file holds the code lists of
every revision but no correspondence between them, so the rule is the heading: **the first four digits**,
kept when that heading exists in the target revision. A code whose heading does not (e.g. 9619 "sanitary
towels" created in HS 2012, 8485 "additive manufacturing" in HS 2022, Iran's national chapter 98), or that is
not an HS code at all, is returned in ``unmapped`` with its values and the reason: nothing is dropped
silently. Analysts may add ``overrides`` (a code prefix → a target heading) for headings they know moved.

The heading rule is exact for codes of the target revision and approximate across revisions where a
heading's scope changed (HS 2017 moved 2848 into 2853, 6908 into 6907, 8469 into 8472; HS 2022 moved 8107
into 8112 and 8803 into 8807): such codes keep their own first four digits.

References: WCO, Harmonized System Nomenclature 2007-2022 editions; UN Statistics Division, HS code lists
(Comtrade "H0"-"H6").
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from saderat.text import to_latin_digits

__all__ = [
    "REVISIONS",
    "WORLD_HS4_REVISION",
    "NOT_AN_HS_CODE",
    "REASON_NOT_AN_HS_CODE",
    "REASON_NOT_IN_TARGET",
    "REASON_NATIONAL_CODE",
    "REASON_OTHER_REVISIONS",
    "Revision",
    "hs_codes",
    "identify_revision",
    "normalize_codes",
    "HsMapping",
    "map_to_hs4",
    "aggregate_hs4",
]

Revision = Literal["H0", "H1", "H2", "H3", "H4", "H5", "H6"]

#: Comtrade classification code → HS edition.
REVISIONS: dict[str, str] = {
    "H0": "HS 1992",
    "H1": "HS 1996",
    "H2": "HS 2002",
    "H3": "HS 2007",
    "H4": "HS 2012",
    "H5": "HS 2017",
    "H6": "HS 2022",
}

#: The revision of the world HS4 data in shared/data/world (see the module notes).
WORLD_HS4_REVISION: Revision = "H3"

NOT_AN_HS_CODE = "not an HS code (4, 6 or 8 digits)"

#: Reason codes of unmapped rows (column ``reason_code``; ``reason`` is the same in English words, and
#: ``reason_revisions`` lists the revisions that have the heading): callers word them in their own language.
REASON_NOT_AN_HS_CODE = "not-an-hs-code"
#: the heading is not in the target data (no code lists were given to say more)
REASON_NOT_IN_TARGET = "not-in-target"
#: ... and it is in no HS revision: a national code
REASON_NATIONAL_CODE = "national-code"
#: ... but it exists in other revisions (``reason_revisions``)
REASON_OTHER_REVISIONS = "other-revisions"


def hs_codes(
    code_lists: pd.DataFrame, /, *, classification: Revision, level: Literal[2, 4, 6] = 4
) -> frozenset:
    """The codes of one revision at one level, e.g. the 1,222 HS 2007 headings.

    >>> lists = pd.DataFrame({"classification": ["H3", "H3", "H6"], "code": ["0101", "010110", "0101"],
    ...                       "level": [4, 6, 4]})
    >>> sorted(hs_codes(lists, classification="H3"))
    ['0101']
    """
    if classification not in REVISIONS:
        raise ValueError(f"classification: must be one of {sorted(REVISIONS)}, got {classification!r}")
    if level not in (2, 4, 6):
        raise ValueError(f"level: must be 2, 4 or 6, got {level!r}")
    rows = (code_lists["classification"] == classification) & (code_lists["level"] == level)
    return frozenset(code_lists.loc[rows, "code"])


def identify_revision(
    codes: Collection[str], code_lists: pd.DataFrame, /, *, level: Literal[2, 4, 6] = 4
) -> str:
    """The HS revision whose code list at ``level`` matches ``codes`` best.

    Best = the most of ``codes`` found in the revision, then the fewest of the revision's codes missing from
    ``codes``, then the latest revision.

    >>> lists = pd.DataFrame({"classification": ["H3", "H3", "H4", "H4"],
    ...                       "code": ["0101", "0307", "0101", "0308"], "level": [4, 4, 4, 4]})
    >>> identify_revision(["0101", "0308"], lists)
    'H4'
    """
    given = {str(c) for c in codes}
    if not given:
        raise ValueError("codes: empty")
    best: tuple[int, int, str] | None = None
    for classification in sorted(REVISIONS):
        listed = hs_codes(code_lists, classification=classification, level=level)  # type: ignore[arg-type]
        if not listed:
            continue
        key = (len(given & listed), -len(listed - given), classification)
        if best is None or key > best:
            best = key
    if best is None:
        raise ValueError(f"code_lists: no codes at level {level}")
    return best[2]


def normalize_codes(codes: pd.Series, /) -> pd.Series:
    """Codes as digit strings: Persian and Arabic-Indic digits read as Latin, spaces and dots removed, and a
    leading zero restored where a spreadsheet dropped it (3, 5 or 7 digits become 4, 6 or 8). Anything else is
    returned as cleaned text (a missing code as "").

    >>> normalize_codes(pd.Series([" 0101.21.10", "1012990", 8703, 8703.0, "۸۴.۸۵", None])).tolist()
    ['01012110', '01012990', '8703', '8703', '8485', '']
    """
    text = codes.astype("string").fillna("").map(to_latin_digits).astype("string").str.strip()
    text = text.str.replace(r"\.0$", "", regex=True)  # a code read as a float: 8703.0
    text = text.str.replace(r"[\s.]", "", regex=True)
    odd = text.str.fullmatch(r"\d{3}|\d{5}|\d{7}").fillna(False).to_numpy(dtype=bool)
    text = text.where(~odd, "0" + text)
    return text.astype(object)


@dataclass(frozen=True, eq=False)
class HsMapping:
    """The outcome of :func:`map_to_hs4`: every input row is in exactly one of the two frames.

    ``mapped``: the input rows with ``hs4`` (target heading), ``rule`` ("first 4 digits" or "override") and,
    when source codes were given, ``hs6_known`` (whether the row's HS6 is in the source revision).
    ``unmapped``: the input rows with ``reason`` (English words), ``reason_code`` (one of the ``REASON_*``
    codes) and ``reason_revisions`` (the revisions that have the heading, comma-separated, or "").
    """

    mapped: pd.DataFrame
    unmapped: pd.DataFrame
    value_columns: tuple[str, ...]

    def totals(self) -> pd.DataFrame:
        """Sum of each value column, mapped and unmapped, and the unmapped share."""
        rows = {
            column: {
                "mapped": float(self.mapped[column].sum()),
                "unmapped": float(self.unmapped[column].sum()),
            }
            for column in self.value_columns
        }
        frame = pd.DataFrame(rows).T
        total = frame["mapped"] + frame["unmapped"]
        frame["unmapped_share"] = np.where(total > 0, frame["unmapped"] / total.where(total > 0, 1.0), 0.0)
        return frame


def map_to_hs4(
    table: pd.DataFrame,
    /,
    *,
    target_hs4: Collection[str],
    code_column: str = "code",
    value_columns: Sequence[str] = ("value_usd",),
    overrides: Mapping[str, str] | None = None,
    source_hs6: Collection[str] | None = None,
    code_lists: pd.DataFrame | None = None,
) -> HsMapping:
    """Map each row's product code (8-digit tariff line, HS6 or HS4 of any revision) to a target HS4 heading.

    Rule, in order: (1) the longest ``overrides`` prefix of the code (4, 6 or 8 digits) that matches; (2) the
    code's first four digits, if that heading is in ``target_hs4``. Codes are normalised first with
    :func:`normalize_codes`. Rows whose code is not 4, 6 or 8 digits, or whose heading is not in the target,
    go to ``unmapped`` with the reason (``reason`` in English words, ``reason_code`` for callers that word it
    in another language); with ``code_lists`` the reason names the revisions that do have the heading
    (``reason_revisions``) or says that none does: a national code.

    Parameters
    ----------
    table : DataFrame
        Rows with a code column and value columns (any other columns are carried through).
    target_hs4 : collection of str
        The headings of the target data, e.g. the world data's products or
        ``hs_codes(lists, classification=WORLD_HS4_REVISION)``.
    code_column : str, default "code"
    value_columns : sequence of str, default ("value_usd",)
        Columns whose totals :meth:`HsMapping.totals` reports (they must exist).
    overrides : mapping of str to str, optional
        Code prefix → target heading, for headings whose content moved between revisions.
    source_hs6 : collection of str, optional
        The HS6 codes of the source revision: adds ``hs6_known`` to ``mapped``.
    code_lists : DataFrame, optional
        :func:`saderat.reference.hs_code_lists.load_hs_code_lists`, to say in which revisions an unmapped heading exists.

    Returns
    -------
    HsMapping

    Examples
    --------
    >>> exports = pd.DataFrame({"code": ["87032310", "96190010", "98840000", "7"],
    ...                         "value_usd": [100.0, 20.0, 3.0, 1.0]})
    >>> result = map_to_hs4(exports, target_hs4={"8703", "4818"})
    >>> result.mapped[["code", "hs4", "rule"]].to_dict("records")
    [{'code': '87032310', 'hs4': '8703', 'rule': 'first 4 digits'}]
    >>> result.unmapped[["code", "value_usd", "reason"]].to_dict("records")  # doctest: +NORMALIZE_WHITESPACE
    [{'code': '96190010', 'value_usd': 20.0, 'reason': 'heading 9619 is not in the target data'},
     {'code': '98840000', 'value_usd': 3.0, 'reason': 'heading 9884 is not in the target data'},
     {'code': '7', 'value_usd': 1.0, 'reason': 'not an HS code (4, 6 or 8 digits)'}]
    >>> result.unmapped["reason_code"].tolist()
    ['not-in-target', 'not-in-target', 'not-an-hs-code']
    >>> map_to_hs4(exports, target_hs4={"8703", "4818"}, overrides={"9619": "4818"}).totals()
               mapped  unmapped  unmapped_share
    value_usd   120.0       4.0        0.032258
    """
    missing = [c for c in (code_column, *value_columns) if c not in table.columns]
    if missing:
        raise ValueError(f"table: missing column(s) {missing}")
    target = frozenset(str(c) for c in target_hs4)
    if not target:
        raise ValueError("target_hs4: empty")
    overrides = {str(k): str(v) for k, v in (overrides or {}).items()}
    for prefix, heading in overrides.items():
        if not prefix.isdigit() or len(prefix) not in (4, 6, 8):
            raise ValueError(f"overrides: key {prefix!r} is not a 4-, 6- or 8-digit code prefix")
        if heading not in target:
            raise ValueError(f"overrides: target {heading!r} of {prefix!r} is not in target_hs4")

    # Work on the distinct codes (thousands) rather than the rows (hundreds of thousands).
    positions, raw = pd.factorize(table[code_column].astype("string").fillna(""))
    unique = normalize_codes(pd.Series(raw, dtype="string"))
    is_code = unique.str.fullmatch(r"\d{4}|\d{6}|\d{8}").fillna(False).to_numpy(dtype=bool)
    heading = unique.str[:4].where(is_code, "")
    hs4 = heading.where(heading.isin(target), "")
    rule = pd.Series(np.where(hs4 != "", "first 4 digits", ""), dtype=object)
    for length in (4, 6, 8):  # longer prefixes override shorter ones
        chosen = unique.str[:length].map({k: v for k, v in overrides.items() if len(k) == length})
        hit = is_code & (unique.str.len() >= length).to_numpy() & chosen.notna().to_numpy()
        hs4 = hs4.where(~hit, chosen)
        rule = rule.where(~hit, "override")

    reason = pd.Series("", index=unique.index, dtype=object)
    reason_code = pd.Series("", index=unique.index, dtype=object)
    reason_revisions = pd.Series("", index=unique.index, dtype=object)
    reason[~is_code] = NOT_AN_HS_CODE
    reason_code[~is_code] = REASON_NOT_AN_HS_CODE
    missing_heading = is_code & (hs4 == "").to_numpy()
    if missing_heading.any():
        where: dict[str, list[str]] = {}
        if code_lists is not None:
            level4 = code_lists[code_lists["level"] == 4]
            where = level4.groupby("code")["classification"].agg(sorted).to_dict()
        explained = [
            _missing_heading_reason(h, where if code_lists is not None else None)
            for h in heading[missing_heading]
        ]
        reason[missing_heading] = [text for text, _, _ in explained]
        reason_code[missing_heading] = [code for _, code, _ in explained]
        reason_revisions[missing_heading] = [revisions for _, _, revisions in explained]

    row_hs4 = hs4.to_numpy()[positions]
    ok = row_hs4 != ""
    row_codes = unique.to_numpy()[positions]
    mapped = table.loc[ok].copy()
    mapped[code_column] = row_codes[ok]
    mapped["hs4"] = row_hs4[ok]
    mapped["rule"] = rule.to_numpy()[positions][ok]
    if source_hs6 is not None:
        known = frozenset(str(c) for c in source_hs6)
        code = pd.Series(row_codes[ok], dtype=object)
        hs6_known = pd.Series(code.str[:6].isin(known).to_numpy(), dtype="boolean")
        hs6_known[(code.str.len() < 6).to_numpy()] = pd.NA
        mapped["hs6_known"] = hs6_known.array
    unmapped = table.loc[~ok].copy()
    unmapped[code_column] = row_codes[~ok]
    unmapped["reason"] = reason.to_numpy()[positions][~ok]
    unmapped["reason_code"] = reason_code.to_numpy()[positions][~ok]
    unmapped["reason_revisions"] = reason_revisions.to_numpy()[positions][~ok]
    return HsMapping(
        mapped=mapped.reset_index(drop=True),
        unmapped=unmapped.reset_index(drop=True),
        value_columns=tuple(value_columns),
    )


def _missing_heading_reason(heading: str, where: dict[str, list[str]] | None) -> tuple[str, str, str]:
    """(English words, reason code, revisions) for a heading that is not in the target data."""
    text = f"heading {heading} is not in the target data"
    if where is None:
        return text, REASON_NOT_IN_TARGET, ""
    revisions = where.get(heading)
    if not revisions:
        return f"{text}; it is in no HS revision (a national code)", REASON_NATIONAL_CODE, ""
    listed = ", ".join(revisions)
    return f"{text}; it exists in {listed}", REASON_OTHER_REVISIONS, listed


def aggregate_hs4(
    mapped: pd.DataFrame, /, *, by: Sequence[str] = (), value_columns: Sequence[str] = ("value_usd",)
) -> pd.DataFrame:
    """Sum the value columns of mapped rows by ``hs4`` (and the ``by`` columns), one row per group.

    >>> mapped = pd.DataFrame({"hs4": ["8703", "8703", "2709"], "value_usd": [1.0, 2.0, 5.0]})
    >>> aggregate_hs4(mapped).to_dict("records")
    [{'hs4': '2709', 'value_usd': 5.0}, {'hs4': '8703', 'value_usd': 3.0}]
    """
    keys = [*by, "hs4"]
    missing = [c for c in (*keys, *value_columns) if c not in mapped.columns]
    if missing:
        raise ValueError(f"mapped: missing column(s) {missing}")
    return mapped.groupby(keys, as_index=False, sort=True)[list(value_columns)].sum()
