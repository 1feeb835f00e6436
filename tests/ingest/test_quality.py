"""Mandatory export standards and certificates read and validated without a database: every bad file of the
issue's check (a certificate expiring before it was issued, an unknown firm ID, a standard number on an
unknown tariff line) named with its row, column and the exact Persian message; all of a row's problems at
once; Persian and Latin digits; CSV and XLSX; the shipped seed imports cleanly; the bounded front door."""

from __future__ import annotations

import datetime as dt
import zipfile
from importlib import resources
from pathlib import Path

import pytest
from tests.files import nid, write_csv, write_xlsx

from saderat.ingest import quality as q
from saderat.ingest.readers import ImportFileError, ReadLimits
from saderat.registry.identifiers import national_code_check_digit

GOOD_ID = nid("1010037489")
OTHER_ID = nid("1400012345")
BAD_ID = GOOD_ID[:-1] + str((int(GOOD_ID[-1]) + 1) % 10)
KNOWN = q.QualityLookups(
    known_firm_ids=frozenset({GOOD_ID}), known_standards=frozenset({"15", "218", "259-1"})
)
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

STANDARD_HEADER = ["ردیف تعرفه", "شماره استاندارد", "عنوان استاندارد", "تاریخ اجرا", "معتبر تا", "مرجع/مصوبه"]
CERTIFICATE_HEADER = [
    "شماره گواهی",
    "شناسه ملی",
    "کد تعرفه کالاها",
    "شماره استاندارد",
    "مرجع صدور",
    "تاریخ صدور",
    "تاریخ انقضا",
    "وضعیت",
]
DIRECTORATE = "اداره کل استاندارد استان مرکزی"
INSPECTOR = "شرکت بازرسی کیفیت پارس"


def problems_by_row(prepared: q.PreparedQuality) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for r in prepared.problems.itertuples():
        out.setdefault(int(r.source_row), []).append((r.column, r.reason))
    return out


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_standards_persian_digits_codes_and_dates(tmp_path, writer):
    path = writer(
        tmp_path / f"standards.{'csv' if writer is write_csv else 'xlsx'}",
        STANDARD_HEADER,
        [
            ["۰۸۰۲.۵۱", "۱۵", "پسته با پوست", "۱۳۹۶/۰۱/۰۱", "", "فهرست ۱۳۹۶"],
            ["91020", "۲۵۹–۱", "زعفران، ویژگی‌ها", "1396-1-1", "1403/12/29", "فهرست ۱۳۹۶"],
            ["8025200", "218", "مغز پسته", "13960101", "", "فهرست ۱۳۹۶"],
        ],
    )
    prepared = q.prepare_quality(path)
    assert prepared.kind == "standards"
    assert prepared.rows_read == 3 and prepared.rows_rejected == 0
    pistachio, saffron, kernels = prepared.records
    assert pistachio["code_prefix"] == "080251" and pistachio["standard_number"] == "15"
    assert pistachio["effective_from"] == dt.date(2017, 3, 21) and pistachio["effective_to"] is None
    assert saffron["code_prefix"] == "091020" and saffron["standard_number"] == "259-1"  # zero, dash mended
    assert saffron["effective_to"] == dt.date(2025, 3, 19)
    assert kernels["code_prefix"] == "08025200"  # Excel's dropped leading zero restored


