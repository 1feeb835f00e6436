"""A warehouse that checks itself, with real files: a truncated, a deleted and a changed batch file leave every
other year answering with the right figures; the bad batch is quarantined with a Persian reason, the dashboard
says so, ``saderat check`` lists it, orphans go to _trash/ (and stay), and a restored file comes back."""

from __future__ import annotations

import json
import os
import shutil

import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from saderat import cli
from saderat.web.common import cache
from saderat.web.common.models import AuditEvent
from saderat.web.common.warehouse import get_warehouse
from saderat.web.imports import integrity, services
from saderat.web.imports.models import ActiveScope, ImportBatch
from saderat.web.stats.selectors import export_overview

YEARS = (1398, 1399, 1400, 1401)
WARNING = "دسته داده قرنطینه است؛ ارقام بدون آن‌ها است"


#: The province of customs office 15200 (Arak): the files below are that province's own, so the figures read
#: back are the province's (one province's data is no national figure).
PROVINCE = "00"


def year_file(tmp_path, year: int):
    """A canonical-template file of one year: 40 lines whose values add up to 1000 * year + 780."""
    lines = ["year,tariff_code,destination,weight_kg,value_usd,customs_office"]
    for i in range(40):
        lines.append(f"{year},72085100,عراق,{1000 + i},{year * 25 + i},15200")
    path = tmp_path / f"y{year}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def expected_value(year: int) -> float:
    return float(sum(year * 25 + i for i in range(40)))


@pytest.fixture
def batches(no_active_data):
    """Four real batches, one per year, through the real import."""
    out = {}
    for year in YEARS:
        result = services.batch_import_file(path=year_file(no_active_data, year), keep_source=False)
        assert result.ok, result.batch.message
        out[year] = result.batch.pk
    return out


def part(batch_id: int):
    return get_warehouse().batch_dir(batch_id) / "part-0.parquet"


def value_offset(path) -> int:
    """Inside the value column's data: a flipped byte there keeps the size and the footer."""
    md = pq.ParquetFile(path).metadata
    chunk = md.row_group(0).column(md.schema.names.index("value_usd"))
    start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
    return start + chunk.total_compressed_size - 4


