"""``saderat registry resolve FILE.csv``: which records of a list are one firm (entity resolution).

The file is a CSV (UTF-8, with or without a byte-order mark; comma, semicolon or tab separated) with the
columns ``record_id`` and ``name`` and optionally ``national_id``, ``card_number``, ``county`` and ``isic``; the
Persian headers «شناسه رکورد»، «نام»، «شناسه ملی»، «شماره کارت بازرگانی»، «شهرستان»، «کد آیسیک» are accepted
too. ``--json`` prints ``[{"record_id", "firm_key", "confidence"}]`` in the file's order — records with one
``firm_key`` are one firm —, otherwise a table in Persian with the pairs left for review. A file that cannot be
read or lacks a column is reported in Persian and English on stderr, with exit code 2.

The method is :func:`saderat.registry.resolve.resolve_firms`. This module imports nothing of Django: the
command works on any list, without a workspace.
"""

from __future__ import annotations

import argparse
import json
import sys

__all__ = ["add_commands", "cmd_resolve", "read_records", "RecordsFileError", "COLUMN_ALIASES"]

#: Accepted headers of each column (compared after Persian normalisation, case, spaces and punctuation aside).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "record_id": ("record_id", "record id", "id", "شناسه رکورد", "شناسه"),
    "name": ("name", "firm_name", "نام", "نام بنگاه", "نام شرکت", "نام واحد"),
    "national_id": ("national_id", "national id", "شناسه ملی", "شناسه ملی شرکت"),
    "card_number": ("card_number", "card number", "شماره کارت بازرگانی", "شماره کارت", "کارت بازرگانی"),
    "county": ("county", "شهرستان"),
    "isic": ("isic", "isic_code", "کد آیسیک", "آیسیک", "کد isic"),
}
_REQUIRED = ("record_id", "name")
_PERSIAN_NAMES = {
    "record_id": "شناسه رکورد",
    "name": "نام",
    "national_id": "شناسه ملی",
    "card_number": "شماره کارت بازرگانی",
    "county": "شهرستان",
    "isic": "کد آیسیک",
}
_MATCHED_BY_FA = {
    "national_id": "شناسه ملی",
    "card_number": "کارت بازرگانی",
    "name": "نام",
    "review": "بازبینی",
    "single": "تک",
}


# Error messages (Persian, English), formatted with the file's path and what was found.
NOT_FOUND = ("پرونده «{path}» پیدا نشد.", "file not found: {path}")
UNREADABLE = (
    "پرونده «{path}» خوانده نشد؛ باید CSV با کدگذاری UTF-8 باشد.",
    "cannot read {path} as a UTF-8 CSV: {detail}",
)
EMPTY = ("پرونده «{path}» خالی است.", "{path} is empty")
MALFORMED = ("پرونده «{path}» CSV درستی نیست: {detail}", "{path} is not a well-formed CSV: {detail}")
DUPLICATE_COLUMN = (
    "ستون «{column_fa}» دو بار در پرونده آمده است.",
    "the column {column} appears twice in {path}",
)
MISSING_COLUMNS = (
    "ستون {columns_fa} در پرونده «{path}» نیست (ستون‌های پرونده: {found}).",
    "{path} lacks the column(s) {columns} (found: {found})",
)
BLANK_RECORD_ID = ("شناسه رکورد در سطر(های) {lines} خالی است.", "record_id is empty on line(s) {lines}")
DUPLICATE_RECORD_ID = ("شناسه رکورد تکراری است: {ids}", "record_id is not unique: {ids}")
REJECTED = ("فهرست پذیرفته نشد: {detail}", "the list was not accepted: {detail}")


class RecordsFileError(Exception):
    """A list that cannot be resolved: ``message_fa`` and ``message_en`` say why."""

    def __init__(self, message: tuple[str, str], **values: object):
        self.message_fa = message[0].format(**values)
        self.message_en = message[1].format(**values)
        super().__init__(self.message_en)


def _header_key(text: str) -> str:
    from saderat.text import match_key

    return match_key(text)


