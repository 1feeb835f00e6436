"""Writes for accounts: the default agencies of a working group, users and their passwords, the demo admin.

Every password set here (typed or generated) passes the site's password validators
(``AUTH_PASSWORD_VALIDATORS``); a weak one raises :class:`django.core.exceptions.ValidationError` with the
reasons in Persian, and nothing is saved."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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


WEAK_PASSWORD = _("گذرواژه پذیرفته نشد: %(reasons)s")

#: bytes of randomness in a generated password (16 URL-safe characters)
GENERATED_PASSWORD_BYTES = 12


def password_check(password: str, user: User | None = None) -> None:
    """Raise :class:`ValidationError` (one Persian sentence naming every reason) if ``password`` is weak."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError(
            gettext(WEAK_PASSWORD) % {"reasons": " ".join(exc.messages)}, code="weak_password"
        ) from exc


def password_generate() -> str:
    """A random password that passes the validators (checked, so that a stricter rule cannot slip by)."""
    password = secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
    password_check(password)
    return password


@transaction.atomic
def password_set(user: User, password: str) -> None:
    password_check(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])


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
        password_check(password, user)
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
    password = password_generate()
    if existing:
        password_set(existing, password)
        user = existing
    else:
        user = user_create(username=username, password=password, role=User.Role.ADMIN, agency_code="imt")
    password_file.write_text(password, encoding="utf-8")
    password_file.chmod(0o600)
    return user, password
