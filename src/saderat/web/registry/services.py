"""Writes of the registry: imports of the agencies' spreadsheets, edits, merges of firms and their undoing,
and the alerts on commercial cards and lapsed exporters.

Every change of a registry record goes through :func:`record_set_fields` (or :func:`record_create`), which
records a :class:`RegistryChange` (field, old, new, who, when, which batch) and the field's source; withdrawing
a batch undoes its changes in reverse order. Other apps keep registers through the same batches
(:func:`register_kind`: the standards directorate's standards and certificates). An import is one transaction: a file is applied whole or not at all.

Joining records to firms (DESIGN.md, "Firm names"): identifiers decide before any name does — national ID,
then national code, then (cards) the card number; without an identifier a record joins the one unmerged firm
with the same name key in the same county; otherwise a new firm is created, and the entity resolver
(:func:`registry_resolve`) then merges it automatically above the confidence threshold or puts the pair in the
secretariat's review queue below it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import socket
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q
from django.utils import timezone, translation

from saderat import faults
from saderat.ingest.pipeline import file_checksum
from saderat.ingest.readers import ImportFileError
from saderat.ingest.registry import PreparedRegistry, prepare_registry
from saderat.registry.names import firm_name_key
from saderat.text import spreadsheet_safe, to_persian_digits
from saderat.web.imports.models import ActivationLock
from saderat.web.registry import permissions
from saderat.web.registry.models import (
    CardAlert,
    CommercialCard,
    ExporterLink,
    Firm,
    FirmName,
    IndustrialUnit,
    MatchReview,
    RegistryBatch,
    RegistryChange,
    UnitProduct,
)

log = logging.getLogger(__name__)

DUPLICATE_FILE = "این فایل (با همین محتوا) پیش‌تر در دسته {batch} وارد شده است؛ چیزی تغییر نکرد."
HELD = (
    "{rejected} ردیف از {read} ردیف رد شد و هیچ رکوردی ثبت نشد. فهرست ایرادها را دریافت و فایل را اصلاح کنید، "
    "یا «ثبت ردیف‌های پذیرفته» را بزنید. Rows were rejected; nothing was imported."
)
IMPORTED = "{accepted} ردیف ثبت شد: {created} رکورد تازه، {updated} رکورد به‌روز شد ({rejected} ردیف رد شد)."
NOTHING_ACCEPTED = "هیچ ردیفی از فایل «{file}» پذیرفته نشد؛ چیزی ثبت نشد."
NOT_ACTIVE = "فقط دسته واردشده پس گرفته می‌شود."
NOT_HELD = "فقط دسته متوقف را می‌توان با ردیف‌های پذیرفته ثبت کرد."
WITHDRAWN = "دسته پس گرفته شد: {reverted} تغییر برگردانده شد."
WITHDRAWN_KEPT = " {kept} رکورد که دسته‌های دیگر به آن‌ها وابسته‌اند نگه داشته شد."
UNEXPECTED = "خطای پیش‌بینی‌نشده در ورود «{file}»: {error}؛ هیچ رکوردی ثبت نشد."
STOPPED = (
    "فرایند ورود «{file}» پیش از پایان متوقف شد (از کار افتاد یا از سقف زمان گذشت)؛ هیچ رکوردی ثبت نشد. فایل "
    "را دوباره وارد کنید. The import process stopped; nothing was imported."
)
AMBIGUOUS_KIND = (
    "سرستون‌های فایل «{file}» با بیش از یک قالب جور است ({kinds})؛ نوع فهرست را هنگام بارگذاری انتخاب کنید "
    "(saderat registry import --kind). The file matches several templates: choose its kind."
)
NOT_YOUR_REGISTER = "این فایل «{kind}» است و ثبت آن با نقش شما نیست؛ چیزی ثبت نشد."
SOURCE_MISSING = "فایل منبع دسته {batch} نگه داشته نشده است؛ فایل را دوباره بارگذاری کنید."
RESOLVE_FAILED = "تطبیق خودکار بنگاه‌ها انجام نشد ({error})؛ از صفحه صف بررسی دوباره اجرا کنید."
RESOLVED = "تطبیق بنگاه‌ها: {merged} ادغام خودکار، {queued} جفت تازه در صف بررسی."
MERGE_CONFLICT = "این دو بنگاه شناسه‌های متفاوت دارند ({a} و {b})؛ دو شخص جدا هستند و ادغام نمی‌شوند."
MERGE_SELF = "یک بنگاه با خودش ادغام نمی‌شود."
UNDO_LATER_FIRST = "«{firm}» خود در بنگاه دیگری ادغام شده است؛ نخست آن ادغام را برگردانید."
ALREADY_DECIDED = "درباره این جفت پیش‌تر تصمیم گرفته شده است."
CARD_EXPIRING = "کارت بازرگانی {number} ({firm}) {days} روز دیگر، در {date}، منقضی می‌شود."
LAPSED_EXPORTER = (
    "{firm} در {years} سال گذشته {value} میلیون دلار صادر کرده، اما در ۱۲ ماه اخیر صادراتی ندارد (صادرکننده "
    "متوقف)."
)

#: Card alerts: days before expiry.
CARD_ALERT_DAYS = (60, 30, 7)
#: Fields a firm record carries, and those of cards and units: what a re-import may update.
FIRM_FIELDS = (
    "national_id",
    "national_code",
    "name",
    "legal_form",
    "county_id",
    "isic",
    "phone",
    "email",
    "address",
)
CARD_FIELDS = ("firm_id", "chamber", "issued_on", "expires_on", "status", "status_reason")
UNIT_FIELDS = ("firm_id", "name", "licence_date", "isic", "employees", "county_id", "estate", "status")
PRODUCT_FIELDS = ("description", "capacity", "capacity_unit")


def _fa(n) -> str:
    return to_persian_digits(f"{n:,}".replace(",", "٬") if isinstance(n, int) else n)


def _json(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "_meta"):  # a related record: its key
        return value.pk
    return value


def _from_json(field, value):
    if value is not None and field in ("issued_on", "expires_on", "licence_date"):
        return dt.date.fromisoformat(value)
    return value


def _user(user):
    return user if user is not None and getattr(user, "pk", None) else None


class ChangeContext:
    """Who and what is changing records: one import batch (or a page edit), for changes and sources."""

    def __init__(self, *, user=None, batch: RegistryBatch | None = None, source: str = ""):
        self.user = _user(user)
        self.batch = batch
        self.at = timezone.now()
        self.source = source or (
            f"دسته {to_persian_digits(batch.pk)}: {batch.source_name}" if batch else "ویرایش در سامانه"
        )
        self.created = 0
        self.updated = 0
        self.firms_created = 0
        self._touched: set[tuple[str, int]] = set()
        self._pending: list[RegistryChange] = []
        self._index: _Index | None = None

    def source_entry(self) -> dict:
        return {
            "source": self.source,
            "batch": self.batch.pk if self.batch else None,
            "at": self.at.date().isoformat(),
        }

    def change(self, obj, field: str, old, new, firm: Firm | int | None) -> None:
        """Record one change; written with the others by :meth:`flush` (one INSERT per file, not per field)."""
        self._pending.append(
            RegistryChange(
                model=obj._meta.model_name,
                object_id=str(obj.pk),
                firm_id=firm.pk if isinstance(firm, Firm) else firm,
                field=field,
                old=_json(old),
                new=_json(new),
                batch=self.batch,
                user=self.user,
                at=self.at,
            )
        )
        key = (obj._meta.model_name, obj.pk)
        if field != "*" and key not in self._touched:
            self.updated += 1
        self._touched.add(key)

    @property
    def index(self) -> _Index:
        if self._index is None:
            self._index = _Index()
        return self._index

    def flush(self) -> None:
        RegistryChange.objects.bulk_create(self._pending, batch_size=2000)
        self._pending = []


class _Index:
    """The registry's keys, loaded once per import (one query per table) and kept current as the import
    creates records: a file of thousands of rows then costs a few queries per row (its writes), not a dozen
    look-ups each."""

    def __init__(self):
        self.firms: dict[int, Firm] = {f.pk: f for f in Firm.objects.all()}
        self.by_id: dict[str, int] = {}
        self.by_code: dict[str, int] = {}
        self.by_key: dict[str, set[int]] = defaultdict(set)
        for firm in self.firms.values():
            self.add_firm(firm)
        self.names: set[tuple[int, str]] = set()
        for firm_id, key in FirmName.objects.values_list("firm_id", "name_key"):
            self.add_name(firm_id, key)
        self.cards = {c.number: c for c in CommercialCard.objects.all()}
        self.units = {u.licence_number: u for u in IndustrialUnit.objects.all()}
        self.products = {(p.unit_id, p.code): p for p in UnitProduct.objects.all()}
        self.links = {link.exporter_id: link for link in ExporterLink.objects.all()}

    def add_firm(self, firm: Firm) -> None:
        if firm.national_id:
            self.by_id[firm.national_id] = firm.pk
        if firm.national_code:
            self.by_code[firm.national_code] = firm.pk
        if firm.name_key:
            self.by_key[firm.name_key].add(firm.pk)

    def add_name(self, firm_id: int, key: str) -> None:
        self.names.add((firm_id, key))
        self.by_key[key].add(firm_id)

    def surviving(self, firm: Firm) -> Firm:
        seen = set()
        while firm.merged_into_id and firm.pk not in seen:
            seen.add(firm.pk)
            firm = self.firms.get(firm.merged_into_id) or firm.merged_into
        return firm

    def find(self, *, national_id=None, national_code=None, name: str = "", county=None) -> Firm | None:
        """As :func:`firm_find`, from memory."""
        for table, value in ((self.by_id, national_id), (self.by_code, national_code)):
            if value and value in table:
                return self.surviving(self.firms[table[value]])
        key = firm_name_key(name) if name else ""
        if not key:
            return None
        found = []
        for pk in sorted(self.by_key.get(key, ())):
            firm = self.firms[pk]
            if firm.merged_into_id:
                continue
            if county and firm.county_id not in (None, county):
                continue
            # A record with an identifier never joins a firm that has another one: two persons.
            if (national_id or national_code) and (firm.national_id or firm.national_code):
                continue
            found.append(firm)
        return found[0] if len(found) == 1 else None

    def created(self, obj) -> None:
        if isinstance(obj, Firm):
            self.firms[obj.pk] = obj
            self.add_firm(obj)
        elif isinstance(obj, FirmName):
            self.add_name(obj.firm_id, obj.name_key)
        elif isinstance(obj, CommercialCard):
            self.cards[obj.number] = obj
        elif isinstance(obj, IndustrialUnit):
            self.units[obj.licence_number] = obj
        elif isinstance(obj, UnitProduct):
            self.products[(obj.unit_id, obj.code)] = obj
        elif isinstance(obj, ExporterLink):
            self.links[obj.exporter_id] = obj


def _check(obj) -> None:
    """Field validation before a save (lengths, choices, formats). The rows were validated on reading and the
    references resolved, so the per-row queries of ``full_clean`` (each foreign key, each unique field) are
    left to the database's own constraints, which fail the whole file if ever broken."""
    skip = [f.name for f in obj._meta.concrete_fields if f.is_relation or f.name == "name_key"]
    obj.clean_fields(exclude=skip)
    obj.clean()


