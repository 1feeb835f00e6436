"""Evidence files: checked, then stored outside the web root.

A file is accepted only if all of these hold:

- its name is a plain file name (no folder, no drive letter, no control characters);
- it is not empty and not larger than ``settings.SADERAT_EVIDENCE_MAX_BYTES`` (default 20 MiB);
- its extension is one of :data:`ALLOWED` (PDF, images, Office and OpenDocument files); and
- its content, sniffed with the ``filetype`` package from the first bytes, is of that same kind. The name's
  extension and the browser's content type are never trusted: a script renamed ``.pdf`` is refused. Office
  Open XML files (docx/xlsx/pptx) are also opened as ZIP archives to check that they are what they claim and
  carry no macros.

Accepted files are written under ``settings.SADERAT_HOME / "evidence" / YYYY-MM /`` with a random name and
the sniffed extension; the cleaned original name is kept in the database for display. Files are only ever
served by the ``workgroup:file`` view, which checks that the user may see the resolution or session.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.utils import timezone

from saderat.text import to_persian_digits

__all__ = [
    "ALLOWED",
    "UploadRefused",
    "StoredFile",
    "max_bytes",
    "evidence_root",
    "clean_name",
    "check",
    "store",
    "path_of",
]

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 8192

_OOXML = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "word/"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xl/"),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "ppt/"),
}

#: extension -> MIME types that the sniffed content may have for it
ALLOWED: dict[str, frozenset[str]] = {
    "pdf": frozenset({"application/pdf"}),
    "jpg": frozenset({"image/jpeg"}),
    "jpeg": frozenset({"image/jpeg"}),
    "png": frozenset({"image/png"}),
    "gif": frozenset({"image/gif"}),
    "webp": frozenset({"image/webp"}),
    "doc": frozenset({"application/msword"}),
    "xls": frozenset({"application/vnd.ms-excel"}),
    "ppt": frozenset({"application/vnd.ms-powerpoint"}),
    "docx": frozenset({_OOXML["docx"][0]}),
    "xlsx": frozenset({_OOXML["xlsx"][0]}),
    "pptx": frozenset({_OOXML["pptx"][0]}),
    "odt": frozenset({"application/vnd.oasis.opendocument.text"}),
    "ods": frozenset({"application/vnd.oasis.opendocument.spreadsheet"}),
    "odp": frozenset({"application/vnd.oasis.opendocument.presentation"}),
}
ALLOWED_LABEL = "PDF، تصویر (JPG، PNG، GIF، WebP) و اسناد اداری (Word، Excel، PowerPoint و OpenDocument)"

NO_NAME = "فایل نام ندارد؛ فایل را دوباره انتخاب کنید."
NAME_HAS_PATH = (
    "نام فایل «{name}» مسیر پوشه دارد؛ فقط نام خود فایل پذیرفته است (بدون / یا \\ یا ..). فایل ثبت نشد."
)
EMPTY_FILE = "فایل «{name}» خالی است؛ فایل ثبت نشد."
TOO_LARGE = (
    "فایل «{name}» ({size} مگابایت) از سقف {limit} مگابایت برای هر فایل پیوست بزرگ‌تر است؛ فایل ثبت نشد. "
    "فایل را فشرده کنید یا در چند بخش بفرستید."
)
TYPE_NOT_ALLOWED = "پسوند فایل «{name}» پذیرفته نیست؛ فقط " + ALLOWED_LABEL + " پذیرفته می‌شود. فایل ثبت نشد."
CONTENT_MISMATCH = (
    "محتوای فایل «{name}» با پسوند «.{ext}» آن جور نیست{found}؛ فایل ثبت نشد. "
    "نوع فایل از محتوای آن تشخیص داده می‌شود، نه از نام آن. اگر فایل درست است، آن را با برنامه اصلی "
    "دوباره ذخیره کنید (مثلاً «ذخیره به صورت PDF»)."
)
CONTENT_FOUND = " (محتوا: {kind})"
HAS_MACROS = "فایل «{name}» ماکرو (کد اجرایی) دارد؛ فایل ثبت نشد. آن را بدون ماکرو ذخیره کنید."

_PATHLIKE = re.compile(r"[/\\]|^\.{1,2}$|^[A-Za-z]:|^~")


class UploadRefused(ValueError):
    """A file was refused; ``str(exc)`` is the Persian message for the user."""


@dataclass(frozen=True)
class StoredFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str

    @property
    def path(self) -> Path:
        return evidence_root() / self.stored_name


def max_bytes() -> int:
    return int(getattr(settings, "SADERAT_EVIDENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def evidence_root() -> Path:
    return Path(settings.SADERAT_HOME) / "evidence"


def _mb(n: int) -> str:
    text = f"{n / 2**20:.1f}".rstrip("0").rstrip(".")
    return to_persian_digits(text.replace(".", "٫"))


def clean_name(name: str | None) -> str:
    """The name as it will be shown: refused if it names a folder; control characters dropped, spaces
    collapsed, at most 150 characters (the extension kept)."""
    if name is None or not str(name).strip():
        raise UploadRefused(NO_NAME)
    raw = str(name).strip()
    if _PATHLIKE.search(raw) or "\x00" in raw:
        raise UploadRefused(NAME_HAS_PATH.format(name=raw[:120]))
    text = "".join(
        ch for ch in unicodedata.normalize("NFC", raw) if unicodedata.category(ch)[0] != "C" or ch == "\u200c"
    )
    text = re.sub(r"\s+", " ", text).strip(" .")
    if not text:
        raise UploadRefused(NO_NAME)
    if len(text) > 150:
        stem, dot, ext = text.rpartition(".")
        text = (stem[: 150 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 8 else text[:150]
    return text


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _sniff(head: bytes, data_for_zip, ext: str, name: str) -> str:
    """The MIME type of the content if it is allowed for ``ext``; else :class:`UploadRefused`."""
    kind = filetype.guess(head)
    mime = kind.mime if kind is not None else None
    if ext in _OOXML and mime in {"application/zip", *ALLOWED[ext]}:
        mime = _check_ooxml(data_for_zip(), ext, name)
    if mime in ALLOWED[ext]:
        return mime
    found = CONTENT_FOUND.format(kind=kind.extension.upper()) if kind is not None else ""
    raise UploadRefused(CONTENT_MISMATCH.format(name=name, ext=ext, found=found))


def _check_ooxml(data: bytes | Path, ext: str, name: str) -> str | None:
    mime, folder = _OOXML[ext]
    try:
        with zipfile.ZipFile(data if isinstance(data, Path) else io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" not in names or not any(n.startswith(folder) for n in names):
        return None
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise UploadRefused(HAS_MACROS.format(name=name))
    return mime


def _chunks(upload):
    if hasattr(upload, "chunks"):
        if hasattr(upload, "seek"):
            upload.seek(0)
        yield from upload.chunks()
    else:
        yield bytes(upload)


def check(upload, name: str | None = None) -> tuple[str, str]:
    """Check a file (a Django ``UploadedFile`` or ``File``) without storing it: ``(clean name, MIME type)``."""
    display = clean_name(name if name is not None else getattr(upload, "name", None))
    ext = _extension(display)
    if ext not in ALLOWED:
        raise UploadRefused(TYPE_NOT_ALLOWED.format(name=display))
    size = getattr(upload, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise UploadRefused(TOO_LARGE.format(name=display, size=_mb(size), limit=_mb(limit)))
    if size == 0:
        raise UploadRefused(EMPTY_FILE.format(name=display))
    head = b""
    for chunk in _chunks(upload):
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    if not head:
        raise UploadRefused(EMPTY_FILE.format(name=display))

    def whole() -> bytes:
        return b"".join(_chunks(upload))

    mime = _sniff(head[:SNIFF_BYTES], whole, ext, display)
    return display, mime


def store(upload, name: str | None = None) -> StoredFile:
    """Check, then write the file under :func:`evidence_root` (atomically: temporary name, then rename).

    The size is counted again while writing, so a file larger than it claimed is refused too.
    """
    display, mime = check(upload, name)
    ext = _extension(display)
    limit = max_bytes()
    month = timezone.localdate().strftime("%Y-%m")
    folder = evidence_root() / month
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{month}/{uuid.uuid4().hex}.{ext}"
    final = evidence_root() / stored
    tmp = final.with_name("." + final.name + ".part")
    digest = hashlib.sha256()
    size = 0
    try:
        with open(tmp, "xb") as fh:
            for chunk in _chunks(upload):
                size += len(chunk)
                if size > limit:
                    raise UploadRefused(TOO_LARGE.format(name=display, size=_mb(size), limit=_mb(limit)))
                digest.update(chunk)
                fh.write(chunk)
        os.chmod(tmp, 0o640)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return StoredFile(
        original_name=display, stored_name=stored, content_type=mime, size=size, sha256=digest.hexdigest()
    )


def path_of(stored_name: str) -> Path:
    """The file on disk for a stored name; never outside :func:`evidence_root`."""
    root = evidence_root().resolve()
    path = (root / stored_name).resolve()
    if root not in path.parents:
        raise UploadRefused(NAME_HAS_PATH.format(name=stored_name))
    return path


def discard(stored: list[StoredFile]) -> None:
    """Remove files written for a change that did not commit."""
    for item in stored:
        path_of(item.stored_name).unlink(missing_ok=True)
