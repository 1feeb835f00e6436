"""Entity resolution of firm records: which records of different agencies' lists are one firm.

Method
------
1. **Identifiers decide** (DESIGN.md, "Methods": Firm names). Records with the same valid national ID
   (legal-person شناسه ملی or natural-person کد ملی, checked with their check digits by
   :mod:`saderat.registry.identifiers`) are one firm; so are records with the same commercial-card number.
   Two records with *different* valid national IDs are never one firm, whatever their names — not directly
   and not through a chain of name matches. An invalid ID is ignored (treated as missing).
2. **Probabilistic record linkage** (Fellegi & Sunter 1969, "A theory for record linkage", JASA 64:1183-1210)
   of the rest, with Splink 5 on DuckDB (Linacre et al. 2022, "Splink: free software for probabilistic record
   linkage at scale", IJPDS 7(3); https://moj-analytical-services.github.io/splink). Candidate pairs come from
   blocking: same county or same ISIC class (each with the same first letter of the name), same name key,
   same spacing-free key, same words, same distinctive words by sound, and keys of each distinctive word —
   its first three letters, its last three, first letter and last two, first two and length — so that a word
   with one typo still meets its original. Each pair is compared on

   - the firm name, from its match key (:func:`saderat.registry.names.firm_name_key` and
     :func:`~saderat.registry.names.name_profile`), levels :data:`NAME_LEVELS`: the same name (up to word
     order, spacing and «صنایع»/«گروه»); the same distinctive words; the same by sound («رسطاک»/«رستاک»); one
     typo in a long or a short name; all words of one name in the other; half the distinctive words shared;
     one shared; none;
   - the names' qualifiers, :data:`QUALIFIER_LEVELS`: industry words, places and numbers — «کاشی سپهر» and
     «سیمان سپهر», «سپهر اراک» and «سپهر ساوه», «سپهر 2» and «سپهر 3» conflict;
   - county; ISIC class (4 digits) or division (2 digits).

   The pair's match weight is ``log2(λ/(1-λ)) + Σ log2(m/u)`` over the comparisons' levels, its probability
   ``2^w / (1 + 2^w)``.
3. **A shared distinctive word is required.** Character similarity alone is known to fail on firm names
   (Cohen, Ravikumar & Fienberg 2003, "A comparison of string distance metrics for name-matching tasks"):
   pairs that share no distinctive word (:func:`saderat.registry.names.shares_distinctive_word`, which
   forgives one typo and spacing) are never matched, however alike: «فولاد اراک» ≠ «فولاد ساوه».
4. **Clustering with cannot-link constraints.** Pairs of probability ≥ ``threshold`` are taken strongest
   first (Kruskal's maximum spanning forest) and join two clusters unless the joined cluster would hold two
   different valid national IDs, two records the secretariat kept apart, two names whose industries, places
   or numbers conflict, or two names that share no distinctive word even up to two typos (so that «پویا» —
   «پویا سازه» — «سازه» does not chain two firms); nor are two clusters joined whose usual county and usual
   ISIC class both differ (the most frequent values, so that one record written with another county or code
   does not count). A link is also held back when one of its clusters is about as strongly linked
   (:data:`_AMBIGUITY_BITS`) to a third cluster that it could join and that is another firm than the other:
   «سپهر» beside «کاشی سپهر» and «سیمان سپهر» is ambiguous. A cluster's confidence is its weakest accepted
   link (the forest's bottleneck).
5. **Review queue**: pairs with ``review_floor ≤ probability < threshold`` left in different clusters, and
   accepted pairs held back by a constraint, are returned for the secretariat to merge or keep apart (the
   strongest pair per pair of clusters). Its decisions come back as ``merge`` / ``keep_apart``.

Parameters: fixed m and u, an estimated λ, no EM
------------------------------------------------
Splink usually estimates u from random pairs and m by expectation maximisation. On a list of a few dozen
records EM does not converge or converges to nonsense, and random pairs never reach the rare name levels
(u = 0). The m and u probabilities of the name and qualifier comparisons are therefore fixed and documented
here, set on Splink's comparison levels, chosen from how agencies write firm names: m is the share of true
pairs at a level, u the chance that two different firms reach it. The u of county and ISIC agreement are
taken from the list itself, exactly: the probability that two random records agree, ``Σ p_v²`` over the
values' shares. The prior λ is estimated as Splink's ``estimate_probability_two_random_records_match`` does,
with a deterministic rule (:func:`estimate_prior`). Everything is deterministic for a given list.

With λ ≈ 1/230 (a list of 450 records, each firm written about three ways: −7.8 bits) a pair needs about
9.1 bits of evidence to reach the default threshold 0.7: the same name (14.6 bits) has it alone, and keeps
it when county (−2.2) and ISIC (−2.1) both disagree — the clustering's field rule then decides —; the same
distinctive words (12.3) have it, unless the names' industries conflict (−4.9); one typo in a short name
(7.6) needs the county or the ISIC class to agree.
"""

