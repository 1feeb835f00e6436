"""RASFF and FDA readers: every layout detected from its header and read whole; references normalised,
repeated references reported and counted once; gaps, unmatched products and bad rows reported, never
dropped; the per-year Iran counts equal an independent count over the very files (the shipped demo copies
always, the full extracts of ../shared/data where present — and always in CI)."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from tests.conftest import REPO, SHARED_DATA, requires_shared
from tests.ingest import bombs

from saderat.ingest import messages
from saderat.ingest import notifications as nt
from saderat.ingest.readers import ImportFileError, ReadLimits
from saderat.text import to_persian_digits
from saderat.warehouse import Warehouse
from saderat.warehouse.notifications import NotificationStore, coverage_gaps, date_gaps, notifications_by_year

STANDARDS = SHARED_DATA / "standards"
DEMO = REPO / "src" / "saderat" / "data" / "demo" / "rasff"
DEMO_FILES = {
    "rasff_portal_iran_2019-01_2019-09.csv": "rasff-portal",
    "rasff_portal_iran_2019-10_2020-07.csv": "rasff-portal",
    "rasff_window_iran_2020-01_2024-10.csv": "rasff-window",
    "rasff_db_iran_2024-01_2025-08.csv": "rasff-db",
    "rasff_combined_iran_2019-01_2025-08.csv": "rasff-combined",
}
#: The full extracts (all countries) and the derived Iran files, as SOURCE.txt describes them.
REAL_FILES = {
    "rasff_portal_2019_2020/rasff_2019-01_2019-09.csv": ("rasff-portal", 2789),
    "rasff_portal_2019_2020/rasff_2019-10_2020-07.csv": ("rasff-portal", 2600),
    "rasff_portal_2019_2020/rasff_origin_iran_2019-01_2019-09.csv": ("rasff-portal", 19),
    "rasff_portal_2019_2020/rasff_origin_iran_2019-10_2020-07.csv": ("rasff-portal", 21),
    "rasff_window_2020_2024/rasff_2020-01_2024-10-30.csv": ("rasff-window", 21871),
    "rasff_window_2020_2024/rasff_origin_iran_2020-01_2024-10.csv": ("rasff-window", 221),
    "rasff_window_2024_2025/rasff_notifications_2024-01_2025-08.csv": ("rasff-db", 8413),
    "rasff_window_2024_2025/rasff_origin_iran_2024-01_2025-08.csv": ("rasff-db", 91),
    "rasff_iran_combined/rasff_origin_iran_2019-01_2025-08_combined.csv": ("rasff-combined", 290),
}
#: SOURCE.txt of rasff_iran_combined: Iran-origin notifications per year, 2019-01 .. 2025-08.
IRAN_PER_YEAR = {2019: 26, 2020: 36, 2021: 65, 2022: 38, 2023: 33, 2024: 62, 2025: 30}


def standards_file(relative: str) -> Path:
    """A file of ../shared/data/standards (:func:`tests.conftest.requires_shared`)."""
    return requires_shared(f"standards/{relative}")


# -- an independent count: the csv module over the files, nothing of the readers ---------------------------------
_INDEPENDENT_LAYOUTS = {
    # first header cell that identifies the layout -> (delimiter, encoding, reference, date, origin)
    "portal": (";", "utf-8", "REF", "DATE_CASE", "COUNT_ORIGEN"),
    "window": (",", "utf-8-sig", "Reference", "Date of Case", "Country Origin"),
    "db": (",", "utf-8", "reference", "date", "origin"),
    "combined": (",", "utf-8", "reference", "date", "origin"),
}


def _independent_kind(path: Path) -> str:
    head = path.read_text(encoding="utf-8-sig").splitlines()[0]
    if "DATE_CASE" in head:
        return "portal"
    if "Date of Case" in head:
        return "window"
    return "combined" if "subject_or_product" in head else "db"


def independent_iran_counts(paths: list[Path]) -> dict[int, int]:
    """Iran-origin notifications per year: rows whose origin field names Iran, the reference's lost trailing
    zeros restored (and a float printed in full rounded), each reference once."""
    years: dict[str, int] = {}
    for path in paths:
        delimiter, encoding, ref_col, date_col, origin_col = _INDEPENDENT_LAYOUTS[_independent_kind(path)]
        with open(path, encoding=encoding, newline="") as fh:
            for row in csv.DictReader(fh, delimiter=delimiter):
                if "Iran" not in row[origin_col]:
                    continue
                year_part, number = f"{float(row[ref_col]):.4f}".split(".")
                reference = f"{year_part}.{number}"
                text = row[date_col].strip()
                year = int(text[-4:]) if ("/" in text or "," in text) else int(text[:4])
                years.setdefault(reference, year)
    return dict(sorted(Counter(years.values()).items()))


def _query_counts(paths: list[Path], tmp_path: Path) -> tuple[dict[int, int], list[dict]]:
    store = NotificationStore(Warehouse(tmp_path / "wh"))
    for batch_id, path in enumerate(paths, start=1):
        store.write_batch(batch_id, nt.read_notifications(path).table)
    result = notifications_by_year(store.table(), origin="IRN")
    return {r["year"]: r["notifications"] for r in result}, result


def test_demo_copies_iran_counts_per_year_equal_an_independent_count(tmp_path):
    paths = [DEMO / name for name in DEMO_FILES]
    counts, result = _query_counts(paths, tmp_path)
    assert counts == independent_iran_counts(paths) == IRAN_PER_YEAR
    assert set(result[0]) == {
        "year",
        "notifications",
        "border_rejections",
        "border_rejection_share",
        "typed",
        "hazards",
    }
    assert result[0]["hazards"]["aflatoxins"] >= 10


def test_real_extracts_iran_counts_per_year_equal_an_independent_count(tmp_path):
    paths = [standards_file(relative) for relative in REAL_FILES]
    counts, _ = _query_counts(paths, tmp_path)
    assert counts == independent_iran_counts(paths) == IRAN_PER_YEAR


def test_real_extracts_are_read_whole_with_their_layout():
    for relative, (layout, rows) in REAL_FILES.items():
        result = nt.read_notifications(standards_file(relative))
        assert (result.layout, result.rows_read) == (layout, rows), relative
        assert result.problems == [], relative
        # Only the weekly exports repeat references: 27 of them (SOURCE.txt).
        expected = 27 if relative.endswith("rasff_notifications_2024-01_2025-08.csv") else 0
        assert len(result.duplicates) == expected
        assert result.table.num_rows == rows - expected


def test_the_2019_gap_between_the_portal_extracts_is_found(tmp_path):
    first = nt.read_notifications(standards_file("rasff_portal_2019_2020/rasff_2019-01_2019-09.csv"))
    second = nt.read_notifications(standards_file("rasff_portal_2019_2020/rasff_2019-10_2020-07.csv"))
    assert first.gaps == second.gaps == []  # each file alone is continuous
    dates = first.table["notified_on"].to_pylist() + second.table["notified_on"].to_pylist()
    assert [(g["start"], g["end"]) for g in date_gaps(dates)] == [
        (dt.date(2019, 9, 14), dt.date(2019, 10, 7))
    ]
    store = NotificationStore(Warehouse(tmp_path))
    store.write_batch(1, first.table)
    store.write_batch(2, second.table)
    assert coverage_gaps(store.table()) == [(dt.date(2019, 9, 14), dt.date(2019, 10, 7))]


@pytest.mark.parametrize("name", list(DEMO_FILES))
def test_each_demo_file_is_detected_and_read(name):
    result = nt.read_notifications(DEMO / name)
    assert result.layout == DEMO_FILES[name]
    assert result.table.num_rows == result.rows_read
    assert result.problems == []
    assert all("IRN" in codes for codes in result.table["origin_codes"].to_pylist())
    assert result.report_dict()["rows_stored"] == result.table.num_rows


# -- small files in each layout ---------------------------------------------------------------------------------
PORTAL_HEADER = (
    ";NUMBER;CLASSIF;DATE_CASE;REF;NOT_COUNTRY;SUBJET;PROD_CAT;TYPE;RISK_DECISION;ACTION_TAKEN;"
    "DISTRIBUTION_STAT;PRODUCT;HAZARDS;HAZARDS_CAT;COUNT_ORIGEN;COUNT_DESTIN;COUNT_CONCERN"
)


def portal_line(index, classif, date, ref, product, origin="Iran", subject="", hazards="aflatoxins"):
    return (
        f"{index};{index}.0;{classif};{date};{ref};Germany;{subject or product + ' from ' + origin};"
        f"nuts, nut products and seeds;food;serious;re-dispatch;not placed;{product};{hazards};mycotoxins;"
        f"{origin}; ;Germany"
    )


def write_portal(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([PORTAL_HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_portal_layout_semicolons_lost_zeros_and_both_date_forms(tmp_path):
    path = write_portal(
        tmp_path / "portal.csv",
        [
            portal_line(0, "border rejection", "2019-09-13", "2019.3276", "pistachios in shell"),
            portal_line(1, "alert", "08/10/2019", "2019.33", "pistachio kernels", origin="Iran,Turkey"),
            portal_line(
                2, "information for follow-up", "09/10/2019", "2019.3399999999999", "walnuts", "Turkey"
            ),
        ],
    )
    result = nt.read_notifications(path)
    table = result.table.to_pydict()
    assert result.layout == "rasff-portal"
    assert table["reference"] == ["2019.3276", "2019.3300", "2019.3400"]
    assert table["notified_on"] == [dt.date(2019, 9, 13), dt.date(2019, 10, 8), dt.date(2019, 10, 9)]
    assert table["year"] == [2019] * 3 and table["jalali_year"] == [1398] * 3
    assert table["origin_codes"] == [["IRN"], ["IRN", "TUR"], ["TUR"]]
    assert table["notification_type"] == ["border_rejection", "alert", "information_follow_up"]
    assert table["border_rejection"] == [True, False, False]
    assert table["product_key"] == ["pistachio_in_shell", "pistachio_shelled", "walnuts"]
    assert table["hs6"] == ["080251", "080252", "080232"]
    # The gap between the two scraped files, reported in Persian with its English.
    assert [(g["start"], g["end"], g["days"]) for g in result.gaps] == [
        (dt.date(2019, 9, 14), dt.date(2019, 10, 7), 24)
    ]
    assert result.gaps[0]["message"] == nt.DATE_GAP.format(
        start=to_persian_digits("2019-09-14"), end=to_persian_digits("2019-10-07"), days="۲۴"
    )


def test_a_reference_twice_in_a_file_is_reported_and_kept_once_most_complete(tmp_path):
    header = (
        "reference,category,type,subject,date,notifying_country,classification,risk_decision,origin,hazards"
    )
    rows = [
        "2024.9351,fruits and vegetables,food,Raisins from Iran,2024-12-30 10:00:00,Italy,,,Iran,ochratoxin A",
        "2024.0100,nuts,food,Pistachios from Iran,2024-01-05 09:00:00,Italy,alert notification,serious,Iran,",
        "2024.9351,fruits and vegetables,food,Raisins from Iran,2024-12-30 10:00:00,Italy,"
        "border rejection notification,serious,Iran,ochratoxin A",
    ]
    path = tmp_path / "weekly.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = nt.read_notifications(path)
    assert result.layout == "rasff-db"
    assert result.rows_read == 3 and result.table.num_rows == 2
    assert [(d["reference"], d["row"], d["kept_row"]) for d in result.duplicates] == [("2024.9351", 2, 4)]
    assert result.duplicates[0]["message"] == nt.DUPLICATE_DROPPED.format(
        reference="2024.9351", row="۲", kept="۴"
    )
    table = result.table.to_pydict()
    kept = dict(zip(table["reference"], table["notification_type"], strict=True))
    assert kept["2024.9351"] == "border_rejection"
    store = NotificationStore(Warehouse(tmp_path / "wh"))
    store.write_batch(1, result.table)
    by_year = notifications_by_year(store.table())
    assert [(r["year"], r["notifications"], r["border_rejections"]) for r in by_year] == [(2024, 2, 1)]
    assert by_year[0]["border_rejection_share"] == 0.5


def test_window_layout_unmatched_products_are_listed_not_dropped(tmp_path):
    header = (
        '\ufeff"Date of Case",Reference,"Notification From","Country Origin",Product,"Product Category",'
        '"Hazard Substance","Hazard Category"'
    )
    rows = [
        '"Oct 22, 2024",2024.7760,Belgium,Iran,Sultana,Fruits and vegetables,'
        '"Chlorpyrifos - unauthorised substance - pesticide residues; Fenvalerate - pesticide residues",'
        '"Pesticide residues; Pesticide residues"',
        '"Oct 15, 2024",2024.7557,Germany (DE),"Croatia; Iran",Shelled,"Nuts, nut products and seeds",'
        '"Aflatoxin B1 - mycotoxins",Mycotoxins',
        '"Sep 27, 2024",2024.7151,European Commission,unknown origin,Gizmo,Other,,',
    ]
    path = tmp_path / "window.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    result = nt.read_notifications(path)
    table = result.table.to_pydict()
    assert result.layout == "rasff-window" and result.table.num_rows == 3
    assert table["notification_type"] == [None, None, None] and table["border_rejection"] == [
        None,
        None,
        None,
    ]
    assert table["hazards"][0] == ["chlorpyrifos - unauthorised substance", "fenvalerate"]
    assert table["hazard_categories"][0] == ["pesticide residues"]
    assert table["notifying_country"] == ["BEL", "DEU", "European Commission"]
    assert table["origin_codes"] == [["IRN"], ["HRV", "IRN"], []]
    assert result.unresolved_countries == {"European Commission": 1, "unknown origin": 1}
    assert [(u["reference"], u["text"]) for u in result.unmatched] == [
        ("2024.7557", "Shelled"),
        ("2024.7151", "Gizmo"),
    ]
    assert table["product_key"] == ["raisins", None, None]
    assert result.matched_share == pytest.approx(1 / 3)


FDA_HEADER = [
    "MFG_FIRM_FEI_NUM",
    "LGL_NAME",
    "LINE1_ADRS",
    "LINE2_ADRS",
    "CITY_NAME",
    "PROVINCE_STATE",
    "ISO_CNTRY_CODE",
    "PRODUCT_CODE",
    "REFUSAL_DATE",
    "DISTRICT",
    "ENTRY_NUM",
    "RFRNC_DOC_ID",
    "LINE_NUM",
    "LINE_SFX_ID",
    "FDA_SAMPLE_ANALYSIS",
    "PRIVATE_LAB_ANALYSIS",
    "REFUSAL_CHARGES",
    "PRDCT_CODE_DESC_TEXT",
]


def fda_row(country, date, entry, line, charges, product, code="23BGT02"):
    return [
        "3001234567",
        "Kerman Nut Co",
        "Road 1",
        "",
        "Rafsanjan",
        "",
        country,
        code,
        date,
        "NYK-DO",
        entry,
        "1",
        line,
        "",
        "Y",
        "N",
        charges,
        product,
    ]


def test_fda_refusals_in_the_documented_layout(tmp_path):
    path = tmp_path / "refusals.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(FDA_HEADER)
        writer.writerow(
            fda_row("IR", "05-JAN-19", "ABC-1234567-8", "1", "249, 241", "PISTACHIO NUTS, SHELLED")
        )
        writer.writerow(fda_row("IR", "31-FOO-19", "ABC-1234567-8", "2", "9", "SAFFRON"))
        writer.writerow(fda_row("TR", "۱۲-MAR-2018", "XYZ-7654321-0", "1", "99999", "DRIED FIGS"))
    result = nt.read_notifications(path)
    table = result.table.to_pydict()
    assert result.layout == "fda-refusals" and result.table.num_rows == 3
    assert table["reference"] == ["ABC-1234567-8/1", "ABC-1234567-8/2", "XYZ-7654321-0/1"]
    assert table["notified_on"] == [dt.date(2019, 1, 5), None, dt.date(2018, 3, 12)]
    assert table["year"] == [2019, None, 2018]
    assert table["notification_type"] == ["refusal"] * 3 and table["border_rejection"] == [True] * 3
    assert table["notifying_country"] == ["USA"] * 3
    assert table["origin_codes"] == [["IRN"], ["IRN"], ["TUR"]]
    assert table["hazards"] == [["filthy", "pesticide"], ["salmonella"], ["asc_id 99999"]]
    assert table["hazard_categories"][0] == ["adulteration"]
    assert table["product_key"] == ["pistachio_shelled", "saffron", "figs"]
    assert result.problems == [
        {
            "row": 3,
            "column": "date",
            "value": "31-FOO-19",
            "reason": nt.ROW_DATE_INVALID.format(value="31-FOO-19"),
        },
        {
            "row": 4,
            "column": "refusal_charges",
            "value": "99999",
            "reason": nt.ROW_CHARGE_UNKNOWN.format(value="99999"),
        },
    ]


def test_a_formula_looking_text_is_kept_as_text(tmp_path):
    formula = '=HYPERLINK("http://evil.example","click")'
    path = write_portal(
        tmp_path / "formula.csv",
        [portal_line(0, "alert", "2019-09-13", "2019.3276", "pistachio paste", subject=formula)],
    )
    result = nt.read_notifications(path)
    assert result.table["subject"].to_pylist() == [formula]
    assert result.table["product_key"].to_pylist() == ["pistachio_paste"]


def test_dates_with_persian_and_latin_digits():
    assert nt.parse_notification_date("۲۰۱۹-۰۸-۱۹") == dt.date(2019, 8, 19)
    assert nt.parse_notification_date("١٩/٠٨/٢٠١٩") == dt.date(2019, 8, 19)
    assert nt.parse_notification_date("Oct 30, 2024") == dt.date(2024, 10, 30)
    assert nt.parse_notification_date("2024-01-02 10:21:09.000000") == dt.date(2024, 1, 2)
    assert nt.parse_notification_date("05-JAN-21") == dt.date(2021, 1, 5)
    assert nt.parse_notification_date("۱۴۰۳/۰۵/۱۲") == dt.date(2024, 8, 2)  # a Jalali date
    for bad in ("", "31/02/2019", "yesterday", "1850-01-01", "2019-13-01"):
        assert nt.parse_notification_date(bad) is None


def test_bad_dates_and_references_are_reported_and_the_rows_kept(tmp_path):
    path = write_portal(
        tmp_path / "bad.csv",
        [
            portal_line(0, "alert", "not a date", "2019.3276", "raisins"),
            portal_line(1, "alert", "2019-09-12", "REF-X", "raisins"),
            portal_line(2, "news", "2019-09-12", "2019.3277", "raisins"),
        ],
    )
    result = nt.read_notifications(path)
    assert result.table.num_rows == 3
    assert [(p["row"], p["column"]) for p in result.problems] == [
        (2, "date"),
        (3, "reference"),
        (4, "notification_type"),
    ]
    assert result.problems[1]["reason"] == nt.ROW_REFERENCE_INVALID.format(value="REF-X")
    assert result.table["reference"].to_pylist() == ["2019.3276", None, "2019.3277"]


def test_product_matching_precedence_and_languages():
    matcher = nt.ProductMatcher.load()
    assert matcher.match("pistachio paste with cocoa").product_key == "pistachio_paste"
    assert matcher.match("aflatoxins in pistachios from Iran").product_key == "pistachio"
    assert matcher.match("Pistacje w łupinie").product_key == "pistachio_in_shell"
    assert matcher.match("PISTACCHI SGUSCIATI").product_key == "pistachio_shelled"
    assert matcher.match("Getrocknete Minzblätter").product_key == "mint"
    assert matcher.match("مغز پسته صادراتی").product_key == "pistachio_shelled"
    assert matcher.match("زعفران سرگل").product_key == "saffron"
    assert matcher.match("aflatoxins (B1 = 36) in watermelon seeds from Iran").product_key == "melon_seeds"
    # Whole words: the production date of a caviar certificate is no date fruit.
    assert (
        matcher.match("certificate issued before the production date for sturgeon roe").product_key
        == "caviar"
    )
    assert matcher.match("Shelled") is None
    assert matcher.match("", "raisins").product_key == "raisins"  # the subject when the name says nothing


def test_an_unknown_header_is_refused_in_persian_and_english(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as err:
        nt.read_notifications(path)
    assert str(err.value) == nt.FILE_UNKNOWN_LAYOUT.format(file="other.csv", header="a، b، c")


def test_a_compressed_bomb_is_refused_before_parsing(tmp_path):
    path = bombs.csv_gz(tmp_path / "rasff.csv.gz", copies=1)  # 16 MiB of CSV lines
    limits = ReadLimits(max_uncompressed_bytes=2**20, max_compression_ratio=100)
    with pytest.raises(ImportFileError) as err:
        nt.read_notifications(path, limits=limits)
    assert str(err.value) == messages.FILE_UNCOMPRESSED_TOO_LARGE.format(
        file="rasff.csv.gz", limit_mb="۱", size_mb="۱۶"
    )


def test_a_gzipped_extract_reads_like_the_plain_one(tmp_path):
    import gzip

    source = DEMO / "rasff_portal_iran_2019-01_2019-09.csv"
    packed = tmp_path / "portal.csv.gz"
    packed.write_bytes(gzip.compress(source.read_bytes(), mtime=0))
    assert nt.read_notifications(packed).table.equals(nt.read_notifications(source).table)


def test_a_small_gz_of_millions_of_rows_is_refused_at_the_row_bound(tmp_path, monkeypatch):
    """The byte limit does not bound rows: a few hundred KB of gzip can hold millions of short lines. The reader
    stops at its row bound with a Persian message, before holding the rows in memory."""
    import gzip

    from saderat.ingest import notifications as reader

    monkeypatch.setattr(reader, "MAX_ROWS", 1000)
    path = tmp_path / "many.csv.gz"
    header = "reference,date,notification_type,notifying_country,product_category,subject_or_product,hazards,"
    header += "hazard_category,risk_decision,origin,sources\n"
    body = "2024.0001,2024-01-02,alert,Italy,nuts,pistachios,aflatoxins,mycotoxins,serious,Iran,x\n" * 5000
    path.write_bytes(gzip.compress((header + body).encode()))
    with pytest.raises(reader.ImportFileError, match="بیش از ۱٬۰۰۰|بیش از 1,000"):
        reader.read_notifications(path)
