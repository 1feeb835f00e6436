"""The fact table's columns (see docs/data-dictionary.md)."""

from __future__ import annotations

import pyarrow as pa

__all__ = ["FACT_SCHEMA", "FACT_COLUMNS", "CODE_SYSTEMS", "STORED_SCHEMA"]

#: How a product code is to be read.
CODE_SYSTEMS = {
    "ir-tariff8": "ردیف تعرفه ۸ رقمی ایران (۶ رقم اول = HS6)",
    "hs6": "کد ۶ رقمی HS",
    "hs4": "سرفصل ۴ رقمی HS",
    "ir-national": "کد ملی پیش از HS (۱۳۷۱-۱۳۷۴)، با HS قابل مقایسه نیست",
    # A region profile's own nomenclature (Brazil's NCM, Australia's AHECC ...): 8 to 10 digits on HS.
    "national": "کد ۸ تا ۱۰ رقمی نظام‌نامه ملی منطقه (۶ رقم اول = HS6)",
}

FACT_SCHEMA = pa.schema(
    [
        pa.field("batch_id", pa.int64(), nullable=False),
        pa.field("source_row", pa.int64(), nullable=False),  # row number in the source file (1 = header)
        pa.field("flow", pa.string(), nullable=False),  # export | import
        pa.field("basis", pa.string(), nullable=False),  # customs | origin
        pa.field("year", pa.int32(), nullable=False),  # Jalali year
        pa.field("month", pa.int32()),  # Jalali month 1-12, null for annual data
        # Jalali day of the month 1-31 (a declaration's date), null when the source gives none; batches
        # written before the column existed have none (Warehouse.facts reads them with a null day).
        pa.field("day", pa.int32()),
        pa.field("region_code", pa.string()),  # province SCI code ("00" = Markazi), null when unknown
        pa.field("county_code", pa.string()),
        pa.field("customs_office_code", pa.string()),
        pa.field("customs_office_name", pa.string()),
        pa.field("exporter_id", pa.string()),
        pa.field("tariff_code", pa.string(), nullable=False),
        pa.field("code_system", pa.string(), nullable=False),
        pa.field("hs2", pa.string()),  # null for codes that are not HS-based
        pa.field("hs4", pa.string()),
        pa.field("hs6", pa.string()),
        # ISO3, or an X.. code for a pseudo-destination; null when the source gives no destination (a
        # region's totals by product).
        pa.field("partner_code", pa.string()),
        pa.field("partner_is_country", pa.bool_(), nullable=False),  # false for a null partner
        pa.field("weight_kg", pa.float64()),  # null when the source gives no weight (never 0 for unknown)
        # Null only where the values are in another reporting currency and the batch gave no rate to USD.
        pa.field("value_usd", pa.float64()),
        pa.field("value_rial", pa.float64()),
        # The value in the region profile's reporting currency (saderat.reference.profile), null when that
        # currency is USD: the value is then ``value_usd`` (queries read ``coalesce(value, value_usd)``,
        # :func:`saderat.warehouse.queries.reporting_value`). Batches written before the column read null.
        pa.field("value", pa.float64()),
    ]
)
FACT_COLUMNS = tuple(FACT_SCHEMA.names)
#: FACT_SCHEMA as a batch is handed to the Parquet writer: text columns dictionary-encoded, as Parquet stores
#: them anyway. A validated file's text columns are categoricals already, so they reach the writer without
#: a Python string per cell, and the sort moves integer indices instead of strings (an import of 102.xlsx:
#: 0.145 s -> 0.106 s from frame to file). Readers see plain strings: the files carry no Arrow schema.
STORED_SCHEMA = pa.schema(
    [
        pa.field(f.name, pa.dictionary(pa.int32(), f.type), nullable=f.nullable)
        if pa.types.is_string(f.type)
        else f
        for f in FACT_SCHEMA
    ]
)
