"""The integer keys of the fact table's text columns (saderat.warehouse.keys): injective, the same from any
writer, stored with every batch whose texts all have one, and offered by ``Warehouse.facts`` only when every
batch read holds them, so that the exporter figures are the same whether they group by keys or by texts.

Plain pytest: no Django, no database; DuckDB on Parquet files in a temporary folder.
"""

from __future__ import annotations

import ibis
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import given
from hypothesis import strategies as st
from tests.warehouse.test_dynamics import SECTIONS, assert_frames_match, random_panel

from saderat.warehouse import Warehouse
from saderat.warehouse import dynamics as dyn
from saderat.warehouse.keys import KEY_COLUMNS, key_of, text_keys


def test_keys_by_hand():
    assert key_of("0012") == 10012  # the leading 1 keeps the zeros
    assert key_of("12") == 112
    assert key_of("99000012345") == 199000012345
    assert key_of("9" * 17) == int("1" + "9" * 17)
    assert key_of("") == -1
    assert key_of("A") == -(0x01 << 8 | ord("A"))
    assert key_of("IRQ") == -int.from_bytes(b"\x01IRQ", "big")
    assert key_of("ایر") == -int.from_bytes(b"\x01" + "ایر".encode(), "big")  # 6 bytes
    # Without a key: 18 digits, more than 7 bytes of other text, Persian digits (not ASCII).
    assert key_of("1" * 18) is None
    assert key_of("ABCDEFGH") is None
    assert key_of("ایران") is None
    assert key_of("۱۲۳۴۵۶۷۸") is None


texts = st.one_of(
    st.text(alphabet="0123456789", min_size=1, max_size=18),
    st.text(max_size=8),
    st.sampled_from(["0", "00", "000", "IRQ", "", "A", "1", "01"]),
)


@given(st.lists(texts, min_size=1, max_size=60))
def test_two_texts_share_a_key_only_when_they_are_equal(values):
    keyed = {v: key_of(v) for v in values}
    with_key = [v for v, k in keyed.items() if k is not None]
    assert len({keyed[v] for v in with_key}) == len(with_key)
    assert all(-(2**63) <= keyed[v] < 2**63 for v in with_key)
    # The column function gives the same keys, or None when one text has none; nulls stay null.
    # Two chunks with different dictionaries (as a batch's chunks may have), and a plain text column.
    chunks = [pa.array([*values, None]).dictionary_encode(), pa.array(values[::-1]).dictionary_encode()]
    expected = [*(keyed[v] for v in values), None, *(keyed[v] for v in values[::-1])]
    for column in (pa.chunked_array(chunks), pa.array([*values, None, *values[::-1]])):
        keys = text_keys(column)
        if len(with_key) < len(keyed):
            assert keys is None
        else:
            assert keys.to_pylist() == expected


def test_a_batch_holds_a_key_only_when_every_text_of_its_column_has_one(tmp_path):
    data = random_panel(5)
    warehouse = Warehouse(tmp_path)
    warehouse.write_batch(1, data)
    ids = data["exporter_id"].to_pylist()
    ids[0] = "X" * 30  # an exporter ID of 30 letters has no key
    warehouse.write_batch(
        2, data.set_column(data.schema.get_field_index("exporter_id"), "exporter_id", [ids])
    )
    names = [set(pq.read_schema(warehouse.batch_files(b)[0]).names) for b in (1, 2)]
    assert set(KEY_COLUMNS.values()) <= names[0]
    assert "exporter_key" not in names[1] and {"hs6_key", "partner_key"} <= names[1]
    keys = pq.read_table(warehouse.batch_files(1), columns=["exporter_id", "exporter_key"]).to_pylist()
    assert all(
        r["exporter_key"] == (None if r["exporter_id"] is None else key_of(r["exporter_id"])) for r in keys
    )


