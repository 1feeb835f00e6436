"""Small files the tests write: CSV and XLSX tables as agencies send them, and valid national IDs."""

from __future__ import annotations

import csv
from pathlib import Path

import xlsxwriter

from saderat.registry.identifiers import national_id_check_digit


def nid(first_ten: str) -> str:
    """A valid 11-digit national ID from its first ten digits (the check digit computed)."""
    return first_ten + str(national_id_check_digit(first_ten))


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """UTF-8 with BOM, as Excel's "CSV UTF-8" writes it."""
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """Text cells as text, numbers as numbers (nothing converted to formulas or numbers by the writer)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, header)
    for i, row in enumerate(rows, start=1):
        for j, value in enumerate(row):
            if isinstance(value, str):
                sheet.write_string(i, j, value)
            elif value is not None:
                sheet.write_number(i, j, value)
    book.close()
    return path


#: The shipped example profile (Paraná, Brazil) and its tables.
PARANA = Path(__file__).resolve().parents[1] / "profiles" / "parana"


def parana_in_currency(folder: Path, currency: str) -> Path:
    """Paraná's profile with another reporting currency, written in ``folder`` with the tables it names."""
    text = (PARANA / "profile.toml").read_text(encoding="utf-8")
    (folder / "profile.toml").write_text(
        text.replace('currency = "USD"', f'currency = "{currency}"'), encoding="utf-8"
    )
    for table in PARANA.glob("*.csv"):
        (folder / table.name).write_bytes(table.read_bytes())
    return folder / "profile.toml"


def parana_in_reais(settings, folder: Path) -> None:
    """A workspace of Paraná reporting in Brazilian reals: the profile installed in ``settings``'
    SADERAT_HOME, its reference tables applied, and the province set (no statistics yet)."""
    from saderat.reference.profile import install_profile
    from saderat.web.reference.services import reference_apply_profile

    install_profile(parana_in_currency(folder, "BRL"), settings.SADERAT_HOME)
    reference_apply_profile()
    settings.SADERAT_PROVINCE = "PR"


def import_parana_declarations(folder: Path, lines) -> None:
    """Declaration lines of soya beans (1201) from one municipality, ``(year, month, exporter ID, value in
    reais)`` each, imported without a rate to USD (Comex Stat's column names, the profile's own)."""
    from saderat.web.imports.services import batch_import_file

    path = folder / "declarations.csv"
    path.write_text(
        "CO_ANO,CO_MES,SH4,SG_UF_MUN,CO_MUN,exporter_id,value\n"
        + "".join(f"{y},{m},1201,PR,4118204,{e},{v:.0f}\n" for y, m, e, v in lines),
        encoding="utf-8",
    )
    result = batch_import_file(path=path)
    assert result.ok, result.batch.message
