"""Sessions: without "remember me" the session cookie ends with the browser and an idle session (more than
SADERAT_SESSION_IDLE_MINUTES without a request) is logged out with a Persian message; with it the cookie lasts
SESSION_COOKIE_AGE (14 days) and the idle timeout does not apply."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

from saderat.text import to_persian_digits
from saderat.web.common.middleware import (
    LAST_SEEN_SESSION_KEY,
    REMEMBER_SESSION_KEY,
    SESSION_IDLE_LOGGED_OUT,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
IDLE_MESSAGE = str(SESSION_IDLE_LOGGED_OUT) % {"minutes": "۴۸۰"}


def log_in(client, remember=False):
    data = {"username": "carol", "password": "carol-pass-123"}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data)
    assert response.status_code == 302
    return response


def idle_for(client, minutes: float) -> None:
    session = client.session
    session[LAST_SEEN_SESSION_KEY] = int(time.time() - minutes * 60)
    session.save()


def test_defaults():
    assert settings.SADERAT_SESSION_IDLE_MINUTES == 480
    assert settings.SESSION_COOKIE_AGE == 14 * 24 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_login_page_offers_remember_me(client, db):
    page = client.get(LOGIN).content.decode()
    assert 'name="remember" type="checkbox"' in page and "مرا به خاطر بسپار" in page


def test_without_remember_me_the_cookie_ends_with_the_browser(client, people):
    response = log_in(client)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""
    assert client.session.get_expire_at_browser_close()
    assert REMEMBER_SESSION_KEY not in client.session


def test_with_remember_me_the_cookie_lasts_fourteen_days(client, people):
    response = log_in(client, remember=True)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 14 * 24 * 3600
    assert not client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 14 * 24 * 3600


def test_an_idle_session_is_logged_out_with_a_persian_message(client, people):
    log_in(client)
    assert client.get("/workgroup/").status_code == 200
    idle_for(client, 481)
    response = client.get("/workgroup/?x=1")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/workgroup/%3Fx%3D1"
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert IDLE_MESSAGE in page
    assert "چون ۴۸۰ دقیقه کاری با سامانه نداشتید" in IDLE_MESSAGE
    # Back in after logging in again.
    log_in(client)
    assert client.get("/workgroup/").status_code == 200


def test_activity_within_the_limit_keeps_the_session_and_is_recorded(client, people):
    log_in(client)
    idle_for(client, 479)
    assert client.get("/workgroup/").status_code == 200
    assert time.time() - client.session[LAST_SEEN_SESSION_KEY] < 60
    assert "_auth_user_id" in client.session


def test_the_idle_limit_comes_from_the_setting(client, people, settings):
    settings.SADERAT_SESSION_IDLE_MINUTES = 5
    log_in(client)
    idle_for(client, 6)
    response = client.get("/workgroup/")
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert (
        str(SESSION_IDLE_LOGGED_OUT) % {"minutes": to_persian_digits(5)} in client.get(LOGIN).content.decode()
    )


def test_remember_me_is_not_logged_out_when_idle(client, people):
    log_in(client, remember=True)
    idle_for(client, 10 * 24 * 60)
    assert client.get("/workgroup/").status_code == 200
    assert "_auth_user_id" in client.session


def test_an_idle_api_call_gets_401_and_htmx_a_full_page_redirect(client, people):
    log_in(client)
    idle_for(client, 481)
    assert client.get("/api/targets/status", {"year": 1404}).status_code == 401
    assert "_auth_user_id" not in client.session
    log_in(client)
    idle_for(client, 481)
    response = client.get("/workgroup/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{LOGIN}?next=/workgroup/"
