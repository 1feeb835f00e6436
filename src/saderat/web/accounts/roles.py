"""Role checks shared by views, API and CLI."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

ROLE_ADMIN = "admin"
ROLE_SECRETARIAT = "secretariat"
ROLE_AGENCY_MEMBER = "agency_member"
ROLE_VIEWER = "viewer"

NOT_ALLOWED = "این بخش فقط برای دبیرخانه کارگروه است؛ نقش شما اجازه دسترسی به آن را نمی‌دهد."


def user_role(user) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    if user.is_superuser:
        return ROLE_ADMIN
    return user.role


def can_manage_imports(user) -> bool:
    return user_role(user) in {ROLE_ADMIN, ROLE_SECRETARIAT}


def secretariat_required(view):
    """Only admin and secretariat; others get 403 with a Persian explanation."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_manage_imports(request.user):
            raise PermissionDenied(NOT_ALLOWED)
        return view(request, *args, **kwargs)

    return wrapper
