"""Integer keys for the fact table's high-cardinality text columns, stored beside them in every batch.

Why: the exporter queries group ten million declaration lines by exporter x year x HS6 and by exporter x
year x partner. DuckDB hashes and compares an integer key about twice as fast as a text one (a distinct
exporter x year x HS6 over 10 M lines held in memory: 0.13 s on integer keys, 0.28 s on the texts; the
exporter dynamics of ``benchmarks/exporter_dynamics.py``'s 10 M lines: 0.73 s from a file with the keys,
0.87 s from the same lines without them, interleaved on one machine).

The key of a text is a function of the text alone, with no registry: two batches written by two processes
give the same text the same key, and a withdrawn batch takes nothing with it. It is injective, so grouping
by the key groups exactly as grouping by the text does:

- a text of 1 to 17 ASCII digits (national IDs and codes, HS codes): the integer whose decimal digits are
  ``1`` followed by the text (``"0012"`` -> 10012): positive, below 2·10^17; the leading 1 keeps the
  zeros (``"012"`` and ``"12"`` differ);
- any other text of at most 7 bytes in UTF-8 (ISO3 partner codes, short test IDs): minus the big-endian
  integer of the byte 0x01 followed by its bytes: negative, so never a digit key; the 0x01 marks where the
  text starts, so texts of different lengths differ (``""`` -> −1);
- a longer text has no key. A batch with one such text in a column is written without that column's key,
  and :meth:`saderat.warehouse.Warehouse.facts` offers a key only when every batch it reads has it: the
  queries then group by the texts.

A null text has a null key.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["KEY_COLUMNS", "key_of", "text_keys"]

#: Text column -> the column of its integer keys.
KEY_COLUMNS = {"exporter_id": "exporter_key", "hs6": "hs6_key", "partner_code": "partner_key"}
_DIGITS = r"^[0-9]{1,17}$"
_MAX_OTHER_BYTES = 7


def key_of(text: str) -> int | None:
    """The key of one text (see the module docstring); ``None`` when it has none."""
    if text.isascii() and text.isdigit() and 1 <= len(text) <= 17:
        return int("1" + text)
    data = text.encode("utf-8")
    if len(data) > _MAX_OTHER_BYTES:
        return None
    return -int.from_bytes(b"\x01" + data, "big")


def text_keys(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | None:
    """The keys of a text column (plain or dictionary-encoded), null where the text is null, as int64
    dictionary-encoded on the column's distinct texts; ``None`` when some text has no key. Work per distinct
    text, not per row: the digit texts are converted by Arrow, the few others (partner codes) in Python."""
    column = column if isinstance(column, pa.ChunkedArray) else pa.chunked_array([column])
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    if any(chunk.dictionary.null_count for chunk in column.chunks):  # Arrow cannot unify those
        column = pc.dictionary_encode(column.cast(column.type.value_type))
    column = column.unify_dictionaries()
    if column.num_chunks == 0:
        return pa.chunked_array([], type=pa.dictionary(pa.int32(), pa.int64()))
    dictionary = column.chunk(0).dictionary.cast(pa.string())
    digits = pc.fill_null(pc.match_substring_regex(dictionary, _DIGITS), False)
    digit_texts = pc.if_else(digits, dictionary, "")  # the others are keyed below
    keys = pc.cast(pc.binary_join_element_wise("1", digit_texts, ""), pa.int64())
    others = pc.indices_nonzero(pc.invert(digits)).to_pylist()
    if others:
        values = keys.to_pylist()
        texts = dictionary.to_pylist()
        for i in others:
            if texts[i] is None:  # a null in the dictionary: a null text
                values[i] = None
                continue
            values[i] = key_of(texts[i])
            if values[i] is None:
                return None
        keys = pa.array(values, type=pa.int64())
    # Dictionary-encoded like the texts: the Parquet writer takes the dictionary as it is instead of hashing
    # every row's key again (writing the batch of 102.xlsx: 42 ms instead of 47, 39 without keys).
    kind = pa.dictionary(column.type.index_type, pa.int64())
    return pa.chunked_array(
        [pa.DictionaryArray.from_arrays(chunk.indices, keys) for chunk in column.chunks], type=kind
    )
