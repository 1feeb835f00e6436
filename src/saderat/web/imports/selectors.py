from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from saderat.web.common.templatetags.fa import fa_digits, listing
from saderat.web.imports.models import ImportBatch

#: A queued batch not picked up after this long suggests that no worker is running.
WORKER_EXPECTED_WITHIN = dt.timedelta(seconds=30)


def active_batch_ids() -> list[int]:
    return list(ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE).values_list("id", flat=True))


def batch_list(*, limit: int = 200):
    return ImportBatch.objects.select_related("created_by", "withdrawn_by")[:limit]


def batch_list_rows(*, limit: int = 200) -> list[dict]:
    """The imports list: each batch with its flow, basis, period, true status and what its rows are."""
    rows = []
    for batch in batch_list(limit=limit):
        hold = hold_state(batch) if batch.status == ImportBatch.Status.HELD else None
        rows.append(
            {
                "batch": batch,
                "flow": flow_label(batch.flow),
                "basis": listing(basis_label(b) for b in sorted({s["basis"] for s in batch.scope or []})),
                "period": period_text(batch.scope),
                "status": status_text(batch, hold),
                "hold": hold,
            }
        )
    return rows


def active_batch_with_checksum(checksum: str) -> ImportBatch | None:
    return ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE, checksum=checksum).first()


def overlapping_active_batches(scope: list[dict]) -> list[tuple[ImportBatch, dict]]:
    """Active batches holding facts for the same (flow, basis, year) as ``scope``; they would add up."""
    wanted = {(s["flow"], s["basis"], s["year"]) for s in scope}
    hits = []
    for batch in ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE):
        for s in batch.scope or []:
            if (s["flow"], s["basis"], s["year"]) in wanted:
                hits.append((batch, s))
    return hits


def data_years(*, flow: str = "export") -> list[int]:
    years = set()
    for scope in ImportBatch.objects.filter(status=ImportBatch.Status.ACTIVE).values_list("scope", flat=True):
        years.update(s["year"] for s in scope or [] if s["flow"] == flow)
    return sorted(years)


def waiting_for_worker(batch: ImportBatch) -> bool:
    """Queued for longer than a worker takes to pick a job up: the page tells the user to start one."""
    return (
        batch.status == ImportBatch.Status.QUEUED
        and timezone.now() - batch.created_at > WORKER_EXPECTED_WITHIN
    )


# -- held batches: why, and what the secretariat can decide ----------------------------------------------------
FLOW_LABELS = {
    "export": pgettext_lazy("trade flow", "صادرات"),
    "import": pgettext_lazy("trade flow", "واردات"),
}
BASIS_LABELS = {"customs": gettext_lazy("گمرک ترخیص"), "origin": gettext_lazy("مبدأ تولید")}


def flow_label(flow: str) -> str:
    return str(FLOW_LABELS.get(flow, flow))


def basis_label(basis: str) -> str:
    return str(BASIS_LABELS.get(basis, basis))


def _months_text(months: list[int]) -> str:
    """[1..8] -> «ماه ۱ تا ۸»; a whole year (or no month recorded) -> ''."""
    months = sorted(set(months or []))
    if not months or months == list(range(1, 13)):
        return ""
    if months == list(range(months[0], months[-1] + 1)):
        if len(months) == 1:
            return _("ماه %(m)s") % {"m": fa_digits(months[0])}
        return _("ماه %(a)s تا %(b)s") % {"a": fa_digits(months[0]), "b": fa_digits(months[-1])}
    return _("ماه‌های %(list)s") % {"list": listing(fa_digits(m) for m in months)}


def period_text(scope: list[dict] | None) -> str:
    """The years of a scope with their months where a year is not whole: «۱۴۰۳، ۱۴۰۴ (ماه ۱ تا ۸)»."""
    months_of: dict[int, set[int]] = {}
    for s in scope or []:
        months_of.setdefault(int(s["year"]), set()).update(s.get("months") or [])
    parts = []
    for year in sorted(months_of):
        months = _months_text(sorted(months_of[year]))
        parts.append(f"{fa_digits(year)} ({months})" if months else fa_digits(year))
    return listing(parts) or "—"


@dataclass
class Overlap:
    """An active batch holding facts for some of the same (flow, basis, year) as the held batch."""

    batch: ImportBatch
    years: list[int]  # the years both hold
    scope: list[dict] = field(default_factory=list)  # the other batch's whole scope (it is withdrawn whole)

    @property
    def years_text(self) -> str:
        return listing(fa_digits(y) for y in self.years)


