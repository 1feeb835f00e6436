"""Quality pages (issue 10): the directorate's overview, the mandatory-standard list, certificates, compliance of
exports and foreign notifications. Thin over :mod:`saderat.web.quality.selectors`, ``services`` and
:mod:`saderat.web.quality.figures`; who may do what is in :mod:`saderat.web.quality.permissions` (and checked
again by the services)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from saderat.web.common.exports import table_response
from saderat.web.common.forms import add_validation_errors
from saderat.web.common.i18n import local_digits
from saderat.web.common.labels import currency_label
from saderat.web.common.params import query_int, query_region
from saderat.web.common.templatetags.fa import listing
from saderat.web.quality import figures, permissions, selectors, services
from saderat.web.quality.forms import (
    CertificateForm,
    ComplianceFilterForm,
    NotificationUploadForm,
    ScanForm,
    StandardForm,
    StatusForm,
)
from saderat.web.quality.models import Certificate, CertificateScan, MandatoryStandard, NotificationBatch
from saderat.web.reference.models import County
from saderat.web.reference.selectors import country_names, workspace_date
from saderat.web.registry.forms import PotentialResolutionForm

SAVED = _("ثبت شد.")
STATUS_SAVED = _("وضعیت گواهی از %(date)s ثبت شد.")
SCAN_SAVED = _("تصویر گواهی پیوست شد.")
NOTIFICATIONS_WITHDRAWN = _("دسته اعلان‌ها پس گرفته شد.")
RESOLUTION_CREATED = _("مصوبه %(code)s با نام %(n)s بنگاه ثبت شد و به دستگاه مسئول اطلاع داده شد.")
UNKNOWN_FORMAT = _("قالب ناشناخته")
EXPORTERS_ALERTED = _("هشدار در پرونده %(n)s صادرکننده کالای %(code)s ثبت شد.")

STANDARD_COLUMNS = [
    ("code_prefix", _("ردیف تعرفه / پیشوند")),
    ("standard_number", _("شماره استاندارد")),
    ("title", _("عنوان")),
    ("effective_from", _("معتبر از"), "date"),
    ("effective_to", _("معتبر تا"), "date"),
    ("source_document", _("مرجع")),
    ("note", _("یادداشت")),
]
CERTIFICATE_COLUMNS = [
    ("number", _("شماره گواهی")),
    ("firm", _("دارنده")),
    ("identifier", _("شناسه ملی / کد ملی")),
    ("kind", _("نوع")),
    ("codes", _("ردیف‌های تعرفه")),
    ("standard_number", _("استاندارد")),
    ("issuing_body", _("مرجع صدور")),
    ("issued_on", _("تاریخ صدور"), "date"),
    ("expires_on", _("تاریخ انقضا"), "date"),
    ("status", _("وضعیت امروز")),
    ("synthetic", _("ساختگی")),
]
NONCOMPLIANT_COLUMNS = [
    ("year", _("سال")),
    ("month", _("ماه")),
    ("day", _("روز")),
    ("exporter_id", _("شناسه صادرکننده")),
    ("firm_name", _("بنگاه")),
    ("county_code", _("کد شهرستان")),
    ("county_name", _("شهرستان")),
    ("tariff_code", _("ردیف تعرفه")),
    ("partner_code", _("کد مقصد")),
    ("partner_name", _("مقصد")),
    # The line's value in the reporting currency: «ارزش (رئال برزیل)», "Value (BRL)" in Paraná.
    ("value", currency_label(_("ارزش (دلار)"))),
    ("weight_kg", _("وزن (کیلوگرم)")),
    ("required_standards", _("استاندارد(های) لازم")),
    ("reason_label", _("علت")),
]
#: The compliance verdict of a line (saderat.warehouse.compliance reasons), in the interface language.
REASON_LABELS = {
    "no_certificate": _("صادرکننده برای این ردیف و استاندارد گواهی ندارد"),
    "certificate_not_valid": _("گواهی در تاریخ اظهار معتبر نبود"),
    "no_exporter_id": _("اظهارنامه شناسه صادرکننده ندارد"),
    "certified": _("منطبق"),
}
NOTIFICATION_TYPE_LABELS = {
    "alert": _("هشدار"),
    "border_rejection": _("رد در مرز"),
    "information_attention": _("اطلاع برای توجه"),
    "information_follow_up": _("اطلاع برای پیگیری"),
    "non_compliance": _("عدم انطباق"),
    "refusal": _("رد واردات (FDA)"),
}
BREAKDOWN_TITLES = {
    "hazard": _("خطر"),
    "product_key": _("کالا"),
    "notifying_country": _("کشور اعلان‌کننده"),
    "notification_type": _("نوع اعلان"),
}
STATUS_LABELS = {
    "valid": _("معتبر"),
    "expired": _("منقضی"),
    "suspended": _("تعلیق"),
    "revoked": _("ابطال"),
    "not_yet": _("هنوز صادر نشده"),
}


def _fmt(fmt: str) -> str:
    if fmt not in {"csv", "xlsx"}:
        raise Http404(gettext(UNKNOWN_FORMAT))
    return fmt


def _region(request) -> str:
    """A province (``SADERAT_PROVINCE`` by default); the front door refuses the whole country with 400."""
    return query_region(request, national=False)


def _date(value) -> str:
    return local_digits(workspace_date(value)) if value else ""


def _access(user) -> dict:
    return {"manage": permissions.can_manage(user), "firms": permissions.can_see_firms(user)}


# -- overview ---------------------------------------------------------------------------------------------------
@login_required
def home(request):
    region = _region(request)
    overview = figures.quality_overview(region=region)
    year = _year(request) or _latest_year(region)
    compliance = figures.compliance_cached(region=region, year=year, list_limit=0) if year else None
    compliance = figures.disclosed(compliance, request.user) if compliance else None
    since = overview["last_session"].held_on if overview["last_session"] else None
    recent = figures.recent_notifications(since=since, region=region) if since else None
    return render(
        request,
        "quality/home.html",
        {
            "overview": overview,
            "compliance": compliance,
            "recent": recent,
            "expiring": selectors.certificate_list(expiring_within=30)
            if permissions.can_see_firms(request.user)
            else None,
            "access": _access(request.user),
            "region": region,
            "year": year,
        },
    )


def _year(request) -> int | None:
    """``?year=``, a year of the statistics' calendar: Jalali (1300-1499) for Iran, Gregorian (1900-2199)
    under a profile that counts Gregorian years."""
    from saderat.ingest.validate import YEARS
    from saderat.web.reference.selectors import statistics_calendar

    low, high = YEARS[statistics_calendar()]
    return query_int(request, "year", min_value=low, max_value=high)


def _latest_year(region: str) -> int | None:
    from saderat.web.stats.selectors import export_years

    years = export_years(region=region)
    return max(years) if years else None


# -- standards ---------------------------------------------------------------------------------------------------
def _standard_row(s: MandatoryStandard) -> dict:
    return {
        "pk": s.pk,
        "code_prefix": s.code_prefix,
        "standard_number": s.standard_number,
        "title": s.title,
        "effective_from": _date(s.effective_from),
        "effective_to": _date(s.effective_to),
        "source_document": s.source_document,
        "note": s.note,
        "in_force": s.in_force_on(timezone.localdate()),
        "synthetic": s.is_synthetic,
    }


@login_required
def standards(request, fmt: str | None = None):
    q = request.GET.get("q", "").strip()
    rows = [_standard_row(s) for s in selectors.standard_list(q=q)]
    if fmt:
        return table_response(
            rows,
            STANDARD_COLUMNS,
            filename="saderat-mandatory-standards",
            fmt=_fmt(fmt),
            note=gettext("فهرست استانداردهای اجباری صادراتی (همه نسخه‌ها)"),
        )
    return render(
        request,
        "quality/standards.html",
        {"rows": rows, "q": q, "access": _access(request.user)},
    )


@login_required
def standard_edit(request, pk: int | None = None):
    permissions.require_manage(request.user)
    standard = get_object_or_404(MandatoryStandard, pk=pk) if pk else None
    initial = (
        _standard_row(standard)
        | {
            "effective_from": standard.effective_from,
            "effective_to": standard.effective_to,
        }
        if standard
        else None
    )
    form = StandardForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.standard_save(user=request.user, standard=standard, **form.cleaned_data)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, gettext(SAVED))
            return redirect("quality:standards")
    return render(
        request,
        "quality/form.html",
        {"form": form, "title": gettext("استاندارد اجباری صادراتی"), "back": "quality:standards"},
        status=400 if request.method == "POST" else 200,
    )


# -- certificates -----------------------------------------------------------------------------------------------
def _certificate_row(c: Certificate, today) -> dict:
    return {
        "pk": c.pk,
        "number": c.number,
        "firm": c.firm.name,
        "firm_id": c.firm_id,
        "identifier": c.firm.national_id or c.firm.national_code or "",
        "kind": c.get_kind_display(),
        "codes": listing(c.codes),
        "standard_number": listing(c.standard_numbers or []),
        "issuing_body": c.issuing_body,
        "issued_on": _date(c.issued_on),
        "expires_on": _date(c.expires_on),
        "status_code": c.status_on(today),
        "status": str(STATUS_LABELS[c.status_on(today)]),
        "synthetic": gettext("ساختگی") if c.is_synthetic else "",
        "is_synthetic": c.is_synthetic,
    }


@login_required
def certificates(request, fmt: str | None = None):
    permissions.require_firms(request.user)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    status = status if status in STATUS_LABELS else ""
    expiring = query_int(request, "expiring", min_value=1, max_value=3650)
    today = timezone.localdate()
    rows = [
        _certificate_row(c, today)
        for c in selectors.certificate_list(q=q, status=status, expiring_within=expiring)
    ]
    if fmt:
        return table_response(
            rows,
            CERTIFICATE_COLUMNS,
            filename="saderat-certificates",
            fmt=_fmt(fmt),
            note=gettext("گواهی‌های انطباق و بازرسی، وضعیت در %(date)s") % {"date": _date(today)},
        )
    return render(
        request,
        "quality/certificates.html",
        {
            "rows": rows,
            "q": q,
            "status": status,
            "expiring": expiring,
            "statuses": [(k, str(v)) for k, v in STATUS_LABELS.items()],
            "access": _access(request.user),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def certificate_edit(request, pk: int | None = None):
    permissions.require_manage(request.user)
    certificate = get_object_or_404(Certificate, pk=pk) if pk else None
    initial = None
    if certificate is not None:
        initial = {
            "number": certificate.number,
            "firm_identifier": certificate.firm.national_id or certificate.firm.national_code,
            "kind": certificate.kind,
            "codes": ", ".join(certificate.codes or []),
            "product": certificate.product,
            "standard_numbers": ", ".join(certificate.standard_numbers or []),
            "issuing_body": certificate.issuing_body,
            "issued_on": certificate.issued_on,
            "expires_on": certificate.expires_on,
        }
    form = CertificateForm(request.POST or None, initial=initial, editing=certificate is not None)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if certificate is None:
            values["number"] = form.cleaned_data["number"]
        try:
            saved = services.certificate_save(user=request.user, certificate=certificate, **values)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, gettext(SAVED))
            return redirect("quality:certificate_detail", pk=saved.pk)
    return render(
        request,
        "quality/form.html",
        {"form": form, "title": gettext("گواهی انطباق یا بازرسی"), "back": "quality:certificates"},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def certificate_detail(request, pk: int):
    permissions.require_firms(request.user)
    certificate = get_object_or_404(Certificate.objects.select_related("firm"), pk=pk)
    status_form = StatusForm(prefix="status")
    scan_form = ScanForm(prefix="scan")
    code = 200
    if request.method == "POST":
        permissions.require_manage(request.user)
        if "status-status" in request.POST:
            status_form = StatusForm(request.POST, prefix="status")
            if status_form.is_valid():
                data = status_form.cleaned_data
                try:
                    services.certificate_set_status(
                        user=request.user,
                        certificate=certificate,
                        status=data["status"],
                        effective_on=data["effective_on"],
                        reason=data.get("reason", ""),
                    )
                except ValidationError as exc:
                    add_validation_errors(status_form, exc)
                else:
                    messages.success(request, gettext(STATUS_SAVED) % {"date": _date(data["effective_on"])})
                    return redirect("quality:certificate_detail", pk=pk)
        else:
            scan_form = ScanForm(request.POST, request.FILES, prefix="scan")
            if scan_form.is_valid():
                try:
                    services.certificate_scan_add(
                        user=request.user, certificate=certificate, upload=scan_form.cleaned_data["scan"]
                    )
                except ValidationError as exc:
                    add_validation_errors(scan_form, exc)
                else:
                    messages.success(request, gettext(SCAN_SAVED))
                    return redirect("quality:certificate_detail", pk=pk)
        code = 400
    today = timezone.localdate()
    return render(
        request,
        "quality/certificate_detail.html",
        {
            "certificate": certificate,
            "row": _certificate_row(certificate, today),
            "history": certificate.history.select_related("user"),
            "intervals": [(_date(a), _date(b)) for a, b in selectors.valid_intervals(certificate)],
            "scans": certificate.scans.all(),
            "status_form": status_form,
            "scan_form": scan_form,
            "access": _access(request.user),
        },
        status=code,
    )


@login_required
def certificate_scan(request, pk: int, scan_pk: int):
    permissions.require_firms(request.user)
    from saderat.web.workgroup import uploads

    scan = get_object_or_404(CertificateScan, pk=scan_pk, certificate_id=pk)
    path = uploads.evidence_root() / scan.stored_name
    if not path.exists():
        raise Http404(gettext("فایل پیدا نشد."))
    return FileResponse(open(path, "rb"), as_attachment=True, filename=scan.original_name)  # noqa: SIM115


# -- compliance -------------------------------------------------------------------------------------------------
def _compliance_params(request) -> dict:
    form = ComplianceFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    region = _region(request)
    return {
        "form": form,
        "region": region,
        "year": data.get("year") or _latest_year(region),
        "months": data.get("months"),
        "by": data.get("by") or "tariff_code",
    }


def _with_firm_names(rows: list[dict]) -> list[dict]:
    from saderat.web.registry.models import ExporterLink

    ids = {r.get("exporter_id") for r in rows if r.get("exporter_id")}
    names = {
        link.exporter_id: (link.firm.name, link.firm_id)
        for link in ExporterLink.objects.filter(exporter_id__in=ids).select_related("firm")
    }
    counties = dict(County.objects.values_list("code", "name_fa"))
    countries = country_names()
    for r in rows:
        r["county_name"] = counties.get(r.get("county_code"), "")
        r["partner_name"] = countries.get(r.get("partner_code"), "")
        r["firm_name"], r["firm_pk"] = names.get(r.get("exporter_id"), ("", None))
        r["reason_label"] = str(REASON_LABELS.get(r.get("reason"), r.get("reason_fa") or ""))
    return rows


def _compliance_context(request, resolution_form=None) -> dict:
    params = _compliance_params(request)
    firms = permissions.can_see_firms(request.user)
    data = None
    if params["year"]:
        data = figures.compliance_cached(
            region=params["region"],
            year=params["year"],
            months=params["months"],
            by=params["by"] if firms or params["by"] != "exporter_id" else "tariff_code",
            list_limit=500 if firms else 0,
        )
        data = figures.disclosed(data, request.user)
        if firms and data.get("noncompliant"):
            _with_firm_names(data["noncompliant"])
    return {
        **params,
        "data": data,
        "access": _access(request.user),
        "query": request.GET.urlencode(),
        "resolution_form": resolution_form
        or (
            PotentialResolutionForm(initial={"responsible_agency": _standards_agency()})
            if permissions.registry_permissions.is_manager(request.user)
            else None
        ),
    }


def _standards_agency():
    from saderat.web.accounts.models import Agency

    return Agency.objects.filter(code=permissions.DIRECTORATE).first()


@login_required
def compliance(request):
    return render(request, "quality/compliance.html", _compliance_context(request))


@login_required
def compliance_download(request, fmt: str):
    permissions.require_firms(request.user)
    params = _compliance_params(request)
    if not params["year"]:
        raise Http404(gettext("داده‌ای نیست."))
    data = figures.compliance_data(
        region=params["region"], year=params["year"], months=params["months"], list_limit=1_000_000
    )
    rows = _with_firm_names(data.get("noncompliant", []))
    return table_response(
        rows,
        NONCOMPLIANT_COLUMNS,
        filename=f"saderat-noncompliant-exports-{params['region']}-{params['year']}",
        fmt=_fmt(fmt),
        note=gettext("صادرات ردیف‌های مشمول استاندارد اجباری بدون گواهی معتبر در تاریخ اظهار — سال %(year)s")
        % {"year": local_digits(params["year"])}
        + (" — " + gettext("داده ساختگی (نمایشی)") if data.get("synthetic") else ""),
    )


@login_required
@require_POST
def compliance_resolution(request):
    """A working-group resolution, assigned to the directorate by default, that names the firms chosen in the
    list of non-compliant exporters."""
    from saderat.web.workgroup import services as workgroup_services

    # Resolutions are the working group's: the secretariat records them (the directorate proposes the list).
    if not permissions.registry_permissions.is_manager(request.user):
        raise PermissionDenied(permissions.NOT_ALLOWED_MANAGE)
    form = PotentialResolutionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            resolution = workgroup_services.resolution_create(
                user=request.user,
                session=data["session"],
                text=data["text"],
                responsible_agency=data["responsible_agency"],
                deadline=data["deadline"],
                priority=data["priority"],
                county=data["county"],
                firms=list(data["firms"]),
            )
        except (ValidationError, PermissionDenied) as exc:
            add_validation_errors(
                form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc))
            )
        else:
            messages.success(
                request,
                gettext(RESOLUTION_CREATED)
                % {
                    "code": workgroup_services.resolution_code(resolution),
                    "n": local_digits(len(data["firms"])),
                },
            )
            return redirect("workgroup:resolution_detail", pk=resolution.pk)
    return render(request, "quality/compliance.html", _compliance_context(request, form), status=400)


# -- foreign notifications --------------------------------------------------------------------------------------
def rows_for_quality(user, rows: list[dict]) -> tuple[list[dict], int]:
    """Rows of province values by line as ``user`` may see them (cells on few exporters lose the value)."""
    from saderat.web.common.confidentiality import rows_for

    if permissions.sees_unsuppressed(user):
        return [{**r, "suppressed": False} for r in rows], 0
    return rows_for(user, rows, value_keys=("value",))


def _as_date(value):
    """A date from the warehouse's date, datetime or ISO text (None when absent)."""
    import datetime as dt

    if value is None or isinstance(value, dt.date):
        return value.date() if isinstance(value, dt.datetime) else value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


