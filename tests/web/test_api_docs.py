"""The API's Swagger UI at /api/docs: only for logged-in users, from the pinned swagger-ui-dist in our static
folder (no CDN), started by a static script (the Content-Security-Policy allows no inline script)."""

import json
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from saderat.web.assets import VENDOR_FILES

pytestmark = pytest.mark.django_db

DOCS = "/api/docs"


def test_anonymous_is_sent_to_the_login_page(client):
    for url in [DOCS, "/api/openapi.json"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login") + "?next=/api/"), url


def test_logged_in_page_uses_only_our_static_files(client, people):
    client.force_login(people["carol"])
    response = client.get(DOCS)
    assert response.status_code == 200
    page = response.content.decode()
    # "cdn" anywhere but in the random CSRF token (which once read "cdnqck...": the test failed by chance).
    assert (
        "cdn" not in re.sub(r'csrf-token="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"', "", page).lower()
    )
    assert (
        "http://" not in page and "https://" not in page and "//" not in re.sub(r"<!doctype[^>]*>", "", page)
    )
    scripts = re.findall(r"<script\b([^>]*)>", page)
    sources = [re.search(r'src="([^"]+)"', attrs).group(1) for attrs in scripts if "src=" in attrs]
    assert sources == ["/static/vendor/swagger-ui-bundle.js", "/static/saderat/swagger-init.js"]
    # The only other <script> is the settings, a JSON data block.
    inline = [attrs for attrs in scripts if "src=" not in attrs]
    assert inline == [' id="swagger-settings" type="application/json"']
    settings = json.loads(
        re.search(r'<script id="swagger-settings"[^>]*>(.*?)</script>', page, re.S).group(1)
    )
    assert settings["url"] == "/api/openapi.json" and settings["validatorUrl"] is None
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert styles == ["/static/vendor/swagger-ui.css"]
    for url in sources + styles:
        asset = client.get(url)
        assert asset.status_code == 200, url
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert len(body) > 500, url
    assert client.get("/api/openapi.json").status_code == 200


def test_swagger_ui_comes_from_the_pinned_npm_package():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    package = json.loads((root / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["swagger-ui-dist"] == "5.35.0"
    lock = json.loads((root / "package-lock.json").read_text(encoding="utf-8"))
    assert lock["packages"]["node_modules/swagger-ui-dist"]["version"] == "5.35.0"
    names = dict((name, src) for src, name in VENDOR_FILES)
    assert names["swagger-ui-bundle.js"] == "swagger-ui-dist/swagger-ui-bundle.js"
    assert names["swagger-ui.css"] == "swagger-ui-dist/swagger-ui.css"
    assert finders.find("saderat/swagger-init.js")
