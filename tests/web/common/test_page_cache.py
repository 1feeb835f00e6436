"""Kept pages (saderat.web.common.page_cache): a page seen again is served without a render, with this
session's CSRF token, and never across anything it depends on (data, viewer, language, day, messages)."""

import datetime as dt
import re
import time

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saderat.web.common import page_cache
from saderat.web.targets import services as target_services
from saderat.web.workgroup import notifications

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TARGETS = "/targets/"
ROWS = re.compile(r'href="/targets/\d+/"')


def client_for(user, **headers) -> Client:
    client = Client(enforce_csrf_checks=True, **headers)
    client.force_login(user)
    return client


def get(client: Client, path: str = TARGETS) -> tuple[str, int]:
    """The page's text and the number of SQL queries its request made."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def without_tokens(page: str) -> str:
    return TOKEN.sub("", page)


@pytest.fixture
def target(people):
    return target_services.target_create(
        user=people["alice"], year=1404, metric="value_usd", value=1_500e6, region="00"
    )


@pytest.mark.parametrize("path", ["/", TARGETS, "/opportunities/"])
def test_a_page_seen_again_is_served_without_a_render_and_its_forms_take_this_sessions_token(
    people, target, path
):
    first, second = client_for(people["alice"]), client_for(people["alice"])
    page, rendered_queries = get(first, path)
    again, kept_queries = get(second, path)
    assert without_tokens(again) == without_tokens(page)
    assert kept_queries < rendered_queries and kept_queries <= 12, (kept_queries, rendered_queries)
    # Each session's forms carry a token of that session: the second browser can post its page's forms.
    tokens = set(TOKEN.findall(again))
    assert len(tokens) == 1 and "__saderat_csrf_token__" not in again
    assert tokens != set(TOKEN.findall(page))
    assert second.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": tokens.pop()}).status_code == 302
    assert first.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": "x" * 64}).status_code == 403


def test_an_audited_change_a_viewer_and_a_language_each_make_another_page(people, target):
    alice, carol = client_for(people["alice"]), client_for(people["carol"])
    page, _ = get(alice)
    assert 'href="/targets/new/?' in page  # the secretariat's button
    viewer, _ = get(carol)
    assert 'href="/targets/new/?' not in viewer  # not the page kept for alice
    target_services.target_create(user=people["alice"], year=1404, metric="exporters", value=120, region="00")
    assert len(ROWS.findall(page)) + 1 == len(ROWS.findall(get(carol)[0])) == 2
    english = client_for(people["carol"])
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en"' in get(english)[0] and '<html lang="fa"' in get(carol)[0]


def test_a_new_notification_shows_in_the_menu_of_a_kept_page(people, target):
    alice = client_for(people["alice"])
    assert 'id="nav-unread"' not in get(alice)[0]
    notifications.notify([people["alice"]], kind="resolution_assigned", message="مصوبه تازه")
    assert 'id="nav-unread"' in get(alice)[0]


def test_the_next_day_makes_the_page_again(people, target, monkeypatch):
    """Deadlines and "overdue" move with the day: a page kept yesterday is not served today."""
    alice = client_for(people["alice"])
    _, rendered = get(alice)
    _, kept = get(alice)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    _, next_day = get(alice)
    assert kept < rendered and next_day > kept, (rendered, kept, next_day)


def test_a_message_after_a_redirect_is_shown_not_a_kept_page(people, target):
    alice = client_for(people["alice"])
    get(alice)  # kept
    storage = CookieStorage(RequestFactory().get("/"))
    storage.add(constants.SUCCESS, "ذخیره شد؛ پیام آزمون")
    carrier = HttpResponse()
    storage.update(carrier)
    alice.cookies["messages"] = carrier.cookies["messages"].value
    assert "ذخیره شد؛ پیام آزمون" in get(alice)[0]
    assert "ذخیره شد؛ پیام آزمون" not in get(alice)[0]  # shown once, then the kept page again


def kept_keys() -> list[str]:
    from django.core.cache import caches

    return [k for k in caches["pages"]._cache if ":page:" in k]  # LocMemCache: its keys


def test_downloads_and_errors_are_not_kept(people, target):
    from django.core.cache import caches

    alice = client_for(people["alice"])
    caches["pages"].clear()
    assert alice.get("/opportunities/", {"format": "csv"}).status_code == 200
    assert alice.get("/opportunities/", {"strategy": "zzz"}).status_code == 400
    assert not kept_keys()
    get(alice)
    assert len(kept_keys()) == 1


def test_a_dashboard_whose_quality_tile_failed_is_not_kept(people, target, monkeypatch, caplog):
    """A tile that could not be computed (a locked database, say) is left out of that answer only: the next
    request tries again, it is not served the page without the tile for the next hour."""
    import datetime as dt

    from django.core.cache import caches

    from saderat.web.quality import figures
    from saderat.web.quality.models import MandatoryStandard

    MandatoryStandard.objects.create(
        code_prefix="7208", standard_number="5311-1", effective_from=dt.date(2017, 3, 21)
    )
    caches["pages"].clear()

    def locked(**kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(figures, "compliance_cached", locked)
    alice = client_for(people["alice"])
    get(alice, "/")
    get(alice, "/")
    assert caplog.text.count("quality tile could not be computed") == 2  # the second request tried again
    assert not kept_keys()
    monkeypatch.undo()
    get(alice, "/")
    assert len(kept_keys()) == 1


def test_a_query_string_that_spells_the_token_stand_in_never_receives_a_token(people, target):
    alice, again = client_for(people["alice"]), client_for(people["alice"])
    path = TARGETS + "?year=1404&note=__saderat_csrf_token__"
    get(alice, path)
    page, _ = get(again, path)
    (token,) = set(TOKEN.findall(page))
    assert page.count(token) == page.count("csrfmiddlewaretoken")  # only in the forms' fields
    assert "__saderat_csrf_token__" in page  # the query string, shown as it came


def test_the_page_store_keeps_pages_uncompressed_on_disk_and_expires_them(tmp_path, monkeypatch):
    """The production store (files, no zlib): what it keeps is read back whole, by another instance (another
    worker) too; an expired page is gone; ``touch`` extends it; ``clear`` empties it."""
    store = page_cache.PageStore(str(tmp_path), {"TIMEOUT": 60})
    page = ("<html>" + "صادرات " * 20_000 + "</html>").encode(), "text/html; charset=utf-8"
    store.set("saderat:page:a", page, 60)
    (file,) = tmp_path.glob("*.djcache")
    assert page[0] in file.read_bytes()  # stored as it is: nothing to inflate on a read
    other_worker = page_cache.PageStore(str(tmp_path), {"TIMEOUT": 60})
    assert other_worker.get("saderat:page:a") == page
    store.set("saderat:page:old", page, -1)
    assert other_worker.get("saderat:page:old") is None
    store.set("saderat:page:short", page, 1)
    assert store.touch("saderat:page:short", 120)  # one second left, now two minutes
    assert not store.touch("saderat:page:missing", 120)
    later = time.time() + 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert other_worker.get("saderat:page:short") == page and other_worker.get("saderat:page:a") is None
    store.clear()
    assert other_worker.get("saderat:page:a") is None
