"""Registry pages: the registry's home, the firm list and firm page, the secretariat's review queue of firm
pairs, registry imports, exporter dynamics and potential exporters. Thin over ``registry.selectors``,
``registry.services`` and :mod:`saderat.web.registry.exporter_stats`; who may see what is decided in
:mod:`saderat.web.registry.permissions` (and checked again by the services)."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from saderat.web.common.exports import WORKBOOK_OPTIONS, XLSX_TYPE, table_response
from saderat.web.common.forms import add_validation_errors
from saderat.web.common.i18n import local_digits
from saderat.web.common.labels import basis_label, currency_label, region_label
from saderat.web.common.params import query_basis, query_int, query_region
from saderat.web.reference.selectors import in_calendar, in_currency, province_names
from saderat.web.reference.templatetags.labels import local_name
from saderat.web.registry import exporter_stats, permissions, selectors, services
from saderat.web.registry.forms import FirmFilterForm, PotentialResolutionForm, RegistryUploadForm, kinds_for
from saderat.web.registry.models import Firm, MatchReview, RegistryBatch

NO_FILE = _("فایلی انتخاب نشده است.")
FILE_TYPE = _("«%(file)s» پذیرفته نیست: فایل xlsx، xls، ods یا csv بفرستید.")
UNKNOWN_FORMAT = _("قالب ناشناخته")
UNKNOWN_KIND = _("نوع فهرست «%(kind)s» شناخته نیست.")
NO_PROBLEMS = _("این دسته ردیف رد شده ندارد.")
MERGED_AWAY = _("این بنگاه با «%(name)s» یکی شناخته و در آن ادغام شده است؛ پرونده یکپارچه را می‌بینید.")
DECIDED_MERGE = _("دو بنگاه ادغام شدند؛ با «برگرداندن ادغام» می‌توان آن را برگرداند.")
DECIDED_APART = _("دو بنگاه جدا ماندند؛ این جفت دوباره پرسیده نمی‌شود.")
UNDONE = _("ادغام برگردانده شد؛ دو بنگاه دوباره جدا هستند.")
ACCEPTED = _("ردیف‌های پذیرفته دسته در صف ثبت قرار گرفت.")
WITHDRAWN = _("دسته پس گرفته شد.")
RESOLUTION_CREATED = _("مصوبه %(code)s با نام %(n)s بنگاه ثبت شد و به دستگاه مسئول اطلاع داده شد.")
NO_DECLARATIONS = _(
    "برای این منطقه داده اظهارنامه‌ای (با شناسه صادرکننده) وارد نشده است؛ پویایی صادرکنندگان فقط از داده "
    "اظهارنامه‌ها به دست می‌آید."
)
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls", ".csv")
#: Rows of the firm list shown on the page (the download holds every row).
FIRM_PAGE_ROWS = 300


def _forbid_unless(allowed: bool, message=permissions.NOT_ALLOWED_FIRMS) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _fmt(fmt: str) -> str:
    if fmt not in {"csv", "xlsx"}:
        raise Http404(gettext(UNKNOWN_FORMAT))
    return fmt


def _region(request) -> str:
    """A province (``SADERAT_PROVINCE`` by default); the front door refuses the whole country with 400."""
    return query_region(request, national=False)


def _basis(request) -> str:
    return query_basis(request)


# -- home -------------------------------------------------------------------------------------------------------
@login_required
def home(request):
    _forbid_unless(permissions.can_see_firms(request.user))
    user = request.user
    return render(
        request,
        "registry/home.html",
        {
            "counts": selectors.registry_counts(),
            "expiring": selectors.cards_expiring(within_days=60),
            "can_review": permissions.can_manage_registry(user, RegistryBatch.Kind.FIRMS),
            "can_import": bool(kinds_for(user)),
            "can_see_exports": permissions.can_see_firm_exports(user),
            "batches": [
                b for b in selectors.batch_list(limit=5) if permissions.can_manage_registry(user, b.kind)
            ],
        },
    )


# -- firms ------------------------------------------------------------------------------------------------------
FIRM_COLUMNS = [
    ("name", _("نام ثبتی")),
    ("national_id", _("شناسه ملی")),
    ("national_code", _("کد ملی")),
    ("legal_form", _("نوع شخصیت")),
    ("county", _("شهرستان")),
    ("isic", _("فعالیت (ISIC)")),
    ("n_cards", _("کارت بازرگانی")),
    ("n_units", _("واحد صنعتی")),
    ("n_exporter_ids", _("شناسه صادرکننده")),
    ("synthetic", _("ساختگی")),
]


def _firm_row(firm) -> dict:
    return {
        "name": firm.name,
        "national_id": firm.national_id or "",
        "national_code": firm.national_code or "",
        "legal_form": firm.get_legal_form_display() if firm.legal_form else "",
        "county": firm.county.name_fa if firm.county else "",
        "isic": firm.isic,
        "n_cards": firm.n_cards,
        "n_units": firm.n_units,
        "n_exporter_ids": firm.n_exporter_ids,
        "synthetic": gettext("ساختگی") if firm.is_synthetic else "",
    }


@login_required
def firm_list(request, fmt: str | None = None):
    _forbid_unless(permissions.can_see_firms(request.user))
    form = FirmFilterForm(request.GET or None)
    firms = selectors.firm_search(**(form.filters() if request.GET else {}))
    if fmt is not None:
        return table_response(
            [_firm_row(f) for f in firms],
            [(k, str(label)) for k, label in FIRM_COLUMNS],
            filename="saderat-firms",
            fmt=_fmt(fmt),
            note=gettext("فهرست بنگاه‌های ثبت — محرمانه، فقط برای کار اداری"),
        )
    total = firms.count()
    return render(
        request,
        "registry/firm_list.html",
        {
            "form": form,
            "firms": list(firms[:FIRM_PAGE_ROWS]),
            "total": total,
            "shown": min(total, FIRM_PAGE_ROWS),
            "query": request.GET.urlencode(),
        },
    )


def _firm_sources(firm) -> list[dict]:
    """The registry fields of the firm page, each with its value and where it came from."""
    fields = [
        ("national_id", _("شناسه ملی"), firm.national_id),
        ("national_code", _("کد ملی"), firm.national_code),
        ("name", _("نام ثبتی"), firm.name),
        ("legal_form", _("نوع شخصیت"), firm.get_legal_form_display() if firm.legal_form else ""),
        ("county", _("شهرستان"), local_name(firm.county) if firm.county else ""),
        ("isic", _("فعالیت (ISIC ویرایش ۴)"), firm.isic),
        ("phone", _("تلفن"), firm.phone),
        ("email", _("رایانامه"), firm.email),
        ("address", _("نشانی"), firm.address),
    ]
    sources = firm.field_sources or {}
    out = []
    for key, label, value in fields:
        # A record created by an import keeps the model's field name (county_id); later changes the short one.
        source = dict(sources.get(key) or sources.get(f"{key}_id") or {})
        try:
            source["date"] = dt.date.fromisoformat(source.get("at") or "")
        except ValueError:
            source["date"] = None
        out.append({"field": key, "label": label, "value": value or "", "source": source})
    return out


def _with_product_labels(units) -> list:
    """The units with ``product_rows``: their products, each with ``label``, its description in the page's
    language: the registered description (Persian only) on Persian pages; on English pages the English text
    of its HS6 (else HS4) heading where the reference has it, else the registered description."""
    from saderat.web.reference.selectors import english, tariff_labels

    for unit in units:
        unit.product_rows = list(unit.products.all())
    products = [p for unit in units for p in unit.product_rows]
    labels = tariff_labels({p.code for p in products if p.code}) if english() else {}
    for p in products:
        p.label = labels.get(p.code) or p.description
    return units


def _export_tables(firm) -> dict:
    """The firm's exports with the names of products and markets and the sources' synthetic flag."""
    from saderat.web.imports.integrity import verified_active_batch_ids
    from saderat.web.imports.models import ImportBatch
    from saderat.web.reference.selectors import country_names, product_labels

    exports = selectors.firm_exports(firm)
    products = product_labels([r["hs4"] for r in exports["by_product"]], level="hs4")
    countries = country_names()
    years = {int(r["year"]) for r in exports["by_year"]}
    batches = ImportBatch.objects.filter(pk__in=verified_active_batch_ids())
    sources = [b for b in batches if years & set(b.years or [])]
    return {
        **exports,
        "by_product": [{**r, "label": products.get(r["hs4"], "")} for r in exports["by_product"]],
        "by_market": [
            {
                **r,
                "name": countries.get(r["partner_code"], r["partner_code"])
                if r["partner_code"]
                else gettext("بدون مقصد (جمع کل منطقه)"),
            }
            for r in exports["by_market"]
        ],
        "sources": sources,
        "synthetic": any(b.is_synthetic for b in sources),
        "chart": {
            "kind": "bar",
            "title": in_currency(gettext("صادرات بنگاه به تفکیک سال (میلیون دلار)")),
            "labels": [str(int(r["year"])) for r in exports["by_year"]],
            "series": [
                {
                    "name": in_currency(gettext("ارزش (میلیون دلار)")),
                    "values": [round(r["value"] / 1e6, 3) for r in exports["by_year"]],
                }
            ],
            "unit": in_currency(gettext("میلیون دلار")),
            "digits": 3,
        },
    }


@login_required
def firm_detail(request, pk: int):
    _forbid_unless(permissions.can_see_firms(request.user))
    firm = get_object_or_404(Firm.objects.select_related("county", "merged_into"), pk=pk)
    if firm.merged_into_id:
        survivor = firm
        seen = set()
        while survivor.merged_into_id and survivor.pk not in seen:
            seen.add(survivor.pk)
            survivor = survivor.merged_into
        messages.info(request, gettext(MERGED_AWAY) % {"name": survivor.name})
        return redirect("registry:firm_detail", pk=survivor.pk)
    detail = selectors.firm_detail(firm)
    from saderat.web.workgroup.selectors import can_see_resolution

    context = {
        **detail,
        "units": _with_product_labels(detail["units"]),
        "resolutions": [r for r in detail["resolutions"] if can_see_resolution(request.user, r)],
        "hidden_resolutions": sum(
            1 for r in detail["resolutions"] if not can_see_resolution(request.user, r)
        ),
        "fields": _firm_sources(firm),
        "can_see_exports": permissions.can_see_firm_exports(request.user),
        "can_review": permissions.can_manage_registry(request.user, RegistryBatch.Kind.FIRMS),
    }
    if context["can_see_exports"]:
        context["exports"] = _export_tables(firm)
    return render(request, "registry/firm_detail.html", context)


# -- review queue -----------------------------------------------------------------------------------------------
def _require_reviewer(user) -> None:
    _forbid_unless(
        permissions.can_manage_registry(user, RegistryBatch.Kind.FIRMS), permissions.NOT_ALLOWED_MANAGE
    )


@login_required
def review_queue(request):
    _require_reviewer(request.user)
    return render(
        request,
        "registry/review_queue.html",
        {
            "pending": selectors.review_queue(),
            "merged": selectors.review_queue(decision=MatchReview.Decision.MERGED, limit=200),
            "decided": [
                r
                for d in (MatchReview.Decision.KEPT_APART, MatchReview.Decision.UNDONE)
                for r in selectors.review_queue(decision=d, limit=100)
            ],
        },
    )


def _review_action(request, pk: int, act, success) -> HttpResponse:
    _require_reviewer(request.user)
    review = get_object_or_404(MatchReview, pk=pk)
    try:
        act(review)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext(success))
    return redirect(reverse("registry:reviews") + f"#review-{pk}")


@login_required
@require_POST
def review_decide(request, pk: int):
    decision = request.POST.get("decision")
    if decision not in {"merge", "apart"}:
        raise Http404(gettext("تصمیم ناشناخته"))
    merge = decision == "merge"
    return _review_action(
        request,
        pk,
        lambda review: services.match_review_decide(review=review, merge=merge, user=request.user),
        DECIDED_MERGE if merge else DECIDED_APART,
    )


@login_required
@require_POST
def review_undo(request, pk: int):
    return _review_action(
        request, pk, lambda review: services.firm_unmerge(review=review, user=request.user), UNDONE
    )


# -- registry imports -------------------------------------------------------------------------------------------
def _require_importer(user) -> list[tuple[str, str]]:
    kinds = kinds_for(user)
    _forbid_unless(bool(kinds), permissions.NOT_ALLOWED_MANAGE)
    return kinds


def _imports_page(request, form, status: int = 200):
    kinds = _require_importer(request.user)
    allowed = {k for k, _ in kinds}
    return render(
        request,
        "registry/imports.html",
        {
            "form": form,
            "batches": [
                b
                for b in selectors.batch_list()
                if b.kind in allowed or (not b.kind and permissions.is_manager(request.user))
            ],
            "kinds": kinds,
            "templates": [(k, label, services.template_columns(k)) for k, label in kinds],
            "max_mb": settings.SADERAT_MAX_UPLOAD_BYTES // 2**20,
        },
        status=status,
    )


@login_required
def imports(request):
    """The registry imports page: upload (POST), the batches, the templates."""
    _require_importer(request.user)
    if request.method != "POST":
        return _imports_page(request, RegistryUploadForm(user=request.user))
    form = RegistryUploadForm(request.POST, request.FILES, user=request.user)
    if not form.is_valid():
        return _imports_page(request, form, status=400)
    upload = form.cleaned_data["file"]
    kind = form.cleaned_data["kind"] or None
    if kind is not None:
        permissions.require_registry_manager(request.user, kind)
    name = Path(upload.name).name  # never trust a path in the file name
    if not name.lower().endswith(ACCEPTED_SUFFIXES):
        form.add_error("file", gettext(FILE_TYPE) % {"file": name})
        return _imports_page(request, form, status=400)
    # upload-* names let the retention purge find an upload whose request died before it became a batch.
    with tempfile.NamedTemporaryFile(delete=False, prefix="upload-", dir=settings.SADERAT_HOME) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        path = Path(tmp.name)
    batch, duplicate = services.registry_batch_create(
        path=path, display_name=name, user=request.user, kind=kind
    )
    if duplicate:
        messages.warning(request, batch.message)
    return redirect("registry:batch_detail", pk=batch.pk)


def _batch_for(request, pk: int) -> RegistryBatch:
    _require_importer(request.user)
    batch = get_object_or_404(RegistryBatch.objects.select_related("created_by", "withdrawn_by"), pk=pk)
    if batch.kind:
        _forbid_unless(
            permissions.can_manage_registry(request.user, batch.kind), permissions.NOT_ALLOWED_MANAGE
        )
    else:
        _forbid_unless(permissions.is_manager(request.user), permissions.NOT_ALLOWED_MANAGE)
    return batch


@login_required
def batch_detail(request, pk: int):
    batch = _batch_for(request, pk)
    return render(
        request,
        "registry/batch_detail.html",
        {
            "batch": batch,
            "has_problems": services.problems_file(batch).exists(),
            "has_source": services.stored_source(batch) is not None,
        },
    )


@login_required
def batch_problems(request, pk: int):
    batch = _batch_for(request, pk)
    path = services.problems_file(batch)
    if not path.exists():
        raise Http404(gettext(NO_PROBLEMS))
    return FileResponse(
        open(path, "rb"), as_attachment=True, filename=f"registry-batch-{batch.pk}-problems.csv"
    )  # noqa: SIM115


def _batch_action(request, pk: int, act, success) -> HttpResponse:
    batch = _batch_for(request, pk)
    try:
        act(batch)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, gettext(success))
    return redirect("registry:batch_detail", pk=pk)


@login_required
@require_POST
def batch_accept(request, pk: int):
    return _batch_action(
        request,
        pk,
        lambda batch: services.registry_batch_accept_partial(batch=batch, user=request.user),
        ACCEPTED,
    )


@login_required
@require_POST
def batch_withdraw(request, pk: int):
    return _batch_action(
        request, pk, lambda batch: services.registry_batch_withdraw(batch=batch, user=request.user), WITHDRAWN
    )


def registry_template(kind: str) -> bytes:
    """An empty registry template as XLSX: the first sheet has the Persian headers the importer reads (the
    required ones marked in colour, each with a note: required or not, an example, other headers accepted);
    the second sheet explains the columns."""
    columns = services.template_columns(kind)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, WORKBOOK_OPTIONS)
    sheet = book.add_worksheet("data")
    sheet.right_to_left()
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1})
    optional = book.add_format({"bold": True, "bg_color": "#E2EFDA", "border": 1})
    for j, column in enumerate(columns):
        sheet.write_string(0, j, column.label_fa, required if column.required else optional)
        note = gettext("اجباری") if column.required else gettext("اختیاری")
        if column.example:
            note += " — " + gettext("نمونه: %(example)s") % {"example": column.example}
        sheet.write_comment(0, j, note)
        sheet.set_column(j, j, max(16, len(column.label_fa) + 4))
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("guide")
    guide.right_to_left()
    bold = book.add_format({"bold": True})
    headers = [
        gettext("سرستون"),
        gettext("کلید"),
        gettext("اجباری"),
        gettext("نمونه"),
        gettext("سرستون‌های دیگری که پذیرفته می‌شود"),
    ]
    for j, header in enumerate(headers):
        guide.write_string(0, j, header, bold)
    for i, column in enumerate(columns, start=1):
        guide.write_string(i, 0, column.label_fa)
        guide.write_string(i, 1, column.key)
        guide.write_string(i, 2, gettext("بله") if column.required else gettext("خیر"))
        guide.write_string(i, 3, column.example)
        guide.write_string(i, 4, "، ".join(column.aliases))
    guide.write_string(
        len(columns) + 2,
        0,
        # The calendar and its example follow the workspace's (in_calendar): a Gregorian profile's sheets are
        # read in Gregorian dates.
        in_calendar(
            gettext(
                "داده‌ها را از ردیف دوم برگه نخست وارد کنید. تاریخ‌ها شمسی (۱۴۰۴/۰۹/۱۰)، شهرستان با نام یا کد "
                "مرکز آمار. هر ردیف نادرست با شماره ردیف، ستون و علت گزارش می‌شود."
            )
        ),
    )
    guide.set_column(0, 4, 24)
    book.close()
    return buffer.getvalue()


@login_required
def template_download(request, kind: str):
    _require_importer(request.user)
    if services.template_columns(kind) is None:
        raise Http404(gettext(UNKNOWN_KIND) % {"kind": kind})
    response = HttpResponse(registry_template(kind), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="saderat-registry-{kind}.xlsx"'
    return response


# -- exporter dynamics ------------------------------------------------------------------------------------------
DYNAMICS_COLUMNS = [
    ("group", _("کد")),
    ("group_name", _("گروه")),
    ("year", _("سال")),
    ("months", _("ماه‌ها")),
    ("exporters", _("صادرکنندگان")),
    ("entrants", _("تازه‌واردها")),
    ("exiters", _("خارج‌شده‌ها")),
    ("incumbents", _("ماندگارها")),
    ("entry_rate", _("نرخ ورود")),
    ("exit_rate", _("نرخ خروج")),
    ("survival_1y", _("ماندگاری ۱ ساله تازه‌واردها")),
    ("survival_2y", _("ماندگاری ۲ ساله")),
    ("survival_3y", _("ماندگاری ۳ ساله")),
    ("value", currency_label(_("ارزش (دلار)"))),
    ("value_per_exporter_mean", currency_label(_("میانگین ارزش هر صادرکننده (دلار)"))),
    ("value_per_exporter_median", currency_label(_("میانه ارزش هر صادرکننده (دلار)"))),
    ("top1_share", _("سهم ۱٪ بزرگ‌ترین")),
    ("top5_share", _("سهم ۵٪ بزرگ‌ترین")),
    ("top25_share", _("سهم ۲۵٪ بزرگ‌ترین")),
    ("hhi", _("شاخص هرفیندال (HHI)")),
    ("products_per_exporter_mean", _("کالا (HS6) برای هر صادرکننده")),
    ("destinations_per_exporter_mean", _("مقصد برای هر صادرکننده")),
    ("withheld", _("محرمانه")),
]


def _dynamics_params(request) -> dict:
    region = _region(request)
    basis = _basis(request)
    years = exporter_stats.dynamics_years(region=region, basis=basis)
    year = query_int(request, "year")
    if year not in years:
        year = max(years) if years else None
    return {"region": region, "basis": basis, "years": years, "year": year}


def _years_chart(rows: list[dict]) -> dict:
    labels = [
        f"{r['year']} ({r['months']} {gettext('ماه')})" if r["partial"] else str(r["year"]) for r in rows
    ]
    return {
        "kind": "bar",
        "title": gettext("صادرکنندگان، تازه‌واردها و خارج‌شده‌ها"),
        "labels": labels,
        "series": [
            {"name": gettext("صادرکنندگان"), "values": [r["exporters"] for r in rows]},
            {"name": gettext("تازه‌واردها"), "values": [r["entrants"] for r in rows]},
            {"name": gettext("خارج‌شده‌ها"), "values": [r["exiters"] for r in rows]},
        ],
        "unit": gettext("تعداد بنگاه"),
        "digits": 0,
    }


def _groups_chart(rows: list[dict], title: str) -> dict:
    shown = [r for r in rows if r["exporters"] is not None][:15]
    return {
        "kind": "bar",
        "orientation": "horizontal",
        "title": title,
        "labels": [r["group_name"] or r["group"] for r in shown],
        "series": [
            {"name": gettext("صادرکنندگان"), "values": [r["exporters"] for r in shown]},
            {"name": gettext("تازه‌واردها"), "values": [r["entrants"] for r in shown]},
        ],
        "unit": gettext("تعداد بنگاه"),
        "digits": 0,
    }


def _sources_of(years) -> list:
    from saderat.web.imports.integrity import verified_active_batch_ids
    from saderat.web.imports.models import ImportBatch

    wanted = set(years)
    return [
        b
        for b in ImportBatch.objects.filter(pk__in=verified_active_batch_ids())
        if wanted & set(b.years or [])
    ]


@login_required
def dynamics(request):
    p = _dynamics_params(request)
    unsuppressed = permissions.sees_unsuppressed(request.user)
    context = {
        **p,
        "unsuppressed": unsuppressed,
        "rule": exporter_stats.rule_text(),
        "provinces": sorted(province_names().items()),
        "no_data": NO_DECLARATIONS,
        "breakdown_labels": exporter_stats.BREAKDOWN_LABELS,
    }
    if p["year"] is not None:
        region_table = exporter_stats.dynamics_table(
            region=p["region"], basis=p["basis"], unsuppressed=unsuppressed
        )
        breakdowns = []
        for by in exporter_stats.BREAKDOWNS:
            table = exporter_stats.dynamics_table(
                region=p["region"], basis=p["basis"], by=by, year=p["year"], unsuppressed=unsuppressed
            )
            label = exporter_stats.BREAKDOWN_LABELS[by]
            breakdowns.append(
                {
                    "by": by,
                    "label": label,
                    "table": table,
                    "chart": _groups_chart(
                        table.rows, gettext("صادرکنندگان به تفکیک %(by)s") % {"by": label}
                    ),
                    "withheld": sum(1 for r in table.rows if r["withheld"]),
                }
            )
        months = p["years"][p["year"]]
        sources = _sources_of([p["year"], p["year"] - 1])
        context.update(
            region_table=region_table,
            breakdowns=breakdowns,
            years_chart=_years_chart(region_table.rows),
            partial_notes=[
                exporter_stats.partial_note(r["year"], r["months"]) for r in region_table.rows if r["partial"]
            ],
            months=months,
            sources=sources,
            synthetic=any(b.is_synthetic for b in sources),
            suppressed_cells=region_table.suppressed_cells
            + sum(b["table"].suppressed_cells for b in breakdowns),
        )
    return render(request, "registry/dynamics.html", context)


@login_required
def dynamics_download(request, fmt: str):
    fmt = _fmt(fmt)
    p = _dynamics_params(request)
    by = request.GET.get("by") or None
    if by is not None and by not in exporter_stats.BREAKDOWNS:
        raise Http404(gettext("تفکیک ناشناخته"))
    unsuppressed = permissions.sees_unsuppressed(request.user)
    rows = []
    if p["year"] is not None:
        table = exporter_stats.dynamics_table(
            region=p["region"],
            basis=p["basis"],
            by=by,
            year=p["year"] if by else None,
            unsuppressed=unsuppressed,
        )
        rows = [{**r, "withheld": gettext("محرمانه") if r["withheld"] else ""} for r in table.rows]
    note = gettext("پویایی صادرکنندگان — %(region)s، مبنا: %(basis)s، داده اظهارنامه‌ها") % {
        "region": region_label(p["region"]),
        "basis": basis_label(p["basis"]),
    }
    if not unsuppressed:
        note += " — " + exporter_stats.rule_text()
    return table_response(
        rows,
        [(k, str(label)) for k, label in DYNAMICS_COLUMNS],
        filename=f"saderat-exporter-dynamics-{by or 'region'}-{p['region']}-{p['year']}",
        fmt=fmt,
        note=note,
    )


# -- potential exporters ----------------------------------------------------------------------------------------
POTENTIAL_COLUMNS = [
    ("rank", _("رتبه")),
    ("firm_name", _("بنگاه")),
    ("unit_name", _("واحد")),
    ("licence_number", _("شماره پروانه")),
    ("county", _("شهرستان")),
    ("employees", _("شاغلان")),
    ("hs4", _("سرفصل HS4")),
    ("hs4_label", _("شرح کالا")),
    ("via_isic", _("برآورد از ISIC")),
    ("score", _("امتیاز")),
    ("rca", _("مزیت نسبی استان (RCA)")),
    ("reasons_text", _("دلیل‌ها")),
    ("synthetic", _("ساختگی")),
]
MAX_POTENTIAL = exporter_stats.MAX_POTENTIAL


def _potential_context(request, form=None) -> dict:
    region = _region(request)
    limit = query_int(request, "limit", min_value=1, max_value=MAX_POTENTIAL) or 100
    data = exporter_stats.potential_data(region=region, year=query_int(request, "year"), limit=limit)
    can_resolve = permissions.is_manager(request.user)
    if can_resolve and form is None:
        from saderat.web.workgroup.selectors import latest_session

        session = latest_session()
        form = PotentialResolutionForm(
            initial={
                "session": session.pk if session else None,
                "text": gettext(
                    "سازمان توسعه تجارت بنگاه‌های زیر را که توان صادرات دارند اما صادراتی ندارند شناسایی و برای "
                    "نخستین صادرات همراهی کند (آموزش، کارت بازرگانی، بازاریابی)."
                ),
                "responsible_agency": _agency_pk("tpo"),
                "deadline": timezone.localdate() + dt.timedelta(days=90),
            }
        )
    chosen = set()
    if form is not None and form.is_bound:
        chosen = {str(v) for v in form.data.getlist("firms")}
    return {
        **data,
        "rows": [{**r, "reasons_html": _marked_reasons(r)} for r in data["rows"]],
        "limit": limit,
        "form": form,
        "can_resolve": can_resolve,
        "chosen": chosen,
        "query": request.GET.urlencode(),
        "has_sessions": _has_sessions(),
    }


def _marked_reasons(row: dict) -> list[str]:
    """The reasons of a potential exporter for the page: the product's label in them marked as the data it
    is (``lang`` when in the other language, Persian digits in a Persian label on a Persian page)."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    from saderat.web.reference.templatetags.labels import data_text

    label = row.get("hs4_label") or ""
    out = []
    for reason in row.get("reasons") or []:
        text = conditional_escape(reason)
        if label and label in reason:
            text = mark_safe(text.replace(conditional_escape(label), data_text(label), 1))
        out.append(text)
    return out


