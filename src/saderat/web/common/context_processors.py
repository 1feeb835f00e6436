from django.conf import settings
from django.utils import timezone

from saderat.web.accounts.roles import user_role


class _Once:
    """A value computed the first time a template asks for it (templates call callables), then remembered."""

    def __init__(self, compute):
        self._compute = compute
        self._done = False
        self._value = None

    def __call__(self):
        if not self._done:
            self._value = self._compute()
            self._done = True
        return self._value


def _quarantined_batches() -> int:
    from saderat.web.imports.integrity import quarantined_count

    return quarantined_count()


def _quarantined_batch_list() -> list:
    from saderat.web.imports.integrity import quarantined_batches

    return list(quarantined_batches())


def _publisher() -> str | None:
    from saderat.web.reference.selectors import statistics_publisher

    return statistics_publisher()


def _currency() -> dict:
    from saderat.web.reference.selectors import reporting_currency, reporting_currency_name

    return {"code": reporting_currency(), "name": reporting_currency_name()}


def _workspace_calendar() -> str:
    from saderat.web.reference.selectors import workspace_calendar

    return workspace_calendar()


def saderat(request):
    """Role flags, the configured province, and how many warehouse batches are quarantined (one count query,
    made only by a template that shows it) for every template."""
    user = getattr(request, "user", None)
    role = user_role(user)
    return {
        "role": role,
        "is_secretariat": role in {"admin", "secretariat"},
        "configured_province": settings.SADERAT_PROVINCE,
        "today": timezone.localdate(),
        "quarantined_batches": _Once(_quarantined_batches),
        "quarantined_batch_list": _Once(_quarantined_batch_list),
        "statistics_publisher": _Once(_publisher),
        # {"code": "BRL", "name": "رئال برزیل"}: what the values are in (USD unless a profile says otherwise)
        "reporting_currency": _Once(_currency),
        # "jalali" or "gregorian": the calendar of the workspace's own dates (the region profile's)
        "workspace_calendar": _Once(_workspace_calendar),
    }
