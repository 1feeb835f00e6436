"""Each new Persian message (lockout, idle logout, passwords, integers, error pages) has its English
translation in the catalogue: the source strings and the .po entries match exactly."""

import re

import pytest
from django.utils import translation

from saderat.web.accounts import lockout, services, validators
from saderat.web.common import errors, middleware, params

PERSIAN = re.compile(r"[\u0600-\u06FF]")

MESSAGES = [
    lockout.LOCKED_OUT,
    middleware.SESSION_IDLE_LOGGED_OUT,
    services.WEAK_PASSWORD,
    validators.TOO_SHORT,
    validators.LENGTH_HELP,
    params.NOT_AN_INTEGER,
    params.OUT_OF_RANGE,
    errors.BAD_REQUEST,
    errors.PERMISSION_DENIED,
    errors.NOT_FOUND,
    errors.SERVER_ERROR,
    errors.CSRF_FAILED,
]


@pytest.mark.parametrize("message", MESSAGES, ids=lambda m: str(m)[:25])
def test_message_is_persian_and_translated_to_english(message):
    with translation.override("fa"):
        persian = str(message)
    with translation.override("en"):
        english = str(message)
    assert PERSIAN.search(persian)
    assert not PERSIAN.search(english), english
    placeholders = re.compile(r"%\((\w+)\)s")
    assert sorted(placeholders.findall(persian)) == sorted(placeholders.findall(english))
