#!/usr/bin/env python
"""Build ``src/saderat/data/reference/mandatory_standards_seed.csv``: a sample table of mandatory export
standards in the ``standards`` import template (:data:`saderat.ingest.quality.QUALITY_TEMPLATES`, Persian
headers), from the standards numbers that public pages give for key export products.

Usage (from the repository root)::

    .venv/bin/python scripts/build_quality_seed.py [SHARED_DATA_DIR]

``SHARED_DATA_DIR`` defaults to ``../shared/data`` relative to the repository root. The script is
deterministic (same input, byte-identical output) and checks its own output through
:func:`saderat.ingest.quality.prepare_quality`: it fails (exit code 1) if any row would be rejected.

Inputs (``standards/iran_standards_export_products``, see its SOURCE.txt):

``iran_national_standards_export_products.csv``
    ISIRI/INSO numbers and titles for pistachio, saffron and dates, as published on trade-association and
    trader pages. Each standard is put on the HS subheadings of its product (:data:`PRODUCT_LINES`,
    :data:`STANDARD_LINES`); standards of derived products whose line no source gives (pistachio oil, paste,
    powder; saffron spray and herbal tea; date paste) and the rows SOURCE.txt flags as doubtful are left out
    (:data:`LEFT_OUT`). Effective from 1396/01/01, the year of INSO's list of mandatory export standards.
``edible_oils_tariff1398_to_isiri_standard_tadarokgostar.csv``
    Edible oils with the 1398 tariff line and the ISIRI number; only rows with a tariff line are kept, effective
    from 1398/01/01 (the tariff's year). SOURCE.txt: probably the import-side list; the note says so.

Every row carries the note that the list is a sample from public pages to be reconciled with INSO's official
list by the standards directorate.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from saderat.ingest.quality import QUALITY_TEMPLATES, prepare_quality  # noqa: E402

OUT_FILE = REPO_ROOT / "src" / "saderat" / "data" / "reference" / "mandatory_standards_seed.csv"
SOURCE_DIR = Path("standards") / "iran_standards_export_products"
PRODUCTS_FILE = "iran_national_standards_export_products.csv"
OILS_FILE = "edible_oils_tariff1398_to_isiri_standard_tadarokgostar.csv"
OILS_URL = "http://tadarokgostar.com/استانداردها-و-تعرفه-ها/"

#: The note every row carries: a sample, to be confirmed by the standards directorate.
SAMPLE_NOTE = "فهرست نمونه از صفحات عمومی؛ باید با فهرست رسمی سازمان ملی استاندارد تطبیق داده شود"
OILS_NOTE = "احتمالاً فهرست استانداردهای اجباری واردات روغن خوراکی (تعرفه ۱۳۹۸)"
#: INSO's list of mandatory export standards is of 1396; the oils list names the tariff of 1398.
PRODUCTS_FROM = "1396/01/01"
OILS_FROM = "1398/01/01"

#: HS subheadings of each product (HS 2022 keeps saffron at 0910.20: 0910.21/0910.22 are not HS codes).
PRODUCT_LINES = {
    "pistachio": ("080251", "080252"),
    "saffron": ("091020",),
    "dates": ("080410",),
}
#: The product as the directorate names each subheading.
LINE_NAMES = {
    "080251": "پسته با پوست",
    "080252": "پسته بی‌پوست (مغز پسته)",
    "091020": "زعفران",
    "080410": "خرما",
}
#: Pistachio standards that concern one of the two forms only: in shell (0802.51) or shelled (0802.52).
STANDARD_LINES = {
    "15": ("080251",),  # in-shell pistachio nuts
    "4919": ("080251",),  # mechanically opened
    "4921": ("080251",),  # closed shell
    "218": ("080252",),  # kernels
    "3639": ("080252",),  # split kernels
    "4631": ("080252",),  # green peeled kernels
}
#: Standards not put on a line, and why.
LEFT_OUT = {
    "6655": "pistachio oil: its tariff line (1515.90?) is given by no source",
    "5691": "pistachio paste: its tariff line (2008.19?) is given by no source",
    "9636": "pistachio powder: ground kernels or a preparation; no source gives the line",
    "17034": "saffron spray: a preparation, not 0910.20",
    "13966": "saffron herbal tea: a preparation, not 0910.20",
    "2198": "a generic Enterococci method listed by a trader (SOURCE.txt: weak)",
    "5720": "date paste: its tariff line (2008.99?) is given by no source",
    "8757": "no title published (SOURCE.txt)",
    "285": "the number may be truncated in the stored page (SOURCE.txt: CHECK)",
}
HEADER_KEYS = (
    "code_prefix",
    "product_name",
    "standard_number",
    "title",
    "effective_from",
    "effective_to",
    "source_document",
    "group",
    "note",
)
#: Rows of the oils file whose text the source garbled (SOURCE.txt), kept as published with a note.
OILS_GARBLED = {"26": "متن این ردیف در منبع به‌هم‌ریخته است"}
_LEADING_CODE = re.compile(r"^\d{8}")


def product_rows(path: Path) -> list[dict[str, str]]:
    """The pistachio, saffron and date standards on their HS subheadings."""
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for item in csv.DictReader(fh):
            number = item["isiri_standard_no"].strip()
            if number in LEFT_OUT:
                continue
            note = SAMPLE_NOTE
            if item["revision_or_year"].strip():
                note += f"؛ ویرایش/سال: {item['revision_or_year'].strip()}"
            for code in STANDARD_LINES.get(number, PRODUCT_LINES[item["product_en"]]):
                rows.append(
                    {
                        "code_prefix": code,
                        "product_name": LINE_NAMES[code],
                        "standard_number": number,
                        "title": item["title_as_published"].strip(),
                        "effective_from": PRODUCTS_FROM,
                        "effective_to": "",
                        "source_document": item["source_url"].strip(),
                        "group": item["product_fa"],
                        "note": note,
                    }
                )
    return rows


def oil_rows(path: Path) -> list[dict[str, str]]:
    """The edible oils whose 1398 tariff line is given (``15162010 (CBS)`` is read as its 8 digits)."""
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for item in csv.DictReader(fh):
            code = _LEADING_CODE.match(item["tariff_code_1398"].strip())
            if not code:
                continue
            rows.append(
                {
                    "code_prefix": code.group(0),
                    "product_name": item["product_fa"].strip(),
                    "standard_number": item["isiri_standard_no"].strip(),
                    "title": item["product_fa"].strip(),
                    "effective_from": OILS_FROM,
                    "effective_to": "",
                    "source_document": OILS_URL,
                    "group": "روغن خوراکی",
                    "note": "؛ ".join(filter(None, (SAMPLE_NOTE, OILS_NOTE, OILS_GARBLED.get(item["row"])))),
                }
            )
    return rows


def render(rows: list[dict[str, str]]) -> str:
    """The CSV text: the template's Persian headers, one line per row, ``\\n`` line ends."""
    labels = {c.key: c.label_fa for c in QUALITY_TEMPLATES["standards"]}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([labels[k] for k in HEADER_KEYS])
    for row in sorted(rows, key=lambda r: (r["code_prefix"], r["standard_number"], r["effective_from"])):
        writer.writerow([row[k] for k in HEADER_KEYS])
    return buffer.getvalue()


def check(text: str) -> None:
    """The seed must import cleanly through the standards template."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / OUT_FILE.name
        path.write_text(text, encoding="utf-8")
        prepared = prepare_quality(path, kind="standards")
    if not prepared.problems.empty:
        print(prepared.problems.to_string(), file=sys.stderr)
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shared", nargs="?", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    args = parser.parse_args(argv)
    source = args.shared / SOURCE_DIR
    text = render(product_rows(source / PRODUCTS_FILE) + oil_rows(source / OILS_FILE))
    check(text)
    OUT_FILE.write_text(text, encoding="utf-8")
    print(f"{OUT_FILE.relative_to(REPO_ROOT)}: {text.count(chr(10)) - 1} rows")


if __name__ == "__main__":
    main()
