"""Writes for the working group, one module per entity: :mod:`.sessions`, :mod:`.resolutions` (one
transition helper for every change of a resolution), :mod:`.reminders`; what they share is in
:mod:`.common`.

Every write checks the permission first (``user=None`` is a trusted system caller: the CLI, the demo), runs
in one transaction, validates with ``full_clean()`` and records its step in the resolution's history; nothing
is overwritten (see :mod:`saderat.web.workgroup.models`). Error messages are the modules' constants.
"""

from saderat.web.workgroup.services import reminders, resolutions, sessions
from saderat.web.workgroup.services.common import resolution_code
from saderat.web.workgroup.services.reminders import notifications_mark_read, overdue_reminders_send
from saderat.web.workgroup.services.resolutions import (
    NOT_YOUR_AGENCY,
    RESOLUTION_CLOSED,
    check_may_update,
    resolution_create,
    resolution_edit,
    resolution_extend_deadline,
    resolution_post_update,
    resolution_review_done,
    resolution_set_status,
    update_files_add,
)
from saderat.web.workgroup.services.sessions import session_create, session_files_add, session_update

__all__ = [
    "NOT_YOUR_AGENCY",
    "RESOLUTION_CLOSED",
    "check_may_update",
    "reminders",
    "resolutions",
    "sessions",
    "notifications_mark_read",
    "overdue_reminders_send",
    "resolution_code",
    "resolution_create",
    "resolution_edit",
    "resolution_extend_deadline",
    "resolution_post_update",
    "resolution_review_done",
    "resolution_set_status",
    "session_create",
    "session_files_add",
    "session_update",
    "update_files_add",
]