def flip_byte(path, offset: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(offset)
        b = fh.read(1)
        fh.seek(offset)
        fh.write(bytes([b[0] ^ 0xFF]))


def check_json(capsys, *args) -> tuple[int, dict]:
    capsys.readouterr()
    code = cli.main(["check", "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def status(batch_id: int) -> str:
    return ImportBatch.objects.get(pk=batch_id).status


def test_imports_record_what_was_written(batches):
    for batch_id in batches.values():
        b = ImportBatch.objects.get(pk=batch_id)
        fp = get_warehouse().fingerprint(batch_id)
        assert (b.parquet_sha256, b.parquet_bytes, b.parquet_rows) == (fp.sha256, fp.bytes, 40)
    assert integrity.verified_active_batch_ids() == sorted(batches.values())
    assert integrity.warehouse_check().ok


def test_damaged_batches_are_quarantined_and_the_other_years_keep_serving(batches, client, people, capsys):
    truncated, deleted, changed, whole = (batches[y] for y in YEARS)
    original = part(truncated).read_bytes()
    version_before = cache.data_version()

    os.truncate(part(truncated), 1000)
    shutil.rmtree(get_warehouse().batch_dir(deleted))
    flip_byte(part(changed), value_offset(part(changed)))

    # The other years answer, with their own figures (before: every page failed reading the truncated file).
    assert export_overview(region=PROVINCE, year=1401)["value_usd"] == expected_value(1401)
    assert [s["batch"] for s in export_overview(region=PROVINCE, year=1401)["sources"]] == [whole]
    client.force_login(people["carol"])
    response = client.get(reverse("stats:performance"), {"region": "national", "year": "1401"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="quarantine-note"' in page and f"۲ {WARNING}" in page
    assert reverse("imports:list") in page
    assert client.get("/api/stats/overview", {"year": 1401, "region": "national"}).status_code == 200

    # Truncated and deleted: quarantined on the spot, with a Persian reason and an audit event.
    for batch_id, words in ((truncated, "اندازه فایل انبار"), (deleted, "پوشه این دسته در انبار داده نیست")):
        b = ImportBatch.objects.get(pk=batch_id)
        assert b.status == "quarantined" and b.quarantined_at is not None
        assert words in b.quarantine_reason
        assert AuditEvent.objects.filter(action="quarantine", object_id=str(batch_id)).count() == 1
    # A quarantined batch leaves every query and every cache key.
    assert export_overview(region=PROVINCE, year=1398)["value_usd"] is None
    assert integrity.verified_active_batch_ids() == sorted([changed, whole])
    assert cache.data_version() != version_before

    # Same size, footer intact: the cheap check cannot see it, `saderat check` (deep) does.
    assert status(changed) == "active"
    code, report = check_json(capsys)
    assert code == 1
    found = {f["batch"]: f for f in report["findings"]}
    assert found[changed]["kind"] == "corrupt" and found[changed]["action"] == "quarantined"
    assert found[changed]["reason"].startswith("checksum-differs")
    assert "چکیده SHA-256" in found[changed]["message"]
    assert found[truncated]["kind"] == "quarantined" and found[deleted]["kind"] == "quarantined"
    assert found[truncated]["file"] == f"facts/batch={truncated}"
    assert status(changed) == "quarantined"
    assert export_overview(region=PROVINCE, year=1400)["value_usd"] is None
    assert export_overview(region=PROVINCE, year=1401)["value_usd"] == expected_value(1401)

    # The imports page partial lists them with their reason.
    client.force_login(people["alice"])
    from django.template.loader import render_to_string

    html = render_to_string("imports/_integrity.html", request=client.get("/").wsgi_request)
    assert f"۳ {WARNING}" in html and "پوشه این دسته در انبار داده نیست" in html

    # Restoring the file brings the batch back (its scope is free).
    part(truncated).write_bytes(original)
    code, report = check_json(capsys)
    assert code == 1
    assert {f["batch"]: f["kind"] for f in report["findings"]}[truncated] == "reactivated"
    assert status(truncated) == "active"
    assert AuditEvent.objects.filter(action="reactivate", object_id=str(truncated)).exists()
    assert export_overview(region=PROVINCE, year=1398)["value_usd"] == expected_value(1398)


def test_an_orphan_folder_is_moved_to_trash_reported_and_kept(batches, capsys):
    warehouse = get_warehouse()
    withdrawn = batches[1399]
    data = part(withdrawn).read_bytes()
    services.batch_withdraw(batch=ImportBatch.objects.get(pk=withdrawn))
    # A folder left behind by hand (or a withdrawal whose deletion failed), and one of no batch at all.
    warehouse.batch_dir(withdrawn).mkdir(parents=True, exist_ok=True)
    part(withdrawn).write_bytes(data)
    stray = warehouse.facts_dir / "batch=987654"
    shutil.copytree(warehouse.batch_dir(withdrawn), stray)

    code, report = check_json(capsys, "--no-repair")
    assert code == 1 and {f["kind"] for f in report["findings"]} == {"orphan"}
    assert warehouse.batch_dir(withdrawn).is_dir() and stray.is_dir()  # --no-repair moves nothing

    code, report = check_json(capsys)
    assert code == 1
    orphans = {f["batch"]: f for f in report["findings"] if f["kind"] == "orphan"}
    assert set(orphans) == {withdrawn, 987654}
    assert "دسته‌ای با این شماره ثبت نشده است" in orphans[987654]["message"]
    for batch_id, f in orphans.items():
        assert f["action"] == "moved_to_trash" and f["file"].startswith(f"_trash/batch={batch_id}-")
        assert (warehouse.root / f["file"] / "part-0.parquet").read_bytes() == data  # still there
        assert not warehouse.batch_dir(batch_id).exists()
    assert cli.main(["check", "--json"]) == 0


def test_a_batch_being_written_is_not_an_orphan(batches, capsys):
    running = ImportBatch.objects.get(pk=batches[1400])
    ImportBatch.objects.filter(pk=running.pk).update(status=ImportBatch.Status.RUNNING)
    code, report = check_json(capsys)
    assert code == 0, report
    assert get_warehouse().batch_dir(running.pk).is_dir()


def test_reactivation_waits_while_another_batch_holds_the_years(batches, no_active_data, capsys):
    first = batches[1401]
    original = part(first).read_bytes()
    os.truncate(part(first), 1000)
    assert first not in integrity.verified_active_batch_ids()
    assert status(first) == "quarantined" and not ActiveScope.objects.filter(batch_id=first).exists()

    # The same year imported again (another file) while the first is quarantined: it claims the year.
    again = year_file(no_active_data, 1401)
    again.write_text(again.read_text(encoding="utf-8") + "1401,08109040,عراق,5,5,15200\n", encoding="utf-8")
    second = services.batch_import_file(path=again, keep_source=False)
    assert second.ok, second.batch.message

    part(first).write_bytes(original)
    code, report = check_json(capsys)
    assert code == 1
    (finding,) = [f for f in report["findings"] if f["batch"] == first]
    assert finding["kind"] == "reactivation_refused"
    assert status(first) == "quarantined"
    assert "دو بار شمرده می‌شد" in ImportBatch.objects.get(pk=first).quarantine_reason
    assert export_overview(region=PROVINCE, year=1401)["value_usd"] == expected_value(1401) + 5


def test_a_batch_recorded_before_fingerprints_is_trusted_on_first_use(batches):
    legacy, broken = batches[1398], batches[1399]
    ImportBatch.objects.filter(pk__in=[legacy, broken]).update(
        parquet_sha256="", parquet_bytes=None, parquet_rows=None
    )
    os.truncate(part(broken), 1000)
    ids = integrity.verified_active_batch_ids()
    assert legacy in ids and broken not in ids
    b = ImportBatch.objects.get(pk=legacy)
    fp = get_warehouse().fingerprint(legacy)
    assert (b.parquet_sha256, b.parquet_bytes, b.parquet_rows) == (fp.sha256, fp.bytes, 40)
    assert status(broken) == "quarantined"


def test_a_read_failure_the_cheap_check_misses_quarantines_and_retries(batches):
    """A damaged page header: size and footer intact, DuckDB fails reading it. The figure is computed again
    without the batch instead of failing the page."""
    bad = batches[1400]
    md = pq.ParquetFile(part(bad)).metadata
    flip_byte(part(bad), md.row_group(0).column(md.schema.names.index("value_usd")).data_page_offset)
    assert bad in integrity.verified_active_batch_ids()  # the cheap check sees nothing
    overview = export_overview(region=PROVINCE, year=1400)
    assert status(bad) == "quarantined"
    assert overview["value_usd"] is None
    assert export_overview(region=PROVINCE, year=1401)["value_usd"] == expected_value(1401)


def test_setup_no_longer_deletes_an_orphan_folder_silently(batches, capsys):
    warehouse = get_warehouse()
    stray = warehouse.facts_dir / "batch=424242"
    shutil.copytree(warehouse.batch_dir(batches[1398]), stray)
    capsys.readouterr()
    assert cli.main(["setup", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "facts/batch=424242" in out and "_trash/batch=424242-" in out and "(پاک نشد)" in out
    assert not stray.exists()
    (kept,) = [d for d in warehouse.trash_dir.iterdir() if d.name.startswith("batch=424242-")]
    assert (kept / "part-0.parquet").is_file()
    assert sorted(integrity.verified_active_batch_ids()) == sorted(batches.values())


def test_check_on_the_session_warehouse_is_clean(db, capsys):
    """The session's real batches (imported once, fingerprints recorded on import or first use)."""
    code = cli.main(["check"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "مشکلی پیدا نشد" in out
