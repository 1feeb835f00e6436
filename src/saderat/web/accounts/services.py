"""Writes for accounts: the default agencies of a working group and the demo users."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.db import transaction

from saderat.web.accounts.models import Agency, User

#: The agencies of a provincial export-development working group (DESIGN.md, "Users and roles").
DEFAULT_AGENCIES = [
    ("governorate", "استانداری", "Governorate", False),
    ("imt", "سازمان صنعت، معدن و تجارت", "Industry, Mine and Trade Organisation", True),
    ("customs", "اداره کل گمرک", "Customs Directorate", False),
    ("standards", "اداره کل استاندارد", "Standards Directorate", False),
    ("chamber", "اتاق بازرگانی، صنایع، معادن و کشاورزی", "Chamber of Commerce", False),
    ("agriculture", "سازمان جهاد کشاورزی", "Agriculture Jihad Organisation", False),
    ("tpo", "سازمان توسعه تجارت ایران", "Trade Promotion Organization", False),
]


@transaction.atomic
def agencies_seed_default() -> list[Agency]:
    """Create the default agencies if missing (idempotent; existing rows are left as edited)."""
    agencies = []
    for code, name_fa, name_en, is_secretariat in DEFAULT_AGENCIES:
        agency, _ = Agency.objects.get_or_create(
            code=code, defaults={"name_fa": name_fa, "name_en": name_en, "is_secretariat": is_secretariat}
        )
        agencies.append(agency)
    return agencies


@transaction.atomic
def user_create(
    *, username: str, password: str | None, role: str, agency_code: str | None = None, **extra
) -> User:
    agency = Agency.objects.get(code=agency_code) if agency_code else None
    user = User(username=username, role=role, agency=agency, **extra)
    if role == User.Role.ADMIN:
        user.is_staff = True
        user.is_superuser = True
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user


@transaction.atomic
def demo_admin_ensure(*, password_file: Path, username: str = "admin") -> tuple[User, str]:
    """The demo's admin, created the first time with a random password kept in ``password_file`` (mode 600)
    so that every demo start can print it; a password changed since is the user's own business."""
    existing = User.objects.filter(username=username).first()
    if existing and password_file.exists():
        return existing, password_file.read_text(encoding="utf-8").strip()
    password = secrets.token_urlsafe(9)
    if existing:
        existing.set_password(password)
        existing.save()
        user = existing
    else:
        user = user_create(username=username, password=password, role=User.Role.ADMIN, agency_code="imt")
    password_file.write_text(password, encoding="utf-8")
    password_file.chmod(0o600)
    return user, password
