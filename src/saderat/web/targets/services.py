"""Writes for targets: create, revise (never overwrite), enter cumulative reports. Secretariat only."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from saderat.text import to_persian_digits
from saderat.web.accounts.models import Agency
from saderat.web.accounts.roles import NOT_ALLOWED, can_manage_imports
from saderat.web.reference.selectors import in_currency
from saderat.web.targets import selectors
from saderat.web.targets.models import INITIAL_REASON, ProgressReport, Target, TargetRevision

NO_BASELINE = (
    "برای سال {year} در آمار واردشده داده‌ای برای این دامنه و شاخص نیست، پس مبنای مقایسه محاسبه نمی‌شود؛ "
    "مبنا را خودتان وارد کنید یا نخست آمار آن سال را وارد کنید."
)
TARGET_EXISTS = "برای این سال، دامنه، شاخص و مبنا پیش‌تر هدف {id} ثبت شده است؛ آن را بازنگری کنید."
NEGATIVE = "مقدار منفی پذیرفته نیست: {field} = {value}."
BAD_SHARE = "سهم از صادرات کشور درصدی بین ۰ و ۱۰۰ است؛ {value} پذیرفته نیست."
BAD_MONTHS = "ماه‌های سپری‌شده باید عددی از ۱ تا ۱۲ باشد؛ {value} پذیرفته نیست."
BAD_PROFILE = "الگوی دلخواه ۱۲ درصد تجمعی صعودی است که به ۱۰۰ می‌رسد."
SCOPE_CODE_REQUIRED = "برای دامنه «{dimension}» کد لازم است (مثلاً کد شهرستان، فصل یا کشور)."
REASON_REQUIRED = "دلیل بازنگری را بنویسید؛ بازنگری بدون دلیل ثبت نمی‌شود."
REPORT_EXISTS = (
    "برای {months} ماه سال {year} پیش‌تر گزارشی ثبت شده است ({value} میلیون دلار، منبع: {source}). "
    "برای جایگزینی آن، «جایگزین شود» را تأیید کنید؛ گزارش قبلی در تاریخچه می‌ماند."
)
REPORT_DECREASES = (
    "ارزش تجمعی {months} ماه ({value} میلیون دلار) از گزارش {previous_months} ماه ({previous} میلیون دلار) "
    "کمتر است؛ رقم تجمعی معمولاً کم نمی‌شود. اگر درست است (مثلاً اصلاح آمار گمرک)، آن را تأیید کنید."
)


class ReportExists(ValidationError):
    """A current report exists for the same months: replacing it must be asked for."""


class ReportDecreases(ValidationError):
    """The cumulative value is below an earlier month's: it must be confirmed."""


def _require_secretariat(user) -> None:
    if user is not None and not can_manage_imports(user):
        raise PermissionDenied(NOT_ALLOWED)


def _fa(n: float) -> str:
    return to_persian_digits(f"{n / 1e6:,.1f}".replace(",", "٬").replace(".", "٫"))


def _check_value(metric: str, value: float, field: str) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError({field: NEGATIVE.format(field=field, value=value)})
    if metric == Target.Metric.SHARE and value > 100:
        raise ValidationError({field: BAD_SHARE.format(value=value)})


def _check_profile(profile: list[float] | None) -> None:
    if profile is None:
        return
    if (
        len(profile) != 12
        or any(b < a for a, b in zip(profile, profile[1:], strict=False))
        or abs(profile[-1] - 100) > 1e-6
    ):
        raise ValidationError({"custom_profile": BAD_PROFILE})


