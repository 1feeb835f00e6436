"""Real decompression bombs, written without ever holding their expansion in memory (tests/ingest/test_bombs.py).

Each builder writes a valid file that a reader without limits would really expand: the content is
compressible text (spreadsheet XML rows, CSV lines) written in chunks of :data:`BLOCK` bytes.
"""

from __future__ import annotations

import gzip
import struct
import zipfile
import zlib
from pathlib import Path

MiB = 2**20
#: One row of sheet XML and one CSV line; blocks of them are what the bombs repeat.
XML_ROW = b'<row><c t="n"><v>1402</v></c><c t="inlineStr"><is><t>04012000</t></is></c></row>'
CSV_HEADER = b"year,tariff_code,destination,weight_kg,value_usd\n"
CSV_LINE = b"1402,04012000,IRQ,100,200\n"

CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    b'<Override PartName="/xl/worksheets/sheet1.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    b"</Types>"
)
ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    b'<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    b'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_TAIL = b"</sheetData></worksheet>"
SHEET = "xl/worksheets/sheet1.xml"


def block(unit: bytes, size: int = 16 * MiB) -> bytes:
    """``unit`` repeated to about ``size`` bytes."""
    return unit * (size // len(unit))


def _write_small_parts(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", CONTENT_TYPES, zipfile.ZIP_DEFLATED)
    archive.writestr("_rels/.rels", ROOT_RELS, zipfile.ZIP_DEFLATED)
    archive.writestr("xl/workbook.xml", WORKBOOK, zipfile.ZIP_DEFLATED)
    archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS, zipfile.ZIP_DEFLATED)


def xlsx_bomb(path: Path, *, copies: int, unit_block: bytes | None = None) -> Path:
    """An .xlsx whose sheet XML is ``copies`` blocks of rows, deflated by zipfile (really compressed)."""
    unit_block = unit_block or block(XML_ROW)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_small_parts(archive)
        with archive.open(SHEET, "w", force_zip64=True) as sheet:
            sheet.write(SHEET_HEAD)
            for _ in range(copies):
                sheet.write(unit_block)
            sheet.write(SHEET_TAIL)
    return path


class _RepeatedDeflate:
    """A compressor for zipfile that deflates one block once and then repeats its compressed bytes.

    The block is compressed from an empty history and ends with a full flush (byte-aligned, no reference
    reaches before it), so ``packed * n`` followed by an empty final block is a valid deflate stream of
    ``block * n``: gigabytes of real expansion written in the time of one compression. zipfile still
    computes the CRC and the sizes over the real bytes written.
    """

    FINAL_EMPTY_BLOCK = b"\x03\x00"  # BFINAL=1, fixed Huffman, end-of-block: what zlib writes on Z_FINISH

    def __init__(self, unit_block: bytes):
        compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        self.unit_block = unit_block
        self.packed = compressor.compress(unit_block) + compressor.flush(zlib.Z_FULL_FLUSH)
        self.head = self._alone(SHEET_HEAD)

    @staticmethod
    def _alone(data: bytes) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    def compress(self, data: bytes) -> bytes:
        if data is self.unit_block:
            return self.packed
        return self._alone(data)

    def flush(self) -> bytes:
        return self.FINAL_EMPTY_BLOCK


def fast_xlsx_bomb(path: Path, *, copies: int, unit_block: bytes | None = None) -> Path:
    """Like :func:`xlsx_bomb`, with the sheet written through :class:`_RepeatedDeflate` (a ZIP64 entry of
    ``copies`` x 16 MiB, e.g. 4.3 GB in a few seconds, most of them zipfile's CRC)."""
    unit_block = unit_block or block(XML_ROW)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        _write_small_parts(archive)
        info = zipfile.ZipInfo(SHEET, date_time=(2024, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as sheet:
            sheet._compressor = _RepeatedDeflate(unit_block)  # CPython's _ZipWriteFile: compress()/flush()
            sheet.write(SHEET_HEAD)
            for _ in range(copies):
                sheet.write(unit_block)
            sheet.write(SHEET_TAIL)
    return path


def lie_about_size(path: Path, entry: str, declared: int) -> None:
    """Rewrite ``entry``'s uncompressed size in its local header and in the central directory (a file
    smaller than 4 GiB written by zipfile without ZIP64: plain 32-bit fields)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(entry)
    assert data[info.header_offset : info.header_offset + 4] == b"PK\x03\x04"
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    at = data.find(b"PK\x01\x02")
    while at != -1:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + name_length] == entry.encode():
            struct.pack_into("<I", data, at + 24, declared)
            break
        at = data.find(b"PK\x01\x02", at + 4)
    else:
        raise AssertionError(f"{entry} not in the central directory")
    path.write_bytes(bytes(data))


def csv_gz(path: Path, *, copies: int, unit_block: bytes | None = None) -> Path:
    """A .csv.gz of a header and ``copies`` blocks of lines, stream-written (one gzip member)."""
    unit_block = unit_block or block(CSV_LINE)
    with gzip.open(path, "wb", compresslevel=6) as fh:
        fh.write(CSV_HEADER)
        for _ in range(copies):
            fh.write(unit_block)
    return path


def multi_member_csv_gz(path: Path, *, copies: int, unit_block: bytes | None = None) -> Path:
    """A .csv.gz of ``copies + 1`` gzip members (valid: gzip readers read them as one stream): the block is
    compressed once and its member repeated, so a 4 GB expansion is written in well under a second. The
    trailer of the last member declares only that member's size (16 MiB)."""
    unit_block = unit_block or block(CSV_LINE)
    member = gzip.compress(unit_block, compresslevel=9, mtime=0)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(CSV_HEADER, mtime=0))
        for _ in range(copies):
            fh.write(member)
    return path


def zip_csv(path: Path, members: dict[str, bytes | tuple[bytes, int]]) -> Path:
    """A .zip of CSV members: ``bytes``, or ``(block, copies)`` stream-written."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            if isinstance(content, bytes):
                archive.writestr(name, content)
                continue
            unit_block, copies = content
            with archive.open(name, "w", force_zip64=True) as fh:
                fh.write(CSV_HEADER)
                for _ in range(copies):
                    fh.write(unit_block)
    return path
