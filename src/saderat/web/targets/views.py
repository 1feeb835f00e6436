"""Target pages: list per year with the status tally, a target with its chart, forms for the secretariat,
league tables. Thin over ``targets.selectors`` and ``targets.services``."""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, pgettext

from saderat.web.accounts.models import Agency
from saderat.web.accounts.roles import can_manage_imports, secretariat_required
from saderat.web.common.confidentiality import rows_for, suppression_rule
from saderat.web.common.forms import add_validation_errors
from saderat.web.common.page_cache import cached_page
from saderat.web.common.params import query_int
from saderat.web.reference.selectors import localized_name, statistics_month_names
from saderat.web.reference.templatetags.labels import text_language
from saderat.web.stats.selectors import synthetic_batches
from saderat.web.targets import selectors, services
from saderat.web.targets.forms import ReportForm, RevisionForm, TargetForm
from saderat.web.targets.metrics import metric
from saderat.web.targets.models import ProgressReport, Target


def _year(request) -> int | None:
    years = selectors.target_years()
    year = query_int(request, "year")
    if year is not None:
        return year
    return years[-1] if years else None


def scope_parts(scope: str, dimension: str, code: str | None) -> tuple[str, str]:
    """``(label, name)`` of a target's scope («County 0001» and «اراک»): the name apart when it is written in
    the other language than the page's (counties and customs offices have only Persian names), so that the
    page can mark it as data; else ``(scope, "")``."""
    label = str(Target.Dimension(dimension).label) + (f" {code}" if code else "")
    name = scope[len(label) :].strip() if scope.startswith(label + " ") else ""
    if name and text_language(name):
        return label, name
    return scope, ""


def agency_names() -> dict[str, str]:
    """Agencies' names in the page's language by their Persian name (status rows name an agency so)."""
    return {fa: localized_name(fa, en) for fa, en in Agency.objects.values_list("name_fa", "name_en")}


#: Where a target's monthly profile came from, as ``targets.selectors.target_profile`` writes it (Persian).
SEASONAL_SOURCE = "فصلی: میانگین سال‌های "


def profile_source_label(text: str) -> str:
    """The source of a target's monthly profile in the page's language."""
    if text.startswith(SEASONAL_SOURCE):
        years = [y.strip() for y in text[len(SEASONAL_SOURCE) :].split("،")]
        separator = pgettext("list separator", "،") + " "
        return gettext("فصلی: میانگین سال‌های %(years)s") % {"years": separator.join(years)}
    known = {
        "یکنواخت (m/12)": gettext("یکنواخت (m/12)"),
        "الگوی دلخواه دبیرخانه": gettext("الگوی دلخواه دبیرخانه"),
        "یکنواخت (m/12): سال کامل ماهانه‌ای پیش از این سال نیست": gettext(
            "یکنواخت (m/12): سال کامل ماهانه‌ای پیش از این سال نیست"
        ),
    }
    return known.get(text, text)


def _display(row: dict, agencies: dict[str, str] | None = None) -> dict:
    """Scale a status row to display units (USD -> million USD); name its agency and scope for the page."""
    factor = metric(row["metric"]).entered_per
    out = dict(row)
    if out.get("responsible_agency") and agencies:
        out["responsible_agency"] = agencies.get(out["responsible_agency"], out["responsible_agency"])
    out["scope_label"], out["scope_name"] = scope_parts(
        out.get("scope") or "", out["dimension"], out.get("dimension_code")
    )
    for key in (
        "target",
        "baseline",
        "actual_to_date",
        "trajectory_to_date",
        "projected_year_end",
        "required_monthly_pace",
    ):
        if out.get(key) is not None:
            out[key] = out[key] / factor
    out["unit"] = metric(row["metric"]).unit
    out["metric_label"] = metric(row["metric"]).label
    out["decimals"] = metric(row["metric"]).decimals
    return out