def _firm_of(obj) -> int | None:
    """The id of the firm a record belongs to (its history is shown on that firm's page)."""
    if isinstance(obj, Firm):
        return obj.pk
    if isinstance(obj, UnitProduct):
        return obj.unit.firm_id
    return getattr(obj, "firm_id", None)


def record_create(ctx: ChangeContext, model, **values):
    obj = model(**values)
    if hasattr(obj, "field_sources"):
        obj.field_sources = {f: ctx.source_entry() for f, v in values.items() if v not in (None, "")}
    _check(obj)
    obj.save()
    ctx.created += 1
    ctx.firms_created += isinstance(obj, Firm)
    if ctx._index is not None:
        ctx._index.created(obj)
    ctx._touched.add((obj._meta.model_name, obj.pk))
    ctx.change(
        obj,
        "*",
        None,
        {k: _json(getattr(obj, k, None)) for k in values if not k.endswith("_key")},
        _firm_of(obj),
    )
    return obj


def record_set_fields(ctx: ChangeContext, obj, values: dict, *, fill_only: tuple[str, ...] = ()) -> bool:
    """Set the fields a record carries (empty values leave the field as it is; ``fill_only`` fields are set
    only where empty), recording each change. Returns whether anything changed."""
    changed = []
    for field, new in values.items():
        if new in (None, ""):
            continue
        old = getattr(obj, field)
        if old == new or (field in fill_only and old not in (None, "")):
            continue
        setattr(obj, field, new)
        changed.append((field, old, new))
    if not changed:
        return False
    if hasattr(obj, "field_sources"):
        sources = dict(obj.field_sources or {})
        for field, _, _ in changed:
            sources[field.removesuffix("_id")] = ctx.source_entry()
        obj.field_sources = sources
    if isinstance(obj, Firm):
        obj.name_key = firm_name_key(obj.name)
    if hasattr(obj, "updated_at"):
        obj.updated_at = ctx.at
    _check(obj)
    obj.save()
    if isinstance(obj, Firm) and ctx._index is not None:
        ctx._index.add_firm(obj)
    firm = _firm_of(obj)
    for field, old, new in changed:
        ctx.change(obj, field, old, new, firm)
    return True