def read_records(path: str):
    """The list in ``path`` (``-`` for standard input) as a DataFrame with the canonical column names, every
    value as text. Raises :class:`RecordsFileError`."""
    import io

    import pandas as pd

    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
        text = raw.decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise RecordsFileError(NOT_FOUND, path=path) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise RecordsFileError(UNREADABLE, path=path, detail=exc) from exc
    first_line = text.split("\n", 1)[0]
    separator = max((",", ";", "\t"), key=first_line.count) if first_line else ","
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=separator, dtype=str, keep_default_na=False, skipinitialspace=True
        )
    except pd.errors.EmptyDataError as exc:
        raise RecordsFileError(EMPTY, path=path) from exc
    except (pd.errors.ParserError, ValueError) as exc:
        raise RecordsFileError(MALFORMED, path=path, detail=exc) from exc

    wanted = {_header_key(alias): column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}
    renames: dict[str, str] = {}
    for header in frame.columns:
        column = wanted.get(_header_key(str(header)))
        if column is None:
            continue
        if column in renames.values():
            raise RecordsFileError(
                DUPLICATE_COLUMN, column_fa=_PERSIAN_NAMES[column], column=column, path=path
            )
        renames[header] = column
    missing = [c for c in _REQUIRED if c not in renames.values()]
    if missing:
        raise RecordsFileError(
            MISSING_COLUMNS,
            path=path,
            columns_fa=" و ".join(f"«{_PERSIAN_NAMES[c]}»" for c in missing),
            columns=", ".join(missing),
            found=", ".join(map(str, frame.columns)) or "-",
        )
    frame = frame.rename(columns=renames)[list(renames.values())]
    blank = frame.index[frame["record_id"].str.strip() == ""].tolist()
    if blank:
        raise RecordsFileError(BLANK_RECORD_ID, lines=", ".join(str(i + 2) for i in blank[:5]))
    duplicated = frame["record_id"][frame["record_id"].duplicated()].unique().tolist()
    if duplicated:
        raise RecordsFileError(DUPLICATE_RECORD_ID, ids=", ".join(duplicated[:5]))
    return frame


def _error(exc: RecordsFileError) -> int:
    print(f"خطا: {exc.message_fa}\nerror: {exc.message_en}", file=sys.stderr)
    return 2


def cmd_resolve(args) -> int:
    """Resolve the list in ``args.file`` and print the firm of each record."""
    from saderat.registry.resolve import resolve_firms

    try:
        records = read_records(args.file)
    except RecordsFileError as exc:
        return _error(exc)
    try:
        result = resolve_firms(
            records, threshold=args.threshold, review_floor=min(args.review_floor, args.threshold)
        )
    except ValueError as exc:
        return _error(RecordsFileError(REJECTED, detail=exc))
    rows = [
        {"record_id": r.record_id, "firm_key": r.firm_key, "confidence": round(float(r.confidence), 4)}
        for r in result.assignments.itertuples(index=False)
    ]
    if args.json:
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    _print_table(records, result)
    return 0


def _print_table(records, result) -> None:
    from saderat.text import to_persian_digits

    names = dict(zip(records["record_id"], records["name"], strict=True))
    firms = result.assignments.groupby("firm_key", sort=False)
    print("شناسه رکورد | نام | بنگاه | اطمینان | روش")
    for firm_key, group in firms:
        for r in group.itertuples(index=False):
            confidence = to_persian_digits(f"{r.confidence:.2f}")
            print(
                f"{r.record_id} | {names[r.record_id]} | {firm_key} | {confidence} | "
                f"{_MATCHED_BY_FA.get(r.matched_by, r.matched_by)}"
            )
    n_records, n_firms = len(result.assignments), result.assignments["firm_key"].nunique()
    print(
        to_persian_digits(f"جمع: {n_records} رکورد، {n_firms} بنگاه، {len(result.review)} جفت برای بازبینی")
    )
    if len(result.review):
        print("برای بازبینی دبیرخانه (یکی کنید یا جدا نگه دارید):")
        for r in result.review.itertuples(index=False):
            p = "—" if r.probability != r.probability else f"{r.probability:.2f}"
            print(
                to_persian_digits(f"  {r.record_id_l} «{r.name_l}» ↔ {r.record_id_r} «{r.name_r}» — {p}")
                + f" ({r.reason})"
            )


def _probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text}") from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be in (0, 1]: {text}")
    return value


def add_commands(registry: argparse._SubParsersAction) -> None:
    """Add ``resolve`` to the ``saderat registry`` sub-commands."""
    from saderat.registry.resolve import DEFAULT_REVIEW_FLOOR, DEFAULT_THRESHOLD

    p = registry.add_parser(
        "resolve",
        help="entity resolution: which records of a CSV list are one firm",
        description=__doc__.split("\n\n")[1],
    )
    p.add_argument(
        "file", help="CSV with record_id, name [, national_id, card_number, county, isic]; - for stdin"
    )
    p.add_argument("--json", action="store_true", help='[{"record_id", "firm_key", "confidence"}]')
    p.add_argument(
        "--threshold",
        type=_probability,
        default=DEFAULT_THRESHOLD,
        help=f"match probability from which records are linked (default {DEFAULT_THRESHOLD})",
    )
    p.add_argument(
        "--review-floor",
        type=_probability,
        default=DEFAULT_REVIEW_FLOOR,
        help=f"probability from which an unlinked pair is listed for review (default {DEFAULT_REVIEW_FLOOR})",
    )
    p.set_defaults(func=cmd_resolve)