@login_required
@cached_page("targets-list.v1")
def target_list(request):
    year = _year(request)
    shown, hidden = rows_for(
        request.user, selectors.targets_status(year=year) if year else [], value_keys=TARGET_VALUES
    )
    agencies = agency_names()
    rows = [_display(r, agencies) for r in shown]
    region = settings.SADERAT_PROVINCE
    return render(
        request,
        "targets/list.html",
        {
            "year": year,
            "years": selectors.target_years(),
            "rows": rows,
            "tally": selectors.status_tally(rows),
            "reports": selectors.reports_for(region=region, year=year) if year else [],
            "national_reports": selectors.reports_for(region=ProgressReport.NATIONAL, year=year)
            if year
            else [],
            "can_edit": can_manage_imports(request.user),
            "suppressed_cells": hidden,
            "suppression_rule": suppression_rule(),
        },
    )


#: What a target on few exporters hides from users without firm-level rights: everything its actual tells.
TARGET_VALUES = (
    "reached",
    "actual_to_date",
    "projected_year_end",
    "required_monthly_pace",
    "ratio_to_trajectory",
    "status",
)


def _chart(view: selectors.TargetView, *, withheld: bool = False) -> dict:
    factor = metric(view.target.metric).entered_per
    status = view.status
    path = [round(v / factor, 2) for v in status.trajectory_path] if status else []
    warehouse = {
        int(m): c / factor for m, c in zip(view.warehouse["month"], view.warehouse["cumulative"], strict=True)
    }
    reports = {
        int(m): c / factor for m, c in zip(view.reports["month"], view.reports["cumulative"], strict=True)
    }
    projection = [None] * 12
    if status and status.months_elapsed and status.projected_year_end is not None and not withheld:
        m, start, end = (
            status.months_elapsed,
            status.actual_to_date / factor,
            status.projected_year_end / factor,
        )
        for month in range(m, 13):
            projection[month - 1] = round(start + (end - start) * (month - m) / max(12 - m, 1), 2)
    series = [{"name": gettext("مسیر هدف"), "values": path}]
    series.append(
        {
            "name": gettext("عملکرد از آمار گمرک"),
            "values": [round(warehouse[m], 2) if m in warehouse else None for m in range(1, 13)],
        }
    )
    series.append(
        {
            "name": gettext("گزارش‌های تجمعی"),
            "values": [round(reports[m], 2) if m in reports else None for m in range(1, 13)],
        }
    )
    series.append({"name": gettext("پیش‌بینی پایان سال"), "values": projection})
    return {
        "kind": "line",
        "title": f"{view.scope} — {metric(view.target.metric).label} — {view.target.year}",
        "labels": statistics_month_names(),  # the statistics' calendar: Farvardin.., or January..
        "series": series,
        "unit": str(metric(view.target.metric).unit),
        "digits": metric(view.target.metric).decimals,
    }


@login_required
def target_detail(request, pk: int):
    target = get_object_or_404(Target.objects.select_related("responsible_agency"), pk=pk)
    view = selectors.target_view(target)
    (row,), hidden = rows_for(request.user, [view.as_dict()], value_keys=TARGET_VALUES)
    if hidden:  # the chart would draw the withheld actuals: it keeps the target's path and the reports only
        view = dataclasses.replace(view, warehouse=view.warehouse.iloc[0:0])
    scope_label, scope_name = scope_parts(view.scope, target.dimension, target.dimension_code)
    return render(
        request,
        "targets/detail.html",
        {
            "target": target,
            "view": view,
            "scope_label": scope_label,
            "scope_name": scope_name,
            "profile_source": profile_source_label(view.profile_source),
            "row": _display(row),
            "chart": _chart(view, withheld=bool(hidden)),
            "suppressed_cells": hidden,
            "suppression_rule": suppression_rule(),
            "revisions": target.revisions.select_related("revised_by").order_by("-revised_at", "-id"),
            "revision_form": RevisionForm(),
            "can_edit": can_manage_imports(request.user),
            "factor": metric(target.metric).entered_per,
            "unit": metric(target.metric).unit,
            "metric_label": metric(target.metric).label,
            "decimals": metric(target.metric).decimals,
            # Labelled by the batches' flag, not by the year: the actuals come from synthetic declarations.
            "synthetic": view.actual_source == "warehouse" and bool(synthetic_batches(view.target.year)),
        },
    )


