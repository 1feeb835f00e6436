#!/usr/bin/env python
"""Build the quality reference tables and the demo's RASFF files shipped with the package.

Usage (from the repository root)::

    PYTHONPATH=src .venv/bin/python scripts/build_quality_reference.py [SHARED_DATA_DIR]

``SHARED_DATA_DIR`` defaults to ``../shared/data`` relative to the repository root. The script is
deterministic: running it twice on the same input gives byte-identical files. It fails loudly (exit code 1)
when an input does not have the rows its ``SOURCE.txt`` announces, so that nothing is silently lost.

Outputs (UTF-8, header row, ``\\n`` line ends) in ``src/saderat/data/reference/``:

``eu_special_conditions.csv``
    standards/eu_reg_2019_1793_iran_controls/eu_2019_1793_pistachio_entries_IR_TR_US.csv, all 99 rows:
    ``country_of_origin`` and ``dispatched_from`` as ISO3 (from the ISO2 in brackets, "Iran (IR)"),
    ``cn_code`` as 8 digits with ``ex`` (1 = only part of the CN code is covered) split off, ``hs4``/``hs6``
    its first digits, ``frequency_pct`` of identity and physical checks; the other columns as published.
``eu_max_levels.csv``
    standards/eu_reg_2023_915_max_levels_selected/eu_2023_915_mycotoxin_max_levels_selected.csv, all 16
    rows, with the HS codes each entry covers (``MAX_LEVEL_HS``, written here: the regulation names foods,
    not codes), the keys of the keyword table (``notification_products.csv``) that they concern, and
    ``excepted_by``: the more specific entries that the regulation excepts from a broad one (``EXCEPTED_BY``).
``fda_charges.csv``
    standards/fda_import_refusals/ACT_SECTION_CHARGES.CSV (287 records on 306 physical lines: statements
    hold line breaks, which are folded to single spaces), with ``category`` read from the section name.

and in ``src/saderat/data/demo/rasff/`` byte-identical copies of the small Iran-origin RASFF files (each
source's Iran subset in its original layout, and the combined file), so that the demo imports real files
through the real readers. The full all-country files (1-3.6 MB each) are not shipped.

``notification_products.csv`` (the keyword table) is maintained by hand and not written here.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "src"))

from saderat.reference.loaders import ReferenceLookups  # noqa: E402

OUT_DIR = REPO_ROOT / "src" / "saderat" / "data" / "reference"
DEMO_DIR = REPO_ROOT / "src" / "saderat" / "data" / "demo" / "rasff"

SPECIAL_CONDITIONS_IN = "standards/eu_reg_2019_1793_iran_controls/eu_2019_1793_pistachio_entries_IR_TR_US.csv"
MAX_LEVELS_IN = "standards/eu_reg_2023_915_max_levels_selected/eu_2023_915_mycotoxin_max_levels_selected.csv"
FDA_CHARGES_IN = "standards/fda_import_refusals/ACT_SECTION_CHARGES.CSV"
#: The demo's RASFF files: (path under SHARED_DATA_DIR, name in the package). Each is under 70 KB.
DEMO_FILES = (
    (
        "standards/rasff_portal_2019_2020/rasff_origin_iran_2019-01_2019-09.csv",
        "rasff_portal_iran_2019-01_2019-09.csv",
    ),
    (
        "standards/rasff_portal_2019_2020/rasff_origin_iran_2019-10_2020-07.csv",
        "rasff_portal_iran_2019-10_2020-07.csv",
    ),
    (
        "standards/rasff_window_2020_2024/rasff_origin_iran_2020-01_2024-10.csv",
        "rasff_window_iran_2020-01_2024-10.csv",
    ),
    (
        "standards/rasff_window_2024_2025/rasff_origin_iran_2024-01_2025-08.csv",
        "rasff_db_iran_2024-01_2025-08.csv",
    ),
    (
        "standards/rasff_iran_combined/rasff_origin_iran_2019-01_2025-08_combined.csv",
        "rasff_combined_iran_2019-01_2025-08.csv",
    ),
)
EXPECTED_ROWS = {SPECIAL_CONDITIONS_IN: 99, MAX_LEVELS_IN: 16, FDA_CHARGES_IN: 287}

#: HS codes of each Regulation (EU) 2023/915 entry: (hs4, hs_prefixes, product_keys, note). The regulation
#: describes foods in words; these codes are this project's reading of them, for review with the standards
#: directorate. Prefixes are HS 2022 headings (4 digits) or subheadings (6 digits).
MAX_LEVEL_HS: dict[str, tuple[str, str, str, str]] = {
    "1.1.6": (
        "0801|0802",
        "0801|0802",
        "nuts|walnuts|cashews|brazil_nuts",
        "tree nuts; 1.1.8 and 1.1.10 are excepted",
    ),
    "1.1.7": (
        "0801|0802|2008",
        "0801|0802|200819",
        "nuts|walnuts|cashews|brazil_nuts",
        "tree nuts and products",
    ),
    "1.1.8": (
        "0802|1212",
        "080211|080212|080251|080252|121230",
        "almonds|pistachio|pistachio_in_shell|pistachio_shelled|apricot_kernels",
        "almonds, pistachios, apricot kernels",
    ),
    "1.1.9": (
        "0802|1212|2008",
        "080211|080212|080251|080252|121230|200819",
        "almonds|pistachio|pistachio_in_shell|pistachio_shelled|pistachio_roasted|pistachio_paste|apricot_kernels",
        "almonds, pistachios, apricot kernels placed on the market (also roasted and processed)",
    ),
    "1.1.10": ("0801|0802", "080121|080122|080221|080222", "hazelnuts|brazil_nuts", "hazelnuts, Brazil nuts"),
    "1.1.11": ("0801|0802", "080121|080122|080221|080222", "hazelnuts|brazil_nuts", "hazelnuts, Brazil nuts"),
    "1.1.14": (
        "0904|0908|0910",
        "090411|090412|090421|090422|090811|090812|091030",
        "pepper_spice|paprika_chilli|nutmeg|turmeric",
        "capsicum, pepper, nutmeg, turmeric",
    ),
    "1.1.15": ("0910", "091011|091012", "ginger", "ginger (dried)"),
    "1.2.1.1": (
        "0806|0804",
        "080620|080420",
        "raisins|figs",
        "dried vine fruit (HS 0806.20) and dried figs (0804.20)",
    ),
    "1.2.1.2": (
        "0813|0804",
        "0813|080410",
        "dried_apricots|dried_mulberries|barberries|dried_apples|dried_fruit_other|dried_fruit_mix|dates",
        "other dried fruit; dates are dried fruit when sold dried (0804.10)",
    ),
    "1.2.2": (
        "1702|2106",
        "170290|210690",
        "date_syrup",
        "date syrup: classified 1702.90 or 2106.90 (varies)",
    ),
    "1.2.3": (
        "0802",
        "080251|080252",
        "pistachio|pistachio_in_shell|pistachio_shelled",
        "pistachios for sorting",
    ),
    "1.2.4": (
        "0802|2008",
        "080251|080252|200819",
        "pistachio|pistachio_in_shell|pistachio_shelled|pistachio_roasted|pistachio_paste",
        "pistachios placed on the market",
    ),
    "1.2.5": ("0910|1211|0712", "091099|121190|071290", "herbs_dried|mint|dill", "dried culinary herbs"),
    "1.2.17": (
        "0904|0905|0906|0907|0908|0909|0910",
        "0904|0905|0906|0907|0908|0909|0910",
        "saffron|cumin|coriander|ginger|turmeric|pepper_spice|spices|cinnamon|nutmeg",
        "dried spices (chapter 09 spices, saffron included); 1.2.18 excepted",
    ),
    "1.2.18": ("0904", "090421|090422", "paprika_chilli", "Capsicum spp., dried"),
}


#: Entries that the regulation's own wording excepts from a broader entry ("except products listed in 1.1.8
#: and 1.1.10"): for a product both cover, the more specific entry applies.
EXCEPTED_BY: dict[str, tuple[str, ...]] = {
    "1.1.6": ("1.1.8", "1.1.10"),
    "1.1.7": ("1.1.9", "1.1.11"),
    "1.2.17": ("1.2.18",),
}


def _rows(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with open(path, encoding=encoding, newline="") as fh:
        return list(csv.DictReader(fh))


def _check_count(name: str, rows: list) -> None:
    if len(rows) != EXPECTED_ROWS[name]:
        raise SystemExit(f"{name}: {len(rows)} rows, SOURCE.txt says {EXPECTED_ROWS[name]}")


def _iso3(text: str, lookups: ReferenceLookups) -> str:
    """ "Iran (IR)" -> "IRN"; empty -> empty. Fails on a country that does not resolve."""
    if not text.strip():
        return ""
    match = re.search(r"\(([A-Z]{2})\)\s*$", text)
    code = lookups.country_code(match.group(1) if match else text)
    if code is None:
        raise SystemExit(f"country {text!r} does not resolve")
    return code


def build_special_conditions(data: Path, lookups: ReferenceLookups) -> list[dict[str, str]]:
    rows = _rows(data / SPECIAL_CONDITIONS_IN)
    _check_count(SPECIAL_CONDITIONS_IN, rows)
    out = []
    for r in rows:
        raw = r["cn_code"].strip()
        ex = raw.lower().startswith("ex ")
        digits = re.sub(r"\D", "", raw)
        if len(digits) != 8:
            raise SystemExit(f"CN code {raw!r} is not 8 digits")
        out.append(
            {
                "country_of_origin": _iso3(r["country_of_origin"], lookups),
                "dispatched_from": _iso3(r["dispatched_from"], lookups),
                "cn_code": digits,
                "ex": "1" if ex else "0",
                "taric": r["taric_subdivision"].strip(),
                "hs4": digits[:4],
                "hs6": digits[:6],
                "product": r["product"].strip(),
                "hazard": r["hazard"].strip(),
                "frequency_pct": str(int(r["frequency_identity_physical_checks_pct"])),
                "intended_use": r["intended_use"].strip("() "),
                "annex": r["annex"].strip(),
                "annex_row": r["annex_row"].strip(),
                "source": r["source"].strip(),
            }
        )
    return out


def build_max_levels(data: Path) -> list[dict[str, str]]:
    rows = _rows(data / MAX_LEVELS_IN)
    _check_count(MAX_LEVELS_IN, rows)
    out = []
    for r in rows:
        entry = r["annex_I_entry"].strip()
        if entry not in MAX_LEVEL_HS:
            raise SystemExit(f"max level entry {entry} has no HS mapping in MAX_LEVEL_HS")
        hs4, prefixes, keys, note = MAX_LEVEL_HS[entry]
        excepted = "|".join(EXCEPTED_BY.get(entry, ()))
        out.append(
            {
                "entry": entry,
                "contaminant": r["contaminant"].strip(),
                "food": r["food_as_published"].strip(),
                "ml_b1_or_ota": r["ml_ug_per_kg_B1_or_OTA"].strip().replace("-", ""),
                "ml_sum_aflatoxins": r["ml_ug_per_kg_sum_B1_B2_G1_G2"].strip().replace("-", ""),
                "ml_m1": r["ml_ug_per_kg_M1"].strip().replace("-", ""),
                "hs4": hs4,
                "hs_prefixes": prefixes,
                "product_keys": keys,
                "excepted_by": excepted,
                "mapping_note": note,
                "source": r["source"].strip(),
            }
        )
    return out


def _category(section: str) -> str:
    lowered = section.lower()
    if "adulter" in lowered:
        return "adulteration"
    if "misbrand" in lowered:
        return "misbranding"
    return "other"


def build_fda_charges(data: Path) -> list[dict[str, str]]:
    rows = _rows(data / FDA_CHARGES_IN, encoding="utf-8-sig")
    _check_count(FDA_CHARGES_IN, rows)
    out = []
    for r in rows:
        section = " ".join(r["SCTN_NAME"].split())
        out.append(
            {
                "asc_id": r["ASC_ID"].strip(),
                "charge_code": r["CHRG_CODE"].strip(),
                # The statements hold line breaks inside quotes (306 physical lines for 287 records).
                "statement": " ".join(r["CHRG_STMNT_TEXT"].split()),
                "section": section,
                "category": _category(section),
            }
        )
    ids = [r["asc_id"] for r in out]
    if len(set(ids)) != len(ids):
        raise SystemExit("ACT_SECTION_CHARGES: ASC_ID is not unique")
    return sorted(out, key=lambda r: int(r["asc_id"]))


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data", nargs="?", default=str(REPO_ROOT.parent / "shared" / "data"))
    args = ap.parse_args(argv)
    data = Path(args.data)
    lookups = ReferenceLookups.load()
    written = [
        write_csv(build_special_conditions(data, lookups), OUT_DIR / "eu_special_conditions.csv"),
        write_csv(build_max_levels(data), OUT_DIR / "eu_max_levels.csv"),
        write_csv(build_fda_charges(data), OUT_DIR / "fda_charges.csv"),
    ]
    DEMO_DIR.mkdir(parents=True, exist_ok=True)
    for source, name in DEMO_FILES:
        shutil.copyfile(data / source, DEMO_DIR / name)
        written.append(DEMO_DIR / name)
    for path in written:
        print(f"{path.relative_to(REPO_ROOT)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
