"""Who may see and change firm-level data (issue: statistical confidentiality).

Firm-level values are business secrets. The permission matrix:

| who                              | firm list and pages | firm's exports | unsuppressed aggregates | manages |
|----------------------------------|---------------------|----------------|-------------------------|---------|
| admin, secretariat               | yes                 | yes            | yes                     | every register, the review queue |
| customs, TPO members             | yes                 | yes            | yes                     | exporter IDs (customs) |
| chamber members                  | yes                 | no             | no                      | commercial cards |
| other agency members (standards, agriculture, governorate) | no | no | no            | — |
| viewer (governor, deputies)      | no                  | no             | no                      | — |

The standards directorate's registers (mandatory standards, certificates) are kept by its members and the
admin only: the secretariat and the other agencies read them (issue 10).

"Unsuppressed aggregates": anyone else sees a cell built on fewer than 3 exporters, or dominated by one
exporter (> 85 %), suppressed (:mod:`saderat.analytics.confidentiality`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from saderat.web.accounts.roles import ROLE_ADMIN, ROLE_AGENCY_MEMBER, ROLE_SECRETARIAT, user_role

#: Agencies whose members work with firms: the chamber issues cards; customs and TPO work with exporters.
FIRM_AGENCIES = frozenset({"chamber", "customs", "tpo"})
#: Agencies whose members see firms' export values and unsuppressed aggregates.
EXPORT_AGENCIES = frozenset({"customs", "tpo"})
#: Registers each agency maintains besides the secretariat.
AGENCY_REGISTERS = {
    "chamber": frozenset({"cards"}),
    "customs": frozenset({"exporters"}),
    "standards": frozenset({"standards", "certificates"}),
}
#: Registers that only their agency's members (and the admin) change — not even the secretariat.
AGENCY_ONLY_REGISTERS = {"standards": "standards", "certificates": "standards"}

NOT_ALLOWED_FIRMS = (
    "اطلاعات بنگاه‌ها محرمانه است و فقط برای دبیرخانه و دستگاه‌هایی است که کارشان به آن نیاز دارد (اتاق "
    "بازرگانی، گمرک، سازمان توسعه تجارت). Firm-level data is confidential."
)
NOT_ALLOWED_MANAGE = (
    "ثبت و ویرایش این فهرست با دبیرخانه (یا دستگاه متولی آن) است؛ نقش شما اجازه آن را نمی‌دهد."
)


def _agency_code(user) -> str | None:
    agency = getattr(user, "agency", None)
    return agency.code if agency is not None else None


def is_manager(user) -> bool:
    return user_role(user) in (ROLE_ADMIN, ROLE_SECRETARIAT)


def can_see_firms(user) -> bool:
    if is_manager(user):
        return True
    return user_role(user) == ROLE_AGENCY_MEMBER and _agency_code(user) in FIRM_AGENCIES


def can_see_firm_exports(user) -> bool:
    if is_manager(user):
        return True
    return user_role(user) == ROLE_AGENCY_MEMBER and _agency_code(user) in EXPORT_AGENCIES


def sees_unsuppressed(user) -> bool:
    """Whether ``user`` may see aggregate cells that rest on few exporters (primary suppression lifted)."""
    return can_see_firm_exports(user)


def can_manage_registry(user, kind: str | None) -> bool:
    if kind in AGENCY_ONLY_REGISTERS:
        if user_role(user) == ROLE_ADMIN:
            return True
        return user_role(user) == ROLE_AGENCY_MEMBER and _agency_code(user) == AGENCY_ONLY_REGISTERS[kind]
    if is_manager(user):
        return True
    if user_role(user) != ROLE_AGENCY_MEMBER:
        return False
    return bool(kind) and kind in AGENCY_REGISTERS.get(_agency_code(user) or "", frozenset())


def require_firms(user) -> None:
    if not can_see_firms(user):
        raise PermissionDenied(NOT_ALLOWED_FIRMS)


def require_registry_manager(user, kind: str | None) -> None:
    if not can_manage_registry(user, kind):
        raise PermissionDenied(NOT_ALLOWED_MANAGE)
