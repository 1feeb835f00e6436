"""Reading CEPII BACI files (world bilateral trade at HS6) into the table that
:func:`saderat.analytics.potential.itc_export_potential` takes; the analytics core reads no file.

Reference: Gaulier, G., Zignago, S. (2010). BACI: International Trade Database at the Product-Level. The
1994-2007 Version. CEPII Working Paper 2010-23 (the format: t, i, j, k, v in thousand USD, q in tonnes).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["BACI_COLUMNS", "read_baci"]

#: The columns of a BACI file: year, exporter, importer, HS6 product, value (thousand USD), quantity (tonnes).
BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")


def _bad_line(path: Path, frame: pd.DataFrame, mask: np.ndarray, column: str, what: str) -> ValueError:
    first = int(np.flatnonzero(mask)[0])
    value = frame[column].iloc[first]
    value = value.item() if isinstance(value, np.generic) else value
    return ValueError(
        f"path: {path}, line {first + 2}, column {column!r}: {value!r} is not {what} "
        f"({int(mask.sum())} such value(s) in the file)"
    )


def _integers(path: Path, frame: pd.DataFrame, column: str) -> np.ndarray:
    numbers = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(numbers) | (numbers != np.round(numbers))
    if bad.any():
        raise _bad_line(path, frame, bad, column, "an integer")
    return numbers.astype(np.int64)


def _read_country_codes(path: Path) -> tuple[dict[int, str], dict[int, str]]:
    """BACI code → ISO3, and BACI code → name, from a BACI ``country_codes_V*.csv`` (either layout)."""
    try:
        codes = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:  # V202201 and older are Latin-1 ("Côte d'Ivoire")
        codes = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="latin-1")
    iso3 = next((c for c in ("iso_3digit_alpha", "country_iso3") if c in codes.columns), None)
    name = next((c for c in ("country_name_abbreviation", "country_name") if c in codes.columns), None)
    if "country_code" not in codes.columns or iso3 is None:
        missing = ["country_code"] if "country_code" not in codes.columns else []
        missing += ["iso_3digit_alpha (or country_iso3)"] if iso3 is None else []
        raise ValueError(f"country_codes_path: {path} lacks column(s) {missing} of the BACI country codes")
    code = pd.to_numeric(codes["country_code"].str.strip(), errors="coerce")
    if code.isna().any():
        first = int(np.flatnonzero(code.isna().to_numpy())[0])
        raise ValueError(
            f"country_codes_path: {path}, line {first + 2}: country_code "
            f"{codes['country_code'].iloc[first]!r} is not a number"
        )
    letters = codes[iso3].str.strip()
    valid = letters.str.fullmatch(r"[A-Z]{3}").to_numpy(dtype=bool)
    to_iso3 = dict(zip(code.astype(np.int64)[valid], letters[valid], strict=True))
    names = dict(zip(code.astype(np.int64), codes[name] if name else letters, strict=True))
    return to_iso3, names


def read_baci(path: str | Path, /, *, country_codes_path: str | Path | None = None) -> pd.DataFrame:
    """Read one CEPII BACI file (``BACI_HS92_Y2021_V202301.csv`` and the like; ``.csv`` or ``.csv.gz``).

    BACI columns: ``t`` year, ``i`` exporter and ``j`` importer (BACI numeric country codes, ISO 3166 numeric
    with a few BACI-specific ones), ``k`` HS6 product, ``v`` value in **thousands** of current USD, ``q``
    quantity in metric tons (blank or ``NA`` where unknown).

    Parameters
    ----------
    path : str or Path
        The BACI file, ``.csv`` or ``.csv.gz`` (compressed files are read as they are).
    country_codes_path : str or Path, optional
        BACI's ``country_codes_V*.csv`` (columns ``country_code`` and ``iso_3digit_alpha``, or
        ``country_iso3`` in newer versions; UTF-8 or Latin-1). When given, exporters and importers become ISO3
        codes and the numeric codes move to ``exporter_code`` / ``importer_code``. A code with no ISO3 in the
        file (absent from it, e.g. Italy's 380 in a V202201 list that has 381, or "N/A" such as 490 "Other
        Asia, nes") keeps its number as text ("380") and is listed, with the reason, in
        ``attrs["unmapped_country_codes"]``. Two codes with the same ISO3 (BACI's 56/58 BEL, 710/711 ZAF)
        both map to it.

    Returns
    -------
    DataFrame
        Columns ``year`` (int), ``exporter``, ``importer`` (int codes, or ISO3 text with country codes),
        ``product`` (six-digit text: the leading zero BACI drops for chapters 01-09 is restored),
        ``value_usd`` (``v × 1000``, float), ``quantity_t`` (float, NaN where unknown), and with country codes
        ``exporter_code``, ``importer_code``. ``attrs["source"]`` is the path.

    Raises
    ------
    ValueError
        A path that is not ``.csv`` / ``.csv.gz``; a missing column (the message names the file and the
        columns); a value that does not parse (file, line and column named); a negative value.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "baci.csv").write_text('"t","i","j","k","v","q"\\n2021,4,364,71310,2.5,"   NA"\\n')
    >>> read_baci(folder / "baci.csv").to_dict("records")
    [{'year': 2021, 'exporter': 4, 'importer': 364, 'product': '071310', 'value_usd': 2500.0, 'quantity_t': nan}]
    """
    path = Path(path)
    name = path.name.lower()
    if not (name.endswith(".csv") or name.endswith(".csv.gz")):
        raise ValueError(f"path: {path} is not a .csv or .csv.gz file")
    header = pd.read_csv(path, nrows=0)
    present = [str(c).strip() for c in header.columns]
    missing = [c for c in BACI_COLUMNS if c not in present]
    if missing:
        raise ValueError(
            f"path: {path} lacks column(s) {missing} of the BACI format {list(BACI_COLUMNS)}; it has {present}"
        )
    raw = pd.read_csv(path, dtype={"k": str, "q": str}, keep_default_na=False, skipinitialspace=True)
    raw.columns = [str(c).strip() for c in raw.columns]

    year = _integers(path, raw, "t")
    exporter = _integers(path, raw, "i")
    importer = _integers(path, raw, "j")
    product = raw["k"].astype(str).str.strip()
    bad = ~product.str.fullmatch(r"\d{5,6}").to_numpy(dtype=bool)
    if bad.any():
        raise _bad_line(path, raw, bad, "k", "an HS6 code (5 or 6 digits)")
    value = pd.to_numeric(raw["v"], errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(value) | (value < 0)
    if bad.any():
        raise _bad_line(path, raw, bad, "v", "a non-negative number")
    q_text = raw["q"].astype(str).str.strip()
    unknown = q_text.str.upper().isin(["", "NA", "NAN"]).to_numpy()
    quantity = pd.to_numeric(q_text.where(~unknown, None), errors="coerce").to_numpy(dtype=np.float64)
    bad = ~unknown & ~np.isfinite(quantity)
    if bad.any():
        raise _bad_line(path, raw, bad, "q", "a number, blank or NA")

    frame = pd.DataFrame(
        {
            "year": year,
            "exporter": exporter,
            "importer": importer,
            "product": product.str.zfill(6).to_numpy(dtype=object),
            "value_usd": value * 1000.0,
            "quantity_t": quantity,
        }
    )
    frame.attrs["source"] = str(path)
    if country_codes_path is None:
        return frame

    to_iso3, names = _read_country_codes(Path(country_codes_path))
    unmapped: dict[int, str] = {}
    for column in ("exporter", "importer"):
        codes = frame[column].to_numpy()
        distinct = pd.unique(codes)
        labels = {int(c): to_iso3.get(int(c), str(int(c))) for c in distinct}
        for c in distinct:
            c = int(c)
            if c not in to_iso3:
                unmapped[c] = (
                    f"no ISO3 code in the country codes file ({names[c]})"
                    if c in names
                    else "not in the country codes file"
                )
        frame[f"{column}_code"] = codes
        frame[column] = pd.Series(codes).map(labels).to_numpy(dtype=object)
    frame.attrs["country_codes"] = str(country_codes_path)
    frame.attrs["unmapped_country_codes"] = dict(sorted(unmapped.items()))
    return frame