#: The messages stored with a notification file (in Persian, when it was imported or withdrawn) in English,
#: for English pages; ``{error}`` is an ingest message (``saderat.ingest.messages.to_english``).
BATCH_MESSAGES_EN = {
    services.NOTIFICATIONS_IMPORTED: (
        "{stored} notifications stored from {read} rows; {duplicates} duplicate rows counted once, "
        "{unmatched} notifications not mapped to an HS heading (listed in the batch's report)."
    ),
    services.NOTIFICATIONS_DUPLICATE: (
        "This file (with the same content) was imported before in batch {batch}; nothing changed."
    ),
    services.NOTIFICATIONS_FAILED: "The file “{file}” could not be read: {error}",
    services.NOTIFICATIONS_WITHDRAWN: "The notification batch was withdrawn.",
}


def _message_pattern(template: str):
    import re

    parts = re.split(r"\{(\w+)\}", template)
    return re.compile(
        "".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.*?)" for i, p in enumerate(parts)), re.S
    )


def batch_message(text: str) -> str:
    """A notification file's stored message in the page's language (as stored on Persian pages, and when it
    is no known message)."""
    from saderat.ingest.messages import to_english
    from saderat.text import to_latin_digits
    from saderat.web.reference.selectors import english

    if not text or not english():
        return text
    for persian, english_text in BATCH_MESSAGES_EN.items():
        found = _message_pattern(persian).fullmatch(text.strip())
        if found:
            values = {
                k: to_english(v) if k == "error" else v if k == "file" else to_latin_digits(v)
                for k, v in found.groupdict().items()
            }
            return english_text.format(**values)
    return to_english(text)


