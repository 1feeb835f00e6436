"""Alerts (certificates expiring and expired, exporters of notified lines), the compliance resolution, and the
quality marks on the dashboard and the product page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone


def _certificate(personas, firm, number: str, *, expires: dt.date, issued: dt.date | None = None):
    from saderat.web.quality import services

    return services.certificate_save(
        user=personas["standards"],
        number=number,
        firm=firm,
        codes=["080410"],
        standard_numbers=["395"],
        issuing_body="اداره کل استاندارد",
        issued_on=issued or expires - dt.timedelta(days=365),
        expires_on=expires,
    )


def test_expiry_alerts_reach_the_directorate_and_the_firm_record_once(personas, registry):
    from saderat.web.quality.services import certificate_expiry_alerts_send
    from saderat.web.registry.models import RegistryChange
    from saderat.web.workgroup.models import Notification

    today = timezone.localdate()
    _certificate(personas, registry["steel"], "A-1", expires=today + dt.timedelta(days=20))
    _certificate(personas, registry["food"], "A-2", expires=today - dt.timedelta(days=2))
    _certificate(personas, registry["food"], "A-3", expires=today + dt.timedelta(days=90))  # not yet
    assert certificate_expiry_alerts_send(today=today) == 2
    assert certificate_expiry_alerts_send(today=today) == 0  # once
    sent = Notification.objects.filter(kind="certificate_expiry", user=personas["standards"])
    texts = sorted(n.message for n in sent)
    assert len(texts) == 2 and any("منقضی شد" in t for t in texts) and any("روز دیگر" in t for t in texts)
    on_records = RegistryChange.objects.filter(field="expiry_alert")
    assert {c.firm_id for c in on_records} == {registry["steel"].pk, registry["food"].pk}


def test_the_compliance_list_turns_into_a_resolution_for_the_directorate(client, personas, registry):
    """The secretariat records the working group's resolution on the firms chosen in the list, assigned to the
    directorate; the directorate itself and viewers cannot record resolutions."""
    from saderat.jalali import format_jalali_date
    from saderat.web.accounts.models import Agency
    from saderat.web.workgroup import services as workgroup
    from saderat.web.workgroup.models import Resolution

    alice = personas["secretariat"]
    session = workgroup.session_create(user=alice, number=41, held_on=timezone.localdate(), chair="استاندار")
    data = {
        "session": session.pk,
        "text": "پیگیری صادرات بدون گواهی انطباق",
        "responsible_agency": Agency.objects.get(code="standards").pk,
        "deadline": format_jalali_date(timezone.localdate() + dt.timedelta(days=60)),
        "priority": "high",
        "firms": [registry["steel"].pk, registry["food"].pk],
    }
    for who in ("standards", "viewer"):
        client.force_login(personas[who])
        assert client.post(reverse("quality:compliance_resolution"), data).status_code == 403
    client.force_login(alice)
    response = client.post(reverse("quality:compliance_resolution"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    resolution = Resolution.objects.get(session=session)
    assert set(resolution.firms.all()) == {registry["steel"], registry["food"]}
    assert resolution.responsible_agency.code == "standards"


def test_exporters_of_a_notified_line_are_alerted_on_their_records(client, personas, registry, monkeypatch):
    from saderat.web.quality import figures
    from saderat.web.registry.models import RegistryChange

    line = {"hs_code": "080410", "notifications": 3, "border_rejections": 2, "latest": "2025-06-01"}
    monkeypatch.setattr(figures, "affected_lines", lambda **kwargs: [line])
    exporters = [
        {
            "exporter_id": registry["big_exporter"],
            "firm_id": registry["steel"].pk,
            "firm_name": "x",
            "value": 1.0,
        }
    ]
    monkeypatch.setattr(figures, "affected_exporters", lambda **kwargs: {"080410": exporters})
    client.force_login(personas["chamber"])
    assert client.post(reverse("quality:notifications_alert"), {"hs_code": "080410"}).status_code == 403
    client.force_login(personas["standards"])
    assert client.post(reverse("quality:notifications_alert"), {"hs_code": "080410"}).status_code == 302
    change = RegistryChange.objects.get(field="foreign_notification")
    assert change.firm == registry["steel"] and "۰۸۰۴۱۰" in change.new


@pytest.mark.django_db
def test_mandatory_lines_are_marked_on_the_dashboard_and_the_product_page(client, personas):
    from saderat.web.quality import services

    client.force_login(personas["secretariat"])
    page = client.get(reverse("stats:home"), {"year": 1402})
    assert "quality-tile" not in page.content.decode()  # nothing entered yet: no tile
    services.standard_save(
        user=personas["standards"],
        code_prefix="2007",
        standard_number="214",
        title="مربا (برای آزمون)",
        effective_from=dt.date(2017, 3, 21),
    )
    html = client.get(reverse("stats:home"), {"year": 1402, "level": "hs2"}).content.decode()
    assert 'id="quality-tile"' in html
    # Chapter 20 (among Markazi's top 20 of 1402) holds the mandatory heading 2007: marked as partly mandatory.
    assert "mandatory-badge" in html and "استاندارد اجباری (برخی ردیف‌ها)" in html
    product = client.get(reverse("opportunities:product", args=["2007"]), {"year": 1402}).content.decode()
    assert 'id="product-quality"' in product and "۲۱۴" in product
