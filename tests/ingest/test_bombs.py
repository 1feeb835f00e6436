"""Bounded readers: a file that would expand beyond the limits is refused before it is parsed, with the
limit and the size in Persian, holding little memory; real files still read exactly as before.

The bombs are real (tests/ingest/bombs.py): valid .xlsx/.csv.gz/.zip files of compressible rows that a
reader without limits would really expand (python-calamine spends 6 s and 270 MB of memory on just 48 MB
of such sheet XML).
"""

import codecs
import csv
import gzip
import io
import json
import math
import struct
import subprocess
import sys
import time
import zipfile

import pytest
import python_calamine
from tests.conftest import RAW_DIR, REPO, requires_raw
from tests.ingest import bombs

from saderat.ingest import messages
from saderat.ingest.readers import (
    DEFAULT_LIMITS,
    ImportFileError,
    ReadLimits,
    _read_grid,
    check_limits,
    read_source,
)
from saderat.text import to_persian_digits

MiB = 2**20
SMALL = ReadLimits(max_uncompressed_bytes=50 * MiB, max_compression_ratio=100)
#: The byte limit alone (ratio checks off), to test it on files that are also highly compressed.
SMALL_BYTES_ONLY = ReadLimits(max_uncompressed_bytes=50 * MiB, max_compression_ratio=10**9)
DEMO_1402 = REPO / "src" / "saderat" / "data" / "demo" / "irica-exports-1402.csv.gz"


def fa(number: int) -> str:
    return to_persian_digits(f"{number:,}".replace(",", "٬"))


def too_large(name: str, limit_mb: int, size_mb: int) -> str:
    return messages.FILE_UNCOMPRESSED_TOO_LARGE.format(file=name, limit_mb=fa(limit_mb), size_mb=fa(size_mb))


def refusal(path, limits=DEFAULT_LIMITS, **kwargs) -> str:
    with pytest.raises(ImportFileError) as err:
        read_source(path, limits=limits, **kwargs)
    return str(err.value)


CHILD = """
import json, resource, sys, time
from saderat.ingest.readers import ImportFileError, ReadLimits, read_source
limits = ReadLimits(int(sys.argv[2]), float(sys.argv[3]))
start = time.perf_counter()
try:
    table = read_source(sys.argv[1], limits=limits)
    outcome = {"rows": len(table.rows)}
except ImportFileError as exc:
    outcome = {"message": str(exc)}
outcome["seconds"] = time.perf_counter() - start
# VmHWM: the peak of this interpreter's own memory. ru_maxrss would carry the parent's peak across exec (Linux
# keeps the high-water mark in the process, not in its memory image), so a large pytest would show through.
with open("/proc/self/status") as status:
    hwm = [int(line.split()[1]) for line in status if line.startswith("VmHWM:")]
outcome["peak_rss_kb"] = hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(outcome))
"""