def _batches_with_gaps() -> list[NotificationBatch]:
    """The notification files, each with its coverage gaps as dates (the report stores them as text) and its
    message in the page's language."""
    batches = list(NotificationBatch.objects.select_related("created_by", "withdrawn_by")[:50])
    for b in batches:
        b.message_text = batch_message(b.message)
        b.gaps = [
            {"start": _as_date(g.get("start")), "end": _as_date(g.get("end"))}
            for g in (b.report or {}).get("gaps", [])
        ]
    return batches


def _labelled(by: str, rows: list[dict]) -> list[dict]:
    """A breakdown's rows with the group named in the interface language (product from the keyword table,
    country from the reference table, notification type from :data:`NOTIFICATION_TYPE_LABELS`)."""
    from django.utils.translation import get_language

    from saderat.reference.quality import load_notification_products
    from saderat.web.reference.selectors import reference_lookups

    english = (get_language() or "fa").startswith("en")
    if by == "product_key":
        table = load_notification_products()
        names = dict(zip(table["product_key"], table["label_en" if english else "label_fa"], strict=False))
    elif by == "notifying_country":
        countries = reference_lookups().countries
        names = dict(zip(countries["code"], countries["name_en" if english else "name_fa"], strict=False))
    elif by == "notification_type":
        names = {k: str(v) for k, v in NOTIFICATION_TYPE_LABELS.items()}
    else:
        names = {}
    out = []
    for r in rows:
        key = r.get(by)
        out.append({**r, "group": key, "label": names.get(key) or key or gettext("نامشخص")})
    return out