def test_bad_standards_rows_name_row_column_and_every_reason(tmp_path):
    path = write_csv(
        tmp_path / "standards.csv",
        STANDARD_HEADER,
        [
            ["08025100", "15", "پسته", "1396/01/01", "", "فهرست"],
            ["77001000", "15", "ناشناخته", "1396/01/01", "", "فهرست"],  # a standard on an unknown tariff line
            ["0802", "15", "پسته", "1400/01/01", "1399/12/29", "فهرست"],
            ["08x2", "ISIRI 15", '=HYPERLINK("x")', "2017-03-21", "", ""],
            ["7", "15", "پسته", "1396/13/01", "1210/01/01", "فهرست"],
        ],
    )
    prepared = q.prepare_quality(path)
    assert prepared.rows_read == 5 and prepared.rows_accepted == 1 and prepared.rows_rejected == 4
    rows = problems_by_row(prepared)
    assert rows[3] == [("code_prefix", q.TARIFF_CODE_UNKNOWN.format(value="77001000"))]
    assert "شناخته نشد" in rows[3][0][1]
    assert rows[4] == [
        ("effective_to", q.EFFECTIVE_TO_BEFORE_FROM.format(expires="1399/12/29", issued="1400/01/01"))
    ]
    assert dict(rows[5]) == {
        "code_prefix": q.TARIFF_CODE_INVALID.format(value="08x2"),
        "standard_number": q.STANDARD_NUMBER_INVALID.format(value="ISIRI 15"),
        "title": q.sheets.FORMULA_TEXT.format(value='=HYPERLINK("x")'),
        "effective_from": q.sheets.DATE_GREGORIAN.format(value="2017-03-21"),
        "source_document": q.sheets.REQUIRED,
    }
    assert dict(rows[6]) == {
        "code_prefix": q.TARIFF_CODE_INVALID.format(value="7"),
        "effective_from": q.sheets.DATE_INVALID.format(value="1396/13/01"),
        "effective_to": q.sheets.DATE_OUT_OF_RANGE.format(value="1210/01/01", low="۱۳۰۰", high="۱۴۲۰"),
    }
    # Nothing of a rejected row is among the records.
    assert [r["source_row"] for r in prepared.records] == [2]
    assert "ردیف تعرفه (code_prefix)" in set(prepared.rejections_frame()["column"])


def test_a_standard_line_twice_names_the_first_row(tmp_path):
    path = write_csv(
        tmp_path / "standards.csv",
        STANDARD_HEADER,
        [
            ["080251", "15", "پسته", "1396/01/01", "", "فهرست"],
            ["080251", "15", "پسته با پوست", "1396/01/01", "", "فهرست دیگر"],
            ["080251", "15", "پسته", "1398/01/01", "", "فهرست ۱۳۹۸"],  # a later version: allowed
        ],
    )
    rows = problems_by_row(q.prepare_quality(path))
    assert rows == {
        3: [
            (
                "code_prefix",
                q.DUPLICATE_STANDARD_LINE.format(code="080251", standard="15", date="۱۳۹۶/۰۱/۰۱", first="۲"),
            )
        ]
    }


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_certificates_codes_identifiers_statuses(tmp_path, writer):
    persian_id = GOOD_ID.translate(PERSIAN)
    path = writer(
        tmp_path / f"certificates.{'csv' if writer is write_csv else 'xlsx'}",
        CERTIFICATE_HEADER,
        [
            [
                "۱۴۰۳-۱۲۳۴",
                persian_id,
                "۰۸۰۲۵۱۰۰، 080252;91020 / 8025100, 0802.52",
                "۲۵۹-۱، 15",
                DIRECTORATE,
                "۱۴۰۳/۰۲/۱۵",
                "1404/02/15",
                "",
            ],
            *(
                [number, GOOD_ID, "080251", "15", INSPECTOR, "1403/02/15", "1404/02/15", status]
                for number, status in (("1403-1235", "تعلیق"), ("1403-1236", "revoked"))
            ),
        ],
    )
    prepared = q.prepare_quality(path, lookups=KNOWN)
    assert prepared.kind == "certificates" and prepared.rows_rejected == 0
    first, suspended, revoked = prepared.records
    assert first["certificate_number"] == "1403-1234" and first["national_id"] == GOOD_ID
    assert first["codes"] == ["08025100", "080252", "091020"]  # repeats dropped, zeros restored
    assert first["standard_numbers"] == ["259-1", "15"]
    assert first["status"] == "valid" and first["issuing_body_kind"] == "directorate"
    assert first["issued_on"] == dt.date(2024, 5, 4) and first["expires_on"] == dt.date(2025, 5, 5)
    assert suspended["status"] == "suspended" and suspended["issuing_body_kind"] == "inspection_company"
    assert revoked["status"] == "revoked"