def test_the_figures_are_the_same_whether_the_fact_table_offers_keys_or_not(tmp_path):
    """Keyed batches: the query groups by the keys. A batch without one key among them: the fact table offers
    none of that key (null there, it would make one exporter of that batch's IDs) and the query groups by
    the texts. Both answer as the in-memory table does, for every breakdown."""
    data = random_panel(6)
    keyed, mixed = Warehouse(tmp_path / "keyed"), Warehouse(tmp_path / "mixed")
    keyed.write_batch(1, data)
    half = data.num_rows // 2
    mixed.write_batch(1, data.slice(0, half))
    rest = data.slice(half)
    ids = rest["exporter_id"].to_pylist()
    long_id = "E" + "0" * 20  # no key; one exporter of its own
    ids[0] = long_id
    rest = rest.set_column(rest.schema.get_field_index("exporter_id"), "exporter_id", [ids])
    mixed.write_batch(2, rest)
    memory = ibis.memtable(pa.concat_tables([data.slice(0, half), rest]))

    on_keys = keyed.facts(con=keyed.connect())
    on_texts = mixed.facts(con=mixed.connect())
    assert set(KEY_COLUMNS.values()) <= set(on_keys.columns)
    assert "exporter_key" not in on_texts.columns and "hs6_key" in on_texts.columns
    assert dyn._keyed(on_keys) and not dyn._keyed(on_texts)
    assert "exporter_key" in ibis.to_sql(dyn.exporter_dynamics_expr(on_keys, region="00"))
    assert "exporter_key" not in ibis.to_sql(dyn.exporter_dynamics_expr(on_texts, region="00"))
    for by in (None, "county", "section", "market"):
        args = {"region": "00", "by": by, "sections": SECTIONS}
        assert_frames_match(
            dyn.exporter_dynamics(on_keys, **args), dyn.exporter_dynamics(ibis.memtable(data), **args)
        )
        assert_frames_match(dyn.exporter_dynamics(on_texts, **args), dyn.exporter_dynamics(memory, **args))
    assert dyn.declaration_years(on_keys, region="00") == dyn.declaration_years(
        ibis.memtable(data), region="00"
    )


def test_a_null_in_a_dictionary_is_a_null_key_and_any_index_width_works():
    """Not what write_batch hands over (Parquet refuses nulls in a dictionary), but what an Arrow caller
    may."""
    with_null = pa.DictionaryArray.from_arrays(
        pa.array([0, 1, 2, 1], pa.int32()), pa.array(["12", None, "A"])
    )
    assert text_keys(with_null).to_pylist() == [112, None, key_of("A"), None]
    assert (
        text_keys(pa.chunked_array([with_null, with_null])).to_pylist() == [112, None, key_of("A"), None] * 2
    )
    small = pa.DictionaryArray.from_arrays(pa.array([1, 0, 1], pa.int8()), pa.array(["A", "0012"]))
    assert text_keys(small).to_pylist() == [10012, key_of("A"), 10012]


def test_batches_written_before_the_keys_are_read_plainly_beside_newer_ones(tmp_path):
    """An old batch without keys beside a keyed one: the fact table reads both, offers no key, and DuckDB
    reads the files as one list, the old file first (no schema merge at every bind). A file that also lacks a
    fact column (``day``) needs the merge, or the days of the other batches would be lost."""
    data = random_panel(8)
    days = pa.array([(i % 28) + 1 for i in range(data.num_rows)], pa.int32())
    data = data.set_column(data.schema.get_field_index("day"), "day", days)
    warehouse = Warehouse(tmp_path)
    warehouse.write_batch(1, data.slice(0, 700))
    old = warehouse.batch_dir(2)
    old.mkdir(parents=True)
    pq.write_table(data.slice(700, 500), old / "part-0.parquet")  # FACT_SCHEMA, no keys

    def read() -> tuple[ibis.Table, str]:
        con = warehouse.connect()
        facts = warehouse.facts(con=con)
        ((view,),) = con.con.sql("SELECT sql FROM duckdb_views() WHERE view_name = 'facts'").fetchall()
        return facts, view

    facts, view = read()
    assert "union_by_name" not in view.lower() and view.index("batch=2") < view.index("batch=1"), view
    assert not dyn._keyed(facts)
    assert facts.count().execute() == 1200 and facts.day.notnull().sum().execute() == 1200
    for by in (None, "market"):
        args = {"region": "00", "by": by, "sections": SECTIONS}
        ours = dyn.exporter_dynamics(facts, **args)
        assert_frames_match(ours, dyn.exporter_dynamics(ibis.memtable(data.slice(0, 1200)), **args))

    older = warehouse.batch_dir(3)
    older.mkdir(parents=True)
    pq.write_table(data.slice(1200).drop_columns(["day"]), older / "part-0.parquet")  # before ``day``
    facts, view = read()
    assert "union_by_name = true" in view.lower()
    assert facts.count().execute() == data.num_rows
    assert facts.day.notnull().sum().execute() == 1200  # the days of batches 1 and 2 are kept
    assert_frames_match(
        dyn.exporter_dynamics(facts, region="00"), dyn.exporter_dynamics(ibis.memtable(data), region="00")
    )