from __future__ import annotations

import hashlib
import logging
import math
import warnings
from collections import Counter
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd

from saderat.registry.identifiers import identifier_kind, normalize_identifier
from saderat.registry.names import (
    NameProfile,
    edit_distance,
    firm_name_key,
    name_profile,
    qualifiers_conflict,
    shares_distinctive_word,
)

__all__ = [
    "resolve_firms",
    "Resolution",
    "estimate_prior",
    "NAME_LEVELS",
    "QUALIFIER_LEVELS",
    "PRIOR_RULE_RECALL",
    "PRIOR_DUPLICATES_PER_RECORD",
    "DEFAULT_THRESHOLD",
    "DEFAULT_REVIEW_FLOOR",
    "REVIEW_REASONS",
]

#: Default probability from which a pair is linked.
DEFAULT_THRESHOLD = 0.7
#: Default probability from which a pair that is not linked goes to the review queue.
DEFAULT_REVIEW_FLOOR = 0.3

#: The prior λ, the probability that two random records of the list are one firm, is estimated from the list
#: as Splink's ``estimate_probability_two_random_records_match`` does, with a deterministic rule: pairs with the
#: same spacing-free name key (or the same valid national ID) are counted, and taken to be this share of all
#: true pairs.
PRIOR_RULE_RECALL = 0.5
#: Bounds of the estimated number of other records of the same firm per record (λ · (n − 1)): a list without
#: one duplicate name still has some, and one made of a few firms written many ways is bounded.
PRIOR_DUPLICATES_PER_RECORD = (0.2, 3.0)

_NAME_LEVELS = (
    ("same name", "name_key_l = name_key_r OR compact_l = compact_r OR core_l = core_r", 0.5, 2e-5),
    ("same distinctive words", "dsig_l = dsig_r OR dcompact_l = dcompact_r OR dsoft_l = dsoft_r", 0.25, 5e-5),
    ("same distinctive words by sound", "sound_l = sound_r", 0.05, 1e-4),
    (
        "one typo, long",
        " OR ".join(
            f"(least(length({c}_l), length({c}_r)) >= {n} AND damerau_levenshtein({c}_l, {c}_r) <= 1)"
            for c, n in (("dcompact", 6), ("compact", 8), ("core", 8))
        ),
        0.06,
        2e-5,
    ),
    (
        "one typo, short",
        "least(length(dcompact_l), length(dcompact_r)) >= 3 AND damerau_levenshtein(dcompact_l, dcompact_r) <= 1",
        0.04,
        2e-4,
    ),
    (
        "all words of one name in the other",
        "len(core_list_l) > 0 AND len(core_list_r) > 0 "
        "AND (list_has_all(core_list_l, core_list_r) OR list_has_all(core_list_r, core_list_l))",
        0.04,
        3e-4,
    ),
    (
        "half the distinctive words shared",
        "len(list_intersect(dtok_l, dtok_r)) > 0 "
        "AND 2 * len(list_intersect(dtok_l, dtok_r)) >= greatest(len(dtok_l), len(dtok_r))",
        0.03,
        3e-3,
    ),
    ("a distinctive word shared", "len(list_intersect(dtok_l, dtok_r)) > 0", 0.02, 1e-2),
)
#: The name comparison's levels: (label, SQL condition on the two records' profile columns, m, u). Evaluated in
#: order; the first that holds is the pair's level. m sums to 1 over the levels, and so does u.
NAME_LEVELS: tuple[tuple[str, str, float, float], ...] = _NAME_LEVELS + (
    ("different", "ELSE", 1 - sum(m for *_x, m, _u in _NAME_LEVELS), 1 - sum(u for *_x, u in _NAME_LEVELS)),
)

_CONFLICT = " OR ".join(
    f"(len({c}_l) > 0 AND len({c}_r) > 0 AND NOT list_has_any({c}_l, {c}_r))" for c in ("act", "place", "num")
)
_AGREE = "list_has_any(act_l, act_r) OR list_has_any(place_l, place_r)"
#: The qualifier comparison (industry words, places and numbers of the two names): (label, SQL, m, u).
QUALIFIER_LEVELS: tuple[tuple[str, str, float, float], ...] = (
    ("different industry, place or number", _CONFLICT, 0.02, 0.6),
    ("same industry or place", _AGREE, 0.6, 0.25),
)
# m of county and ISIC agreement: agencies record a firm's county and activity inconsistently (head office or
# plant; ISIC revision) in about one record in six.
_M_COUNTY_SAME = 0.85
_M_ISIC_SAME, _M_ISIC_DIVISION = 0.65, 0.15

