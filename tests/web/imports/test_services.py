"""Import batches: accepted + rejected = read, duplicates change nothing, withdrawals and failures leave
the warehouse as it was."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from saderat.warehouse import queries
from saderat.web.common.warehouse import active_facts, get_warehouse
from saderat.web.imports import services
from saderat.web.imports.models import ActiveScope, ImportBatch
from saderat.web.stats import selectors

GOOD = "year,tariff_code,destination,weight_kg,value_usd,customs_office\n1403,72085100,عراق,1000,550,15200\n1403,08109040,امارات متحده عربي,50,90,15202\n"
ONE_BAD = GOOD + "1403,72085100,ناکجاآباد,1,1,15200\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def warehouse_total(year=1403):
    return queries.totals(active_facts(), year=year)["value_usd"]


def test_import_then_same_file_again_changes_nothing(no_active_data, people):
    path = write(no_active_data, "good.csv", GOOD)
    first = services.batch_import_file(path=path, user=people["alice"])
    assert first.ok and first.batch.rows_read == 2 and first.batch.rows_accepted == 2
    assert first.batch.created_by == people["alice"]
    assert warehouse_total() == 640
    again = services.batch_import_file(path=path, user=people["alice"])
    assert again.duplicate and again.batch.pk == first.batch.pk
    assert "پیش‌تر در دسته" in again.batch.message
    assert ImportBatch.objects.exclude(status="withdrawn").count() == 1
    assert warehouse_total() == 640


def test_a_file_with_rejected_rows_is_held_until_accepted(no_active_data, people):
    result = services.batch_import_file(
        path=write(no_active_data, "one-bad.csv", ONE_BAD), user=people["alice"]
    )
    batch = result.batch
    assert batch.status == "held"
    assert (batch.rows_read, batch.rows_accepted, batch.rows_rejected) == (3, 2, 1)
    assert warehouse_total() == 0
    report = services.rejected_file(batch).read_text(encoding="utf-8-sig")
    lines = report.splitlines()
    assert len(lines) == 2 and lines[1].startswith(
        "4,کشور مقصد (destination),کشور مقصد «ناکجاآباد» شناخته نشد"
    )
    accepted = services.batch_accept_held(batch=batch, user=people["alice"])
    assert accepted.ok
    assert warehouse_total() == 640


def test_withdraw_removes_the_facts_and_keeps_the_record(
    no_active_data, people, django_capture_on_commit_callbacks
):
    batch = services.batch_import_file(path=write(no_active_data, "good.csv", GOOD)).batch
    with django_capture_on_commit_callbacks(execute=True):
        services.batch_withdraw(batch=batch, user=people["alice"])
    batch.refresh_from_db()
    assert batch.status == "withdrawn" and batch.withdrawn_by == people["alice"]
    assert warehouse_total() == 0
    assert not get_warehouse().has_batch(batch.pk)
    # Withdrawn, the same file may come in again.
    assert services.batch_import_file(path=write(no_active_data, "good.csv", GOOD)).ok


def test_overlapping_years_are_held_not_double_counted(no_active_data):
    services.batch_import_file(path=write(no_active_data, "a.csv", GOOD))
    other = GOOD.replace("550", "551")
    held = services.batch_import_file(path=write(no_active_data, "b.csv", other))
    assert held.batch.status == "held" and "دوبار می‌شمارد" in held.batch.message
    assert warehouse_total() == 640


def test_bad_files_fail_with_their_message_and_write_nothing(no_active_data):
    result = services.batch_import_file(path=write(no_active_data, "cols.csv", "year,tariff_code\n1403,1\n"))
    assert result.batch.status == "failed"
    assert "cols.csv" in result.batch.message and "value_usd" in result.batch.message
    assert get_warehouse().committed_batches() == []


def test_a_crash_while_writing_leaves_nothing_and_is_recovered(no_active_data, monkeypatch):
    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # the process is killed half-way through the write

    monkeypatch.setattr("saderat.warehouse.store.pq.ParquetWriter.write_table", crash)
    with pytest.raises(KeyboardInterrupt):
        services.batch_import_file(path=write(no_active_data, "good.csv", GOOD))
    monkeypatch.undo()
    assert get_warehouse().committed_batches() == []
    assert ImportBatch.objects.filter(status="running").count() == 1
    # Set-up right now must not touch it (it might be alive); once its heartbeat is stale it is failed.
    services.imports_recover()
    assert ImportBatch.objects.filter(status="running").count() == 1
    later = timezone.now() + dt.timedelta(seconds=settings.SADERAT_IMPORT_STALE_SECONDS + 1)
    assert len(services.imports_reap_stale(now=later)) == 1
    failed = ImportBatch.objects.get(status="failed")
    assert services.STALE.split("{")[0] in failed.message
    assert warehouse_total() == 0


def test_a_live_import_is_never_failed_by_setup(no_active_data):
    live = ImportBatch.objects.create(
        source_name="live.csv", checksum="x" * 64, status="running", heartbeat_at=timezone.now()
    )
    services.imports_recover()
    assert services.imports_reap_stale() == []
    live.refresh_from_db()
    assert live.status == "running"


def test_an_import_given_up_on_never_becomes_active_afterwards(no_active_data):
    """The reaper (or set-up) failed the batch while its process was still working: the process's result
    is discarded, nothing reaches the statistics."""
    path = write(no_active_data, "good.csv", GOOD)
    batch = ImportBatch.objects.create(
        source_name="good.csv",
        checksum=services.file_checksum(path),
        status="running",
        heartbeat_at=timezone.now() - dt.timedelta(hours=1),
    )
    services.imports_reap_stale()
    result = services.batch_import_file(path=path, batch=batch)
    assert result.batch.status == "failed" and not result.ok
    assert warehouse_total() == 0
    assert not get_warehouse().has_batch(batch.pk)


def test_withdrawing_releases_the_year_for_the_next_import(no_active_data):
    first = services.batch_import_file(path=write(no_active_data, "a.csv", GOOD)).batch
    assert list(ActiveScope.objects.filter(batch=first).values_list("year", flat=True)) == [1403]
    services.batch_withdraw(batch=first)
    assert not ActiveScope.objects.filter(batch=first).exists()
    assert services.batch_import_file(path=write(no_active_data, "b.csv", GOOD.replace("550", "551"))).ok


def test_an_explicit_overlap_is_imported_without_claiming_the_year(no_active_data):
    services.batch_import_file(path=write(no_active_data, "a.csv", GOOD))
    both = services.batch_import_file(
        path=write(no_active_data, "b.csv", GOOD.replace("550", "551")), allow_overlap=True
    )
    assert both.ok and not ActiveScope.objects.filter(batch=both.batch).exists()
    assert warehouse_total() == 640 + 641


def test_a_database_error_is_reported_as_such_never_as_a_duplicate(no_active_data, monkeypatch):
    from django.db import DataError

    def refuse(*args, **kwargs):
        raise DataError("numeric field overflow")

    monkeypatch.setattr(services.audit, "record", refuse)
    result = services.batch_import_file(path=write(no_active_data, "good.csv", GOOD))
    assert result.batch.status == "failed"
    assert "numeric field overflow" in result.batch.message and "پایگاه داده" in result.batch.message
    assert "پیش‌تر" not in result.batch.message
    assert warehouse_total() == 0 and get_warehouse().committed_batches() == []


def test_a_refused_file_is_not_kept(no_active_data, settings):
    settings.SADERAT_MAX_UPLOAD_BYTES = 100
    result = services.batch_import_file(path=write(no_active_data, "big.csv", GOOD * 3))
    assert result.batch.status == "failed"
    assert services.stored_source(result.batch) is None


def test_files_of_failed_and_withdrawn_batches_are_purged_after_the_retention_period(
    no_active_data, settings
):
    failed = services.batch_import_file(
        path=write(no_active_data, "bad.csv", "year,tariff_code\n1403,1\n")
    ).batch
    kept = services.batch_import_file(path=write(no_active_data, "good.csv", GOOD)).batch
    assert services.stored_source(failed) is not None
    assert services.imports_purge_files() == []  # within the retention period nothing goes
    later = timezone.now() + dt.timedelta(days=settings.SADERAT_RETENTION_DAYS + 1)
    assert services.imports_purge_files(now=later) == [failed.pk]
    assert services.stored_source(failed) is None and services.stored_source(kept) is not None
    failed.refresh_from_db()
    assert failed.files_purged_at is not None and failed.status == "failed"


def test_oversize_file_is_refused(no_active_data, settings):
    settings.SADERAT_MAX_UPLOAD_BYTES = 100
    result = services.batch_import_file(path=write(no_active_data, "good.csv", GOOD * 3))
    assert result.batch.status == "failed" and "سقف مجاز" in result.batch.message


@pytest.mark.django_db
def test_session_data_is_visible_to_statistics():
    # The session fixture imported the real 1402 file; with it active, the national total is known.
    assert round(selectors.export_overview(region=None, year=1402)["value_usd"] / 1e9, 2) == 50.08


def test_an_alias_added_in_admin_is_matched_by_the_next_import(no_active_data):
    from saderat.web.reference.models import CountryAlias

    path = write(no_active_data, "alias.csv", GOOD.replace("عراق", "جمهوری عراق باستان"))
    assert services.batch_import_file(path=path).batch.status == "held"
    CountryAlias.objects.create(alias_fa="جمهوری عراق باستان", country_id="IRQ")
    result = services.batch_import_file(
        path=write(no_active_data, "alias2.csv", GOOD.replace("عراق", "جمهوری عراق باستان"))
    )
    assert result.ok, result.batch.message


def test_a_batch_left_queued_by_a_stopped_command_gets_its_job(no_active_data, people):
    """`saderat import` and `saderat imports decide` queue a batch and run it themselves: a command killed in
    between leaves a queued batch that no job will run. Within the reaper's grace nothing happens (the
    command may be about to claim it); after it, the batch gets its job and is imported, once."""
    path = write(no_active_data, "good.csv", GOOD)
    queued = services.batch_create_queued(
        path=path, display_name="good.csv", user=people["alice"], move=False, enqueue=False
    ).batch  # what the command does before it runs the batch, and where it was killed
    assert queued.status == "queued"
    services.imports_reap_stale()
    queued.refresh_from_db()
    assert queued.status == "queued"  # within the grace: the command may still claim it
    later = timezone.now() + dt.timedelta(seconds=settings.SADERAT_IMPORT_STALE_SECONDS + 1)
    assert services.imports_reap_stale(now=later) == []  # nothing was failed...
    queued.refresh_from_db()
    assert queued.status == "active"  # ...and the orphan's job ran (the test settings run jobs at once)
    assert warehouse_total() == 640
    services.imports_reap_stale(now=later)  # a second pass finds no orphan and imports nothing twice
    assert warehouse_total() == 640 and ImportBatch.objects.filter(status="active").count() == 1
