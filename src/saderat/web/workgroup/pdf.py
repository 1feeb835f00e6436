"""The stocktake pack as a printable PDF in Persian (WeasyPrint, the Vazirmatn font embedded).

The font files are the TTFs of the pinned npm package ``vazirmatn``, copied into the static vendor folder by
``python -m saderat.web.assets`` (``Vazirmatn-Regular.ttf``, ``Vazirmatn-Bold.ttf``); the template points an
``@font-face`` at them by ``file://`` URL, and WeasyPrint embeds the glyphs it uses (subset). Shaping of
Persian (joining forms, ligatures) and right-to-left order are done by Pango/HarfBuzz.
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

FONT_FILES = {"regular": "Vazirmatn-Regular.ttf", "bold": "Vazirmatn-Bold.ttf"}
FONT_MISSING = (
    "قلم وزیرمتن برای ساخت PDF پیدا نشد ({name}). فرمان «python -m saderat.web.assets» را پس از «npm ci» "
    "اجرا کنید."
)


class FontMissing(RuntimeError):
    """The Vazirmatn TTF files are not in the static vendor folder."""


def font_path(name: str) -> Path:
    """The TTF file in the static vendor folder (or in node_modules of a source checkout)."""
    found = finders.find(f"vendor/{name}")
    if found:
        return Path(found)
    from saderat.web.assets import default_node_modules

    candidate = default_node_modules() / "vazirmatn" / "fonts" / "ttf" / name
    if candidate.is_file():
        return candidate
    raise FontMissing(FONT_MISSING.format(name=name))


def stocktake_html(pack: dict, *, request=None) -> str:
    context = {
        "pack": pack,
        "font_regular": font_path(FONT_FILES["regular"]).resolve().as_uri(),
        "font_bold": font_path(FONT_FILES["bold"]).resolve().as_uri(),
    }
    return render_to_string("workgroup/stocktake_pdf.html", context, request=request)


def stocktake_pdf(pack: dict, *, request=None) -> bytes:
    """The PDF bytes of :func:`saderat.web.workgroup.selectors.stocktake_pack`'s result."""
    from weasyprint import HTML

    html = stocktake_html(pack, request=request)
    # base_url: file URLs only; nothing is fetched from the network.
    return HTML(string=html, base_url=str(Path(font_path(FONT_FILES["regular"])).parent)).write_pdf()
