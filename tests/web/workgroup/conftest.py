"""Working-group fixtures. Personas (tests/conftest.py): Alice runs the secretariat (imt), Bob is a customs
agency member, Carol a viewer, Dave the administrator; here also Sara, a standards agency member. Session 12
was held 60 days ago; customs owns resolution 12-1 (standards supports it), 8 days overdue; standards owns
12-2, due in 60 days, which Bob must not touch. Dates are relative to today, as the pages' flags are."""

from __future__ import annotations

import datetime as dt
import io

import pytest


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def days(n: int) -> dt.date:
    """``n`` days from today (negative: ago)."""
    return today() + dt.timedelta(days=n)


def jalali(value: dt.date, persian: bool = True) -> str:
    from saderat.jalali import format_jalali_date
    from saderat.text import to_persian_digits

    text = format_jalali_date(value)
    return to_persian_digits(text) if persian else text


@pytest.fixture
def evidence_home(settings, tmp_path):
    """Evidence files of the test in a throwaway SADERAT_HOME (the warehouse stays where it is)."""
    settings.SADERAT_HOME = tmp_path
    return tmp_path / "evidence"


@pytest.fixture
def sara(db):
    from saderat.web.accounts.services import user_create

    return user_create(
        username="sara",
        password="sara-pass-1234",
        role="agency_member",
        agency_code="standards",
        email="sara@example.org",
    )


@pytest.fixture
def session12(people):
    from saderat.web.workgroup import services

    return services.session_create(
        user=people["alice"],
        number=12,
        held_on=days(-60),
        chair="استاندار",
        agenda="صادرات انار",
        attendees=[{"agency": "customs", "present": True}, {"agency": "standards", "present": False}],
    )


@pytest.fixture
def customs_resolution(people, session12):
    from saderat.web.workgroup import services

    return services.resolution_create(
        user=people["alice"],
        session=session12,
        text="کاهش زمان ترخیص صادراتی انار در گمرک اراک",
        responsible_agency="customs",
        supporting_agencies=["standards"],
        deadline=days(-8),
    )


@pytest.fixture
def standards_resolution(people, session12):
    from saderat.web.workgroup import services

    return services.resolution_create(
        user=people["alice"],
        session=session12,
        text="راه‌اندازی آزمایشگاه همکار استاندارد فولاد",
        responsible_agency="standards",
        deadline=days(60),
    )


def pdf_bytes(text: str = "evidence") -> bytes:
    """A small valid PDF (one page, Latin text)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
    ]
    stream = f"BT /F1 12 Tf 20 100 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def png_bytes() -> bytes:
    """A 1x1 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def xlsx_bytes() -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write(0, 0, "گزارش")
    book.close()
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