def _agency_pk(code: str):
    from saderat.web.accounts.models import Agency

    agency = Agency.objects.filter(code=code).first()
    return agency.pk if agency else None


def _has_sessions() -> bool:
    from saderat.web.workgroup.models import Session

    return Session.objects.exists()


@login_required
def potential(request):
    _forbid_unless(permissions.can_see_firms(request.user))
    return render(request, "registry/potential.html", _potential_context(request))


@login_required
def potential_download(request, fmt: str):
    _forbid_unless(permissions.can_see_firms(request.user))
    fmt = _fmt(fmt)
    region = _region(request)
    limit = query_int(request, "limit", min_value=1, max_value=MAX_POTENTIAL) or 100
    data = exporter_stats.potential_data(region=region, year=query_int(request, "year"), limit=limit)
    rows = [
        {
            **r,
            "via_isic": gettext("بله") if r["via_isic"] else "",
            "synthetic": gettext("ساختگی") if r["synthetic"] else "",
        }
        for r in data["rows"]
    ]
    return table_response(
        rows,
        [(k, str(label)) for k, label in POTENTIAL_COLUMNS],
        filename=f"saderat-potential-exporters-{region}",
        fmt=fmt,
        note=gettext(
            "صادرکنندگان بالقوه: واحدهای فعال با کالای دارای مزیت که بنگاهشان در ۳۶ ماه اخیر صادرات ندارد — "
            "رتبه‌بندی بر پایه سال %(year)s"
        )
        % {"year": data["year"]},
    )


@login_required
@require_POST
def potential_resolution(request):
    """A working-group resolution that names the firms chosen in the potential exporters' list."""
    from saderat.web.workgroup import services as workgroup_services

    _forbid_unless(permissions.is_manager(request.user), permissions.NOT_ALLOWED_MANAGE)
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
        except ValidationError as exc:
            add_validation_errors(form, exc)
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
    return render(request, "registry/potential.html", _potential_context(request, form=form), status=400)
