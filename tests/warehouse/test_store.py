"""The warehouse writes a batch whole or not at all, and reads only what it is asked to."""

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from saderat.warehouse import FACT_SCHEMA, Warehouse, queries, store


def facts_table(batch_id: int, rows: list[tuple]) -> pa.Table:
    """rows: (year, region, partner, tariff_code, weight_kg, value_usd)."""
    n = len(rows)
    data = {name: [None] * n for name in FACT_SCHEMA.names}
    data.update(
        batch_id=[batch_id] * n,
        source_row=list(range(2, n + 2)),
        flow=["export"] * n,
        basis=["customs"] * n,
        year=[r[0] for r in rows],
        region_code=[r[1] for r in rows],
        partner_code=[r[2] for r in rows],
        partner_is_country=[True] * n,
        tariff_code=[r[3] for r in rows],
        code_system=["ir-tariff8"] * n,
        hs2=[r[3][:2] for r in rows],
        hs4=[r[3][:4] for r in rows],
        hs6=[r[3][:6] for r in rows],
        weight_kg=[float(r[4]) for r in rows],
        value_usd=[float(r[5]) for r in rows],
    )
    return pa.table(data, schema=FACT_SCHEMA)


def test_write_read_and_withdraw(tmp_path):
    wh = Warehouse(tmp_path)
    wh.write_batch(
        1,
        facts_table(1, [(1402, "00", "IRQ", "72085100", 1000, 500), (1402, "01", "ARE", "08109040", 10, 30)]),
    )
    wh.write_batch(2, facts_table(2, [(1402, "00", "TUR", "72085100", 5, 70)]))
    assert wh.committed_batches() == [1, 2]
    assert queries.totals(wh.facts(), year=1402)["value_usd"] == 600
    assert queries.totals(wh.facts([2]), year=1402)["value_usd"] == 70
    markazi = queries.totals(wh.facts(), year=1402, region="00")
    assert (markazi["value_usd"], markazi["destinations"], markazi["tariff_lines"]) == (570, 2, 1)
    assert wh.remove_batch(1) is True
    assert queries.totals(wh.facts(), year=1402)["value_usd"] == 70
    assert wh.remove_batch(1) is False


def test_a_batch_is_append_only(tmp_path):
    wh = Warehouse(tmp_path)
    wh.write_batch(7, facts_table(7, [(1402, "00", "IRQ", "72085100", 1, 1)]))
    with pytest.raises(FileExistsError):
        wh.write_batch(7, facts_table(7, [(1402, "00", "IRQ", "72085100", 1, 1)]))


