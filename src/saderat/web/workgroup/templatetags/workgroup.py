"""``{% load workgroup %}``: the unread-notification count for the navbar, a resolution's flag, and its
history's notes in the page's language."""

import re

from django import template
from django.utils.translation import gettext, pgettext

from saderat.text import to_latin_digits
from saderat.web.common.templatetags.fa import isolate
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
    """A date as typed in a date box of the workspace's calendar (``۱۴۰۴/۰۱/۰۱``; under a Gregorian profile
    ``2026-12-04``, Latin digits, as a date input takes it); text already typed is returned as is."""
    import datetime as dt

    from saderat.web.common.fields import date_input_text

    if value is None:
        return ""
    return date_input_text(value) if isinstance(value, dt.date) else str(value)


#: History notes the system writes (``workgroup.services``), stored in Persian: a deadline's extension
#: («۱۴۰۵/۰۲/۰۲ ← ۱۴۰۵/۰۴/۲۰: reason») and an edit («ویرایش: متن، اولویت — note»).
# Dates in the workspace's calendar: 1405/02/02, or 2026-04-22 under a Gregorian profile.
EXTENDED_NOTE = re.compile(r"(?P<before>[0-9۰-۹/-]+) ← (?P<after>[0-9۰-۹/-]+): (?P<reason>.*)", re.S)
EDITED_NOTE = re.compile(r"ویرایش: (?P<fields>[^—]*?)(?: — (?P<note>.*))?", re.S)


def _edited_field(name: str) -> str:
    return {
        "متن": pgettext("edited part of a resolution", "متن"),
        "اولویت": pgettext("edited part of a resolution", "اولویت"),
        "دستگاه مسئول": pgettext("edited part of a resolution", "دستگاه مسئول"),
        "پیوندها": pgettext("edited part of a resolution", "پیوندها"),
        "دستگاه‌های همکار": pgettext("edited part of a resolution", "دستگاه‌های همکار"),
    }.get(name.strip(), name.strip())


@register.simple_tag
def history_note(change, length: int = 200) -> str:
    """A step's note in a resolution's history. Persian pages: the note as stored. English pages: what the
    system wrote in English, and what a user typed (a reason, a report, a note) marked as data with its
    language (``labels.data_text``)."""
    from django.utils.html import conditional_escape, format_html
    from django.utils.text import Truncator

    from saderat.web.reference.selectors import english
    from saderat.web.reference.templatetags.labels import data_text
    from saderat.web.workgroup.models import StatusChange

    note = change.note or ""
    if not english() or not note:
        return Truncator(note).chars(length)
    arrow = pgettext("from before to after", "←")
    if change.kind == StatusChange.Kind.EXTENDED and (found := EXTENDED_NOTE.fullmatch(note)):
        dates = [isolate(to_latin_digits(found[key])) for key in ("before", "after")]
        reason = Truncator(found["reason"]).chars(length)
        return format_html("{} {} {}: {}", dates[0], arrow, dates[1], data_text(reason, ""))
    if change.kind == StatusChange.Kind.EDITED and (found := EDITED_NOTE.fullmatch(note)):
        separator = pgettext("list separator", "،") + " "
        fields = separator.join(_edited_field(f) for f in found["fields"].split("،"))
        text = gettext("ویرایش: %(fields)s") % {"fields": fields}
        if found["note"]:
            text = format_html("{} — {}", text, data_text(Truncator(found["note"]).chars(length), ""))
        return conditional_escape(text)
    return conditional_escape(data_text(Truncator(note).chars(length), ""))
