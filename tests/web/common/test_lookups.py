"""The lookup endpoints behind the autocomplete boxes: logged-in users only, firms only for the roles that may
see firms; search by code prefix (Persian digits too) and by Persian or English name; limited; labels in the
interface language."""

import pytest
from django.urls import reverse

from saderat.web.common.lookups import DEFAULT_LIMIT, MAX_LIMIT

pytestmark = pytest.mark.django_db


def url(kind: str) -> str:
    return reverse("lookups:lookup", args=[kind])


def get(client, kind, lang="fa", **params):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url(kind), params)
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(url("hs"), {"q": "08"})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_unknown_kind_is_not_found(client, people):
    client.force_login(people["carol"])
    assert client.get(url("passwords"), {"q": "a"}).status_code == 404


def test_hs_by_code_prefix_in_persian_or_latin_digits(client, people):
    client.force_login(people["carol"])
    latin = get(client, "hs", q="0810")["results"]
    persian = get(client, "hs", q="۰۸۱۰")["results"]
    assert latin == persian and latin
    assert all(r["value"].startswith("0810") for r in latin)
    assert latin[0]["value"] == "0810" and "—" in latin[0]["text"]
    assert {r["value"] for r in get(client, "hs", q="08.10", level="6")["results"]} <= {
        r["value"] for r in latin
    }
    assert all(len(r["value"]) == 6 for r in get(client, "hs", q="0810", level="6")["results"])


def test_hs_by_persian_and_english_name_and_label_in_the_interface_language(client, people):
    client.force_login(people["carol"])
    persian = get(client, "hs", q="خرما")["results"]
    assert "080410" in {r["value"] for r in persian}
    english = get(client, "hs", lang="en", q="dates")["results"]
    assert "080410" in {r["value"] for r in english}
    fa_label = next(r["text"] for r in persian if r["value"] == "080410")
    en_label = next(r["text"] for r in get(client, "hs", lang="en", q="080410")["results"])
    assert "خرما" in fa_label and "ates" in en_label and "خرما" not in en_label


def test_sections_are_found_by_their_roman_numeral(client, people):
    client.force_login(people["carol"])
    rows = get(client, "hs", q="XV", level="1")["results"]
    assert [r["value"] for r in rows] == ["XV"]


def test_results_are_limited(client, people):
    client.force_login(people["carol"])
    default = get(client, "hs", q="0")
    assert len(default["results"]) == DEFAULT_LIMIT and default["more"] is True
    assert len(get(client, "hs", q="0", limit="5")["results"]) == 5
    assert len(get(client, "hs", q="0", limit="۱۰۰۰")["results"]) == MAX_LIMIT
    assert len(get(client, "hs", q="0", limit="x")["results"]) == DEFAULT_LIMIT


def test_countries_by_code_name_and_other_spelling(client, people):
    client.force_login(people["carol"])
    assert get(client, "countries", q="irq")["results"][0] == {"value": "IRQ", "text": "عراق (IRQ)"}
    assert "IRQ" in {r["value"] for r in get(client, "countries", q="عراق")["results"]}
    assert "IRQ" in {r["value"] for r in get(client, "countries", q="عراق", lang="en")["results"]}
    english = get(client, "countries", lang="en", q="Iraq")["results"]
    assert english[0] == {"value": "IRQ", "text": "Iraq (IRQ)"}
    # Arabic yeh/kaf typed for Persian ones.
    assert get(client, "countries", q="تركيه")["results"] == get(client, "countries", q="ترکیه")["results"]


def test_counties_of_the_province_by_code_and_name(client, people, settings):
    from saderat.web.reference.models import County

    client.force_login(people["carol"])
    county = County.objects.filter(province_id=settings.SADERAT_PROVINCE).order_by("code").first()
    rows = get(client, "counties", q=county.code)["results"]
    assert rows[0] == {"value": county.code, "text": f"{county.name_fa} ({county.code})"}
    assert county.code in {r["value"] for r in get(client, "counties", q=county.name_fa)["results"]}
    others = County.objects.exclude(province_id=settings.SADERAT_PROVINCE).first()
    assert get(client, "counties", q=others.code)["results"] == []
    assert get(client, "counties", q=others.code, province="all")["results"][0]["value"] == others.code


