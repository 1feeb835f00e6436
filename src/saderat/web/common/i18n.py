"""Numbers inside translated sentences: Persian digits on the Persian screens, Latin digits on the English."""

from __future__ import annotations

from django.utils.translation import get_language

from saderat.text import to_persian_digits


def local_digits(value: object) -> str:
    """``value`` as text, with Persian digits unless the active language is not Persian."""
    text = str(value)
    return to_persian_digits(text) if (get_language() or "fa").startswith("fa") else text