#: Codes of the review queue's ``reason`` column.
REVIEW_REASONS = {
    "below_threshold": "احتمال تطابق کمتر از آستانه (probability below the threshold)",
    "two_national_ids": "پیوند، دو شناسه ملی متفاوت را یکی می‌کرد (the link would join two national IDs)",
    "no_shared_word": "پیوند، دو نام بدون واژه متمایز مشترک را یکی می‌کرد "
    "(the link would join names that share no distinctive word)",
    "qualifier_conflict": "پیوند، دو نام با صنعت، مکان یا شماره متفاوت را یکی می‌کرد "
    "(the link would join names of different industries, places or numbers)",
    "kept_apart": "دبیرخانه این دو را جدا نگه داشته است (kept apart by the secretariat)",
    "county_and_activity_differ": "پیوند، دو رکورد با شهرستان و فعالیت متفاوت را یکی می‌کرد "
    "(the link would join records of different counties and activities)",
    "ambiguous": "رکورد به دو بنگاه ناسازگار به یک اندازه شبیه است "
    "(as close to another firm that cannot join this one)",
    "card_number_conflict": "شماره کارت بازرگانی یکسان با شناسه ملی متفاوت "
    "(same card number, different national IDs)",
}

_ASSIGNMENT_COLUMNS = ["record_id", "firm_key", "confidence", "matched_by"]
_REVIEW_COLUMNS = [
    "record_id_l",
    "record_id_r",
    "name_l",
    "name_r",
    "probability",
    "reason",
    "firm_key_l",
    "firm_key_r",
]


@dataclass(frozen=True)
class Resolution:
    """The result of :func:`resolve_firms`.

    ``assignments``: one row per record — ``record_id``, ``firm_key`` (records with one key are one firm: the
    national ID when the firm has one, else ``card:<number>``, else ``name:<hash>``), ``confidence`` (1.0 for
    records joined by an identifier and for single records; else the firm's weakest accepted name link) and
    ``matched_by`` (``national_id``, ``card_number``, ``name``, ``review`` (a secretariat's merge) or
    ``single``).

    ``review``: pairs for the secretariat — ``record_id_l``, ``record_id_r``, ``name_l``, ``name_r``,
    ``probability``, ``reason`` (a code of :data:`REVIEW_REASONS`), ``firm_key_l``, ``firm_key_r`` — strongest
    first.

    ``pairs``: the scored candidate pairs of probability ``review_floor`` or more (``record_id_l``,
    ``record_id_r``, ``probability``, ``name_level``, ``shares_word``, ``linked``), for diagnostics.
    """

    assignments: pd.DataFrame
    review: pd.DataFrame
    pairs: pd.DataFrame
    #: the prior λ used (:func:`estimate_prior`)
    prior: float = 0.0


# -- input ---------------------------------------------------------------------------------------------------
def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return str(value).strip()


def _county_key(value: object) -> str:
    """A county as a key: folded like names, without «شهرستان»/«شهر» («شهرستان اراک» = «اراک»)."""
    words = [w for w in firm_name_key(_text(value)).split() if w not in {"شهرستان", "شهر", "استان"}]
    return " ".join(words)


def _isic(value: object) -> str:
    """The ISIC class: the first four digits (Persian digits and Excel floats accepted), or '' when fewer
    than two digits are given."""
    digits = normalize_identifier(_text(value))
    digits = "".join(c for c in digits if c.isdigit())
    return digits[:4] if len(digits) >= 2 else ""


def _card(value: object) -> str:
    digits = normalize_identifier(_text(value))
    return digits if digits.isdigit() and len(digits) >= 5 and set(digits) != {"0"} else ""


def _valid_id(value: object) -> str:
    """A valid national ID or national code (digits), else ''. The two never collide: 11 vs 10 digits."""
    text = _text(value)
    if not text:
        return ""
    kind = identifier_kind(text)
    if kind is None:
        return ""
    digits = normalize_identifier(text)
    return digits.zfill(10) if kind == "national_code" else digits


