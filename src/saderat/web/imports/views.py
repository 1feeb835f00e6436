"""Import pages for the secretariat: upload, progress, report, rejected rows, withdraw. Thin over services."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from saderat.ingest import messages as ingest_messages
from saderat.ingest.readers import CANONICAL_COLUMNS, ImportFileError
from saderat.web.accounts.roles import secretariat_required
from saderat.web.common.exports import table_response
from saderat.web.imports import selectors, services
from saderat.web.imports.models import ImportBatch
from saderat.web.imports.template import EXAMPLE_ROWS, template_columns
from saderat.web.reference.templatetags.labels import ingest_text

NO_FILE = "فایلی انتخاب نشده است."
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".csv", ".csv.gz", ".zip")


@secretariat_required
def batch_list(request):
    services.imports_reap_stale()
    return render(
        request,
        "imports/list.html",
        {"rows": selectors.batch_list_rows(), "max_mb": settings.SADERAT_MAX_UPLOAD_BYTES // 2**20},
    )


@secretariat_required
@require_POST
def upload(request):
    """Store the upload and queue its import; the worker runs it and the detail page follows it."""
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
    # upload-* names let the retention purge find an upload whose request died before it became a batch.
    with tempfile.NamedTemporaryFile(delete=False, prefix="upload-", dir=settings.SADERAT_HOME) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        path = Path(tmp.name)
    try:
        result = services.batch_create_queued(
            path=path,
            display_name=name,
            user=request.user,
            flow=flow,
            usd_rate=request.POST.get("usd_rate"),
            rate_source=request.POST.get("rate_source"),
        )
    except ImportFileError as exc:  # a bad rate to USD: nothing is recorded, the upload is not kept
        path.unlink(missing_ok=True)
        messages.error(request, ingest_text(str(exc)))
        return redirect("imports:list")
    if result.duplicate:
        messages.warning(request, result.batch.message)
    return redirect("imports:detail", pk=result.batch.pk)


def _detail_context(batch: ImportBatch) -> dict:
    hold = selectors.hold_of(batch)
    return {
        "batch": batch,
        "hold": hold,
        "status_text": selectors.status_text(batch, hold),
        "flow_label": selectors.flow_label(batch.flow),
        "period": selectors.period_text(batch.scope),
        "decision": selectors.batch_decision(batch),
        "replaced_by": selectors.replaced_by(batch),
        "region_names": _region_names(),
        "has_rejected": services.rejected_file(batch).exists(),
        "has_source": services.stored_source(batch) is not None,
        "waiting_for_worker": selectors.waiting_for_worker(batch),
    }


def _region_names() -> dict:
    from saderat.web.reference.selectors import province_names

    return province_names()


@secretariat_required
def batch_detail(request, pk: int):
    services.imports_reap_stale()  # a batch whose process died says so here, within a minute
    batch = get_object_or_404(ImportBatch, pk=pk)
    return render(request, "imports/detail.html", _detail_context(batch))


@secretariat_required
def batch_progress(request, pk: int):
    services.imports_reap_stale()
    batch = get_object_or_404(ImportBatch, pk=pk)
    response = render(request, "imports/_progress.html", _detail_context(batch))
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


def _batch_action(request, pk: int, action, success: str = "", **kwargs):
    """Run one service on a batch; a refusal (ValueError) is shown as the page's error message."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        action(batch=batch, user=request.user, **kwargs)
        if success:
            messages.success(request, success.format(batch=batch.pk))
    except ValueError as exc:
        messages.error(request, str(exc))
    return redirect("imports:detail", pk=pk)


@secretariat_required
@require_POST
def withdraw(request, pk: int):
    return _batch_action(
        request, pk, services.batch_withdraw, "دسته {batch} پس گرفته شد و داده‌های آن از آمار حذف شد."
    )