def read_in_child(path, limits=DEFAULT_LIMITS) -> dict:
    """read_source in a fresh interpreter: its outcome, seconds and peak RSS (Linux: kB) of that process."""
    args = [str(path), str(limits.max_uncompressed_bytes), str(limits.max_compression_ratio)]
    done = subprocess.run(
        [sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=120, check=True
    )
    return json.loads(done.stdout)


# -- zip containers: .xlsx -------------------------------------------------------------------------------------
def test_xlsx_whose_sheet_expands_beyond_the_limit_is_refused_by_its_declared_size(tmp_path):
    path = bombs.xlsx_bomb(tmp_path / "big.xlsx", copies=4)  # 64 MiB of real, deflated sheet XML
    with zipfile.ZipFile(path) as archive:
        declared = sum(i.file_size for i in archive.infolist())
    assert declared // MiB == 64  # 4 blocks of 16 MiB (less the rest of a row) + the other parts
    assert refusal(path, SMALL_BYTES_ONLY) == too_large("big.xlsx", 50, 64)
    assert "از حد مجاز ۵۰ مگابایت بیشتر است (دست‌کم ۶۴ مگابایت)" in refusal(path, SMALL_BYTES_ONLY)


def test_xlsx_with_a_high_compression_ratio_is_refused(tmp_path):
    path = bombs.xlsx_bomb(tmp_path / "ratio.xlsx", copies=2)  # 32 MiB that deflate about 290 times
    with zipfile.ZipFile(path) as archive:
        sheet = archive.getinfo(bombs.SHEET)
    ratio = sheet.file_size / sheet.compress_size
    assert ratio > 200
    assert refusal(path) == messages.FILE_COMPRESSION_RATIO.format(
        file="ratio.xlsx", entry=bombs.SHEET, ratio=fa(math.floor(ratio)), limit="۱۰۰"
    )


def test_xlsx_that_lies_about_its_size_is_refused_without_expanding(tmp_path):
    """The central directory says 1,000 bytes; the stream holds 32 MiB. The declared checks pass; the
    verification decompresses at most 1,001 bytes and refuses (the spreadsheet library would expand it all)."""
    path = bombs.xlsx_bomb(tmp_path / "liar.xlsx", copies=2)
    bombs.lie_about_size(path, bombs.SHEET, 1000)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo(bombs.SHEET).file_size == 1000
    assert refusal(path) == messages.FILE_ZIP_SIZE_MISMATCH.format(
        file="liar.xlsx", entry=bombs.SHEET, declared="۱٬۰۰۰"
    )


def test_default_limit_refuses_a_4_gb_xlsx_bomb_quickly_and_in_little_memory(tmp_path):
    # The default limit (1024 MB) against a real 4.3 GB expansion: a ZIP64 sheet of 272 x 16 MiB of XML rows,
    # 15 MB on disk, written by repeating one compressed block (tests/ingest/bombs.py; ~4 s, mostly CRC).
    path = bombs.fast_xlsx_bomb(tmp_path / "4gb.xlsx", copies=272)
    with zipfile.ZipFile(path) as archive:
        declared = sum(i.file_size for i in archive.infolist())
        with archive.open(bombs.SHEET) as sheet:  # it really expands: the first 16 MiB are the rows
            assert (
                sheet.read(len(bombs.SHEET_HEAD) + 1000)[len(bombs.SHEET_HEAD) :]
                == bombs.block(bombs.XML_ROW)[:1000]
            )
    assert declared // MiB == 4351
    assert path.stat().st_size < 20 * MiB
    expected = too_large("4gb.xlsx", 1024, 4351)
    assert "از حد مجاز ۱٬۰۲۴ مگابایت بیشتر است (دست‌کم ۴٬۳۵۱ مگابایت)" in expected
    child = read_in_child(path)
    assert child["message"] == expected
    assert child["seconds"] < 5  # refused from the central directory: measured 0.01 s
    assert child["peak_rss_kb"] < 1024 * 1024  # < 1 GB (python + pandas + calamine alone: ~150 MB)


def test_a_file_named_xlsx_that_is_no_zip_is_unreadable(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("year,tariff_code\n1402,04012000\n", encoding="utf-8")
    assert refusal(path) == messages.FILE_UNREADABLE.format(file="fake.xlsx", detail="BadZipFile")


# -- streams: .csv.gz, .zip with one CSV -----------------------------------------------------------------------
def test_csv_gz_beyond_the_limit_is_refused_by_its_declared_size(tmp_path):
    path = bombs.csv_gz(tmp_path / "big.csv.gz", copies=4)  # one member of 64 MiB of CSV, stream-written
    assert refusal(path, SMALL) == too_large("big.csv.gz", 50, 63)


def test_csv_gz_that_lies_about_its_size_is_stopped_at_the_limit(tmp_path):
    path = bombs.csv_gz(tmp_path / "liar.csv.gz", copies=4)
    data = bytearray(path.read_bytes())
    struct.pack_into("<I", data, len(data) - 4, 1000)  # the trailer's ISIZE: 1,000 bytes
    path.write_bytes(bytes(data))
    # Counted as a stream, read 1 MiB at a time: refused at the first MiB beyond 50.
    assert refusal(path, SMALL) == too_large("liar.csv.gz", 50, 51)


def test_default_limit_stops_a_4_gb_multi_member_csv_gz_in_little_memory(tmp_path):
    # The default limit against a real 4.3 GB expansion of CSV lines in 273 gzip members (valid: read as one
    # stream); the last member declares 16 MiB, so only counting the stream can stop it.
    path = bombs.multi_member_csv_gz(tmp_path / "4gb.csv.gz", copies=272)
    assert path.stat().st_size < 20 * MiB
    with gzip.open(path, "rb") as fh:
        assert fh.read(len(bombs.CSV_HEADER) + len(bombs.CSV_LINE)) == bombs.CSV_HEADER + bombs.CSV_LINE
    child = read_in_child(path)
    assert child["message"] == too_large("4gb.csv.gz", 1024, 1025)
    # 1 GB decompressed (CRC-checked by zlib) and discarded: measured 4.9 s on an idle 2-CPU machine,
    # 21 s with the machine loaded by other test runs; the bound is on memory, the time is only sanity.
    assert child["seconds"] < 90
    assert child["peak_rss_kb"] < 1024 * 1024


def test_zip_of_one_csv_with_a_high_ratio_is_refused(tmp_path):
    path = bombs.zip_csv(tmp_path / "ratio.csv.zip", {"data.csv": (bombs.block(bombs.CSV_LINE), 2)})
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("data.csv")
    ratio = info.file_size / info.compress_size
    assert ratio > 100
    assert refusal(path) == messages.FILE_COMPRESSION_RATIO.format(
        file="ratio.csv.zip", entry="data.csv", ratio=fa(math.floor(ratio)), limit="۱۰۰"
    )
    assert info.file_size // MiB == 32
    assert refusal(path, ReadLimits(20 * MiB, 10**9)) == too_large("ratio.csv.zip", 20, 32)


def test_zip_must_hold_exactly_one_csv(tmp_path):
    path = bombs.zip_csv(tmp_path / "two.zip", {"a.csv": b"x\n", "b.csv": b"y\n"})
    assert refusal(path) == messages.FILE_ZIP_CONTENTS.format(file="two.zip", count="۲", names="a.csv، b.csv")


def test_zip_of_one_csv_reads_like_the_csv(tmp_path):
    text = "سال,کد تعرفه,کشور مقصد,وزن,ارزش دلاری\n1402,08109040,امارات,1000,2500\n1402,04012000,عراق,5,7\n"
    plain = tmp_path / "fa.csv"
    plain.write_text(text, encoding="utf-8")
    zipped = bombs.zip_csv(
        tmp_path / "fa.csv.zip", {"__MACOSX/._fa.csv": b"\x00\x05", "fa.csv": text.encode()}
    )
    assert read_source(zipped).rows.equals(read_source(plain).rows)
    assert check_limits(zipped).member == "fa.csv"
    assert len(read_source(zipped).rows) == 2


# -- encodings ---------------------------------------------------------------------------------------------------
TEXT = "سال,کد تعرفه,کشور مقصد,وزن,ارزش دلاری\n1402,08109040,امارات,1000,2500\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "UTF-16 LE"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "UTF-16 BE"),
        (TEXT.encode("utf-16-le"), "UTF-16 LE"),  # no byte-order mark: ASCII commas and digits give it away
        (TEXT.encode("utf-16-be"), "UTF-16 BE"),
        (TEXT.encode("utf-16"), "UTF-16 LE"),  # Python's (and Excel's "Unicode text") default: LE with BOM
        (TEXT.encode("utf-32"), "UTF-32 LE"),
    ],
)
def test_utf16_and_utf32_are_refused_by_name(tmp_path, data, encoding):
    path = tmp_path / "wide.csv"
    path.write_bytes(data)
    assert refusal(path) == messages.FILE_ENCODING_UNSUPPORTED.format(file="wide.csv", encoding=encoding)
    gz = tmp_path / "wide.csv.gz"
    gz.write_bytes(gzip.compress(data))
    assert refusal(gz) == messages.FILE_ENCODING_UNSUPPORTED.format(file="wide.csv.gz", encoding=encoding)