# -- joining a record to a firm ------------------------------------------------------------------------------
def _live(qs):
    return qs.filter(merged_into__isnull=True)


def firm_find(
    *, national_id: str | None = None, national_code: str | None = None, name: str = "", county=None
):
    """The firm a record belongs to, by identifier first, then by the same name key in the same county (only
    when exactly one firm has it); None when no firm is sure."""
    if national_id:
        firm = Firm.objects.filter(national_id=national_id).first()
        if firm:
            return _surviving(firm)
    if national_code:
        firm = Firm.objects.filter(national_code=national_code).first()
        if firm:
            return _surviving(firm)
    key = firm_name_key(name) if name else ""
    if not key:
        return None
    candidates = _live(Firm.objects.filter(Q(name_key=key) | Q(names__name_key=key))).distinct()
    if county:
        candidates = candidates.filter(Q(county_id=county) | Q(county__isnull=True))
    # A firm with another identifier is another person, whatever its name.
    if national_id or national_code:
        candidates = candidates.filter(national_id__isnull=True, national_code__isnull=True)
    found = list(candidates[:2])
    return found[0] if len(found) == 1 else None


def _surviving(firm: Firm) -> Firm:
    seen = set()
    while firm.merged_into_id and firm.pk not in seen:
        seen.add(firm.pk)
        firm = firm.merged_into
    return firm


def _add_name(ctx: ChangeContext, firm: Firm, name: str) -> FirmName | None:
    """Keep ``name`` as another name of ``firm`` (unless the firm has that key); returns the new record."""
    key = firm_name_key(name)
    if not key or key == firm.name_key:
        return None
    # An import has its index; a single edit or merge asks the database.
    known = (
        (firm.pk, key) in ctx._index.names
        if ctx._index is not None
        else firm.names.filter(name_key=key).exists()
    )
    if known:
        return None
    return record_create(
        ctx, FirmName, firm=firm, name=name[:255], name_key=key, source=ctx.source[:255], batch=ctx.batch
    )


def firm_upsert(
    ctx: ChangeContext, record: dict, *, registered_name: bool = False, extra: dict | None = None
) -> Firm:
    """The firm of a record (found or created). ``registered_name``: the record comes from the firms register,
    whose name is the registered name; other agencies' spellings become other names of the firm."""
    name = record.get("name") or ""
    firm = ctx.index.find(
        national_id=record.get("national_id"),
        national_code=record.get("national_code"),
        name=name,
        county=record.get("county"),
    )
    values = {
        "national_id": record.get("national_id"),
        "national_code": record.get("national_code"),
        "county_id": record.get("county"),
        **(extra or {}),
    }
    if firm is None:
        # A record may name its firm by identifier alone (an exporter-ID list): the identifier stands as its
        # name until a register gives the registered one.
        name = name or record.get("national_id") or record.get("national_code") or ""
        legal = values.pop("legal_form", "") or (
            "sole" if record.get("national_code") and not record.get("national_id") else ""
        )
        return record_create(
            ctx,
            Firm,
            name=name[:255],
            name_key=firm_name_key(name),
            legal_form=legal,
            is_synthetic=bool(ctx.batch and ctx.batch.is_synthetic),
            **{k: v for k, v in values.items() if v not in (None, "")},
        )
    if registered_name:
        old_name = firm.name
        if record_set_fields(ctx, firm, {"name": name[:255]}) and old_name:
            _add_name(ctx, firm, old_name)
    elif name:
        _add_name(ctx, firm, name)
    # Identifiers and county fill what is empty; an agency never overwrites another's identifier.
    record_set_fields(ctx, firm, values, fill_only=("national_id", "national_code", "county_id"))
    return firm


# -- applying a prepared file ---------------------------------------------------------------------------------
def _apply_firms(ctx: ChangeContext, records: list[dict]) -> None:
    for r in records:
        extra = {k: r[k] for k in ("legal_form", "isic", "phone", "email", "address")}
        firm = firm_upsert(ctx, r, registered_name=True, extra=extra)
        for other in r["other_names"]:
            _add_name(ctx, firm, other)


def _apply_cards(ctx: ChangeContext, records: list[dict]) -> None:
    for r in records:
        card = ctx.index.cards.get(r["card_number"])
        if card is not None and not (r.get("national_id") or r.get("national_code")):
            firm = ctx.index.surviving(ctx.index.firms[card.firm_id])  # the card number identifies its holder
            _add_name(ctx, firm, r["name"])
        else:
            firm = firm_upsert(ctx, r)
        values = {
            "firm_id": firm.pk,
            "chamber": r["chamber"],
            "issued_on": r["issued_on"],
            "expires_on": r["expires_on"],
            "status": r["status"],
            "status_reason": r["status_reason"],
        }
        if card is None:
            record_create(
                ctx,
                CommercialCard,
                number=r["card_number"],
                is_synthetic=bool(ctx.batch and ctx.batch.is_synthetic),
                **{k: v for k, v in values.items() if v not in (None, "")},
            )
        else:
            record_set_fields(ctx, card, values)