@login_required
def notifications(request):
    origin = (request.GET.get("origin") or settings.SADERAT_COUNTRY).upper()[:3]
    year = query_int(request, "year", min_value=1990, max_value=2100)
    data = figures.notifications_data(origin=origin, year=year)
    region = _region(request)
    lines, _hidden = rows_for_quality(request.user, figures.affected_lines(region=region, origin=origin))
    if permissions.can_see_firms(request.user):
        exporters = figures.affected_exporters(region=region, hs_codes=[r["hs_code"] for r in lines])
        for r in lines:
            r["exporters"] = exporters.get(r["hs_code"], [])

    data["breakdown"] = {
        by: {"title": BREAKDOWN_TITLES[by], "rows": _labelled(by, rows)}
        for by, rows in data["breakdown"].items()
    }
    for r in lines:
        r["latest_date"] = _as_date(r.get("latest"))
    unmatched = figures.unmatched_notifications(origin)
    context = {
        "data": data,
        "origin": origin,
        "year": year,
        "lines": lines,
        "unmatched": _notification_rows(unmatched),
        "access": _access(request.user),
        "upload_form": NotificationUploadForm() if permissions.can_manage(request.user) else None,
        "batches": _batches_with_gaps(),
    }
    return render(request, "quality/notifications.html", context)