def test_binary_files_named_csv_are_refused(tmp_path):
    xlsx_named_csv = tmp_path / "book.csv"
    xlsx_named_csv.write_bytes(bombs.xlsx_bomb(tmp_path / "book.xlsx", copies=0).read_bytes())
    assert refusal(xlsx_named_csv) == messages.FILE_NOT_TEXT.format(file="book.csv", kind="ZIP/xlsx")
    nul = tmp_path / "nul.csv"
    nul.write_bytes(b"year,code\n\x00\x00\x00\x01\x02\xff" * 10)
    assert refusal(nul) == messages.FILE_NOT_TEXT.format(file="nul.csv", kind="NUL bytes")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1256"])
def test_utf8_with_or_without_bom_and_windows_1256_are_read(tmp_path, encoding):
    path = tmp_path / "fa.csv"
    # Windows-1256 has no Persian yeh: files in it are written with the Arabic one, which is normalised.
    text = TEXT.replace("ی", "ي") if encoding == "cp1256" else TEXT
    path.write_bytes(text.encode(encoding))
    table = read_source(path)
    assert check_limits(path).encoding == ("cp1256" if encoding == "cp1256" else "utf-8-sig")
    assert table.layout == "canonical"
    assert table.rows.loc[0, "destination"] == "امارات"
    assert table.rows.loc[0, "year"] == "1402"  # the header was understood: سال, کد تعرفه, ...
    assert table.rows.loc[0, "value_usd"] == "2500"


