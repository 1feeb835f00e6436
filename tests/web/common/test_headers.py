"""Response headers: the Content-Security-Policy on every page, ``Cache-Control: private, no-store`` on what
a logged-in user is sent (not on static files), and production settings that pass ``check --deploy`` with
no warning."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = [part.strip().split(" ", 1) for part in header.split(";") if part.strip()]
    return {name: value for name, value in parts}


def test_every_page_has_the_content_security_policy(client, people):
    assert directives(client.get(reverse("accounts:login"))["Content-Security-Policy"]) == CSP
    client.force_login(people["alice"])
    for url in ["/", reverse("targets:list"), reverse("workgroup:home"), "/nowhere/"]:
        header = client.get(url)["Content-Security-Policy"]
        assert directives(header) == CSP, url
        assert "unsafe-eval" not in header


def test_pages_load_no_inline_script(client, people):
    """Every <script> of a page is a static file or a JSON data block (the policy would refuse the rest)."""
    import re

    client.force_login(people["alice"])
    for url in [
        "/",
        reverse("targets:list"),
        reverse("workgroup:home"),
        reverse("imports:list"),
        "/api/docs",
    ]:
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        assert not re.search(r"\son[a-z]+=", page), url  # no inline event handlers
        assert "javascript:" not in page, url


def test_htmx_is_configured_for_the_policy(client, people):
    client.force_login(people["alice"])
    page = client.get("/").content.decode()
    assert (
        """<meta name="htmx-config" content='{"includeIndicatorStyles": false, "allowEval": false, """
        """"allowScriptTags": false}'>"""
    ) in page
    assert "hx-on" not in page


def test_logged_in_responses_are_private_and_not_stored(client, people):
    client.force_login(people["carol"])
    for url in [
        "/",
        reverse("targets:list"),
        reverse("stats:download", args=["products", "csv"]) + "?year=1402",
        "/api/targets/status?year=1404",
        "/nowhere/",
    ]:
        response = client.get(url)
        assert response["Cache-Control"] == "private, no-store", url


def test_anonymous_responses_and_static_files_keep_their_caching(client, people):
    response = client.get("/")
    assert response.status_code == 302 and "Cache-Control" not in response
    client.force_login(people["carol"])
    static = client.get("/static/saderat/app.js")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SADERAT_", "DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="saderat.web.config.settings.production",
        SADERAT_SECRET_KEY=secrets.token_urlsafe(60),
        SADERAT_ALLOWED_HOSTS="saderat.example.ir",
        SADERAT_HOME=str(tmp_path),
        **extra,
    )
    saderat = Path(sys.executable).with_name("saderat")
    command = [str(saderat)] if saderat.exists() else [sys.executable, "-m", "saderat.cli"]
    return subprocess.run(
        [*command, "manage", "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_without_a_warning(tmp_path):
    result = _check_deploy(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "ERROR" not in output, output
    assert "System check identified no issues" in output, output


def test_check_deploy_does_warn_when_a_protection_is_turned_off(tmp_path):
    """The check above can fail: without the HTTPS redirect (SADERAT_SSL_REDIRECT=false) it warns."""
    result = _check_deploy(tmp_path, SADERAT_SSL_REDIRECT="false")
    output = result.stdout + result.stderr
    assert "security.W008" in output, output


def test_production_security_settings(monkeypatch):
    import importlib

    monkeypatch.setenv("SADERAT_SSL_REDIRECT", "")
    production = importlib.import_module("saderat.web.config.settings.production")
    production = importlib.reload(production)
    assert production.SECURE_HSTS_SECONDS == 365 * 24 * 3600
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True and production.SECURE_HSTS_PRELOAD is False
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SESSION_COOKIE_SECURE is True and production.CSRF_COOKIE_SECURE is True
    assert production.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