@secretariat_required
def target_create(request):
    form = TargetForm(request.POST or None, initial={"year": _year(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        factor = metric(data["metric"]).entered_per
        try:
            target = services.target_create(
                user=request.user,
                year=data["year"],
                metric=data["metric"],
                value=data["value"] * factor,
                region=settings.SADERAT_PROVINCE,
                dimension=data["dimension"],
                dimension_code=data["dimension_code"].strip(),
                basis=data["basis"],
                baseline=None if data["baseline"] is None else data["baseline"] * factor,
                agency_code=data["agency"].code if data["agency"] else None,
                profile=data["profile"],
                note=data["note"],
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "هدف ثبت شد.")
            return redirect("targets:detail", pk=target.pk)
    return render(request, "targets/form.html", {"form": form, "title": "هدف تازه"})


@secretariat_required
def target_revise(request, pk: int):
    target = get_object_or_404(Target, pk=pk)
    if request.method != "POST":
        return redirect("targets:detail", pk=pk)
    form = RevisionForm(request.POST)
    factor = metric(target.metric).entered_per
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.target_revise(
                user=request.user,
                target=target,
                value=data["value"] * factor,
                baseline=None if data["baseline"] is None else data["baseline"] * factor,
                reason=data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "بازنگری ثبت شد؛ مقدار پیشین در تاریخچه می‌ماند.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("targets:detail", pk=pk)


@secretariat_required
def report_create(request):
    form = ReportForm(request.POST or None, initial={"year": _year(request)})
    ask_replace = ask_decrease = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_enter(
                user=request.user,
                region=ProgressReport.NATIONAL if data["national"] else settings.SADERAT_PROVINCE,
                year=data["year"],
                months=data["months"],
                value_usd=data["value_musd"] * 1e6,
                weight_kg=None if data["weight_t"] is None else data["weight_t"] * 1000,
                destinations=data["destinations"],
                exporters=data["exporters"],
                source=data["source"],
                reported_on=data["reported_on"],
                replace=data["replace"],
                confirm_decrease=data["confirm_decrease"],
            )
        except services.ReportExists as exc:
            ask_replace = True
            form.add_error("replace", exc.messages)
        except services.ReportDecreases as exc:
            ask_decrease = True
            form.add_error("confirm_decrease", exc.messages)
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "گزارش ثبت شد.")
            return redirect(f"{_list_url()}?year={data['year']}")
    return render(
        request,
        "targets/report_form.html",
        {"form": form, "ask_replace": ask_replace, "ask_decrease": ask_decrease},
    )


def _list_url() -> str:
    from django.urls import reverse

    return reverse("targets:list")


@login_required
def league(request):
    year = _year(request)
    if year is None:
        raise Http404("هنوز هدفی ثبت نشده است.")
    data = selectors.league_tables(region=settings.SADERAT_PROVINCE, year=year)
    # A row whose figure rests on few exporters loses its figures for users without firm-level rights.
    counties, hidden_counties = rows_for(request.user, data["counties"], value_keys=LEAGUE_VALUES)
    sections, hidden_sections = rows_for(request.user, data["sections"], value_keys=LEAGUE_VALUES)
    tables = [
        (gettext("شهرستان‌ها"), counties, "t-counties"),
        (gettext("بخش‌های HS"), sections, "t-sections"),
    ]
    names = agency_names()
    return render(
        request,
        "targets/league.html",
        {
            "year": year,
            "months": data["months"],
            "tables": tables,
            "agencies": [{**a, "name": names.get(a["name"], a["name"])} for a in data["agencies"]],
            "suppressed_cells": hidden_counties + hidden_sections,
            "suppression_rule": suppression_rule(),
        },
    )


LEAGUE_VALUES = (
    "value",
    "value_usd",
    "previous_value",
    "previous_value_usd",
    "change_vs_previous_year",
    "ratio_to_trajectory",
)
