"""Import pages: only the secretariat (and admin) reach them; uploads report row by row."""

import pytest
from django.urls import reverse

from saderat.web.imports.models import ImportBatch

GOOD = "year,tariff_code,destination,weight_kg,value_usd,customs_office\n1403,72085100,عراق,1000,550,15200\n"


@pytest.fixture
def sync_imports(settings):
    settings.SADERAT_IMPORT_IN_BACKGROUND = False


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


def test_secretariat_uploads_and_sees_the_report(client, people, no_active_data, sync_imports, tmp_path):
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
