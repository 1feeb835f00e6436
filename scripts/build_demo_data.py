"""Build the compact copy of IRICA's annual export files that the demo imports.

Each raw file ``../shared/data/iran-customs/raw/<yy>.xls[x]`` is written as
``src/saderat/data/demo/irica-exports-<year>.csv.gz`` with the same columns and rows (total row included),
except that the long Persian description column is emptied: descriptions ship once, in
``saderat/data/reference/tariff_lines.csv``. The demo imports these through the same IRICA reader as the
original files, so the figures are identical.

    python scripts/build_demo_data.py [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
from pathlib import Path

import python_calamine

ROOT = Path(__file__).resolve().parents[1]
RAW_NAME = re.compile(r"^(\d{2,3})\.xlsx?$")


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "saderat" / "data" / "demo")
    args = parser.parse_args()
    raw_dir = args.shared / "iran-customs" / "raw"
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(raw_dir.iterdir()):
        match = RAW_NAME.match(path.name)
        if not match:
            continue
        year = 1300 + int(match.group(1))  # "71" -> 1371, "102" -> 1402
        rows = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
        header = [cell(h) for h in rows[0]]
        desc = header.index("desc")
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(header)
        for row in rows[1:]:
            out = [cell(c) for c in row]
            out[desc] = ""
            writer.writerow(out)
        target = args.out / f"irica-exports-{year}.csv.gz"
        # mtime=0 keeps the bytes (and so the checksum) identical between builds.
        with open(target, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
            gz.write(text.getvalue().encode("utf-8"))
        print(f"{path.name} -> {target.name} ({target.stat().st_size // 1024} KiB, {len(rows) - 1} rows)")


if __name__ == "__main__":
    main()