# -- Splink ----------------------------------------------------------------------------------------------------
@contextmanager
def _quiet():
    """Splink logs progress and warns about untrained parameters: neither means anything here."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _agreement_u(values: pd.Series, floor: float = 0.01, ceiling: float = 0.95) -> float:
    """P(two random records agree on a value), exactly: Σ p_v² over the non-missing values' shares."""
    counts = values[values != ""].value_counts()
    n = counts.sum()
    if n < 2:
        return 0.2
    u = float(((counts / n) ** 2).sum())
    return min(max(u, floor), ceiling)


def _levels(levels, null_sql: str) -> list[dict]:
    out = [{"sql_condition": null_sql, "label_for_charts": "missing", "is_null_level": True}]
    for label, sql, m, u in levels:
        out.append({"sql_condition": sql, "label_for_charts": label, "m_probability": m, "u_probability": u})
    return out


def estimate_prior(keys: list[str], ids: list[str]) -> float:
    """λ for a list with these spacing-free name keys and valid national IDs ('' when none): pairs with the same
    key or ID, divided by :data:`PRIOR_RULE_RECALL` and by the number of pairs, with the number of duplicates
    per record bounded by :data:`PRIOR_DUPLICATES_PER_RECORD`, and λ by one half.

    >>> round(estimate_prior(["a", "a", "b", "c", "d", "e"], [""] * 6), 3)  # 1 pair: 2·1/0.5/6 per record
    0.133
    """
    n = len(keys)
    if n < 2:
        return 0.5
    groups: dict[str, set[int]] = {}
    for i, (k, d) in enumerate(zip(keys, ids, strict=True)):
        for value in (k and "k:" + k, d and "i:" + d):
            if value:
                groups.setdefault(value, set()).add(i)
    same = {frozenset((a, b)) for g in groups.values() for a in g for b in g if a < b}
    per_record = 2 * len(same) / PRIOR_RULE_RECALL / n
    low, high = PRIOR_DUPLICATES_PER_RECORD
    # At most one half: in a list of a few records, "three duplicates per record" would exceed certainty.
    return min(min(max(per_record, low), high) / (n - 1), 0.5)


def _settings(table: pd.DataFrame, prior: float) -> dict:
    u_county = _agreement_u(table["county"])
    u_isic = _agreement_u(table["isic4"])
    u_division = max(_agreement_u(table["isic2"]) - u_isic, 0.01)
    # Neither conflicting nor agreeing (a name without qualifiers) is no evidence: Splink's null level.
    qualifier = _levels(QUALIFIER_LEVELS, f"NOT ({_CONFLICT}) AND NOT ({_AGREE})")
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "uid",
        "probability_two_random_records_match": prior,
        "blocking_rules_to_generate_predictions": _blocking_rules(),
        "comparisons": [
            {
                "output_column_name": "name",
                "comparison_levels": _levels(NAME_LEVELS, "name_key_l IS NULL OR name_key_r IS NULL"),
            },
            {"output_column_name": "qualifier", "comparison_levels": qualifier},
            {
                "output_column_name": "county",
                "comparison_levels": _levels(
                    (
                        ("same county", "county_l = county_r", _M_COUNTY_SAME, u_county),
                        ("different county", "ELSE", 1 - _M_COUNTY_SAME, 1 - u_county),
                    ),
                    "county_l IS NULL OR county_r IS NULL",
                ),
            },
            {
                "output_column_name": "isic",
                "comparison_levels": _levels(
                    (
                        ("same ISIC class", "isic4_l = isic4_r", _M_ISIC_SAME, u_isic),
                        ("same ISIC division", "isic2_l = isic2_r", _M_ISIC_DIVISION, u_division),
                        (
                            "different activity",
                            "ELSE",
                            1 - _M_ISIC_SAME - _M_ISIC_DIVISION,
                            max(1 - u_isic - u_division, 0.01),
                        ),
                    ),
                    "isic4_l IS NULL OR isic4_r IS NULL",
                ),
            },
        ],
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
    }


def _blocking_rules() -> list:
    from splink import block_on

    # County and ISIC blocks are refined by the first letter of the distinctive part: whole-county blocks grow
    # with the square of the county's records (1.3 M pairs for 1,600 records of Arak) and, on the evaluation
    # lists, found no pair that the name keys below had not found already.
    first = "substr(coalesce(dcompact, compact), 1, 1)"
    return [
        block_on("county", first),
        block_on("isic4", first),
        block_on("name_key"),
        block_on("compact"),
        block_on("core"),
        block_on("sound"),
        block_on("bkeys", arrays_to_explode=["bkeys"]),
    ]


