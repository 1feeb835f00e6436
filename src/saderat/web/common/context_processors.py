from django.conf import settings
from django.utils import timezone

from saderat.web.accounts.roles import user_role


def saderat(request):
    """Role flags and the configured province for every template."""
    user = getattr(request, "user", None)
    role = user_role(user)
    return {
        "role": role,
        "is_secretariat": role in {"admin", "secretariat"},
        "configured_province": settings.SADERAT_PROVINCE,
        "today": timezone.localdate(),
    }