def test_agencies_active_only_by_name(client, people):
    from saderat.web.accounts.models import Agency

    client.force_login(people["bob"])
    customs = Agency.objects.get(code="customs")
    rows = get(client, "agencies", q=customs.name_fa[:4])["results"]
    assert {"value": "customs", "text": customs.name_fa} in rows
    Agency.objects.filter(code="customs").update(is_active=False)
    assert "customs" not in {r["value"] for r in get(client, "agencies", q="customs")["results"]}


def test_firms_only_for_roles_that_may_see_firms(client, people):
    from saderat.web.accounts.services import user_create
    from saderat.web.registry.models import Firm

    firm = Firm.objects.create(name="شرکت انار ساوه", name_key="انارساوه", national_id="10861234567")
    Firm.objects.create(
        name="شرکت انار قدیم", name_key="انارقدیم", national_id="10861234568", merged_into=firm
    )
    client.force_login(people["carol"])
    assert client.get(url("firms"), {"q": "انار"}).status_code == 403
    standards = user_create(
        username="sam", password="sam-pass-12345", role="agency_member", agency_code="standards"
    )
    client.force_login(standards)  # the directorate records certificates' holder firms: it finds them
    assert get(client, "firms", q="انار")["results"][0]["value"] == "10861234567"
    tpo_less = user_create(
        username="ed", password="ed-pass-123456", role="agency_member", agency_code="agriculture"
    )
    client.force_login(tpo_less)  # an agency with no business with firms
    assert client.get(url("firms"), {"q": "انار"}).status_code == 403
    client.force_login(people["bob"])  # customs
    assert get(client, "firms", q="انار")["results"] == [
        {"value": "10861234567", "text": "شرکت انار ساوه (10861234567)"}
    ]
    assert get(client, "firms", q="۱۰۸۶۱۲")["results"][0]["value"] == "10861234567"
    client.force_login(people["alice"])
    assert len(get(client, "firms", q="انار")["results"]) == 1  # the merged firm is not offered


def test_admin_searches_big_tables_instead_of_listing_them_and_uses_vazirmatn(client, people):
    from django.contrib import admin

    from saderat.web.workgroup.models import Resolution

    client.force_login(people["dave"])
    page = client.get(reverse("admin:workgroup_resolution_add"))
    assert page.status_code == 200
    html = page.content.decode()
    # The HS code box is an autocomplete, not a select of every code (the page used to weigh 1 MB).
    assert 'name="hs_code"' in html and "admin-autocomplete" in html and html.count("<option") < 200
    assert len(html) < 200_000
    assert "vendor/vazirmatn.css" in html and "saderat/admin.css" in html
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "خرما", "app_label": "workgroup", "model_name": "resolution", "field_name": "hs_code"},
    ).json()
    assert "080410" in {r["id"] for r in found["results"]}
    # Every foreign key or many-to-many to a big table is searched, in every admin.
    big = {"HSCode", "TariffLine", "Country", "County", "Firm", "Session", "Resolution", "Target", "User"}
    missing = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in {"auth", "axes", "django_tasks_database"}:
            continue
        read_only = not model_admin.has_change_permission(type("R", (), {"user": people["dave"]})())
        for field in model._meta.get_fields():
            if not field.concrete or not (field.many_to_one or field.many_to_many):
                continue
            if field.related_model.__name__ not in big or read_only:
                continue
            if field.name in model_admin.get_readonly_fields(None):
                continue
            if field.name not in model_admin.autocomplete_fields:
                missing.append(f"{model.__name__}.{field.name}")
    assert missing == []
    assert Resolution._meta.get_field("hs_code").related_model.__name__ == "HSCode"