def _blocking_keys(profile: NameProfile) -> list[str]:
    """Keys under which a name meets the names that may share a word with it, up to a typo: for each
    distinctive word (and, for a name without a sure one, each word), its first three letters, its last three,
    its first letter with its last two, and its first two with its length — one typo leaves one of them
    intact. Words of one or two letters are keys themselves."""
    words = set(profile.distinctive)
    if not profile.soft_compact:
        words |= set(profile.core.split())
    if profile.distinctive_compact:
        words.add(profile.distinctive_compact)
    keys = set()
    for w in words:
        if len(w) < 3:
            keys.add("w:" + w)
            continue
        keys.update(("p:" + w[:3], "s:" + w[-3:], "e:" + w[0] + w[-2:], f"l:{w[:2]}{len(w)}"))
    return sorted(keys)


def _splink_pairs(table: pd.DataFrame, prior: float, floor: float) -> pd.DataFrame:
    """Scored candidate pairs ``uid_l, uid_r, probability, name_level`` from Splink on an in-memory DuckDB,
    those of probability ``floor`` or more."""
    import duckdb
    import pyarrow as pa

    with _quiet():
        from splink import DuckDBAPI, Linker

        list_type = pa.list_(pa.string())
        schema = pa.schema(
            [("uid", pa.int64())]
            + [
                (c, pa.string())
                for c in ("name_key", "compact", "core", "dsig", "dsoft", "sound", "dcompact", "county")
            ]
            + [(c, pa.string()) for c in ("isic4", "isic2")]
            + [(c, list_type) for c in ("dtok", "core_list", "act", "place", "num", "bkeys")]
        )
        data = {}
        for field in schema:
            column = table[field.name]
            if field.type == pa.string():
                data[field.name] = [v if v else None for v in column]
            else:
                data[field.name] = list(column)
        arrow = pa.Table.from_pydict(data, schema=schema)
        con = duckdb.connect(":memory:")
        try:
            db_api = DuckDBAPI(con)
            linker = Linker(db_api.register(arrow), _settings(table, prior), log_level=None)
            predictions = linker.inference.predict(
                threshold_match_probability=floor or None, warning_mode="never"
            ).as_pandas_dataframe()
        finally:
            con.close()
    if predictions.empty:
        return pd.DataFrame({"uid_l": [], "uid_r": [], "probability": [], "name_level": []})
    # Splink 5 returns each comparison's match weight (mw_name), not its level: the levels' weights differ.
    weights = {round(math.log2(m / u), 6): label for label, _sql, m, u in NAME_LEVELS}
    weights[0.0] = "missing"
    name_level = [weights.get(round(float(w), 6), "?") for w in predictions["mw_name"]]
    return pd.DataFrame(
        {
            "uid_l": predictions["uid_l"].astype(int),
            "uid_r": predictions["uid_r"].astype(int),
            "probability": predictions["match_probability"].astype(float).clip(0.0, 1.0),
            "name_level": name_level,
        }
    )


# -- clustering --------------------------------------------------------------------------------------------------
class _Clusters:
    """Union-find over record positions that keeps each cluster's members, valid identifiers, counties and ISIC
    classes, and knows the cannot-link constraints."""

    def __init__(self, ids: list[str], profiles: list[NameProfile], counties: list[str], isics: list[str]):
        n = len(ids)
        self.parent = list(range(n))
        self.members = {i: [i] for i in range(n)}
        self.ids = {i: ({ids[i]} if ids[i] else set()) for i in range(n)}
        self.counties = {i: Counter([counties[i]] if counties[i] else []) for i in range(n)}
        self.classes = {i: Counter([isics[i]] if isics[i] else []) for i in range(n)}
        self.profiles = profiles
        self.apart: set[frozenset[int]] = set()
        #: records joined to others by an identifier or a merge: their names do not constrain their cluster
        self.anchored: set[int] = set()
        self._cannot: dict[frozenset[int], str | None] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> int:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]) or (
            len(self.members[ra]) == len(self.members[rb]) and rb < ra
        ):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        self.ids[ra] |= self.ids.pop(rb)
        self.counties[ra] += self.counties.pop(rb)
        self.classes[ra] += self.classes.pop(rb)
        return ra

    def ids_conflict(self, a: int, b: int) -> bool:
        ia, ib = self.ids[self.find(a)], self.ids[self.find(b)]
        return bool(ia and ib and ia != ib)

    def cannot_link(self, x: int, y: int) -> str | None:
        """Why the names of records ``x`` and ``y`` are not one firm's, or None (cached)."""
        key = frozenset((x, y))
        if key not in self._cannot:
            self._cannot[key] = self._cannot_link(x, y)
        return self._cannot[key]

    def _cannot_link(self, x: int, y: int) -> str | None:
        if frozenset((x, y)) in self.apart:
            return "kept_apart"
        if x in self.anchored or y in self.anchored:
            # Joined to its firm by an identifier or by the secretariat: its name may be an old or another
            # name of the firm («پخش سپیدار» under the national ID of «صنایع غذایی مهرام»).
            return None
        px, py = self.profiles[x], self.profiles[y]
        if qualifiers_conflict(px, py):
            return "qualifier_conflict"
        if _clearly_different(px, py):
            return "no_shared_word"
        return None

    def refusal(self, ra: int, rb: int, *, fields: bool = True, names: bool = True) -> str | None:
        """Why joining clusters ``ra`` and ``rb`` would put two firms in one, or None. ``fields``: also refuse
        two clusters whose usual county and usual ISIC class both differ (evidence, not proof: see
        :func:`_usual`); ``names``: also refuse names that share no distinctive word."""
        if self.ids_conflict(ra, rb):
            return "two_national_ids"
        for x in self.members[ra]:
            for y in self.members[rb]:
                reason = self.cannot_link(x, y)
                if reason and (names or reason != "no_shared_word"):
                    return reason
        if fields and all(
            _usual(a[ra]) and _usual(a[rb]) and not _usual(a[ra]) & _usual(a[rb])
            for a in (self.counties, self.classes)
        ):
            return "county_and_activity_differ"
        return None