def test_a_write_that_fails_half_way_leaves_nothing(tmp_path, monkeypatch):
    wh = Warehouse(tmp_path)

    def explode(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("saderat.warehouse.store.os.rename", explode)
    with pytest.raises(OSError):
        wh.write_batch(3, facts_table(3, [(1402, "00", "IRQ", "72085100", 1, 1)]))
    monkeypatch.undo()
    assert wh.committed_batches() == []
    assert list(wh.staging_dir.iterdir()) == []
    assert queries.totals(wh.facts(), year=1402)["rows"] == 0


def test_garbage_collection_removes_debris_and_sets_unknown_batches_aside(tmp_path):
    wh = Warehouse(tmp_path)
    (wh.staging_dir / "9-deadbeef").mkdir()  # a process killed while writing
    wh.write_batch(4, facts_table(4, [(1402, "00", "IRQ", "72085100", 1, 1)]))
    wh.write_batch(5, facts_table(5, [(1402, "00", "IRQ", "72085100", 1, 1)]))
    report = wh.collect_garbage(keep=[5])
    assert report.staging_removed == ["9-deadbeef"]
    assert [name for name, _ in report.orphans_trashed] == ["batch=4"]
    assert wh.committed_batches() == [5]
    # Set aside, not deleted: the orphan's file is still there, out of every read.
    ((_, where),) = report.orphans_trashed
    assert where.parent == wh.trash_dir and (where / "part-0.parquet").is_file()
    assert queries.totals(wh.facts(), year=1402)["rows"] == 1


def test_empty_warehouse_reads_as_empty_table(tmp_path):
    wh = Warehouse(tmp_path)
    totals = queries.totals(wh.facts(), year=1402)
    assert totals["rows"] == 0 and totals["value_usd"] == 0.0
    assert queries.years_present(wh.facts()) == []


def test_each_row_group_holds_only_its_own_values_and_an_exporters_lines_lie_together(tmp_path, monkeypatch):
    """A batch of several row groups: each group's dictionary pages hold the values of that group only (the
    whole batch's dictionary in every group made every reader decode it again), the data read back is the
    data written, and a declaration batch keeps each exporter's lines of a province-year together."""
    monkeypatch.setattr(store, "ROW_GROUP_SIZE", 100)
    n = 1000
    table = facts_table(
        1, [(1402 + i % 2, f"{i % 3:02d}", "IRQ", f"72{i % 7:06d}", 1, i + 1) for i in range(n)]
    )
    exporters = [None if i % 50 == 0 else f"1010{i % 97:07d}" for i in range(n)]
    table = table.set_column(table.schema.get_field_index("exporter_id"), "exporter_id", pa.array(exporters))
    wh = Warehouse(tmp_path)
    wh.write_batch(1, table)
    part = pq.ParquetFile(wh.batch_files(1)[0], read_dictionary=["exporter_id", "hs6"])
    assert part.metadata.num_row_groups == 10
    for i in range(part.num_row_groups):
        group = part.read_row_group(i, columns=["exporter_id", "hs6"])
        for name in ("exporter_id", "hs6"):
            column = group[name].combine_chunks()
            assert len(column.dictionary) == len(pc.unique(column.indices).drop_null())
    back = pq.read_table(wh.batch_files(1)).to_pandas()
    assert sorted(zip(back["source_row"], back["exporter_id"].fillna(""), strict=True)) == sorted(
        zip(range(2, n + 2), [e or "" for e in exporters], strict=True)
    )
    assert back["value_usd"].sum() == n * (n + 1) / 2
    # Within (flow, basis, year, region) the lines run by exporter: each exporter's lines are one run.
    for _, cell in back.groupby(["year", "region_code"], sort=False):
        runs = cell["exporter_id"].fillna("").ne(cell["exporter_id"].fillna("").shift()).sum()
        assert runs == cell["exporter_id"].fillna("").nunique()


def test_values_and_weights_are_stored_plain_and_uncompressed_and_read_back_exactly(tmp_path):
    """The float columns every trade query sums are neither dictionary-encoded nor compressed (decoding them
    through zstd was most of a scan's work); every other column keeps zstd. Extreme, subnormal and signed
    values come back bit for bit."""
    values = [0.1, -0.0, 1e308, 5e-324, 123456789.125, 2.5, 7.0, 0.3]
    table = facts_table(1, [(1402, "00", "IRQ", "72081000", v, v) for v in values])
    wh = Warehouse(tmp_path)
    wh.write_batch(1, table)
    meta = pq.ParquetFile(wh.batch_files(1)[0]).metadata
    names = [meta.schema.column(i).name for i in range(meta.num_columns)]
    floats = {f.name for f in FACT_SCHEMA if pa.types.is_floating(f.type)}
    assert {"value_usd", "weight_kg"} <= floats
    for i, name in enumerate(names):
        chunk = meta.row_group(0).column(i)
        if name in floats:
            assert chunk.compression == "UNCOMPRESSED", name
            assert "RLE_DICTIONARY" not in chunk.encodings and "PLAIN_DICTIONARY" not in chunk.encodings, name
        else:
            assert chunk.compression == "ZSTD", name
    back = pq.read_table(wh.batch_files(1)).sort_by("source_row")
    assert [repr(v) for v in back["value_usd"].to_pylist()] == [repr(v) for v in values]
    assert [repr(v) for v in back["weight_kg"].to_pylist()] == [repr(v) for v in values]


def test_a_batch_without_exporters_is_ordered_by_month_for_month_filters(tmp_path):
    rows = [(1402, "00", "IRQ", "72085100", 1, v) for v in range(1, 7)]
    table = facts_table(1, rows)
    table = table.set_column(
        table.schema.get_field_index("month"), "month", pa.array([5, 3, 1, 6, 2, 4], pa.int32())
    )
    wh = Warehouse(tmp_path)
    wh.write_batch(1, table)
    assert pq.read_table(wh.batch_files(1))["month"].to_pylist() == [1, 2, 3, 4, 5, 6]


def test_a_write_killed_between_row_groups_leaves_nothing(tmp_path, monkeypatch):
    """The batch is written a row group at a time: a process killed after some groups are on disk leaves
    no batch and no staging debris, and the same batch is written whole afterwards."""
    monkeypatch.setattr(store, "ROW_GROUP_SIZE", 100)
    table = facts_table(1, [(1402, "00", "IRQ", "72085100", 1, i + 1) for i in range(1000)])
    wh = Warehouse(tmp_path)
    write = pq.ParquetWriter.write_table
    calls = []

    def killed_at_the_third_group(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return write(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", killed_at_the_third_group)
    with pytest.raises(KeyboardInterrupt):
        wh.write_batch(1, table)
    monkeypatch.setattr(pq.ParquetWriter, "write_table", write)
    assert len(calls) == 3
    assert wh.committed_batches() == [] and list(wh.staging_dir.iterdir()) == []
    wh.write_batch(1, table)
    assert queries.totals(wh.facts(), year=1402)["value_usd"] == 1000 * 1001 / 2
