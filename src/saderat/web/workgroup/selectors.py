"""Reads for the working group: who may see and update what, resolution lists with their flags, a user's
open resolutions, the overdue list, the agency scorecard and the stocktake pack.

Permissions (the same for pages, API and CLI):

- admin and secretariat see and manage everything;
- a viewer sees everything and changes nothing;
- an agency member sees the resolutions for which their agency is responsible or supporting, and posts
  updates only on those for which it is responsible; never edits a resolution's text or deadline.

Sessions and their files are the working group's shared record: every logged-in user sees them.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from saderat.jalali import format_jalali_date
from saderat.web.accounts.models import Agency
from saderat.web.accounts.roles import ROLE_AGENCY_MEMBER, can_manage_imports, user_role
from saderat.web.workgroup.models import (
    OPEN_STATUSES,
    Attachment,
    DeadlineExtension,
    Notification,
    Priority,
    ProgressUpdate,
    Resolution,
    Session,
    Status,
    StatusChange,
)

FLAGS = ("overdue", "due_soon", "awaiting")


# -- permissions ------------------------------------------------------------------------------------------------
def can_manage(user) -> bool:
    """Admin or secretariat: records sessions and resolutions, confirms "done", extends deadlines."""
    return can_manage_imports(user)


def is_agency_member(user) -> bool:
    return user_role(user) == ROLE_AGENCY_MEMBER


def resolutions_visible_to(user) -> QuerySet[Resolution]:
    base = Resolution.objects.select_related("session", "responsible_agency")
    role = user_role(user)
    if role is None:
        return base.none()
    if role == ROLE_AGENCY_MEMBER:
        if user.agency_id is None:
            return base.none()
        return base.filter(
            Q(responsible_agency_id=user.agency_id) | Q(supporting_agencies__id=user.agency_id)
        ).distinct()
    return base.all()


def can_see_resolution(user, resolution: Resolution) -> bool:
    role = user_role(user)
    if role is None:
        return False
    if role != ROLE_AGENCY_MEMBER:
        return True
    if user.agency_id is None:
        return False
    return (
        resolution.responsible_agency_id == user.agency_id
        or resolution.supporting_agencies.filter(pk=user.agency_id).exists()
    )


def reports_on(user, resolution: Resolution) -> bool:
    """Who reports progress on a resolution: the secretariat, or a member of its responsible agency (a
    supporting agency sees it but does not report)."""
    if can_manage(user):
        return True
    return (
        is_agency_member(user)
        and user.agency_id is not None
        and user.agency_id == resolution.responsible_agency_id
    )


def can_update_resolution(user, resolution: Resolution) -> bool:
    """Post a progress update or add evidence: :func:`reports_on` the resolution, while it is open (a closed
    one is reopened by the secretariat's status change first). The one rule for pages, API and CLI; the
    services refuse with :func:`saderat.web.workgroup.services.check_may_update`."""
    return reports_on(user, resolution) and resolution.is_open


def can_see_attachment(user, attachment: Attachment) -> bool:
    if user_role(user) is None:
        return False
    if attachment.session_id is not None:
        return True
    return can_see_resolution(user, attachment.update.resolution)


# -- lists ------------------------------------------------------------------------------------------------------
def sessions_list() -> QuerySet[Session]:
    """Sessions, latest first, with the number of their resolutions done and still open."""
    return Session.objects.annotate(
        resolution_count=Count("resolutions"),
        done_count=Count("resolutions", filter=Q(resolutions__status=Status.DONE)),
        open_count=Count("resolutions", filter=Q(resolutions__status__in=OPEN_STATUSES)),
    ).order_by("-held_on", "-number")


def session_get(pk: int) -> Session:
    return Session.objects.prefetch_related("attendees__agency", "attendees__user", "files").get(pk=pk)


def latest_session(*, on_or_before: dt.date | None = None) -> Session | None:
    query = Session.objects.all()
    if on_or_before is not None:
        query = query.filter(held_on__lte=on_or_before)
    return query.order_by("-held_on", "-number").first()


def next_session_number() -> int:
    last = Session.objects.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def next_resolution_number(session: Session) -> int:
    last = session.resolutions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def resolution_list(
    *,
    user,
    agency: str | None = None,
    status: str | None = None,
    flag: str | None = None,
    session: int | None = None,
    query: str | None = None,
    today: dt.date | None = None,
) -> list[Resolution]:
    """Resolutions the user may see, filtered; ``flag`` is ``overdue``, ``due_soon``, ``awaiting`` or
    ``open`` (all not done and not cancelled)."""
    today = today or timezone.localdate()
    rows = resolutions_visible_to(user).prefetch_related("supporting_agencies", "extensions")
    if agency:
        rows = rows.filter(responsible_agency__code=agency)
    if status in Status.values:
        rows = rows.filter(status=status)
    if session:
        rows = rows.filter(session_id=session)
    if query:
        rows = rows.filter(Q(text__icontains=query.strip()))
    if flag == "open":
        rows = rows.open()
    elif flag == "overdue":
        rows = rows.overdue(today)
    elif flag == "due_soon":
        rows = rows.due_soon(today)
    elif flag == "awaiting":
        rows = rows.awaiting_confirmation()
    return list(rows.order_by("current_deadline", "session__number", "number"))


def resolution_get(pk: int) -> Resolution:
    return (
        Resolution.objects.select_related(
            "session", "responsible_agency", "target", "hs_code", "country", "county", "created_by"
        )
        .prefetch_related(
            "supporting_agencies",
            Prefetch("extensions", queryset=DeadlineExtension.objects.select_related("extended_by")),
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.select_related("posted_by", "agency", "reviewed_by")
                .prefetch_related("files")
                .order_by("-posted_at", "-id"),
            ),
            Prefetch(
                "history",
                queryset=StatusChange.objects.select_related("changed_by").order_by("changed_at", "id"),
            ),
        )
        .get(pk=pk)
    )


def resolution_rows(resolutions: list[Resolution], *, today: dt.date | None = None) -> list[dict]:
    """Flat rows for tables, downloads, the API and the CLI (dates ISO and Jalali)."""
    today = today or timezone.localdate()
    rows = []
    for r in resolutions:
        rows.append(
            {
                "id": r.pk,
                "code": r.code,
                "session": r.session.number,
                "session_date": r.session.held_on.isoformat(),
                "number": r.number,
                "text": r.text,
                "agency": r.responsible_agency.code,
                "agency_name": r.responsible_agency.name_fa,
                "supporting_agencies": [a.code for a in r.supporting_agencies.all()],
                "priority": r.priority,
                "priority_label": str(Priority(r.priority).label),
                "status": r.status,
                "status_label": str(Status(r.status).label),
                "percent_done": r.percent_done,
                "done_requested": r.done_requested,
                "deadline": r.current_deadline.isoformat(),
                "deadline_jalali": format_jalali_date(r.current_deadline),
                "original_deadline": r.deadline.isoformat(),
                "extensions": len(r.extensions.all()),
                "completed_on": r.completed_on.isoformat() if r.completed_on else None,
                "days_overdue": r.days_overdue(today),
                "flag": r.flag(today),
                "synthetic": r.is_synthetic,
            }
        )
    return rows


def overdue(*, user=None, agency: str | None = None, today: dt.date | None = None) -> list[dict]:
    """Open resolutions past their deadline in force, most overdue first (``saderat workgroup overdue``).

    ``user=None`` (the command line) sees everything.
    """
    today = today or timezone.localdate()
    base = (
        Resolution.objects.select_related("session", "responsible_agency")
        if user is None
        else resolutions_visible_to(user)
    )
    query = base.overdue(today)
    if agency:
        query = query.filter(responsible_agency__code=agency)
    rows = []
    for r in query.order_by("current_deadline", "session__number", "number"):
        rows.append(
            {
                "id": r.pk,
                "code": r.code,
                "session": r.session.number,
                "agency": r.responsible_agency.code,
                "agency_name": r.responsible_agency.name_fa,
                "deadline": r.current_deadline.isoformat(),
                "deadline_jalali": format_jalali_date(r.current_deadline),
                "days_overdue": (today - r.current_deadline).days,
                "status": r.status,
                "percent_done": r.percent_done,
                "text": r.text,
            }
        )
    return rows


@dataclass
class OpenResolutions:
    """What the dashboard shows a user about the working group's follow-up."""

    agency: Agency | None
    rows: list[Resolution] = field(default_factory=list)
    overdue: int = 0
    due_soon: int = 0
    awaiting_confirmation: int = 0  # for the secretariat: "done" requests to review
    all_overdue: int = 0  # for the secretariat and viewers: across all agencies
    can_manage: bool = False
    today: dt.date | None = None

    def __bool__(self) -> bool:
        """Worth a box on the dashboard: the user has an agency, or there is something to act on."""
        return self.agency is not None or bool(self.rows or self.awaiting_confirmation or self.all_overdue)


def open_resolutions_for(user, *, today: dt.date | None = None) -> OpenResolutions:
    """My agency's open resolutions (nearest deadline first), with the counts the dashboard flags.

    The secretariat also gets the number of "done" requests waiting for it; the secretariat and viewers
    get the number of overdue resolutions across all agencies.
    """
    today = today or timezone.localdate()
    role = user_role(user)
    if role is None:
        return OpenResolutions(agency=None, today=today)
    agency = getattr(user, "agency", None)
    rows: list[Resolution] = []
    if agency is not None:
        rows = list(
            Resolution.objects.select_related("session", "responsible_agency")
            .open()
            .filter(responsible_agency=agency)
            .order_by("current_deadline", "session__number", "number")
        )
    result = OpenResolutions(agency=agency, rows=rows, can_manage=can_manage(user), today=today)
    for r in rows:
        flag = r.flag(today)
        result.overdue += flag == "overdue"
        result.due_soon += flag == "due_soon"
    if role != ROLE_AGENCY_MEMBER:
        result.all_overdue = Resolution.objects.overdue(today).count()
        if result.can_manage:
            result.awaiting_confirmation = Resolution.objects.awaiting_confirmation().count()
    return result


def notifications_for(user, *, limit: int = 200) -> list[Notification]:
    return list(
        Notification.objects.filter(user=user)
        .select_related("resolution__session")
        .order_by("-created_at", "-id")[:limit]
    )


# -- scorecard --------------------------------------------------------------------------------------------------
def agency_scorecard(*, start: dt.date, end: dt.date, today: dt.date | None = None) -> list[dict]:
    """Per responsible agency, for the resolutions of the sessions held from ``start`` to ``end``:

    - ``assigned``: resolutions made (cancelled ones are counted apart, in ``cancelled``);
    - ``done_on_time`` / ``done_late``: done, with the completion date on or before / after the deadline in
      force (extensions granted count);
    - ``overdue``: open, past the deadline in force today, and not waiting for the secretariat's confirmation;
    - ``blocked``: open and reported blocked;
    - ``open_on_track``: open and not overdue;
    - ``median_days_late``: median of days late over the done-late (at completion) and the overdue (as of
      today) resolutions; None when none is late;
    - ``on_time_rate``: done on time / (done + overdue), None when nothing is due yet;
    - ``extended``: resolutions whose deadline was extended at least once.

    Statuses are as of ``today``. Agencies with nothing assigned in the period are left out.
    """
    today = today or timezone.localdate()
    query = (
        Resolution.objects.filter(session__held_on__gte=start, session__held_on__lte=end)
        .select_related("responsible_agency")
        .prefetch_related("extensions")
    )
    by_agency: dict[int, dict] = {}
    lateness: dict[int, list[int]] = {}
    for r in query:
        a = r.responsible_agency
        row = by_agency.setdefault(
            a.pk,
            {
                "agency": a.code,
                "agency_name": a.name_fa,
                "agency_name_en": a.name_en,
                "assigned": 0,
                "done": 0,
                "done_on_time": 0,
                "done_late": 0,
                "overdue": 0,
                "blocked": 0,
                "open_on_track": 0,
                "awaiting_confirmation": 0,
                "cancelled": 0,
                "extended": 0,
            },
        )
        late = lateness.setdefault(a.pk, [])
        if r.status == Status.CANCELLED:
            row["cancelled"] += 1
            continue
        row["assigned"] += 1
        row["extended"] += bool(r.extensions.all())
        if r.status == Status.DONE:
            row["done"] += 1
            days = r.days_late_at_completion or 0
            if days > 0:
                row["done_late"] += 1
                late.append(days)
            else:
                row["done_on_time"] += 1
            continue
        if r.status == Status.BLOCKED:
            row["blocked"] += 1
        days = r.days_overdue(today)
        if days > 0:
            row["overdue"] += 1
            late.append(days)
        elif r.done_requested:
            row["awaiting_confirmation"] += 1
        else:
            row["open_on_track"] += 1
    rows = []
    for pk, row in by_agency.items():
        if not row["assigned"] and not row["cancelled"]:
            continue
        late = lateness[pk]
        row["median_days_late"] = float(statistics.median(late)) if late else None
        due = row["done"] + row["overdue"]
        row["on_time_rate"] = row["done_on_time"] / due if due else None
        rows.append(row)
    rows.sort(
        key=lambda x: (
            x["on_time_rate"] is None,
            -(x["on_time_rate"] or 0),
            x["overdue"],
            x["agency_name"],
        )
    )
    for i, row in enumerate(rows, start=1):
        row["rank"] = i
    return rows


# -- stocktake --------------------------------------------------------------------------------------------------
def _targets_tile() -> dict | None:
    from saderat.web.targets.selectors import status_tally, target_years, targets_status

    years = target_years()
    if not years:
        return None
    rows = targets_status(year=years[-1])
    return {"year": years[-1], "tally": status_tally(rows), "count": len(rows)}


def stocktake_pack(*, user, session: Session | None = None, today: dt.date | None = None) -> dict:
    """The page that opens the next session: the previous session's resolutions with their status,
    everything overdue, what falls due within a week, and the targets' status tile."""
    today = today or timezone.localdate()
    session = session or latest_session(on_or_before=today) or latest_session()
    visible = resolutions_visible_to(user).prefetch_related("supporting_agencies", "extensions")
    previous = list(visible.filter(session=session).order_by("number")) if session is not None else []
    overdue_rows = list(visible.overdue(today).order_by("current_deadline", "session__number", "number"))
    due_soon_rows = list(visible.due_soon(today).order_by("current_deadline", "session__number", "number"))
    awaiting_rows = list(visible.awaiting_confirmation().order_by("current_deadline"))
    tally = {s.value: 0 for s in Status}
    for r in previous:
        tally[r.status] += 1
    return {
        "session": session,
        "today": today,
        "previous": previous,
        "previous_tally": tally,
        "overdue": overdue_rows,
        "due_soon": due_soon_rows,
        "awaiting": awaiting_rows,
        "targets": _targets_tile(),
        "synthetic": bool(session and session.is_synthetic)
        or any(r.is_synthetic for r in previous + overdue_rows),
        "next_session_number": next_session_number(),
    }