def _usual(values: Counter) -> set[str]:
    """The most frequent values (all of them on a tie): a cluster's county is what most of its records say, so
    that one record written with another county (head office, plant) or activity code does not count."""
    if not values:
        return set()
    top = max(values.values())
    return {v for v, c in values.items() if c == top}


def _log_odds(p: float) -> float:
    p = min(max(p, 1e-12), 1 - 1e-12)
    return math.log2(p / (1 - p))


#: A link is ambiguous when a competing link of one of its clusters, to a cluster that cannot join the other,
#: is at most this many bits (log2 Bayes factor) weaker: a factor of four in the odds.
_AMBIGUITY_BITS = 2.0


def _validate(records: pd.DataFrame, threshold: float, review_floor: float) -> None:
    if not isinstance(records, pd.DataFrame):
        raise TypeError("records must be a pandas DataFrame")
    missing = [c for c in ("record_id", "name") if c not in records.columns]
    if missing:
        raise ValueError(f"records lack the column(s): {', '.join(missing)}")
    if not 0.0 < threshold <= 1.0:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    if not 0.0 <= review_floor <= threshold:
        raise ValueError(f"review_floor must be in [0, threshold], not {review_floor}")
    ids = records["record_id"].map(_text)
    if (ids == "").any():
        raise ValueError("record_id is empty on some rows")
    duplicated = ids[ids.duplicated()].unique().tolist()
    if duplicated:
        raise ValueError(f"record_id is not unique: {', '.join(map(str, duplicated[:5]))}")


def _firm_key(members: list[int], ids: set[str], cards: list[str], record_ids: list[str]) -> str:
    if ids:
        return min(ids)
    member_cards = sorted(c for c in (cards[i] for i in members) if c)
    if member_cards:
        return "card:" + member_cards[0]
    smallest = min(record_ids[i] for i in members)
    return "name:" + hashlib.sha1(smallest.encode("utf-8")).hexdigest()[:12]


