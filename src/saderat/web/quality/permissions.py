"""Who may do what with standards, certificates and foreign notifications (issue 10).

| who                                   | reads the quality pages | changes standards, certificates, notification files |
|---------------------------------------|-------------------------|------------------------------------------------------|
| admin                                 | yes                     | yes                                                  |
| standards directorate's members       | yes                     | yes                                                  |
| secretariat, other agencies' members  | yes                     | no (403)                                             |
| viewer (governor, deputies)           | aggregates only         | no (403)                                             |

The list of non-compliant exporters names firms: it follows the registry's rule for firm-level data
(:func:`saderat.web.registry.permissions.can_see_firms`), with the directorate added — its work is exactly that
list.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from saderat.web.accounts.roles import ROLE_ADMIN, ROLE_AGENCY_MEMBER, user_role
from saderat.web.registry import permissions as registry_permissions

DIRECTORATE = "standards"

NOT_ALLOWED_MANAGE = (
    "ثبت و ویرایش استانداردها، گواهی‌ها و اعلان‌های خارجی فقط با اعضای اداره کل استاندارد (و مدیر سامانه) است. "
    "Only the standards directorate's members may change standards and certificates."
)
NOT_ALLOWED_FIRMS = (
    "فهرست صادرکنندگان و گواهی‌های بنگاه‌ها محرمانه است و فقط برای اداره کل استاندارد، دبیرخانه و دستگاه‌هایی است "
    "که کارشان به آن نیاز دارد. Firm-level data is confidential."
)


def is_directorate(user) -> bool:
    agency = getattr(user, "agency", None)
    return user_role(user) == ROLE_AGENCY_MEMBER and agency is not None and agency.code == DIRECTORATE


def can_manage(user) -> bool:
    return user_role(user) == ROLE_ADMIN or is_directorate(user)


def sees_unsuppressed(user) -> bool:
    """Aggregate cells on few exporters shown with their figures: the directorate (its work is those
    exporters) and the roles the registry grants it (secretariat, admin, customs, TPO)."""
    return is_directorate(user) or registry_permissions.sees_unsuppressed(user)


def can_see_firms(user) -> bool:
    return is_directorate(user) or registry_permissions.can_see_firms(user)


def require_manage(user) -> None:
    if not can_manage(user):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)


def require_firms(user) -> None:
    if not can_see_firms(user):
        raise PermissionDenied(NOT_ALLOWED_FIRMS)