NOTIFICATION_COLUMNS = [
    ("reference", _("شماره مرجع")),
    ("notified_on", _("تاریخ"), "date"),
    ("notification_type", _("نوع اعلان")),
    ("notifying_country", _("کشور اعلان‌کننده")),
    ("product_text", _("کالا (متن منبع)")),
    ("hs4", _("سرفصل HS")),
    ("hazards", _("خطرها")),
    ("risk_decision", _("ارزیابی خطر")),
    ("source", _("منبع")),
]


def _notification_rows(frame) -> list[dict]:
    rows = figures.records(frame)
    for r in rows:
        for key in ("hazards", "origin_codes", "hazard_categories"):
            if isinstance(r.get(key), list | tuple):
                r[key] = listing(r[key])
    return rows


@login_required
def notifications_download(request, fmt: str):
    """Every notification on the origin's products (newest first), or the unmatched ones (``?unmatched=1``)."""
    from saderat.warehouse import notifications as wn

    origin = (request.GET.get("origin") or settings.SADERAT_COUNTRY).upper()[:3]
    unmatched = request.GET.get("unmatched") == "1"
    frame = wn.notification_list(selectors.notifications_table(), origin=origin, unmatched_only=unmatched)
    return table_response(
        _notification_rows(frame),
        NOTIFICATION_COLUMNS,
        filename=f"saderat-notifications-{origin}" + ("-unmatched" if unmatched else ""),
        fmt=_fmt(fmt),
        note=gettext(
            "اعلان‌های RASFF و ردهای FDA بر کالاهای %(origin)s — منبع: European Commission, RASFF Window؛ US FDA"
        )
        % {"origin": origin},
    )