def resolve_firms(
    records: pd.DataFrame,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    review_floor: float = DEFAULT_REVIEW_FLOOR,
    places: Iterable[str] = (),
    merge: Iterable[tuple[object, object]] = (),
    keep_apart: Iterable[tuple[object, object]] = (),
) -> Resolution:
    """Join the records of one firm (see the module's docstring for the method).

    ``records`` has ``record_id`` (unique) and ``name``, and optionally ``national_id``, ``card_number``,
    ``county`` and ``isic``. ``threshold``: the match probability from which two records are linked;
    ``review_floor``: from which a pair that is not linked is put to review. ``places``: place names to treat
    as generic in names, besides the built-in ones and the list's own counties. ``merge`` and ``keep_apart``:
    the secretariat's decisions on review pairs, as pairs of record IDs (a merge never joins two national IDs;
    unknown record IDs are ignored).
    """
    _validate(records, threshold, review_floor)
    n = len(records)
    record_ids = [_text(v) for v in records["record_id"]]
    names = [_text(v) for v in records["name"]]

    def column(name: str, convert) -> list[str]:
        return [convert(v) for v in records[name]] if name in records.columns else [""] * n

    ids = column("national_id", _valid_id)
    cards = column("card_number", _card)
    counties = column("county", _county_key)
    isics = column("isic", _isic)
    place_words = {w for c in counties for w in c.split()} | {
        w for p in places for w in _county_key(p).split()
    }
    profiles: list[NameProfile] = [name_profile(firm_name_key(name), places=place_words) for name in names]

    prior = estimate_prior([p.compact for p in profiles], ids)
    pairs = _score(profiles, counties, isics, prior, review_floor) if n >= 2 else _empty_pairs()
    pairs["shares_word"] = [
        shares_distinctive_word(profiles[a], profiles[b])
        for a, b in zip(pairs["uid_l"], pairs["uid_r"], strict=True)
    ]

    position = {rid: i for i, rid in enumerate(record_ids)}
    clusters = _Clusters(ids, profiles, counties, isics)
    clusters.apart = {
        frozenset((position[_text(a)], position[_text(b)]))
        for a, b in keep_apart
        if _text(a) in position and _text(b) in position
    }
    how = ["single"] * n
    review: list[tuple[int, int, float, str]] = []

    # 1. Identifiers decide: the same valid national ID, then the same card number unless the IDs differ.
    for group in _groups(ids):
        for i in group[1:]:
            clusters.union(group[0], i)
        for i in group:
            how[i] = "national_id"
    for group in _groups(cards):
        for i in group[1:]:
            if clusters.ids_conflict(group[0], i):
                review.append((group[0], i, float("nan"), "card_number_conflict"))
                continue
            clusters.union(group[0], i)
            for j in (group[0], i):
                how[j] = how[j] if how[j] == "national_id" else "card_number"

    # 2. The secretariat's merges.
    for a, b in merge:
        ia, ib = position.get(_text(a)), position.get(_text(b))
        if ia is None or ib is None or clusters.ids_conflict(ia, ib):
            continue
        clusters.union(ia, ib)
        for j in (ia, ib):
            how[j] = how[j] if how[j] != "single" else "review"

    clusters.anchored = {i for i in range(n) if how[i] != "single"}

    # 3. Name links, strongest first (ties in record order), under the cannot-link constraints.
    lefts, rights = [int(a) for a in pairs["uid_l"]], [int(b) for b in pairs["uid_r"]]
    probabilities, shares = [float(p) for p in pairs["probability"]], list(pairs["shares_word"])
    candidates = []
    strong: dict[int, list[tuple[float, int]]] = {}
    for k in range(len(pairs)):
        a, b, p = lefts[k], rights[k], probabilities[k]
        if p < review_floor or not shares[k] or (ids[a] and ids[b] and ids[a] != ids[b]):
            continue  # too weak, no shared word, or decided by the identifiers: two firms
        candidates.append(k)
        if p >= threshold:
            strong.setdefault(a, []).append((p, b))
            strong.setdefault(b, []).append((p, a))
    weakest: dict[int, float] = {}
    linked = [False] * len(pairs)
    for k in sorted(candidates, key=lambda k: (-probabilities[k], lefts[k], rights[k])):
        a, b, p = lefts[k], rights[k], probabilities[k]
        ra, rb = clusters.find(a), clusters.find(b)
        if ra == rb:
            linked[k] = True
            continue
        if p < threshold:
            review.append((a, b, p, "below_threshold"))
            continue
        reason = clusters.refusal(ra, rb) or _ambiguity(clusters, strong, ra, rb, p)
        if reason:
            review.append((a, b, p, reason))
            continue
        root = clusters.union(a, b)
        weakest[root] = min(p, weakest.pop(ra, 1.0), weakest.pop(rb, 1.0))
        linked[k] = True
    for i in range(n):
        if how[i] == "single" and len(clusters.members[clusters.find(i)]) > 1:
            how[i] = "name"

    keys: dict[int, str] = {}
    for root, members in clusters.members.items():
        keys[root] = _firm_key(members, clusters.ids[root], cards, record_ids)
    assignments = pd.DataFrame(
        {
            "record_id": record_ids,
            "firm_key": [keys[clusters.find(i)] for i in range(n)],
            "confidence": [1.0 if how[i] != "name" else weakest.get(clusters.find(i), 1.0) for i in range(n)],
            "matched_by": how,
        },
        columns=_ASSIGNMENT_COLUMNS,
    )
    pairs_out = pd.DataFrame(
        {
            "record_id_l": [record_ids[int(a)] for a in pairs["uid_l"]],
            "record_id_r": [record_ids[int(b)] for b in pairs["uid_r"]],
            "probability": pairs["probability"].astype(float),
            "name_level": pairs["name_level"],
            "shares_word": pairs["shares_word"].astype(bool),
            "linked": linked,
        }
    )
    return Resolution(
        assignments=assignments,
        review=_review_frame(review, clusters, keys, record_ids, names),
        pairs=pairs_out,
        prior=prior,
    )


