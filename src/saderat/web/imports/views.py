"""Import pages for the secretariat: upload, progress, report, rejected rows, withdraw. Thin over services."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.db import close_old_connections, connection
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from saderat.ingest import messages as ingest_messages
from saderat.ingest.readers import CANONICAL_COLUMNS
from saderat.web.accounts.roles import secretariat_required
from saderat.web.common.exports import table_response
from saderat.web.imports import selectors, services
from saderat.web.imports.models import ImportBatch
from saderat.web.imports.template import EXAMPLE_ROWS, template_columns

NO_FILE = "فایلی انتخاب نشده است."
ACCEPTED_SUFFIXES = (".xlsx", ".xls", ".csv", ".csv.gz")


@secretariat_required
def batch_list(request):
    return render(
        request,
        "imports/list.html",
        {"batches": selectors.batch_list(), "max_mb": settings.SADERAT_MAX_UPLOAD_BYTES // 2**20},
    )


def _run_in_background(batch_id: int, path: Path, name: str, flow: str) -> None:
    """Run the import in a thread so the page can show its progress; synchronously where configured
    (tests), in which case the request's own database connection must stay open."""
    background = getattr(settings, "SADERAT_IMPORT_IN_BACKGROUND", True)

    def work():
        if background:
            close_old_connections()
        try:
            batch = ImportBatch.objects.get(pk=batch_id)
            services.batch_import_file(
                path=path, display_name=name, user=batch.created_by, flow=flow, batch=batch
            )
        finally:
            path.unlink(missing_ok=True)
            if background:
                connection.close()  # this thread's own connection; never left open for the server to trip on

    if background:
        threading.Thread(target=work, name=f"import-{batch_id}", daemon=True).start()
    else:
        work()


@secretariat_required
@require_POST
def upload(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, NO_FILE)
        return redirect("imports:list")
    name = Path(upload.name).name  # never trust a path in the file name
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        messages.error(request, ingest_messages.FILE_UNSUPPORTED_TYPE.format(file=name))
        return redirect("imports:list")
    flow = request.POST.get("flow", "export")
    if flow not in {"export", "import"}:
        flow = "export"
    with tempfile.NamedTemporaryFile(delete=False, suffix="-" + name, dir=settings.SADERAT_HOME) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        path = Path(tmp.name)
    checksum = services.file_checksum(path)
    existing = selectors.active_batch_with_checksum(checksum)
    if existing is not None:
        path.unlink(missing_ok=True)
        messages.warning(request, services.DUPLICATE_FILE.format(batch=existing.pk))
        return redirect("imports:detail", pk=existing.pk)
    batch = ImportBatch.objects.create(
        source_name=name,
        checksum=checksum,
        size_bytes=path.stat().st_size,
        flow=flow,
        created_by=request.user,
    )
    _run_in_background(batch.pk, path, name, flow)
    return redirect("imports:detail", pk=batch.pk)


@secretariat_required
def batch_detail(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    has_rejected = services.rejected_file(batch).exists()
    return render(request, "imports/detail.html", {"batch": batch, "has_rejected": has_rejected})


@secretariat_required
def batch_progress(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    response = render(request, "imports/_progress.html", {"batch": batch})
    if batch.is_finished:
        response["HX-Refresh"] = "true"  # show the full report once done
    return response


@secretariat_required
def rejected_download(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    path = services.rejected_file(batch)
    if not path.exists():
        raise Http404("این دسته ردیف رد شده ندارد.")
    return FileResponse(open(path, "rb"), as_attachment=True, filename=f"rejected-batch-{batch.pk}.csv")


@secretariat_required
@require_POST
def withdraw(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        services.batch_withdraw(batch=batch, user=request.user)
        messages.success(request, f"دسته {batch.pk} پس گرفته شد و داده‌های آن از آمار حذف شد.")
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("imports:detail", pk=pk)


@secretariat_required
@require_POST
def accept_held(request, pk: int):
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        services.batch_accept_held(
            batch=batch, user=request.user, allow_overlap=request.POST.get("allow_overlap") == "1"
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("imports:detail", pk=pk)


@secretariat_required
def template_download(request, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404("قالب ناشناخته")
    columns = [(c, c) for c in CANONICAL_COLUMNS] if fmt == "csv" else template_columns()
    return table_response(EXAMPLE_ROWS, columns, filename="saderat-import-template", fmt=fmt)
