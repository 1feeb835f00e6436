"""Registry spreadsheets read and validated without a database: every problem of every row named with its
row, column and a Persian reason; templates detected from Persian or English headers; the same bounded front
door as trade files (bombs, wrong file types)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.files import write_csv, write_xlsx

from saderat.ingest import registry as reg
from saderat.ingest.readers import ImportFileError, ReadLimits
from saderat.reference.loaders import ReferenceLookups, load_hs, load_isic
from saderat.registry.identifiers import national_code_check_digit, national_id_check_digit

GOOD_ID = "1010037489" + str(national_id_check_digit("1010037489"))
OTHER_ID = "1400012345" + str(national_id_check_digit("1400012345"))
BAD_ID = GOOD_ID[:-1] + str((int(GOOD_ID[-1]) + 1) % 10)
GOOD_CODE = "004937089" + str(national_code_check_digit("004937089"))


@pytest.fixture(scope="module")
def lookups() -> reg.RegistryLookups:
    ref = ReferenceLookups.load()
    isic = load_isic()
    hs = load_hs()
    return reg.RegistryLookups(
        county_code=ref.county_code,
        isic_codes=frozenset(isic.loc[isic["level"] == 4, "code"]),
        known_hs=frozenset(hs.loc[hs["level"].astype(str).isin(["2", "4"]), "code"]),
    )


def problems_by_row(prepared: reg.PreparedRegistry) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for r in prepared.problems.itertuples():
        out.setdefault(int(r.source_row), []).append((r.column, r.reason))
    return out


def test_firms_in_persian_headers_and_digits(tmp_path, lookups):
    path = write_csv(
        tmp_path / "firms.csv",
        ["شناسه ملی", "نام", "نوع شخصیت", "شهرستان", "کد آیسیک", "نام‌های دیگر"],
        [
            [
                "۱۰۱۰۰۳۷۴۸۹" + "۰۱۲۳۴۵۶۷۸۹"[int(GOOD_ID[-1])],
                "شركت فولاد نمونه (سهامي خاص)",
                "سهامی خاص",
                "اراك",
                "۲۴۱۰",
                "فولاد نمونه|نمونه",
            ],
            ["", "آلومینیوم المهدی", "با مسئولیت محدود", "0006", "2420", ""],
        ],
    )
    prepared = reg.prepare_registry(path, lookups=lookups)
    assert prepared.kind == "firms"
    assert prepared.rows_read == 2 and prepared.rows_rejected == 0
    first, second = prepared.records
    assert first["national_id"] == GOOD_ID
    assert first["county"] == "0001" and first["isic"] == "2410" and first["legal_form"] == "pjsc"
    assert first["name"] == "شرکت فولاد نمونه (سهامی خاص)"  # Arabic ي/ك normalised
    assert first["other_names"] == ["فولاد نمونه", "نمونه"]
    assert second["national_id"] is None and second["county"] == "0006" and second["legal_form"] == "llc"


def test_english_headers_are_accepted(tmp_path, lookups):
    path = write_csv(
        tmp_path / "f.csv",
        ["national_id", "name", "county", "isic"],
        [[GOOD_ID, "Sample Co", "0001", "2410"]],
    )
    prepared = reg.prepare_registry(path, lookups=lookups)
    assert prepared.kind == "firms" and prepared.rows_rejected == 0


def test_every_problem_of_a_row_is_reported_with_row_and_column(tmp_path, lookups):
    path = write_csv(
        tmp_path / "firms.csv",
        ["شناسه ملی", "کد ملی", "نام", "شهرستان", "کد آیسیک", "رایانامه", "نوع شخصیت"],
        [
            [GOOD_ID, "", "درست", "اراک", "2410", "", ""],
            [BAD_ID, "1234567890", '=HYPERLINK("x")', "ناکجا", "9999", "not-an-email", "شرکت عجیب"],
            ["12345", "", "", "", "", "", ""],
        ],
    )
    prepared = reg.prepare_registry(path, lookups=lookups)
    assert prepared.rows_read == 3 and prepared.rows_accepted == 1 and prepared.rows_rejected == 2
    rows = problems_by_row(prepared)
    bad = dict(rows[3])
    assert bad["national_id"] == reg.BAD_NATIONAL_ID.format(value=BAD_ID, why=reg.WHY_CHECK_DIGIT)
    assert bad["national_code"] == reg.BAD_NATIONAL_CODE.format(value="1234567890", why=reg.WHY_CHECK_DIGIT)
    assert bad["name"].startswith("متن «=HYPERLINK")
    assert bad["county"] == reg.COUNTY_UNKNOWN.format(value="ناکجا")
    assert bad["isic"] == reg.ISIC_UNKNOWN.format(value="9999")
    assert bad["email"] == reg.EMAIL_INVALID.format(value="not-an-email")
    assert "نوع شخصیت «شرکت عجیب» شناخته نشد" in bad["legal_form"]
    assert dict(rows[4]) == {
        "national_id": reg.BAD_NATIONAL_ID.format(value="12345", why=reg.WHY_LENGTH_ID),
        "name": reg.REQUIRED,
    }
    # The rejected-rows file names the column in Persian as well.
    frame = prepared.rejections_frame()
    assert "شناسه ملی (national_id)" in set(frame["column"])


def test_a_ten_digit_code_in_the_national_id_column_is_explained(tmp_path, lookups):
    path = write_csv(tmp_path / "f.csv", ["شناسه ملی", "نام"], [[GOOD_CODE, "فروشگاه حسینی"]])
    prepared = reg.prepare_registry(path, lookups=lookups)
    assert problems_by_row(prepared)[2] == [("national_id", reg.ID_KIND_SWAPPED.format(value=GOOD_CODE))]


CARD_HEADER = [
    "شماره کارت بازرگانی",
    "شناسه ملی",
    "نام دارنده",
    "تاریخ صدور",
    "تاریخ انقضا",
    "وضعیت",
    "علت وضعیت",
]


def test_cards_dates_jalali_gregorian_and_expiry_before_issue(tmp_path, lookups):
    path = write_csv(
        tmp_path / "cards.csv",
        CARD_HEADER,
        [
            ["11000000001", GOOD_ID, "فولاد نمونه", "۱۴۰۳/۰۲/۱۵", "1404-02-15", "فعال", ""],
            ["11000000002", GOOD_ID, "فولاد نمونه", "1404/02/15", "1403/02/15", "", ""],
            ["11000000003", GOOD_ID, "فولاد نمونه", "2026/11/29", "14050101", "تعلیق", "عدم رفع تعهد ارزی"],
            ["11000000004", GOOD_ID, "فولاد نمونه", "1403/13/01", "1210/01/01", "شاید", ""],
            ["11000000005", "", "فولاد نمونه", "", "1405/01/01", "", ""],
        ],
    )
    prepared = reg.prepare_registry(path, lookups=lookups)
    assert prepared.kind == "cards"
    rows = problems_by_row(prepared)
    assert 2 not in rows
    assert rows[3] == [
        ("expires_on", reg.EXPIRY_BEFORE_ISSUE.format(expires="1403/02/15", issued="1404/02/15"))
    ]
    assert rows[4] == [("issued_on", reg.DATE_GREGORIAN.format(value="2026/11/29"))]
    assert dict(rows[5]) == {
        "issued_on": reg.DATE_INVALID.format(value="1403/13/01"),
        "expires_on": reg.DATE_OUT_OF_RANGE.format(value="1210/01/01", low="۱۳۰۰", high="۱۴۲۰"),
        "status": reg.STATUS_UNKNOWN.format(value="شاید", choices="، ".join(reg.STATUS_WORDS["cards"])),
    }
    assert rows[6] == [("issued_on", reg.REQUIRED)]
    (card,) = prepared.records
    assert str(card["issued_on"]) == "2024-05-04" and card["status"] == "active"


UNIT_HEADER = [
    "شماره پروانه بهره‌برداری",
    "تاریخ پروانه",
    "شناسه ملی",
    "نام بهره‌بردار",
    "کد آیسیک",
    "تعداد شاغلان",
    "شهرستان",
    "کد تعرفه محصول",
    "ظرفیت اسمی",
    "واحد ظرفیت",
]


def test_units_one_row_per_product_and_duplicate_licences(tmp_path, lookups):
    path = write_xlsx(
        tmp_path / "units.xlsx",
        UNIT_HEADER,
        [
            [
                "12345678",
                "1398/07/01",
                GOOD_ID,
                "فولاد نمونه",
                "2410",
                120,
                "اراک",
                "72085100",
                "120,000",
                "تن",
            ],
            ["12345678", "1398/07/01", GOOD_ID, "فولاد نمونه", "2410", 120, "اراک", "72085200", 50000, "تن"],
            ["12345678", "1398/07/01", OTHER_ID, "شرکت دیگر", "2410", 120, "اراک", "72089000", 1, "تن"],
            ["87654321", "", GOOD_ID, "فولاد نمونه", "2410", "۱۲٫۵", "اراک", "7700", "inf", "تن"],
            ["87654323", "", GOOD_ID, "فولاد نمونه", "2410", "", "اراک", "76011000", "۱۲٫۵", "تن"],
            ["87654322", "", GOOD_ID, "فولاد نمونه", "2410", "", "اراک", "", "100", "تن"],
        ],
    )
    prepared = reg.prepare_registry(path, lookups=lookups)
    assert prepared.kind == "units"
    rows = problems_by_row(prepared)
    assert rows[4] == [
        (
            "licence_number",
            reg.DUPLICATE_KEY_HOLDER.format(
                label="شماره پروانه", value="12345678", first="۲", other="فولاد نمونه"
            ),
        )
    ]
    assert dict(rows[5]) == {
        "employees": reg.EMPLOYEES_INVALID.format(value="12٫5"),
        "product_code": reg.PRODUCT_CODE_UNKNOWN.format(value="7700", prefix="7700"),
        "capacity": reg.NUMBER_INVALID.format(value="inf"),
    }
    assert rows[7] == [("capacity", reg.CAPACITY_WITHOUT_PRODUCT)]
    assert [r["product_code"] for r in prepared.records] == ["72085100", "72085200", "76011000"]
    assert prepared.records[0]["capacity"] == 120000.0
    assert prepared.records[2]["capacity"] == 12.5  # Persian decimal separator


def test_exporter_links(tmp_path, lookups):
    path = write_csv(
        tmp_path / "e.csv",
        ["شناسه صادرکننده", "شناسه ملی", "نام"],
        [["99123456789", GOOD_ID, ""], ["12", "", ""], ["99000000001", "", ""]],
    )
    prepared = reg.prepare_registry(path, lookups=lookups)
    assert prepared.kind == "exporters"
    rows = problems_by_row(prepared)
    assert rows[3] == [("exporter_id", reg.EXPORTER_ID_INVALID.format(value="12"))]
    assert rows[4] == [("national_id", reg.NO_IDENTIFIER)]


def test_whole_file_errors(tmp_path, lookups):
    unknown = write_csv(tmp_path / "x.csv", ["الف", "ب"], [["1", "2"]])
    with pytest.raises(ImportFileError) as exc:
        reg.prepare_registry(unknown, lookups=lookups)
    assert str(exc.value) == reg.FILE_KIND_UNKNOWN.format(file="x.csv", header="الف، ب")
    missing = write_csv(tmp_path / "c.csv", ["شماره کارت بازرگانی", "نام دارنده"], [["11000000001", "x"]])
    with pytest.raises(ImportFileError) as exc:
        reg.prepare_registry(missing, lookups=lookups, kind="cards")
    assert "تاریخ صدور (issued_on)" in str(exc.value) and "تاریخ انقضا (expires_on)" in str(exc.value)
    empty = write_csv(tmp_path / "e.csv", ["نام"], [])
    with pytest.raises(ImportFileError):
        reg.prepare_registry(empty, lookups=lookups)


def test_a_compressed_bomb_is_refused_before_parsing(tmp_path, lookups):
    """An .xlsx whose sheet expands far beyond the limit is refused by the shared front door, unparsed."""
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (40 * 2**20) + b">")
    with pytest.raises(ImportFileError) as exc:
        reg.prepare_registry(
            path, lookups=lookups, limits=ReadLimits(max_uncompressed_bytes=2**20, max_compression_ratio=100)
        )
    assert "bomb.xlsx" in str(exc.value)


def test_the_templates_document_lists_every_column():
    """docs/registry-templates.md is the user's reference: every column key and Persian header is in it."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "registry-templates.md").read_text(
        encoding="utf-8"
    )
    for kind, columns in reg.TEMPLATES.items():
        for column in columns:
            assert f"`{column.key}`" in text, (kind, column.key)
            assert column.label_fa in text, (kind, column.label_fa)