def _groups(values: list[str]) -> list[list[int]]:
    by_value: dict[str, list[int]] = {}
    for i, v in enumerate(values):
        if v:
            by_value.setdefault(v, []).append(i)
    return [g for g in by_value.values() if len(g) > 1]


def _ambiguity(clusters: _Clusters, strong: dict[int, list[tuple[float, int]]], ra: int, rb: int, p: float):
    """ "ambiguous" when one of the two clusters is about as strongly linked to a third cluster that it could
    join and the other could not: «پویا» beside «نساجی پویا» and «آلومینیوم پویا» belongs to neither until
    the secretariat says."""
    floor = _log_odds(p) - _AMBIGUITY_BITS
    for this, other in ((ra, rb), (rb, ra)):
        for x in clusters.members[this]:
            for q, y in strong.get(x, ()):
                ry = clusters.find(y)
                if ry in (ra, rb) or _log_odds(q) < floor:
                    continue
                # A third cluster that could take this one and is another firm than the other: identifiers,
                # the secretariat or the names' industries say so. Not the fields (too few in small clusters to
                # tell), nor two names without a shared word (two typos of one word are such names).
                if clusters.refusal(ry, other, fields=False, names=False) and not clusters.refusal(
                    ry, this, fields=False
                ):
                    return "ambiguous"
    return None


def _clearly_different(a: NameProfile, b: NameProfile) -> bool:
    """No shared distinctive word, and none two typos apart either (two records with different typos of one
    word may stand in one firm: «ققنوس», «ققنس», «ققتوس»)."""
    if shares_distinctive_word(a, b):
        return False
    return not any(
        min(len(x), len(y)) >= 3 and edit_distance(x, y, limit=3) <= 2
        for x in a.distinctive
        for y in b.distinctive
    )


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "uid_l": pd.Series([], dtype=int),
            "uid_r": pd.Series([], dtype=int),
            "probability": pd.Series([], dtype=float),
            "name_level": pd.Series([], dtype=object),
        }
    )


def _score(
    profiles: list[NameProfile], counties: list[str], isics: list[str], prior: float, floor: float
) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "uid": range(len(profiles)),
            "name_key": [p.key for p in profiles],
            "compact": [p.compact for p in profiles],
            "core": [p.core for p in profiles],
            "dsig": [p.distinctive_signature for p in profiles],
            "dsoft": [p.soft_compact for p in profiles],
            "sound": [p.sound for p in profiles],
            "bkeys": [_blocking_keys(p) for p in profiles],
            "dcompact": [p.distinctive_compact for p in profiles],
            "county": counties,
            "isic4": isics,
            "isic2": [i[:2] for i in isics],
            "dtok": [sorted(set(p.distinctive)) for p in profiles],
            "core_list": [sorted(set(p.core.split())) for p in profiles],
            "act": [list(p.activities) for p in profiles],
            "place": [list(p.places) for p in profiles],
            "num": [list(p.numbers) for p in profiles],
        }
    )
    if not table["name_key"].astype(bool).any():
        return _empty_pairs()
    return _splink_pairs(table, prior, floor)


def _review_frame(review, clusters: _Clusters, keys: dict[int, str], record_ids, names) -> pd.DataFrame:
    """One row per pair of clusters still apart, its strongest pair first."""
    best: dict[frozenset, tuple[int, int, float, str]] = {}
    for a, b, p, reason in review:
        ra, rb = clusters.find(a), clusters.find(b)
        if ra == rb:
            continue
        pair_key = frozenset((ra, rb))
        score = -1.0 if math.isnan(p) else p
        current = best.get(pair_key)
        if current is None or score > (-1.0 if math.isnan(current[2]) else current[2]):
            best[pair_key] = (a, b, p, reason)
    rows = sorted(best.values(), key=lambda r: (-(r[2] if not math.isnan(r[2]) else 2.0), r[0], r[1]))
    return pd.DataFrame(
        [
            (
                record_ids[a],
                record_ids[b],
                names[a],
                names[b],
                p,
                reason,
                keys[clusters.find(a)],
                keys[clusters.find(b)],
            )
            for a, b, p, reason in rows
        ],
        columns=_REVIEW_COLUMNS,
    )
