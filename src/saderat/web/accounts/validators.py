"""Password rules with their messages in Persian (Django's own Persian catalogue lacks the current wording
of the minimum-length message, which would otherwise reach the user in English)."""

from __future__ import annotations

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLengthValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from saderat.web.common.i18n import local_digits

TOO_SHORT = _("این گذرواژه کوتاه است: دست‌کم %(min_length)s نویسه لازم است.")
LENGTH_HELP = _("گذرواژه دست‌کم %(min_length)s نویسه دارد.")


class MinimumLengthValidator(DjangoMinimumLengthValidator):
    """Django's minimum length, with a Persian message and the count in Persian digits."""

    def get_error_message(self) -> str:
        return gettext(TOO_SHORT) % {"min_length": local_digits(self.min_length)}

    def get_help_text(self) -> str:
        return gettext(LENGTH_HELP) % {"min_length": local_digits(self.min_length)}
