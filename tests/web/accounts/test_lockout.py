"""Login throttling (django-axes) through the real login view: ten wrong passwords lock the username for the
cool-off, the lockout page says in Persian until when, the right password does not get in during the lock,
and an administrator can see and lift the lock in the admin."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from saderat.jalali import format_jalali_date
from saderat.text import to_persian_digits
from saderat.web.accounts.lockout import LOCKED_OUT

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
WRONG = {"username": "alice", "password": "not-alices-password"}
RIGHT = {"username": "alice", "password": "alice-pass-123"}


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def expected_message(limit: int, minutes: int) -> str:
    attempt = AccessAttempt.objects.get(username="alice")
    local = timezone.localtime(
        attempt.attempt_time + dt.timedelta(minutes=settings.SADERAT_LOGIN_COOLOFF_MINUTES)
    )
    return str(LOCKED_OUT) % {
        "username": "alice",
        "limit": to_persian_digits(limit),
        "time": to_persian_digits(f"{local:%H:%M}"),
        "date": to_persian_digits(format_jalali_date(local)),
        "minutes": to_persian_digits(minutes),
    }


def test_settings_lock_after_ten_failures_for_fifteen_minutes():
    assert settings.SADERAT_LOGIN_FAILURE_LIMIT == settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME == dt.timedelta(minutes=15)
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_31_wrong_logins_lock_the_account_and_the_right_password_does_not_get_in(client, people):
    statuses = [client.post(LOGIN, WRONG).status_code for _ in range(31)]
    # Nine failures show the form again; the tenth locks, and every attempt after it is refused.
    assert statuses == [200] * 9 + [429] * 22
    assert AccessAttempt.objects.get(username="alice").failures_since_start == 10  # refused ones not counted

    response = client.post(LOGIN, RIGHT)
    assert response.status_code == 429
    assert not logged_in(client)
    page = response.content.decode()
    assert 'id="lockout-message"' in page and '<html lang="fa" dir="rtl">' in page
    message = expected_message(10, 15)
    assert message in page
    assert "حساب «alice» پس از ۱۰ بار ورود نادرست موقتاً قفل شد." in message
    assert "(۱۵ دقیقه دیگر)" in message
    # Another user is not affected by alice's lock.
    assert client.post(LOGIN, {"username": "bob", "password": "bob-pass-1234"}).status_code == 302
    assert logged_in(client)


def test_nine_failures_do_not_lock_and_a_success_resets_the_count(client, people):
    for _ in range(9):
        assert client.post(LOGIN, WRONG).status_code == 200
    response = client.post(LOGIN, RIGHT)
    assert response.status_code == 302 and logged_in(client)
    assert not AccessAttempt.objects.filter(username="alice").exists()  # AXES_RESET_ON_SUCCESS
    client.logout()
    for _ in range(9):
        assert client.post(LOGIN, WRONG).status_code == 200  # counting starts again from zero
    assert client.post(LOGIN, RIGHT).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, people):
    for _ in range(10):
        client.post(LOGIN, WRONG)
    assert client.post(LOGIN, RIGHT).status_code == 429
    AccessAttempt.objects.filter(username="alice").update(
        attempt_time=timezone.now() - dt.timedelta(minutes=15, seconds=1)
    )
    response = client.post(LOGIN, RIGHT)
    assert response.status_code == 302 and logged_in(client)


def test_lockout_page_in_english(client, people):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(10):
        response = client.post(LOGIN, WRONG)
    assert response.status_code == 429
    page = response.content.decode()
    assert "The account “alice” is locked for a while after 10 failed log-ins." in page
    assert "(in 15 minutes)" in page


def test_admin_sees_the_lock_and_lifts_it(client, people):
    for _ in range(10):
        client.post(LOGIN, WRONG)
    assert client.post(LOGIN, RIGHT).status_code == 429

    admin = client.__class__()
    admin.force_login(people["dave"])
    index = admin.get(reverse("admin:index")).content.decode()
    assert reverse("admin:axes_accessattempt_changelist") in index
    changelist = admin.get(reverse("admin:axes_accessattempt_changelist"), {"locked_out": "yes"})
    assert changelist.status_code == 200 and "alice" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="alice")
    confirm = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert confirm.status_code == 302
    assert not AccessAttempt.objects.filter(username="alice").exists()

    response = client.post(LOGIN, RIGHT)
    assert response.status_code == 302 and logged_in(client)


def test_the_admin_login_is_throttled_too(client, people):
    for _ in range(10):
        response = client.post(reverse("admin:login"), {"username": "dave", "password": "wrong-password-9"})
    assert response.status_code == 429
    response = client.post(reverse("admin:login"), {"username": "dave", "password": "dave-pass-1234"})
    assert response.status_code == 429 and not logged_in(client)