def test_bad_certificates_each_give_their_message_with_row_and_column(tmp_path):
    path = write_csv(
        tmp_path / "certificates.csv",
        CERTIFICATE_HEADER,
        [
            ["1403-1", GOOD_ID, "080251", "15", DIRECTORATE, "1403/02/15", "1404/02/15", ""],
            ["1403-2", GOOD_ID, "080251", "15", DIRECTORATE, "1404/02/15", "1403/02/15", ""],  # expiry first
            ["1403-3", OTHER_ID, "080251", "15", DIRECTORATE, "1403/02/15", "1404/02/15", ""],  # unknown firm
            ["1403-4", GOOD_ID, "080251", "9999-9", DIRECTORATE, "1403/02/15", "1404/02/15", ""],  # standard
            ["1403-5", GOOD_ID, "77001000", "15", DIRECTORATE, "1403/02/15", "1404/02/15", ""],  # line
            ["1403-6", BAD_ID, "", "abc", "", "2024/05/04", "1404/02/15", "شاید"],  # all at once
            ["1403-7", "", "080251", "15", "+cmd", "1403/02/15", "1404/02/15", ""],
        ],
    )
    prepared = q.prepare_quality(path, lookups=KNOWN)
    rows = problems_by_row(prepared)
    assert 2 not in rows
    assert rows[3] == [
        ("expires_on", q.sheets.EXPIRY_BEFORE_ISSUE.format(expires="1403/02/15", issued="1404/02/15"))
    ]
    assert rows[4] == [("national_id", q.FIRM_UNKNOWN.format(value=OTHER_ID))]
    assert rows[5] == [("standard_numbers", q.STANDARD_UNKNOWN.format(value="9999-9"))]
    assert rows[6] == [("codes", q.TARIFF_CODE_UNKNOWN.format(value="77001000"))]
    assert dict(rows[7]) == {
        "national_id": q.sheets.BAD_NATIONAL_ID.format(value=BAD_ID, why=q.sheets.WHY_CHECK_DIGIT),
        "codes": q.NO_PRODUCT,
        "standard_numbers": q.STANDARD_NUMBER_INVALID.format(value="abc"),
        "issuing_body": q.sheets.REQUIRED,
        "issued_on": q.sheets.DATE_GREGORIAN.format(value="2024/05/04"),
        "status": q.sheets.STATUS_UNKNOWN.format(value="شاید", choices="، ".join(q.STATUS_WORDS)),
    }
    assert dict(rows[8]) == {
        "national_id": q.sheets.NO_IDENTIFIER,
        "issuing_body": q.sheets.FORMULA_TEXT.format(value="+cmd"),
    }
    assert [r["certificate_number"] for r in prepared.records] == ["1403-1"]


def test_firm_and_standard_checks_are_skipped_without_lookups(tmp_path):
    path = write_csv(
        tmp_path / "certificates.csv",
        CERTIFICATE_HEADER,
        [["1403-3", OTHER_ID, "080251", "9999-9", DIRECTORATE, "1403/02/15", "1404/02/15", ""]],
    )
    assert q.prepare_quality(path).rows_rejected == 0


def test_a_certificate_number_twice(tmp_path):
    """One row per tariff line is allowed; the same number with other certificate data is not."""
    path = write_csv(
        tmp_path / "certificates.csv",
        CERTIFICATE_HEADER,
        [
            ["1403-1", GOOD_ID, "080251", "15", DIRECTORATE, "1403/02/15", "1404/02/15", ""],
            ["1403-1", GOOD_ID, "080252", "15", DIRECTORATE, "1403/02/15", "1404/02/15", ""],
            ["1403-1", GOOD_ID, "080251", "15", DIRECTORATE, "1403/02/15", "1405/02/15", ""],
        ],
    )
    rows = problems_by_row(q.prepare_quality(path))
    assert rows == {
        4: [
            (
                "certificate_number",
                q.DUPLICATE_CERTIFICATE.format(label="شماره گواهی", value="1403-1", first="۲"),
            )
        ]
    }