def test_phones_emails_and_repeated_rows(tmp_path, lookups):
    firms = write_csv(
        tmp_path / "f.csv",
        ["شناسه ملی", "نام", "تلفن", "رایانامه"],
        [
            [GOOD_ID, "الف", "+98 86 3222 1234", "info@firm.ir"],
            [OTHER_ID, "ب", "+SUM(A1)", "info@firm.ir."],
        ],
    )
    rows = problems_by_row(reg.prepare_registry(firms, lookups=lookups))
    assert 2 not in rows
    assert sorted(c for c, _ in rows[3]) == ["email", "phone"]
    cards = write_csv(
        tmp_path / "c.csv",
        CARD_HEADER,
        [
            ["11000000001", GOOD_ID, "الف", "1403/02/15", "1404/02/15", "", ""],
            ["11000000001", GOOD_ID, "الف", "1403/02/15", "1404/02/15", "", ""],  # the same row twice: fine
            ["11000000001", GOOD_ID, "الف", "1403/02/15", "1405/02/15", "", ""],  # another expiry: conflict
        ],
    )
    rows = problems_by_row(reg.prepare_registry(cards, lookups=lookups))
    assert list(rows) == [4]
    exporters = write_csv(
        tmp_path / "e.csv",
        ["شناسه صادرکننده", "شناسه ملی"],
        [["99123456789", GOOD_ID], ["99123456789", GOOD_ID], ["99123456789", OTHER_ID]],
    )
    rows = problems_by_row(reg.prepare_registry(exporters, lookups=lookups))
    assert list(rows) == [4] and rows[4][0][0] == "exporter_id"