@transaction.atomic
def target_create(
    *,
    user,
    year: int,
    metric: str,
    value: float,
    region: str,
    dimension: str = Target.Dimension.PROVINCE,
    dimension_code: str = "",
    basis: str = Target.Basis.CUSTOMS,
    baseline: float | None = None,
    agency_code: str | None = None,
    profile: str = Target.Profile.SEASONAL,
    custom_profile: list[float] | None = None,
    note: str = "",
) -> Target:
    """A new target with its first revision; the baseline is last year's actual unless entered."""
    _require_secretariat(user)
    _check_value(metric, value, "value")
    _check_value(metric, baseline, "baseline")
    _check_profile(custom_profile)
    if dimension != Target.Dimension.PROVINCE and not dimension_code:
        raise ValidationError({"dimension_code": SCOPE_CODE_REQUIRED.format(dimension=dimension)})
    existing = Target.objects.filter(
        year=year,
        region=region,
        dimension=dimension,
        dimension_code=dimension_code,
        metric=metric,
        basis=basis,
    ).first()
    if existing:
        raise ValidationError(TARGET_EXISTS.format(id=to_persian_digits(existing.pk)))
    target = Target(
        year=year,
        region=region,
        dimension=dimension,
        dimension_code=dimension_code if dimension != Target.Dimension.PROVINCE else "",
        metric=metric,
        basis=basis,
        responsible_agency=Agency.objects.get(code=agency_code) if agency_code else None,
        profile=profile,
        custom_profile=custom_profile,
        note=note,
        created_by=user if getattr(user, "pk", None) else None,
    )
    target.full_clean()
    source = "entered"
    if baseline is None:
        baseline = selectors.computed_baseline(target)
        if baseline is None:
            raise ValidationError({"baseline": NO_BASELINE.format(year=to_persian_digits(year - 1))})
        source = "computed"
    target.save()
    _revision(
        target, user=user, value=value, baseline=baseline, baseline_source=source, reason=INITIAL_REASON
    )
    return target


def _revision(target: Target, *, user, value: float, baseline: float, baseline_source: str, reason: str):
    revision = TargetRevision(
        target=target,
        value=value,
        baseline=baseline,
        baseline_source=baseline_source,
        reason=reason,
        revised_by=user if getattr(user, "pk", None) else None,
    )
    revision.full_clean()
    revision.save()
    return revision


@transaction.atomic
def target_revise(
    *, user, target: Target, value: float, reason: str, baseline: float | None = None
) -> TargetRevision:
    """A dated revision: the earlier values stay in the history."""
    _require_secretariat(user)
    _check_value(target.metric, value, "value")
    _check_value(target.metric, baseline, "baseline")
    if not reason.strip():
        raise ValidationError({"reason": REASON_REQUIRED})
    current = target.current
    return _revision(
        target,
        user=user,
        value=value,
        baseline=current.baseline if baseline is None else baseline,
        baseline_source=current.baseline_source if baseline is None else "entered",
        reason=reason.strip(),
    )


@transaction.atomic
def report_enter(
    *,
    user,
    region: str,
    year: int,
    months: int,
    value_usd: float,
    source: str,
    reported_on: dt.date,
    weight_kg: float | None = None,
    destinations: int | None = None,
    exporters: int | None = None,
    replace: bool = False,
    confirm_decrease: bool = False,
    synthetic: bool = False,
) -> ProgressReport:
    """Enter a cumulative report. A report for months already reported needs ``replace`` (the old one stays,
    not current); a value below an earlier month's needs ``confirm_decrease`` and is flagged."""
    _require_secretariat(user)
    if not isinstance(months, int) or not 1 <= months <= 12:
        raise ValidationError({"months": BAD_MONTHS.format(value=months)})
    for field, value in (
        ("value_usd", value_usd),
        ("weight_kg", weight_kg),
        ("destinations", destinations),
        ("exporters", exporters),
    ):
        if value is not None and value < 0:
            raise ValidationError({field: NEGATIVE.format(field=field, value=value)})
    current = (
        ProgressReport.objects.select_for_update()
        .filter(region=region, year=year, months=months, is_current=True)
        .first()
    )
    if current and not replace:
        raise ReportExists(
            in_currency(REPORT_EXISTS).format(
                months=to_persian_digits(months),
                year=to_persian_digits(year),
                value=_fa(current.value_usd),
                source=current.source,
            )
        )
    earlier = (
        ProgressReport.objects.filter(region=region, year=year, months__lt=months, is_current=True)
        .order_by("-months")
        .first()
    )
    decreases = earlier is not None and value_usd < earlier.value_usd
    if decreases and not confirm_decrease:
        raise ReportDecreases(
            in_currency(REPORT_DECREASES).format(
                months=to_persian_digits(months),
                value=_fa(value_usd),
                previous_months=to_persian_digits(earlier.months),
                previous=_fa(earlier.value_usd),
            )
        )
    if current:
        current.is_current = False
        current.save(update_fields=["is_current"])
    report = ProgressReport(
        region=region,
        year=year,
        months=months,
        value_usd=value_usd,
        weight_kg=weight_kg,
        destinations=destinations,
        exporters=exporters,
        source=source,
        reported_on=reported_on,
        decrease_confirmed=decreases,
        is_synthetic=synthetic,
        entered_by=user if getattr(user, "pk", None) else None,
    )
    report.full_clean()
    report.save()
    return report