def test_english_headers_and_national_codes(tmp_path):
    """Keys and the English names a generator may write (``tariff_codes``, ``issuer``) are headers too."""
    code = "004937089" + str(national_code_check_digit("004937089"))
    path = write_csv(
        tmp_path / "c.csv",
        [
            "certificate_number",
            "national_code",
            "tariff_codes",
            "issuer",
            "issued_on",
            "expires_on",
            "status",
        ],
        [["A-100", code.lstrip("0"), "0910.20", "Pars Inspection Co", "1403/01/01", "1404/01/01", "valid"]],
    )
    prepared = q.prepare_quality(path, lookups=q.QualityLookups(known_firm_ids=frozenset({code})))
    assert prepared.kind == "certificates" and prepared.rows_rejected == 0
    (record,) = prepared.records
    assert record["national_code"] == code and record["codes"] == ["091020"]


def test_the_seed_imports_cleanly():
    seed = resources.files("saderat") / "data" / "reference" / "mandatory_standards_seed.csv"
    with resources.as_file(seed) as path:
        prepared = q.prepare_quality(path)
    assert prepared.kind == "standards"
    assert prepared.problems.empty, prepared.problems.to_string()
    assert prepared.rows_accepted >= 40
    codes = {r["code_prefix"] for r in prepared.records}
    assert {"080251", "080252", "091020", "080410"} <= codes
    assert all("سازمان ملی استاندارد تطبیق" in r["note"] for r in prepared.records)
    # A certificate citing the seed's standards passes the standards check built from it.
    known = frozenset(r["standard_number"] for r in prepared.records)
    assert {"15", "259-1", "5311-1"} <= known


@pytest.mark.parametrize("kind", sorted(q.QUALITY_TEMPLATES))
def test_the_template_example_row_imports_cleanly(tmp_path, kind):
    frame = q.template_frame(kind)
    assert list(frame.columns) == [c.label_fa for c in q.QUALITY_TEMPLATES[kind]] and len(frame) == 1
    path = tmp_path / f"{kind}.csv"
    frame.to_csv(path, index=False, encoding="utf-8-sig")
    prepared = q.prepare_quality(path)
    assert prepared.kind == kind and prepared.rows_accepted == 1, prepared.problems.to_string()


def test_whole_file_errors(tmp_path):
    unknown = write_csv(tmp_path / "x.csv", ["الف", "ب"], [["1", "2"]])
    with pytest.raises(ImportFileError) as exc:
        q.prepare_quality(unknown)
    assert str(exc.value) == q.FILE_KIND_UNKNOWN.format(file="x.csv", header="الف، ب")
    missing = write_csv(tmp_path / "s.csv", ["ردیف تعرفه", "شماره استاندارد"], [["080251", "15"]])
    with pytest.raises(ImportFileError) as exc:
        q.prepare_quality(missing, kind="standards")
    assert "عنوان استاندارد (title)" in str(exc.value) and "تاریخ اجرا (effective_from)" in str(exc.value)


def test_a_compressed_bomb_is_refused_before_parsing(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (40 * 2**20) + b">")
    with pytest.raises(ImportFileError) as exc:
        q.prepare_quality(path, limits=ReadLimits(max_uncompressed_bytes=2**20, max_compression_ratio=100))
    assert "bomb.xlsx" in str(exc.value)


def test_the_templates_document_lists_every_column():
    text = (Path(__file__).resolve().parents[2] / "docs" / "quality-templates.md").read_text(encoding="utf-8")
    for kind, columns in q.QUALITY_TEMPLATES.items():
        for column in columns:
            assert f"`{column.key}`" in text, (kind, column.key)
            assert column.label_fa in text, (kind, column.label_fa)