def _apply_units(ctx: ChangeContext, records: list[dict]) -> None:
    by_licence: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_licence[r["licence_number"]].append(r)
    for licence, rows in by_licence.items():
        r = rows[0]
        firm = firm_upsert(ctx, r)
        values = {
            "firm_id": firm.pk,
            "name": r["unit_name"] or r["name"],
            "licence_date": r["licence_date"],
            "isic": r["isic"],
            "employees": r["employees"],
            "county_id": r["county"],
            "estate": r["estate"],
            "status": r["status"],
        }
        unit = ctx.index.units.get(licence)
        if unit is None:
            unit = record_create(
                ctx,
                IndustrialUnit,
                licence_number=licence,
                is_synthetic=bool(ctx.batch and ctx.batch.is_synthetic),
                **{k: v for k, v in values.items() if v not in (None, "")},
            )
        else:
            record_set_fields(ctx, unit, values)
        if not firm.isic and r["isic"]:
            record_set_fields(ctx, firm, {"isic": r["isic"]})
        for p in rows:
            if not p["product_code"]:
                continue
            product = ctx.index.products.get((unit.pk, p["product_code"]))
            pvalues = {
                "description": p["product_name"],
                "capacity": p["capacity"],
                "capacity_unit": p["capacity_unit"],
            }
            if product is None:
                record_create(
                    ctx,
                    UnitProduct,
                    unit=unit,
                    code=p["product_code"],
                    **{k: v for k, v in pvalues.items() if v not in (None, "")},
                )
            else:
                record_set_fields(ctx, product, pvalues)


def _apply_exporters(ctx: ChangeContext, records: list[dict]) -> None:
    for r in records:
        link = ctx.index.links.get(r["exporter_id"])
        if link is not None and not (r.get("national_id") or r.get("national_code")):
            if r["name"]:
                _add_name(ctx, ctx.index.surviving(ctx.index.firms[link.firm_id]), r["name"])
            continue
        firm = firm_upsert(ctx, r)
        if link is None:
            record_create(
                ctx,
                ExporterLink,
                exporter_id=r["exporter_id"],
                firm=firm,
                source=ctx.source[:255],
                batch=ctx.batch,
                is_synthetic=bool(ctx.batch and ctx.batch.is_synthetic),
            )
        else:
            record_set_fields(ctx, link, {"firm_id": firm.pk})


_APPLY = {
    RegistryBatch.Kind.FIRMS: _apply_firms,
    RegistryBatch.Kind.CARDS: _apply_cards,
    RegistryBatch.Kind.UNITS: _apply_units,
    RegistryBatch.Kind.EXPORTERS: _apply_exporters,
}


@dataclass(frozen=True)
class RegisterKind:
    """A register kept by another app through these batches (the standards directorate's standards and
    certificates): how its files are read (``prepare(path, *, kind, display_name, limits)`` returning an
    object shaped like :class:`PreparedRegistry`, with ``kind=None`` detecting its own kinds), how its records
    are applied (``apply(ctx, records)`` with :func:`record_create` / :func:`record_set_fields`), its models (for
    withdrawal), its template columns (``columns()``, read when needed), and what else a withdrawal must undo (``withdraw(batch)``,
    run after the batch's changes are undone; returns how many records it removed that the registry had
    kept)."""

    prepare: Callable
    apply: Callable[[ChangeContext, list[dict]], None]
    models: tuple[type, ...]
    columns: Callable[[], tuple]
    withdraw: Callable[[RegistryBatch], int] | None = None


#: Registered by the owning app's ``AppConfig.ready`` (the registry does not import its users).
PLUGINS: dict[str, RegisterKind] = {}


def register_kind(kind: str, plugin: RegisterKind) -> None:
    PLUGINS[kind] = plugin


def template_columns(kind: str) -> tuple | None:
    """The columns of a register's import template (None for an unknown kind), their example dates in the
    workspace's calendar (2024-05-04 under a Gregorian profile, as the import then reads them)."""
    from saderat.ingest.registry import TEMPLATES
    from saderat.ingest.sheets import columns_in_calendar
    from saderat.web.reference.selectors import workspace_calendar

    plugin = PLUGINS.get(kind)
    columns = TEMPLATES.get(kind) or (plugin.columns() if plugin else None)
    return columns_in_calendar(columns, workspace_calendar()) if columns else None


def _prepare(source: Path, *, kind: str | None, display_name: str, limits):
    """Read and validate a register file: a registered kind by its own reader; with no kind, the registry's
    detection first, then each registered reader's."""
    if kind in PLUGINS:
        return PLUGINS[kind].prepare(source, kind=kind, display_name=display_name, limits=limits)
    if kind:
        return prepare_registry(
            source, lookups=registry_lookups(), kind=kind, display_name=display_name, limits=limits
        )
    # Detection: every family of templates is asked, and a file that more than one recognises (a certificates
    # file whose headers also make a firms file) is refused until its kind is chosen, rather than applied as
    # the first one that fits.
    found, error = [], None
    readers = [
        lambda: prepare_registry(
            source, lookups=registry_lookups(), kind=None, display_name=display_name, limits=limits
        ),
        # One reader per family: the kinds of one app share their reader, which detects among them.
        *(
            (lambda prepare=prepare: prepare(source, kind=None, display_name=display_name, limits=limits))
            for prepare in dict.fromkeys(plugin.prepare for plugin in PLUGINS.values())
        ),
    ]
    for read in readers:
        try:
            found.append(read())
        except ImportFileError as exc:
            error = error or exc
    if len(found) == 1:
        return found[0]
    if not found:
        raise error
    kinds = "، ".join(str(RegistryBatch.Kind(p.kind).label) for p in found)
    raise ImportFileError(AMBIGUOUS_KIND.format(file=display_name, kinds=kinds))


# -- batches --------------------------------------------------------------------------------------------------
def batch_dir(batch: RegistryBatch) -> Path:
    return Path(settings.SADERAT_HOME) / "registry" / str(batch.pk)


def stored_source(batch: RegistryBatch) -> Path | None:
    files = sorted(batch_dir(batch).glob("source*"))
    return files[0] if files else None


def problems_file(batch: RegistryBatch) -> Path:
    return batch_dir(batch) / "problems.csv"


def registry_lookups():
    """Reference tables for validation: counties (by code or name), ISIC Rev.4 codes, HS chapters/headings;
    and the workspace's calendar, in which the files' dates are read."""
    from saderat.ingest.registry import RegistryLookups
    from saderat.reference.loaders import load_hs, load_isic
    from saderat.web.reference.selectors import reference_lookups, workspace_calendar

    ref = reference_lookups()
    isic = load_isic()
    hs = load_hs()
    return RegistryLookups(
        county_code=lambda text: ref.county_code(text),
        isic_codes=frozenset(isic.loc[isic["level"] == 4, "code"]),
        known_hs=frozenset(hs.loc[hs["level"].astype(str).isin(["2", "4"]), "code"]),
        calendar=workspace_calendar(),
    )


