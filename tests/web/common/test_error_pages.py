"""Persian error pages (DEBUG is off in tests) that show the message the view raised, or a Persian default;
the 500 page renders without the request, the database or a base template."""

import pytest
from django.conf import settings
from django.urls import reverse
from tests.web.common.error_urls import MESSAGE_400, MESSAGE_403, MESSAGE_404

from saderat.web.accounts.roles import NOT_ALLOWED
from saderat.web.common import errors

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.common.error_urls")]


def message_div(response) -> str:
    page = response.content.decode()
    start = page.index('id="error-message">') + len('id="error-message">')
    return page[start : page.index("</div>", start)]


@pytest.fixture
def alice(client, people):
    client.force_login(people["alice"])
    client.raise_request_exception = False
    return client


def test_debug_is_off_in_tests():
    assert settings.DEBUG is False


def test_404_keeps_the_message_it_was_given(alice):
    response = alice.get("/raise/404-message/")
    assert response.status_code == 404
    assert message_div(response) == MESSAGE_404
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize("url", ["/raise/404-bare/", "/nowhere/", "/targets/999999/"])
def test_404_without_a_message_for_the_user_shows_the_persian_default(alice, url):
    response = alice.get(url)
    assert response.status_code == 404
    assert message_div(response) == str(errors.NOT_FOUND)
    page = response.content.decode()
    assert "Http404" not in page and "Resolver404" not in page and "matches the given query" not in page


def test_404_messages_of_real_views(alice):
    response = alice.get(reverse("workgroup:session_detail", args=[999999]))
    assert response.status_code == 404 and message_div(response) == "این جلسه ثبت نشده است."
    response = alice.get(reverse("stats:download", args=["nothing", "csv"]))
    assert response.status_code == 404 and message_div(response) == "جدول یا قالب ناشناخته"


def test_403_keeps_the_message_or_shows_the_default(alice, client, people):
    response = alice.get("/raise/403-message/")
    assert response.status_code == 403 and message_div(response) == MESSAGE_403
    response = alice.get("/raise/403-lazy/")  # a gettext_lazy constant, as the workgroup views raise
    assert response.status_code == 403 and message_div(response) == NOT_ALLOWED
    response = alice.get("/raise/403-bare/")
    assert response.status_code == 403 and message_div(response) == str(errors.PERMISSION_DENIED)
    client.force_login(people["bob"])
    response = client.get(reverse("imports:list"))
    assert response.status_code == 403 and message_div(response) == NOT_ALLOWED


def test_400_shows_a_bad_requests_reason_but_not_djangos_own_text(alice):
    response = alice.get("/raise/400-message/")
    assert response.status_code == 400 and message_div(response) == MESSAGE_400
    response = alice.get("/raise/400-suspicious/")
    assert response.status_code == 400 and message_div(response) == str(errors.BAD_REQUEST)
    assert "evil.example" not in response.content.decode()


def test_500_is_persian(alice):
    response = alice.get("/raise/500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert message_div(response) == str(errors.SERVER_ERROR)
    assert '<html lang="fa" dir="rtl">' in page
    assert "<title>خطای سامانه — سامانه توسعه صادرات</title>" in page
    assert "boom" not in page and "Server Error (500)" not in page
    assert "Content-Security-Policy" in response


def test_500_renders_without_request_or_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = errors.server_error(None)
    assert response.status_code == 500
    assert str(errors.SERVER_ERROR) in response.content.decode()


def test_500_falls_back_to_static_text_if_the_template_fails(monkeypatch):
    def broken(name):
        raise RuntimeError("template engine down")

    monkeypatch.setattr(errors.loader, "get_template", broken)
    response = errors.server_error(None)
    assert response.status_code == 500 and response.content.decode() == errors.FALLBACK_500


def test_csrf_failure_is_a_persian_403(client, people):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["alice"])
    response = strict.post(reverse("accounts:logout"))
    assert response.status_code == 403 and message_div(response) == str(errors.CSRF_FAILED)


def test_error_pages_in_english(alice):
    alice.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = alice.get("/nowhere/")
    assert response.status_code == 404 and '<html lang="en" dir="ltr">' in response.content.decode()
    assert message_div(response) == "The page you requested was not found."
    response = alice.get("/raise/500/")
    assert message_div(response).startswith("Something went wrong in the system")