# -- real files --------------------------------------------------------------------------------------------------
def legacy_grid_csv_gz(path) -> list[list[str]]:
    """How the readers read a .csv.gz before they were bounded: all at once."""
    raw = gzip.decompress(path.read_bytes())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_demo_csv_gz_reads_exactly_as_before():
    grid = _read_grid(DEMO_1402, DEMO_1402.name, DEFAULT_LIMITS)
    assert grid == legacy_grid_csv_gz(DEMO_1402)
    assert len(grid) > 10_000
    check = check_limits(DEMO_1402)
    assert (check.container, check.encoding) == ("gzip", "utf-8-sig")
    assert check.uncompressed_bytes == len(gzip.decompress(DEMO_1402.read_bytes()))
    # Read whole in a fresh process (4.4 MB of CSV): the rows, and the peak memory of doing it.
    child = read_in_child(DEMO_1402)
    assert child["rows"] == len(read_source(DEMO_1402).rows) > 50_000
    assert child["peak_rss_kb"] < 1024 * 1024


@pytest.mark.rawdata
def test_real_102_xlsx_reads_exactly_as_before():
    path = requires_raw("102.xlsx")
    direct = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    assert _read_grid(path, path.name, DEFAULT_LIMITS) == direct.to_python(skip_empty_area=False)
    check = check_limits(path)
    # Measured: 20,582,032 bytes uncompressed (3.2 MB on disk); the sheet XML deflates 6.6 times.
    assert check.uncompressed_bytes == 20_582_032
    assert check.largest_ratio_entry == "xl/worksheets/sheet1.xml"
    assert 6 < check.largest_ratio < 7


RAW_FILES = sorted(str(p.relative_to(RAW_DIR)) for p in RAW_DIR.rglob("*") if p.is_file()) or ["102.xlsx"]


@pytest.mark.rawdata
@pytest.mark.parametrize("name", RAW_FILES)
def test_every_real_irica_file_passes_the_default_limits(name):
    path = requires_raw(name)
    start = time.perf_counter()
    check = check_limits(path)
    assert check.uncompressed_bytes < DEFAULT_LIMITS.max_uncompressed_bytes / 40  # all below 25 MB
    assert check.largest_ratio is None or check.largest_ratio < DEFAULT_LIMITS.max_compression_ratio / 10
    assert time.perf_counter() - start < 1
