"""``{% load workgroup %}``: the unread-notification count for the navbar, and a resolution's flag."""

from django import template

from saderat.web.workgroup import notifications

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """``{% unread_notifications as unread %}``: the logged-in user's unread notifications."""
    request = context.get("request")
    return notifications.unread_count(getattr(request, "user", None))


@register.filter
def flag_on(resolution, today):
    """``{{ r|flag_on:today }}``: ``overdue``, ``due_soon``, ``awaiting`` or ``""``."""
    return resolution.flag(today) or ""


@register.filter
def overdue_days(resolution, today):
    return resolution.days_overdue(today)


@register.filter
def agency_label(agency) -> str:
    """An agency's name in the page's language (the English name where one is recorded)."""
    from django.utils.translation import get_language

    if agency is None or agency == "":
        return "—"
    if (get_language() or "fa").startswith("en") and getattr(agency, "name_en", ""):
        return agency.name_en
    return getattr(agency, "name_fa", str(agency))


@register.filter
def percent_label(value) -> str:
    """40 -> ``۴۰٪`` on Persian pages, ``40%`` on English ones."""
    from django.utils.translation import get_language

    from saderat.text import to_persian_digits

    if value is None or value == "":
        return "—"
    if (get_language() or "fa").startswith("fa"):
        return to_persian_digits(value) + "\u066a"
    return f"{value}%"


@register.filter
def jdate_input(value) -> str:
    """A date as typed in a Jalali date box (``۱۴۰۴/۰۱/۰۱``); text already typed is returned as is."""
    import datetime as dt

    from django.utils.translation import get_language

    from saderat.jalali import format_jalali_date
    from saderat.text import to_persian_digits

    if value is None:
        return ""
    if isinstance(value, dt.date):
        text = format_jalali_date(value)
        return to_persian_digits(text) if (get_language() or "fa").startswith("fa") else text
    return str(value)