def _write_problems(prepared: PreparedRegistry, path: Path) -> None:
    frame = prepared.rejections_frame().map(spreadsheet_safe)
    frame = frame.rename(
        columns={
            "source_row": "ردیف (row)",
            "column": "ستون (column)",
            "value": "مقدار (value)",
            "reason": "علت (reason)",
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, encoding="utf-8-sig")


def _finish(batch: RegistryBatch, status: str, message: str) -> RegistryBatch:
    RegistryBatch.objects.filter(pk=batch.pk).update(
        status=status, message=message, finished_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def registry_batch_create(
    *,
    path: Path,
    display_name: str,
    user=None,
    kind: str | None = None,
    synthetic: bool = False,
    accept_partial: bool = False,
    move: bool = True,
    enqueue: bool = True,
) -> tuple[RegistryBatch, bool]:
    """Record a file as a queued registry batch, keep the file, queue the job. Returns ``(batch, duplicate)``:
    a file already imported (same kind detected or asked, same bytes) changes nothing."""
    checksum = file_checksum(path)
    existing = RegistryBatch.objects.filter(status=RegistryBatch.Status.ACTIVE, checksum=checksum)
    if kind:
        existing = existing.filter(kind=kind)
    found = existing.first()
    if found is not None:
        if move:
            path.unlink(missing_ok=True)
        found.message = DUPLICATE_FILE.format(batch=_fa(found.pk))
        return found, True
    batch = RegistryBatch.objects.create(
        kind=kind or "",
        source_name=display_name[:255],
        checksum=checksum,
        status=RegistryBatch.Status.QUEUED,
        created_by=_user(user),
        is_synthetic=synthetic,
        accept_partial=accept_partial,
    )
    folder = batch_dir(batch)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / ("source" + "".join(Path(display_name).suffixes[-2:]).lower())
    (shutil.move if move else shutil.copyfile)(str(path), str(target))
    if enqueue:
        _enqueue(batch)
    return batch, False


def _enqueue(batch: RegistryBatch) -> None:
    from saderat.web.registry.jobs import run_registry_import

    batch_id = batch.pk
    if settings.SADERAT_IMPORT_ISOLATION == "inline":
        run_registry_import.enqueue(batch_id)
        batch.refresh_from_db()
    else:
        transaction.on_commit(lambda: run_registry_import.enqueue(batch_id))


def registry_batch_run(*, batch: RegistryBatch) -> RegistryBatch:
    """Run a queued batch here: read, validate, hold or apply (one transaction), then resolve."""
    claimed = RegistryBatch.objects.filter(
        pk=batch.pk, status__in=[RegistryBatch.Status.QUEUED, RegistryBatch.Status.HELD]
    ).update(
        status=RegistryBatch.Status.RUNNING,
        started_at=timezone.now(),
        worker_pid=os.getpid(),
        worker_host=socket.gethostname()[:255],
    )
    if not claimed:
        batch.refresh_from_db()
        return batch
    batch.refresh_from_db()
    source = stored_source(batch)
    if source is None:
        return _finish(batch, RegistryBatch.Status.FAILED, SOURCE_MISSING.format(batch=_fa(batch.pk)))
    from saderat.web.imports.services import import_limits

    faults.checkpoint("read")
    try:
        prepared = _prepare(
            source,
            kind=batch.kind or None,
            display_name=batch.source_name,
            limits=import_limits()["limits"],
        )
    except ImportFileError as exc:
        return _finish(batch, RegistryBatch.Status.FAILED, str(exc))
    except Exception as exc:  # noqa: BLE001 - a reader crash must end the batch with its reason, never hang it
        log.exception("registry batch %s failed", batch.pk)
        return _finish(
            batch, RegistryBatch.Status.FAILED, UNEXPECTED.format(file=batch.source_name, error=exc)
        )
    RegistryBatch.objects.filter(pk=batch.pk).update(
        kind=prepared.kind,
        rows_read=prepared.rows_read,
        rows_accepted=prepared.rows_accepted,
        rows_rejected=prepared.rows_rejected,
    )
    batch.refresh_from_db()
    if batch.created_by is not None and not permissions.can_manage_registry(batch.created_by, prepared.kind):
        # Detected from the headers: a register the uploader does not keep (a certificates file sent by the
        # secretariat) is refused, not applied.
        refused = NOT_YOUR_REGISTER.format(kind=batch.get_kind_display())
        return _finish(batch, RegistryBatch.Status.FAILED, refused)
    if prepared.rows_rejected:
        _write_problems(prepared, problems_file(batch))
    if not prepared.records:
        return _finish(batch, RegistryBatch.Status.FAILED, NOTHING_ACCEPTED.format(file=batch.source_name))
    if prepared.rows_rejected and not batch.accept_partial:
        return _finish(
            batch,
            RegistryBatch.Status.HELD,
            HELD.format(rejected=_fa(prepared.rows_rejected), read=_fa(prepared.rows_read)),
        )
    faults.checkpoint("validate")
    try:
        with transaction.atomic():
            # The first write takes the activation lock (one row, shared with trade imports: on PostgreSQL its
            # row lock, on SQLite the database's write lock): two imports meet here one after the other, so the
            # second sees the firms of the first, and finds the same file already active.
            ActivationLock.take()
            twin = (
                RegistryBatch.objects.filter(
                    kind=prepared.kind, checksum=batch.checksum, status=RegistryBatch.Status.ACTIVE
                )
                .exclude(pk=batch.pk)
                .first()
            )
            if twin is not None:
                RegistryBatch.objects.filter(pk=batch.pk).update(
                    status=RegistryBatch.Status.DUPLICATE,
                    message=DUPLICATE_FILE.format(batch=_fa(twin.pk)),
                    finished_at=timezone.now(),
                )
                batch.refresh_from_db()
                return batch
            ctx = ChangeContext(user=batch.created_by, batch=batch)
            apply = PLUGINS[prepared.kind].apply if prepared.kind in PLUGINS else _APPLY[prepared.kind]
            apply(ctx, prepared.records)
            ctx.flush()
            faults.checkpoint("commit")
            message = IMPORTED.format(
                accepted=_fa(prepared.rows_accepted),
                created=_fa(ctx.created),
                updated=_fa(ctx.updated),
                rejected=_fa(prepared.rows_rejected),
            )
            RegistryBatch.objects.filter(pk=batch.pk).update(
                status=RegistryBatch.Status.ACTIVE,
                message=message,
                finished_at=timezone.now(),
                created_records=ctx.created,
                updated_records=ctx.updated,
            )
    except (ValidationError, IntegrityError) as exc:
        return _finish(
            batch, RegistryBatch.Status.FAILED, UNEXPECTED.format(file=batch.source_name, error=exc)
        )
    batch.refresh_from_db()
    if not ctx.firms_created:  # no new firm: nothing the resolver has not already seen
        return batch
    try:
        outcome = registry_resolve(user=batch.created_by)
    except Exception as exc:  # noqa: BLE001 - the file is recorded; joining can be run again from the page
        log.exception("entity resolution after registry batch %s failed", batch.pk)
        RegistryBatch.objects.filter(pk=batch.pk).update(
            message=batch.message + " " + RESOLVE_FAILED.format(error=exc)
        )
    else:
        if outcome["merged"] or outcome["queued"]:
            note = RESOLVED.format(merged=_fa(outcome["merged"]), queued=_fa(outcome["queued"]))
            RegistryBatch.objects.filter(pk=batch.pk).update(message=batch.message + " " + note)
    batch.refresh_from_db()
    return batch


def _process_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is dead for us
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ")[-1][:1] != "Z"
    except OSError:
        return True


def registry_reap_stale() -> int:
    """Fail running registry batches whose process is gone (killed, machine restarted) or that ran past
    ``SADERAT_IMPORT_MAX_SECONDS``; their transaction never committed, so nothing of them is in the registry.
    A batch run on another host is judged by the time limit only."""
    host = socket.gethostname()[:255]
    limit = timezone.now() - dt.timedelta(seconds=settings.SADERAT_IMPORT_MAX_SECONDS)
    failed = 0
    for batch in RegistryBatch.objects.filter(status=RegistryBatch.Status.RUNNING):
        gone = batch.worker_host == host and not _process_alive(batch.worker_pid)
        if gone or (batch.started_at and batch.started_at < limit):
            failed += RegistryBatch.objects.filter(pk=batch.pk, status=RegistryBatch.Status.RUNNING).update(
                status=RegistryBatch.Status.FAILED,
                message=STOPPED.format(file=batch.source_name),
                finished_at=timezone.now(),
            )
    return failed


def registry_import_file(
    *,
    path: Path | str,
    display_name: str | None = None,
    user=None,
    kind: str | None = None,
    accept_partial: bool = False,
    synthetic: bool = False,
) -> tuple[RegistryBatch, bool]:
    """Import a registry file now, in this process (the CLI and the demo): create the batch and run it."""
    path = Path(path)
    batch, duplicate = registry_batch_create(
        path=path,
        display_name=display_name or path.name,
        user=user,
        kind=kind,
        synthetic=synthetic,
        accept_partial=accept_partial,
        move=False,
        enqueue=False,
    )
    if duplicate:
        return batch, True
    return registry_batch_run(batch=batch), False


def registry_batch_accept_partial(*, batch: RegistryBatch, user) -> RegistryBatch:
    """Import the accepted rows of a held batch."""
    permissions.require_registry_manager(user, batch.kind)
    if batch.status != RegistryBatch.Status.HELD:
        raise ValidationError(NOT_HELD)
    RegistryBatch.objects.filter(pk=batch.pk).update(accept_partial=True, status=RegistryBatch.Status.QUEUED)
    batch.refresh_from_db()
    _enqueue(batch)
    batch.refresh_from_db()
    return batch


def _delete_created(obj) -> bool:
    try:
        with transaction.atomic():
            obj.delete()
        return True
    except ProtectedError:
        return False


@transaction.atomic
def registry_batch_withdraw(*, batch: RegistryBatch, user, system: bool = False) -> RegistryBatch:
    """Undo what a batch did: fields it changed get their earlier value back (where no later change
    overwrote them), records it created are removed (kept if another batch's records depend on them).
    ``system``: the demo replacing its own synthetic batches (no user acts)."""
    if not system:
        permissions.require_registry_manager(user, batch.kind)
    ActivationLock.take()  # no import or merge runs while a batch is undone
    locked = RegistryBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != RegistryBatch.Status.ACTIVE:
        raise ValidationError(NOT_ACTIVE)
    plugin_models = [m for plugin in PLUGINS.values() for m in plugin.models]
    models = {
        m._meta.model_name: m
        for m in (Firm, FirmName, CommercialCard, IndustrialUnit, UnitProduct, ExporterLink, *plugin_models)
    }
    reverted = kept = 0
    for change in RegistryChange.objects.filter(batch=locked, reverted=False).order_by("-at", "-id"):
        model = models.get(change.model)
        obj = model.objects.filter(pk=change.object_id).first() if model else None
        if obj is None:
            continue
        if change.field == "*":
            # Kept: a record that another active file also carries (it changed it later), or a firm the
            # resolver merged into another (the merge is undone from the review queue, not silently here).
            carried = (
                RegistryChange.objects.filter(model=change.model, object_id=change.object_id, reverted=False)
                .exclude(batch=locked)
                .exclude(batch__isnull=True)
                .exists()
            )
            if carried or getattr(obj, "merged_into_id", None) or not _delete_created(obj):
                kept += 1
            else:
                reverted += 1
            continue
        newer = RegistryChange.objects.filter(
            model=change.model,
            object_id=change.object_id,
            field=change.field,
            id__gt=change.id,
            reverted=False,
        ).exclude(batch=locked)
        if newer.exists():
            continue
        setattr(obj, change.field, _from_json(change.field, change.old))
        if isinstance(obj, Firm):
            obj.name_key = firm_name_key(obj.name)
        obj.save()
        reverted += 1
    RegistryChange.objects.filter(batch=locked).update(reverted=True)
    if locked.kind in PLUGINS and PLUGINS[locked.kind].withdraw is not None:
        kept -= PLUGINS[locked.kind].withdraw(locked)  # what the owning app removes is no longer kept
    message = WITHDRAWN.format(reverted=_fa(reverted)) + (
        WITHDRAWN_KEPT.format(kept=_fa(kept)) if kept else ""
    )
    RegistryBatch.objects.filter(pk=locked.pk).update(
        status=RegistryBatch.Status.WITHDRAWN,
        withdrawn_at=timezone.now(),
        withdrawn_by=_user(user),
        message=message,
    )
    locked.refresh_from_db()
    return locked


# -- edits from the firm page ---------------------------------------------------------------------------------
@transaction.atomic
def firm_update(*, firm: Firm, user, **values) -> Firm:
    """Edit a firm's registry fields by hand (secretariat); each change recorded with the user as source."""
    permissions.require_registry_manager(user, RegistryBatch.Kind.FIRMS)
    allowed = {k: v for k, v in values.items() if k in FIRM_FIELDS}
    ctx = ChangeContext(user=user, source=f"ویرایش {getattr(user, 'username', '')}".strip())
    record_set_fields(ctx, firm, allowed)
    ctx.flush()
    return firm


# -- merges ---------------------------------------------------------------------------------------------------
def _check_mergeable(keep: Firm, other: Firm) -> None:
    if keep.pk == other.pk:
        raise ValidationError(MERGE_SELF)
    # Identifiers decide: two different national IDs (or codes) are two persons, and a legal person (national
    # ID) is not a natural person (national code).
    a, b = keep.national_id or keep.national_code, other.national_id or other.national_code
    if a and b and a != b:
        raise ValidationError(MERGE_CONFLICT.format(a=a, b=b))


@transaction.atomic
def firm_merge(
    *, keep: Firm, other: Firm, user=None, review: MatchReview | None = None, automatic: bool = False
) -> MatchReview:
    """Join ``other`` into ``keep``: its cards, units, exporter IDs and names move; it stays as a record that
    points at ``keep`` (so links and history keep working) and the move is recorded to be undone."""
    if not automatic:
        permissions.require_registry_manager(user, RegistryBatch.Kind.FIRMS)
    keep, other = _surviving(keep), _surviving(other)
    _check_mergeable(keep, other)
    ctx = ChangeContext(user=user, source="ادغام خودکار" if automatic else "ادغام دبیرخانه")
    moved = {
        "cards": list(other.cards.values_list("pk", flat=True)),
        "units": list(other.units.values_list("pk", flat=True)),
        "exporter_links": list(other.exporter_links.values_list("pk", flat=True)),
        "names": list(other.names.values_list("pk", flat=True)),
        "filled": {},
    }
    CommercialCard.objects.filter(pk__in=moved["cards"]).update(firm=keep)
    IndustrialUnit.objects.filter(pk__in=moved["units"]).update(firm=keep)
    ExporterLink.objects.filter(pk__in=moved["exporter_links"]).update(firm=keep)
    for name in FirmName.objects.filter(pk__in=moved["names"]):
        if keep.names.filter(name_key=name.name_key).exists() or name.name_key == keep.name_key:
            continue
        FirmName.objects.filter(pk=name.pk).update(firm=keep)
    # Fill the surviving firm's empty fields from the other (recorded, so the undo empties them again).
    for field in (
        "national_id",
        "national_code",
        "county_id",
        "isic",
        "legal_form",
        "phone",
        "email",
        "address",
    ):
        value = getattr(other, field)
        if value not in (None, "") and getattr(keep, field) in (None, ""):
            moved["filled"][field] = _json(value)
    unique_moves = {f: v for f, v in moved["filled"].items() if f in ("national_id", "national_code")}
    if unique_moves:  # the other firm gives up its unique identifiers before the surviving firm takes them
        Firm.objects.filter(pk=other.pk).update(**{f: None for f in unique_moves})
        moved["other_identifiers"] = unique_moves
    record_set_fields(ctx, keep, {f: v for f, v in moved["filled"].items()})
    alias = _add_name(ctx, keep, other.name)
    moved["alias"] = alias.pk if alias else None
    Firm.objects.filter(pk=other.pk).update(merged_into=keep, updated_at=ctx.at)
    ctx.change(other, "merged_into", None, keep.pk, keep)
    ctx.flush()
    pair = sorted([keep.pk, other.pk])
    review = review or MatchReview.objects.filter(firm_a_id=pair[0], firm_b_id=pair[1]).first()
    if review is None:
        review = MatchReview(firm_a_id=pair[0], firm_b_id=pair[1], probability=1.0)
    review.decision = MatchReview.Decision.MERGED
    review.automatic = automatic
    review.moved = {"keep": keep.pk, "other": other.pk, **moved}
    review.decided_by = ctx.user
    review.decided_at = ctx.at
    review.save()
    return review


@transaction.atomic
def firm_unmerge(*, review: MatchReview, user) -> MatchReview:
    """Undo a merge: what moved goes back, the filled fields are emptied, the other firm stands alone again."""
    permissions.require_registry_manager(user, RegistryBatch.Kind.FIRMS)
    review = MatchReview.objects.select_for_update().get(pk=review.pk)
    if review.decision != MatchReview.Decision.MERGED:
        raise ValidationError(ALREADY_DECIDED)
    moved = review.moved
    keep = Firm.objects.get(pk=moved["keep"])
    other = Firm.objects.get(pk=moved["other"])
    if keep.merged_into_id:  # a later merge took everything on: it is undone first
        raise ValidationError(UNDO_LATER_FIRST.format(firm=keep.name))
    ctx = ChangeContext(user=user, source="برگرداندن ادغام")
    CommercialCard.objects.filter(pk__in=moved["cards"], firm=keep).update(firm=other)
    IndustrialUnit.objects.filter(pk__in=moved["units"], firm=keep).update(firm=other)
    ExporterLink.objects.filter(pk__in=moved["exporter_links"], firm=keep).update(firm=other)
    FirmName.objects.filter(pk__in=moved["names"]).update(firm=other)
    for field, value in moved.get("filled", {}).items():
        if _json(getattr(keep, field)) == value:
            setattr(keep, field, None if field in ("national_id", "national_code", "county_id") else "")
    keep.save()
    Firm.objects.filter(pk=other.pk).update(merged_into=None, **moved.get("other_identifiers", {}))
    if moved.get("alias"):  # only the other name the merge added; names the firm had before stay
        FirmName.objects.filter(pk=moved["alias"], firm=keep).delete()
    ctx.change(other, "merged_into", keep.pk, None, other)
    ctx.flush()
    review.decision = MatchReview.Decision.UNDONE
    review.decided_by = ctx.user
    review.decided_at = ctx.at
    review.save()
    return review


@transaction.atomic
def match_review_decide(*, review: MatchReview, merge: bool, user) -> MatchReview:
    """The secretariat's decision on a pair in the review queue: merge (firm_b into firm_a) or keep apart."""
    permissions.require_registry_manager(user, RegistryBatch.Kind.FIRMS)
    if review.decision != MatchReview.Decision.PENDING:
        raise ValidationError(ALREADY_DECIDED)
    if merge:
        return firm_merge(keep=review.firm_a, other=review.firm_b, user=user, review=review)
    review.decision = MatchReview.Decision.KEPT_APART
    review.decided_by = _user(user)
    review.decided_at = timezone.now()
    review.save()
    return review


@transaction.atomic
def registry_resolve(*, user=None, threshold: float | None = None) -> dict:
    """Run the entity resolver over every unmerged firm (names, other names, identifiers, county, ISIC):
    clusters above the threshold are merged automatically (audited, reversible), pairs between the review
    floor and the threshold go to the review queue (once: a pair decided before is not asked again).
    Under the activation lock: no import reads the registry while firms are being merged."""
    import pandas as pd

    from saderat.registry.resolve import resolve_firms

    ActivationLock.take()

    firms = list(
        _live(Firm.objects.all()).values("pk", "name", "national_id", "national_code", "county_id", "isic")
    )
    if len(firms) < 2:
        return {"merged": 0, "queued": 0}
    rows = [
        {
            "record_id": f"{f['pk']}",
            "name": f["name"],
            # Either identifier: the resolver never joins two different ones (11 and 10 digits never collide).
            "national_id": f["national_id"] or f["national_code"] or "",
            "county": f["county_id"] or "",
            "isic": f["isic"] or "",
        }
        for f in firms
    ]
    kwargs = {} if threshold is None else {"threshold": threshold}
    decided = {
        (r.firm_a_id, r.firm_b_id) for r in MatchReview.objects.exclude(decision=MatchReview.Decision.PENDING)
    }
    # Pairs the secretariat kept apart (or whose merge it undid) are never joined again, not even through a
    # chain of other matches.
    apart = MatchReview.objects.filter(
        decision__in=[MatchReview.Decision.KEPT_APART, MatchReview.Decision.UNDONE]
    )
    keep_apart = [(str(a), str(b)) for a, b in apart.values_list("firm_a_id", "firm_b_id")]
    resolution = resolve_firms(pd.DataFrame(rows), keep_apart=keep_apart, **kwargs)
    merged = queued = 0
    assignments = resolution.assignments
    for _, group in assignments.groupby("firm_key"):
        ids = sorted(int(r) for r in group["record_id"])
        if len(ids) < 2:
            continue
        keep = Firm.objects.get(pk=ids[0])
        for other_id in ids[1:]:
            pair = (ids[0], other_id)
            if pair in decided:
                continue
            other = Firm.objects.get(pk=other_id)
            if _surviving(other).pk == _surviving(keep).pk:
                continue
            try:
                firm_merge(keep=keep, other=other, user=user, automatic=True)
                merged += 1
            except ValidationError:
                continue
    for r in resolution.review.itertuples():
        a, b = sorted((int(r.record_id_l), int(r.record_id_r)))
        if (a, b) in decided:
            continue
        _, created = MatchReview.objects.get_or_create(
            firm_a_id=a,
            firm_b_id=b,
            defaults={"probability": float(r.probability), "reason": str(r.reason)[:255]},
        )
        queued += int(created)
    return {"merged": merged, "queued": queued}


# -- alerts ---------------------------------------------------------------------------------------------------
def card_expiry_alerts_send(*, today: dt.date | None = None) -> int:
    """Tell the chamber's members of cards that expire in 60, 30 or 7 days (once per card and threshold); the
    firm's record shows the alert too (:class:`CardAlert`). Returns the number of alerts sent."""
    from saderat.web.accounts.models import Agency
    from saderat.web.reference.selectors import workspace_date
    from saderat.web.workgroup import notifications

    today = today or timezone.localdate()
    chamber = Agency.objects.filter(code="chamber").first()
    members = notifications.agency_members(chamber)
    sent = 0
    horizon = today + dt.timedelta(days=max(CARD_ALERT_DAYS))
    cards = CommercialCard.objects.filter(expires_on__gte=today, expires_on__lte=horizon).exclude(
        status=CommercialCard.Status.SUSPENDED
    )
    for card in cards.select_related("firm"):
        days_left = (card.expires_on - today).days
        threshold = min(d for d in CARD_ALERT_DAYS if days_left <= d)
        with transaction.atomic():
            _, created = CardAlert.objects.get_or_create(
                card=card, days_before=threshold, expires_on=card.expires_on
            )
            if not created:
                continue
            notifications.notify(
                members,
                kind="card_expiry",
                message=CARD_EXPIRING.format(
                    number=to_persian_digits(card.number),
                    firm=_surviving(card.firm).name,
                    days=to_persian_digits(days_left),
                    date=to_persian_digits(workspace_date(card.expires_on)),
                ),
            )
            sent += 1
    return sent


def lapsed_exporter_alerts_send(*, region: str, min_value: float = 1e6) -> int:
    """Tell the TPO's members of large lapsed exporters (exported at least ``min_value`` before, in the
    reporting currency: a million dollars in Iran; nothing in the latest 12 months of declaration data); once
    per firm and latest data month."""
    from saderat.web.accounts.models import Agency
    from saderat.web.reference.selectors import in_currency
    from saderat.web.registry.selectors import lapsed_exporters
    from saderat.web.workgroup import notifications
    from saderat.web.workgroup.models import Notification

    tpo = Agency.objects.filter(code="tpo").first()
    members = notifications.agency_members(tpo)
    sent = 0
    # The stored message is Persian whatever language the caller's request is in: the currency's Persian name
    # («رئال برزیل»), not the code an English page would show.
    with translation.override("fa"):
        template = in_currency(LAPSED_EXPORTER)
    for row in lapsed_exporters(region=region, min_value=min_value):
        message = template.format(
            firm=row["firm_name"],
            years=to_persian_digits(row["years_exported"]),
            value=to_persian_digits(f"{row['value_before'] / 1e6:,.1f}".replace(",", "٬").replace(".", "٫")),
        )
        if Notification.objects.filter(kind="lapsed_exporter", message=message).exists():
            continue
        notifications.notify(members, kind="lapsed_exporter", message=message)
        sent += 1
    return sent


def require(user, kind: str) -> None:
    """Raise :class:`PermissionDenied` unless ``user`` may manage registers of ``kind``."""
    if not permissions.can_manage_registry(user, kind):
        raise PermissionDenied(permissions.NOT_ALLOWED_MANAGE)
