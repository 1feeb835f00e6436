"""Import pages: only the secretariat (and admin) reach them; uploads report row by row."""

import pytest
from django.urls import reverse

from saderat.web.imports.models import ImportBatch

GOOD = "year,tariff_code,destination,weight_kg,value_usd,customs_office\n1403,72085100,عراق,1000,550,15200\n"


def login(client, people, name):
    client.force_login(people[name])
    return client


@pytest.mark.parametrize("name", ["bob", "carol"])
def test_agency_members_and_viewers_cannot_reach_the_import_page(client, people, name):
    login(client, people, name)
    response = client.get(reverse("imports:list"))
    assert response.status_code == 403
    assert "فقط برای دبیرخانه" in response.content.decode()
    response = client.post(reverse("imports:upload"), {"file": ("x.csv", b"")})
    assert response.status_code == 403
    response = client.get("/api/imports/batches")
    assert response.status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("imports:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_secretariat_uploads_and_sees_the_report(client, people, no_active_data, tmp_path):
    login(client, people, "alice")
    assert client.get(reverse("imports:list")).status_code == 200
    path = tmp_path / "upload.csv"
    path.write_text(GOOD, encoding="utf-8")
    with open(path, "rb") as fh:
        response = client.post(reverse("imports:upload"), {"file": fh, "flow": "export"}, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    batch = ImportBatch.objects.exclude(status="withdrawn").get()
    assert batch.status == "active" and batch.created_by == people["alice"]
    assert "۱ ردیف وارد شد" in page
    with open(path, "rb") as fh:
        again = client.post(reverse("imports:upload"), {"file": fh}, follow=True)
    assert "پیش‌تر در دسته" in again.content.decode()
    assert ImportBatch.objects.exclude(status="withdrawn").count() == 1


def test_a_200_mb_upload_is_refused_before_it_is_read(client, people, no_active_data):
    login(client, people, "alice")
    payload = b"0" * (200 * 1024 * 1024)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("imports:upload"), {"file": SimpleUploadedFile("huge.csv", payload)})
    assert response.status_code == 413
    assert "از سقف مجاز ۱۰۰ مگابایت بزرگ‌تر است" in response.content.decode()
    assert ImportBatch.objects.exclude(status="withdrawn").count() == 0


def test_template_downloads(client, people):
    login(client, people, "alice")
    csv_response = client.get(reverse("imports:template", args=["csv"]))
    assert csv_response.content.decode("utf-8-sig").splitlines()[0].startswith("year,month,flow,basis,region")
    xlsx = client.get(reverse("imports:template", args=["xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def _upload(client, tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with open(path, "rb") as fh:
        return client.post(reverse("imports:upload"), {"file": fh, "flow": "export"}, follow=True)


def test_an_import_held_for_overlap_can_be_imported_explicitly_from_its_page(
    client, people, no_active_data, tmp_path
):
    login(client, people, "alice")
    _upload(client, tmp_path, "a.csv", GOOD)
    page = _upload(client, tmp_path, "b.csv", GOOD.replace("550", "551")).content.decode()
    held = ImportBatch.objects.get(source_name="b.csv")
    assert held.status == "held" and "دوبار می‌شمارد" in page
    assert 'data-decision="alongside"' in page and 'id="decide-alongside"' in page
    client.post(
        reverse("imports:decide", args=[held.pk]),
        {
            "decision": "alongside",
            "confirmed": "1",
            "allow_overlap": "1",
            "replaces": [ImportBatch.objects.get(source_name="a.csv").pk],  # as the confirmation posts it
        },
    )
    held.refresh_from_db()
    assert held.status == "active"


def test_a_failed_import_is_retried_from_its_page(client, people, no_active_data, tmp_path):
    login(client, people, "alice")
    bad = "year,tariff_code\n1403,72085100\n"
    page = _upload(client, tmp_path, "cols.csv", bad).content.decode()
    failed = ImportBatch.objects.get(source_name="cols.csv")
    assert failed.status == "failed" and 'id="retry"' in page
    client.post(reverse("imports:retry", args=[failed.pk]))
    failed.refresh_from_db()
    assert failed.status == "failed"  # the same file fails the same way, and says so again
    assert "value_usd" in failed.message


def test_a_queued_import_without_a_worker_says_so(client, people, no_active_data):
    import datetime as dt

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    login(client, people, "alice")
    batch = ImportBatch.objects.create(source_name="q.csv", checksum="q" * 64, status="queued")
    queued_at = timezone.now() - dt.timedelta(minutes=5)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=queued_at)
    # Its job waits in the database queue, as an upload leaves it (the test settings run jobs at once).
    DBTaskResult.objects.create(
        status="READY",
        enqueued_at=queued_at,
        run_after=queued_at,
        args_kwargs={"args": [batch.pk], "kwargs": {}},
        task_path="saderat.web.imports.jobs.run_import",
        backend_name="default",
        exception_class_path="",
        traceback="",
    )
    page = client.get(reverse("imports:detail", args=[batch.pk])).content.decode()
    assert 'id="no-worker"' in page and "saderat worker" in page
    batch.refresh_from_db()
    assert batch.status == "queued"  # its job waits: not an orphan, not queued twice


def test_the_warehouse_check_runs_from_the_imports_page(client, people, no_active_data, tmp_path):
    login(client, people, "alice")
    _upload(client, tmp_path, "a.csv", GOOD)
    batch = ImportBatch.objects.get(source_name="a.csv")
    page = client.post(reverse("imports:check"), follow=True).content.decode()
    assert "مشکلی پیدا نشد" in page
    from saderat.web.common.warehouse import get_warehouse

    part = next(get_warehouse().batch_dir(batch.pk).glob("*.parquet"))
    part.write_bytes(part.read_bytes()[:1000])  # truncated by hand
    page = client.post(reverse("imports:check"), follow=True).content.decode()
    batch.refresh_from_db()
    assert batch.status == "quarantined"
    assert 'id="integrity"' in page and "قرنطینه" in page


def test_an_upload_reads_its_bytes_for_the_checksum_once(
    client, people, no_active_data, tmp_path, monkeypatch
):
    """The view stores the file and calls one service; the checksum taken as the batch is created is the
    one the import uses (it used to be computed three times per upload)."""
    from saderat.ingest import pipeline
    from saderat.web.imports import services

    passes = []
    real = pipeline.file_checksum

    def counted(path):
        passes.append(path)
        return real(path)

    monkeypatch.setattr(pipeline, "file_checksum", counted)
    monkeypatch.setattr(services, "file_checksum", counted)
    login(client, people, "alice")
    path = tmp_path / "upload.csv"
    path.write_text(GOOD, encoding="utf-8")
    with open(path, "rb") as fh:
        client.post(reverse("imports:upload"), {"file": fh, "flow": "export"})
    batch = ImportBatch.objects.exclude(status="withdrawn").get()
    assert batch.status == "active"
    assert batch.checksum == real(path)
    assert len(passes) == 1
