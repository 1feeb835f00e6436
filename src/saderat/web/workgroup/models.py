"""The working group's follow-up loop: sessions, their resolutions, progress updates with evidence, deadline
extensions, status history and in-app notifications.

Nothing here is overwritten: a resolution's deadline as decided stays in :attr:`Resolution.deadline`; an
extension is a :class:`DeadlineExtension` row (the deadline in force is copied to
:attr:`Resolution.current_deadline` for querying). Every change of status or percent done is a
:class:`StatusChange` row. Writes go through :mod:`saderat.web.workgroup.services`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from saderat.web.common.audit import audited

#: An open resolution whose deadline falls within this many days is flagged "due soon".
DUE_SOON_DAYS = 7


@audited
class Session(models.Model):
    """A meeting of the working group (جلسه کارگروه)."""

    number = models.PositiveIntegerField(_("شماره جلسه"), unique=True)
    held_on = models.DateField(_("تاریخ جلسه"), db_index=True)
    chair = models.CharField(_("رئیس جلسه"), max_length=200)
    location = models.CharField(_("محل برگزاری"), max_length=200, blank=True)
    agenda = models.TextField(_("دستور جلسه"), blank=True)
    minutes = models.TextField(_("صورت‌جلسه"), blank=True)
    is_synthetic = models.BooleanField(_("نمونه (ساختگی)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ثبت"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-number"]
        verbose_name = _("جلسه کارگروه")
        verbose_name_plural = _("جلسات کارگروه")

    def __str__(self) -> str:
        return f"جلسه {self.number}"


@audited
class Attendee(models.Model):
    """Who was invited to a session: an agency, a person (with or without an account), present or absent."""

    session = models.ForeignKey(
        Session, verbose_name=_("جلسه"), on_delete=models.CASCADE, related_name="attendees"
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("دستگاه"), null=True, blank=True, on_delete=models.PROTECT
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("نام"), max_length=200, blank=True)
    title = models.CharField(_("سمت"), max_length=200, blank=True)
    present = models.BooleanField(_("حاضر"), default=True)

    class Meta:
        ordering = ["session", "-present", "agency__name_fa", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False) | models.Q(user__isnull=False) | ~models.Q(name=""),
                name="attendee_is_someone",
            )
        ]
        verbose_name = _("حاضر/غایب جلسه")
        verbose_name_plural = _("حاضران و غایبان جلسه")

    def __str__(self) -> str:
        who = self.person
        if self.agency:
            who = f"{who} ({self.agency})" if who else str(self.agency)
        return who

    @property
    def person(self) -> str:
        """The person's name as recorded (or the user's), without the agency: data, in the language typed."""
        return self.name or (self.user.get_full_name() or self.user.username if self.user else "")


class Priority(models.TextChoices):
    HIGH = "high", _("بالا")
    NORMAL = "normal", _("عادی")
    LOW = "low", _("پایین")


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("شروع نشده")
    IN_PROGRESS = "in_progress", _("در حال انجام")
    DONE = "done", _("انجام شده")
    BLOCKED = "blocked", _("متوقف (مانع دارد)")
    CANCELLED = "cancelled", _("لغو شده")


#: Statuses in which a resolution still needs work.
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED)
#: What an agency member may report; "done" is only requested, and confirmed by the secretariat.
MEMBER_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED)


class ResolutionQuerySet(models.QuerySet):
    """The follow-up's questions, asked once: which resolutions still need work, which are past their
    deadline in force, which fall due within :data:`DUE_SOON_DAYS`. A resolution whose agency has asked for
    "done" is with the secretariat: neither overdue nor due soon (as :meth:`Resolution.flag`)."""

    def open(self) -> ResolutionQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: dt.date) -> ResolutionQuerySet:
        return self.open().filter(done_requested=False, current_deadline__lt=today)

    def due_soon(self, today: dt.date) -> ResolutionQuerySet:
        return self.open().filter(
            done_requested=False,
            current_deadline__gte=today,
            current_deadline__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )

    def awaiting_confirmation(self) -> ResolutionQuerySet:
        return self.open().filter(done_requested=True)


@audited
class Resolution(models.Model):
    """A decision of a session (مصوبه) with a responsible agency, a deadline, a status and evidence."""

    session = models.ForeignKey(
        Session, verbose_name=_("جلسه"), on_delete=models.PROTECT, related_name="resolutions"
    )
    number = models.PositiveSmallIntegerField(_("شماره بند"))
    text = models.TextField(_("متن مصوبه"))
    responsible_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("دستگاه مسئول"),
        on_delete=models.PROTECT,
        related_name="resolutions",
    )
    supporting_agencies = models.ManyToManyField(
        "accounts.Agency", verbose_name=_("دستگاه‌های همکار"), blank=True, related_name="supported_resolutions"
    )
    deadline = models.DateField(_("مهلت مصوب"))
    current_deadline = models.DateField(_("مهلت جاری"), db_index=True)
    priority = models.CharField(_("اولویت"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(
        _("وضعیت"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED, db_index=True
    )
    percent_done = models.PositiveSmallIntegerField(
        _("درصد پیشرفت"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    done_requested = models.BooleanField(_("درخواست تأیید انجام"), default=False)
    done_requested_on = models.DateField(_("تاریخ درخواست تأیید انجام"), null=True, blank=True)
    completed_on = models.DateField(_("تاریخ انجام"), null=True, blank=True)
    # What the resolution is about (each optional).
    target = models.ForeignKey(
        "targets.Target", verbose_name=_("هدف کمی"), null=True, blank=True, on_delete=models.SET_NULL
    )
    hs_code = models.ForeignKey(
        "reference.HSCode", verbose_name=_("کالا (کد HS)"), null=True, blank=True, on_delete=models.SET_NULL
    )
    country = models.ForeignKey(
        "reference.Country", verbose_name=_("بازار مقصد"), null=True, blank=True, on_delete=models.SET_NULL
    )
    county = models.ForeignKey(
        "reference.County", verbose_name=_("شهرستان"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Firms the resolution names (e.g. potential exporters to be approached): the firm page lists them.
    firms = models.ManyToManyField(
        "registry.Firm", verbose_name=_("بنگاه‌ها"), blank=True, related_name="resolutions"
    )
    is_synthetic = models.BooleanField(_("نمونه (ساختگی)"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ثبت‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("زمان ثبت"), default=timezone.now)
    updated_at = models.DateTimeField(_("آخرین تغییر"), default=timezone.now)

    objects = ResolutionQuerySet.as_manager()

    class Meta:
        ordering = ["current_deadline", "session__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="uniq_resolution_number"),
            models.CheckConstraint(
                condition=models.Q(percent_done__gte=0, percent_done__lte=100),
                name="resolution_percent_range",
            ),
        ]
        verbose_name = _("مصوبه")
        verbose_name_plural = _("مصوبات")

    def __str__(self) -> str:
        return f"مصوبه {self.code}"

    @property
    def code(self) -> str:
        """``12-3``: item 3 of session 12, the way minutes cite a resolution."""
        return f"{self.session.number}-{self.number}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def awaiting_confirmation(self) -> bool:
        return self.is_open and self.done_requested

    def days_overdue(self, today: dt.date | None = None) -> int:
        """Days past the deadline in force for an open resolution (0 if not overdue).

        A resolution whose agency has asked for "done" is with the secretariat, not late.
        """
        today = today or timezone.localdate()
        if not self.is_open or self.done_requested:
            return 0
        return max((today - self.current_deadline).days, 0)

    def flag(self, today: dt.date | None = None) -> str | None:
        """``overdue``, ``due_soon`` (within :data:`DUE_SOON_DAYS`), ``awaiting`` (done requested) or None."""
        today = today or timezone.localdate()
        if not self.is_open:
            return None
        if self.done_requested:
            return "awaiting"
        if self.current_deadline < today:
            return "overdue"
        if (self.current_deadline - today).days <= DUE_SOON_DAYS:
            return "due_soon"
        return None

    @property
    def days_late_at_completion(self) -> int | None:
        if self.status != Status.DONE or self.completed_on is None:
            return None
        return max((self.completed_on - self.current_deadline).days, 0)


@audited
class DeadlineExtension(models.Model):
    """A dated extension of a resolution's deadline, with its reason; the earlier deadline stays."""

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("مصوبه"), on_delete=models.CASCADE, related_name="extensions"
    )
    previous_deadline = models.DateField(_("مهلت پیشین"))
    new_deadline = models.DateField(_("مهلت تازه"))
    reason = models.TextField(_("دلیل تمدید"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("زمان"), default=timezone.now)

    class Meta:
        ordering = ["resolution", "extended_at", "id"]
        verbose_name = _("تمدید مهلت")
        verbose_name_plural = _("تمدیدهای مهلت")

    def __str__(self) -> str:
        return f"{self.resolution}: {self.previous_deadline} → {self.new_deadline}"


@audited
class ProgressUpdate(models.Model):
    """A report on a resolution by its agency (or the secretariat), with evidence files."""

    class Review(models.TextChoices):
        ACCEPTED = "accepted", _("انجام تأیید شد")
        SENT_BACK = "sent_back", _("برگشت داده شد")

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("مصوبه"), on_delete=models.CASCADE, related_name="updates"
    )
    text = models.TextField(_("شرح اقدام"))
    status = models.CharField(_("وضعیت گزارش‌شده"), max_length=12, choices=Status.choices)
    percent_done = models.PositiveSmallIntegerField(
        _("درصد پیشرفت"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    requests_done = models.BooleanField(_("درخواست تأیید انجام"), default=False)
    review = models.CharField(_("نتیجه بررسی دبیرخانه"), max_length=10, choices=Review.choices, blank=True)
    review_note = models.TextField(_("یادداشت دبیرخانه"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بررسی‌کننده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("زمان بررسی"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("گزارش‌دهنده"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("دستگاه گزارش‌دهنده"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    posted_at = models.DateTimeField(_("زمان گزارش"), default=timezone.now)

    class Meta:
        ordering = ["resolution", "-posted_at", "-id"]
        verbose_name = _("گزارش پیشرفت")
        verbose_name_plural = _("گزارش‌های پیشرفت")

    def __str__(self) -> str:
        return f"{self.resolution}: {self.text[:60]}"


@audited
class StatusChange(models.Model):
    """One step of a resolution's history: status and percent before and after, who, when, why."""

    class Kind(models.TextChoices):
        CREATED = "created", pgettext_lazy("history event", "ثبت مصوبه")
        UPDATE = "update", pgettext_lazy("history event", "گزارش پیشرفت")
        DONE_REQUESTED = "done_requested", pgettext_lazy("history event", "درخواست تأیید انجام")
        DONE_CONFIRMED = "done_confirmed", pgettext_lazy("history event", "تأیید انجام توسط دبیرخانه")
        SENT_BACK = "sent_back", pgettext_lazy("history event", "برگشت برای تکمیل")
        SET_BY_SECRETARIAT = "secretariat", pgettext_lazy("history event", "تغییر وضعیت توسط دبیرخانه")
        EDITED = "edited", pgettext_lazy("history event", "ویرایش مصوبه")
        EXTENDED = "extended", pgettext_lazy("history event", "تمدید مهلت")

    resolution = models.ForeignKey(
        Resolution, verbose_name=_("مصوبه"), on_delete=models.CASCADE, related_name="history"
    )
    kind = models.CharField(_("نوع"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("وضعیت پیشین"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("وضعیت تازه"), max_length=12, choices=Status.choices)
    from_percent = models.PositiveSmallIntegerField(_("درصد پیشین"), null=True, blank=True)
    to_percent = models.PositiveSmallIntegerField(_("درصد تازه"))
    note = models.TextField(_("توضیح"), blank=True)
    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("گزارش"), null=True, blank=True, on_delete=models.SET_NULL
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("کاربر"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("زمان"), default=timezone.now)

    class Meta:
        ordering = ["resolution", "changed_at", "id"]
        verbose_name = _("تغییر وضعیت")
        verbose_name_plural = _("تاریخچه وضعیت")

    def __str__(self) -> str:
        return f"{self.resolution}: {self.from_status or '—'} → {self.to_status}"


@audited
class Attachment(models.Model):
    """An evidence file of a progress update, or a file of a session (minutes, presentations).

    The file lives under ``SADERAT_HOME/evidence`` (outside the web root) with a random name; the name the
    user gave is kept, cleaned, for display only. Served by a view that checks who may see it.
    """

    session = models.ForeignKey(
        Session, verbose_name=_("جلسه"), null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    update = models.ForeignKey(
        ProgressUpdate,
        verbose_name=_("گزارش پیشرفت"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="files",
    )
    original_name = models.CharField(_("نام فایل"), max_length=200)
    stored_name = models.CharField(_("نام ذخیره"), max_length=200, unique=True)
    content_type = models.CharField(_("نوع (از محتوا)"), max_length=120)
    size = models.PositiveBigIntegerField(_("اندازه (بایت)"))
    sha256 = models.CharField(_("چکیده SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("بارگذار"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("زمان بارگذاری"), default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(session__isnull=False) & models.Q(update__isnull=True))
                | (models.Q(session__isnull=True) & models.Q(update__isnull=False)),
                name="attachment_has_one_owner",
            )
        ]
        verbose_name = _("فایل پیوست")
        verbose_name_plural = _("فایل‌های پیوست")

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    """An in-app notice to one user (also e-mailed where the deployment configures mail)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("گیرنده"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("نوع"), max_length=24)
    message = models.TextField(_("پیام"))
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("مصوبه"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("زمان"), default=timezone.now)
    read_at = models.DateTimeField(_("زمان خواندن"), null=True, blank=True)
    emailed = models.BooleanField(_("ایمیل شد"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]
        verbose_name = _("اعلان")
        verbose_name_plural = _("اعلان‌ها")

    def __str__(self) -> str:
        return self.message[:80]
