"""Who changed what: edits in admin and imports leave audit events with the acting user."""

import pytest
from django.urls import reverse

from saderat.web.common.models import AuditEvent
from saderat.web.reference.models import Country


@pytest.mark.django_db
def test_an_admin_edit_of_a_country_is_audited_with_the_user_and_the_diff(client, people):
    client.force_login(people["dave"])
    country = Country.objects.get(code="SYC")
    url = reverse("admin:reference_country_change", args=[country.code])
    form = {
        "code": "SYC",
        "iso2": country.iso2,
        "name_fa": "سیشل (جزایر)",
        "name_en": country.name_en,
        "is_country": "on",
        "note": "",
        "aliases-TOTAL_FORMS": "0",
        "aliases-INITIAL_FORMS": "0",
        "aliases-MIN_NUM_FORMS": "0",
        "aliases-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.filter(model="reference.Country", object_id="SYC").latest("at")
    assert event.user == people["dave"]
    assert event.action == "update"
    assert event.changes["name_fa"][1] == "سیشل (جزایر)"


@pytest.mark.django_db
def test_agencies_of_the_working_group_are_seeded():
    from saderat.web.accounts.models import Agency

    codes = set(Agency.objects.values_list("code", flat=True))
    assert {"governorate", "imt", "customs", "standards", "chamber", "agriculture", "tpo"} <= codes
    assert Agency.objects.get(is_secretariat=True).code == "imt"


@pytest.mark.django_db
def test_only_admins_reach_django_admin(client, people):
    client.force_login(people["alice"])
    assert client.get("/admin/").status_code == 302  # secretariat is not staff: sent to admin login
    client.force_login(people["dave"])
    assert client.get("/admin/").status_code == 200


def test_an_agency_member_needs_an_agency(db):
    from django.core.exceptions import ValidationError

    from saderat.web.accounts.services import user_create

    with pytest.raises(ValidationError) as err:
        user_create(username="eve", password="eve-pass-12345", role="agency_member")
    assert "باید به یک دستگاه وابسته باشد" in str(err.value)