@dataclass
class HoldState:
    """Why a held batch is held, now (an overlapping batch may have been withdrawn since), and the decisions
    that apply: replace/alongside when it overlaps, accepted_rows when rows were rejected, import when nothing
    holds it any more; discard always. Without its source file kept, only discard."""

    rejected: int
    overlaps: list[Overlap]
    has_source: bool = True

    @property
    def reasons(self) -> list[str]:
        return [r for r, on in (("overlap", self.overlaps), ("rejected", self.rejected)) if on]

    @property
    def choices(self) -> list[str]:
        if not self.has_source:
            return ["discard"]
        if self.overlaps:
            return ["replace", "alongside", "discard"]
        if self.rejected:
            return ["accepted_rows", "discard"]
        return ["import", "discard"]

    @property
    def overlap_ids(self) -> list[int]:
        return [o.batch.pk for o in self.overlaps]

    @property
    def overlap_ids_text(self) -> str:
        return listing(fa_digits(pk) for pk in self.overlap_ids)


def hold_of(batch: ImportBatch) -> HoldState | None:
    """The hold state of a held batch (with whether its source file is still kept); None for any other."""
    from saderat.web.imports.services import stored_source

    if batch.status != ImportBatch.Status.HELD:
        return None
    return hold_state(batch, has_source=stored_source(batch) is not None)


def hold_state(batch: ImportBatch, *, has_source: bool = True) -> HoldState:
    options = batch.options or {}
    rejected = batch.rows_rejected if batch.rows_rejected and not options.get("accept_partial") else 0
    overlaps: dict[int, Overlap] = {}
    # An overlap allowed wholesale (`saderat import --allow-overlap`) holds nothing; one agreed beside given
    # batches ("alongside") still holds for any other batch that turned active since.
    agreed = options.get("alongside_of")
    if not options.get("allow_overlap") or agreed is not None:
        for other, s in overlapping_active_batches(batch.scope or []):
            if other.pk == batch.pk or (agreed is not None and other.pk in agreed):
                continue
            hit = overlaps.setdefault(other.pk, Overlap(batch=other, years=[], scope=other.scope or []))
            if s["year"] not in hit.years:
                hit.years.append(s["year"])
    found = sorted(overlaps.values(), key=lambda o: o.batch.pk)
    for o in found:
        o.years.sort()
    return HoldState(rejected=rejected, overlaps=found, has_source=has_source)


def status_text(batch: ImportBatch, hold: HoldState | None = None) -> str:
    """The status in words that are true of this batch: a held batch says why it is held."""
    if batch.status != ImportBatch.Status.HELD:
        return str(batch.get_status_display())
    hold = hold or hold_state(batch)
    why = []
    if hold.overlaps:
        why.append(
            _("هم‌پوشانی با دسته %(batches)s") % {"batches": listing(fa_digits(pk) for pk in hold.overlap_ids)}
        )
    if hold.rejected:
        # Plain digits, no isolates: this text also goes to the API and the command line.
        why.append(
            _("%(n)s ردیف رد شده")
            % {"n": fa_digits(f"{hold.rejected:,}".replace(",", pgettext("thousands separator", "٬")))}
        )
    if not why:
        return _("متوقف: مانعی نمانده، آماده ورود")
    return _("متوقف: %(why)s") % {"why": listing(why)}


DECISION_LABELS = {
    "replace": gettext_lazy("جایگزینی دسته هم‌پوشان"),
    "alongside": gettext_lazy("ورود در کنار دسته هم‌پوشان (با تأیید دوبار شمردن)"),
    "accepted_rows": gettext_lazy("ورود فقط ردیف‌های پذیرفته"),
    "import": gettext_lazy("ورود"),
    "discard": gettext_lazy("کنار گذاشتن دسته"),
}


def batch_decision(batch: ImportBatch) -> dict | None:
    """The secretariat's decision recorded on a batch (after it was held): which, by whom, replacing what."""
    from django.contrib.auth import get_user_model

    options = batch.options or {}
    decision = options.get("decision")
    if batch.status == ImportBatch.Status.DISCARDED:
        return {
            "decision": "discard",
            "label": DECISION_LABELS["discard"],
            "by": batch.withdrawn_by,
            "replaces": [],
        }
    if not decision:
        return None
    by = (
        get_user_model().objects.filter(pk=options.get("decided_by")).first()
        if options.get("decided_by")
        else None
    )
    return {
        "decision": decision,
        "label": DECISION_LABELS.get(decision, decision),
        "by": by,
        "replaces": list(ImportBatch.objects.filter(pk__in=options.get("replaces") or []).order_by("pk")),
    }


def replaced_by(batch: ImportBatch) -> ImportBatch | None:
    """For a withdrawn batch: the batch that replaced it by a secretariat's decision, if any."""
    if batch.status != ImportBatch.Status.WITHDRAWN:
        return None
    for other in ImportBatch.objects.filter(options__decision="replace").exclude(pk=batch.pk):
        if (
            batch.pk in ((other.options or {}).get("replaces") or [])
            and other.status == ImportBatch.Status.ACTIVE
        ):
            return other
    return None