@login_required
@require_POST
def notifications_upload(request):
    permissions.require_manage(request.user)
    form = NotificationUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("quality:notifications")
    upload = form.cleaned_data["file"]
    name = Path(upload.name).name
    with tempfile.NamedTemporaryFile(delete=False, prefix="upload-", dir=settings.SADERAT_HOME) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        path = Path(tmp.name)
    try:
        batch, duplicate = services.notification_import_file(path=path, display_name=name, user=request.user)
    finally:
        path.unlink(missing_ok=True)
    (messages.warning if duplicate or batch.status != "active" else messages.success)(request, batch.message)
    return redirect("quality:notifications")


@login_required
@require_POST
def notifications_alert(request):
    """Alert the province's exporters of one notified line: a note on each firm's record, and the
    directorate's and TPO's members told who they are."""
    from saderat.web.registry.models import Firm

    permissions.require_manage(request.user)
    code = "".join(ch for ch in request.POST.get("hs_code", "") if ch.isdigit())[:6]
    region = _region(request)
    line = next((r for r in figures.affected_lines(region=region) if r["hs_code"] == code), None)
    if line is None:
        raise Http404(gettext("این کالا اعلان خارجی ندارد."))
    exporters = figures.affected_exporters(region=region, hs_codes=[code]).get(code, [])
    firms = list(Firm.objects.filter(pk__in=[e["firm_id"] for e in exporters if e["firm_id"]]))
    summary = gettext("%(n)s اعلان، %(b)s رد در مرز، آخرین در %(latest)s") % {
        "n": local_digits(line["notifications"] or 0),
        "b": local_digits(line["border_rejections"] or 0),
        "latest": line.get("latest") or "—",
    }
    n = services.notification_alert_exporters(user=request.user, hs_code=code, firms=firms, summary=summary)
    messages.success(request, gettext(EXPORTERS_ALERTED) % {"n": local_digits(n), "code": local_digits(code)})
    return redirect("quality:notifications")


@login_required
@require_POST
def notifications_withdraw(request, pk: int):
    batch = get_object_or_404(NotificationBatch, pk=pk)
    try:
        services.notification_batch_withdraw(batch=batch, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext(NOTIFICATIONS_WITHDRAWN))
    return redirect("quality:notifications")