#: Decisions that take something away (a batch's figures, or the import itself): shown again, to confirm.
CONFIRMED_DECISIONS = ("replace", "alongside", "discard")
DECIDED = {
    "replace": gettext_noop(
        "تصمیم ثبت شد: دسته {batch} جایگزین دسته {others} می‌شود (آن دسته هم‌زمان با فعال شدن این دسته پس "
        "گرفته می‌شود)."
    ),
    "alongside": gettext_noop("تصمیم ثبت شد: دسته {batch} در کنار دسته {others} وارد می‌شود."),
    "accepted_rows": gettext_noop("تصمیم ثبت شد: فقط ردیف‌های پذیرفته دسته {batch} وارد می‌شود."),
    "import": gettext_noop("تصمیم ثبت شد: دسته {batch} وارد می‌شود."),
    "discard": gettext_noop("دسته {batch} کنار گذاشته شد؛ هیچ داده‌ای از آن وارد نشد."),
}
CONFIRM_OVERLAP = gettext_noop(
    "برای ورود در کنار دسته دیگر، دوبار شمرده شدن سال‌های مشترک را صریحاً تأیید کنید."
)


@secretariat_required
@require_POST
def decide(request, pk: int):
    """A decision on a held batch (replace / alongside / accepted_rows / import / discard): the ones that take
    something away are shown once more on a confirmation page, whose form posts again with ``confirmed``."""
    from saderat.web.common.templatetags.fa import fa_digits

    batch = get_object_or_404(ImportBatch, pk=pk)
    decision = request.POST.get("decision", "")
    replaces = [int(x) for x in request.POST.getlist("replaces") if x.isascii() and x.isdigit()]
    confirm_large = request.POST.get("confirm_large_values") == "1"
    hold = selectors.hold_of(batch)
    if hold is None or decision not in hold.choices:
        messages.error(
            request,
            _(services.NOT_HELD_DECISION).format(status=selectors.status_text(batch))
            if hold is None
            else _(services.CHOICE_NOT_AVAILABLE),
        )
        return redirect("imports:detail", pk=pk)
    if decision in CONFIRMED_DECISIONS and request.POST.get("confirmed") != "1":
        this_years = set(batch.years or [])
        return render(
            request,
            "imports/confirm.html",
            {
                **_detail_context(batch),
                "choice": decision,
                "replaces": hold.overlap_ids,
                "confirm_large_values": confirm_large,
                "other_years": {
                    o.batch.pk: sorted({s["year"] for s in o.scope} - this_years) for o in hold.overlaps
                },
            },
        )
    if decision == "alongside" and request.POST.get("allow_overlap") != "1":
        messages.error(request, _(CONFIRM_OVERLAP))
        return redirect("imports:detail", pk=pk)
    try:
        services.batch_decide(
            batch=batch,
            decision=decision,
            user=request.user,
            replaces=replaces if decision in ("replace", "alongside") else None,
            confirm_large_values=confirm_large,
        )
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _(DECIDED[decision]).format(batch=fa_digits(batch.pk), others=hold.overlap_ids_text)
        )
    return redirect("imports:detail", pk=pk)


@secretariat_required
@require_POST
def retry(request, pk: int):
    return _batch_action(request, pk, services.batch_retry)


CHECK_OK = "انبار داده با پایگاه داده یکی است؛ مشکلی پیدا نشد ({batches} دسته بررسی شد)."


@secretariat_required
@require_POST
def warehouse_check(request):
    """The full check (checksums, a read of every file), repairing what it can; findings shown as messages."""
    from saderat.text import to_persian_digits
    from saderat.web.imports.integrity import warehouse_check as check

    report = check(deep=True, repair=True)
    if report.ok:
        messages.success(request, CHECK_OK.format(batches=to_persian_digits(report.batches_checked)))
    for finding in report.findings:
        messages.warning(request, finding.message)
    return redirect("imports:list")


@secretariat_required
def template_download(request, fmt: str) -> HttpResponse:
    if fmt not in {"csv", "xlsx"}:
        raise Http404("قالب ناشناخته")
    columns = [(c, c) for c in CANONICAL_COLUMNS] if fmt == "csv" else template_columns()
    return table_response(EXAMPLE_ROWS, columns, filename="saderat-import-template", fmt=fmt)
