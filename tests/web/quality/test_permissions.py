"""Only the standards directorate's members (and the admin) create or change standards and certificates:
everyone else gets 403, through the pages, the API and the registry's import (issue 10)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse

WRITERS = {"admin", "standards"}
EVERYONE = ["admin", "secretariat", "customs", "tpo", "chamber", "standards", "agriculture", "viewer"]


def _standard_post(client):
    return client.post(
        reverse("quality:standard_new"),
        {"code_prefix": "۰۸۰۲۵۱", "standard_number": "15", "title": "پسته", "effective_from": "1396/01/01"},
    )


@pytest.mark.parametrize("who", EVERYONE)
def test_standard_pages_and_api(client, personas, who):
    client.force_login(personas[who])
    assert client.get(reverse("quality:standards")).status_code == 200  # the list is for everyone
    created = _standard_post(client)
    api = client.post(
        "/api/quality/standards",
        json.dumps({"code_prefix": "0910", "standard_number": "259-1", "effective_from": "2017-03-21"}),
        content_type="application/json",
    )
    if who in WRITERS:
        assert created.status_code == 302 and api.status_code == 200, api.content
    else:
        assert created.status_code == 403 and api.status_code == 403
        assert "اداره کل استاندارد" in api.json()["detail"]
    from saderat.web.quality.models import MandatoryStandard

    assert MandatoryStandard.objects.count() == (2 if who in WRITERS else 0)


@pytest.mark.parametrize("who", EVERYONE)
def test_certificate_writes(client, personas, registry, who):
    from saderat.web.quality.models import Certificate

    client.force_login(personas[who])
    page = client.post(
        reverse("quality:certificate_new"),
        {
            "number": "1404-1",
            "firm_identifier": registry["steel"].national_id,
            "kind": "conformity",
            "codes": "720851",
            "issuing_body": "اداره کل استاندارد",
            "issued_on": "1404/01/10",
            "expires_on": "1405/01/10",
        },
    )
    api = client.post(
        "/api/quality/certificates",
        json.dumps(
            {
                "number": "1404-2",
                "firm": registry["steel"].pk,
                "codes": ["7208"],
                "issuing_body": "شرکت بازرسی نمونه",
                "issued_on": "2025-04-01",
                "expires_on": "2026-04-01",
            }
        ),
        content_type="application/json",
    )
    if who in WRITERS:
        assert page.status_code == 302 and api.status_code == 200, (page.content[:500], api.content)
        certificate = Certificate.objects.get(number="1404-1")
        status = client.post(
            f"/api/quality/certificates/{certificate.pk}/status",
            json.dumps({"status": "suspended", "effective_on": "2025-06-01", "reason": "نمونه‌برداری"}),
            content_type="application/json",
        )
        assert status.status_code == 200 and status.json()["status_today"] == "suspended"
    else:
        assert page.status_code == 403 and api.status_code == 403
        assert not Certificate.objects.exists()


def test_the_secretariat_cannot_import_a_certificates_file(personas, registry, registry_home):
    """The secretariat keeps every other register, not this one: its file is refused, nothing applied."""
    from tests.files import write_csv

    from saderat.web.quality.models import Certificate
    from saderat.web.registry import services

    path = write_csv(
        registry_home / "cert.csv",
        ["شماره گواهی", "شناسه ملی", "کد تعرفه کالاها", "مرجع صدور", "تاریخ صدور", "تاریخ انقضا"],
        [
            [
                "1404-9",
                registry["steel"].national_id,
                "720851",
                "اداره کل استاندارد",
                "1404/01/01",
                "1405/01/01",
            ]
        ],
    )
    batch, _ = services.registry_import_file(path=path, user=personas["secretariat"])
    assert batch.status == "failed" and "با نقش شما نیست" in batch.message
    assert not Certificate.objects.exists()
    batch, _ = services.registry_import_file(path=path, user=personas["standards"], kind="certificates")
    assert batch.status == "active", batch.message
    assert Certificate.objects.get().firm == registry["steel"]


@pytest.mark.parametrize("who", ["viewer", "agriculture"])
def test_firm_level_quality_data_is_not_for_everyone(client, personas, who):
    client.force_login(personas[who])
    assert client.get(reverse("quality:certificates")).status_code == 403
    assert client.get("/api/quality/certificates").status_code == 403
    assert client.get(reverse("quality:home")).status_code == 200
    assert client.get(reverse("quality:compliance")).status_code == 200
    assert client.get(reverse("quality:notifications")).status_code == 200


def test_a_status_cannot_precede_the_issue(personas, registry):
    from django.core.exceptions import ValidationError

    from saderat.web.quality import services

    certificate = services.certificate_save(
        user=personas["standards"],
        number="1404-3",
        firm=registry["steel"],
        codes=["7208"],
        issuing_body="اداره کل استاندارد",
        issued_on=dt.date(2025, 4, 1),
        expires_on=dt.date(2026, 4, 1),
    )
    with pytest.raises(ValidationError):
        services.certificate_set_status(
            user=personas["standards"],
            certificate=certificate,
            status="suspended",
            effective_on=dt.date(2025, 1, 1),
        )


def test_a_bad_certificates_file_is_held_with_row_and_column_and_nothing_is_imported(
    personas, registry, registry_home
):
    import csv

    from tests.files import write_csv

    from saderat.web.quality.models import Certificate
    from saderat.web.registry import services

    path = write_csv(
        registry_home / "bad-cert.csv",
        ["شماره گواهی", "شناسه ملی", "کد تعرفه کالاها", "مرجع صدور", "تاریخ صدور", "تاریخ انقضا"],
        [
            [
                "1404-20",
                registry["steel"].national_id,
                "720851",
                "اداره کل استاندارد",
                "1404/01/01",
                "1405/01/01",
            ],
            [
                "1404-21",
                registry["steel"].national_id,
                "720851",
                "اداره کل استاندارد",
                "1404/05/01",
                "1404/02/01",
            ],
            ["1404-22", "10100374899", "720851", "اداره کل استاندارد", "1404/01/01", "1405/01/01"],
        ],
    )
    batch, _ = services.registry_import_file(path=path, user=personas["standards"], kind="certificates")
    assert batch.status == "held" and batch.rows_rejected == 2 and not Certificate.objects.exists()
    with open(services.problems_file(batch), encoding="utf-8-sig") as fh:
        problems = list(csv.reader(fh))[1:]
    assert {(int(p[0]), p[1]) for p in problems} == {
        (3, "تاریخ انقضا (expires_on)"),
        (4, "شناسه ملی (national_id)"),
    }
    reasons = {int(p[0]): p[3] for p in problems}
    assert "پیش از" in reasons[3] and "10100374899" in reasons[4]


def test_the_api_refuses_what_the_forms_refuse(client, personas, registry):
    """A directorate member's API call with a code that is not digits, a standard number with words, or an
    expiry before the issue gets 400 with the reason; nothing is stored, and the pages that read the list
    keep working."""
    from saderat.web.quality.models import Certificate, MandatoryStandard

    client.force_login(personas["standards"])
    bad_standard = client.post(
        "/api/quality/standards",
        json.dumps(
            {
                "code_prefix": "08 02",
                "standard_number": "x y",
                "effective_from": "2025-03-21",
                "effective_to": "2020-01-01",
            }
        ),
        content_type="application/json",
    )
    assert bad_standard.status_code == 400 and "۲ تا ۸ رقم" in bad_standard.json()["detail"]
    bad_certificate = client.post(
        "/api/quality/certificates",
        json.dumps(
            {
                "number": "!",
                "firm": registry["steel"].pk,
                "codes": ["zz"],
                "issuing_body": "x",
                "issued_on": "2026-01-01",
                "expires_on": "2025-01-01",
            }
        ),
        content_type="application/json",
    )
    assert bad_certificate.status_code == 400
    assert not MandatoryStandard.objects.exists() and not Certificate.objects.exists()
    client.force_login(personas["viewer"])
    assert client.get(reverse("stats:home")).status_code == 200
    assert client.get("/api/quality/compliance", {"year": 1404}).status_code == 200


def test_a_file_that_fits_two_templates_is_not_guessed(personas, registry, registry_home):
    """Certificates written with headers that also make a firms file (name, national ID): detection refuses to
    choose, and nothing is applied; with the kind chosen it imports as certificates."""
    from tests.files import write_csv

    from saderat.web.quality.models import Certificate
    from saderat.web.registry import services
    from saderat.web.registry.models import Firm

    name_before = registry["steel"].name
    path = write_csv(
        registry_home / "ambiguous.csv",
        ["شماره گواهی", "شناسه ملی", "نام شرکت", "کد تعرفه", "مرجع صدور", "تاریخ صدور", "تاریخ انقضا"],
        [
            [
                "1404-31",
                registry["steel"].national_id,
                "فولاد",
                "720851",
                "اداره کل استاندارد",
                "1404/01/01",
                "1405/01/01",
            ]
        ],
    )
    batch, _ = services.registry_import_file(path=path, user=personas["admin"])
    assert batch.status == "failed" and "بیش از یک قالب" in batch.message, batch.message
    assert Firm.objects.get(pk=registry["steel"].pk).name == name_before and not Certificate.objects.exists()
    batch, _ = services.registry_import_file(path=path, user=personas["admin"], kind="certificates")
    assert batch.status == "active" and Certificate.objects.get().number == "1404-31"


def test_a_status_cannot_be_dated_before_the_last_one(personas, registry):
    from django.core.exceptions import ValidationError

    from saderat.web.quality import services

    certificate = services.certificate_save(
        user=personas["standards"],
        number="1404-4",
        firm=registry["steel"],
        codes=["7208"],
        issuing_body="اداره کل استاندارد",
        issued_on=dt.date(2025, 1, 1),
        expires_on=dt.date(2026, 1, 1),
    )
    services.certificate_set_status(
        user=personas["standards"],
        certificate=certificate,
        status="suspended",
        effective_on=dt.date(2025, 6, 1),
    )
    with pytest.raises(ValidationError):
        services.certificate_set_status(
            user=personas["standards"],
            certificate=certificate,
            status="valid",
            effective_on=dt.date(2025, 3, 1),
        )
    certificate.refresh_from_db()
    assert certificate.status == "suspended" == certificate.status_on(dt.date(2025, 7, 1))


def test_a_viewer_sees_no_compliance_cell_on_few_exporters(client, personas, registry):
    """The directorate sees every group; a viewer sees the groups on fewer than 3 exporters (or one over 85 %)
    without their figures, and the rule."""
    from saderat.analytics.confidentiality import suppressed
    from saderat.web.quality import services

    services.standard_save(
        user=personas["standards"],
        code_prefix="72",
        standard_number="3694",
        effective_from=dt.date(2017, 3, 21),
    )
    client.force_login(personas["standards"])
    full = client.get("/api/quality/compliance", {"year": 1404, "by": "tariff_code"}).json()
    few = {
        g["tariff_code"] for g in full["groups"] if bool(suppressed(g["exporters"], g["max_exporter_share"]))
    }
    assert few and full["suppressed_cells"] == 0
    client.force_login(personas["viewer"])
    seen = client.get("/api/quality/compliance", {"year": 1404, "by": "tariff_code"}).json()
    assert seen["suppressed_cells"] >= len(few) and "noncompliant" not in seen
    for g in seen["groups"]:
        assert "max_exporter_share" not in g or g["max_exporter_share"] is None
        if g["tariff_code"] in few:
            assert g["suppressed"] and g["value"] is None and g["noncompliant_value"] is None
    page = client.get(reverse("quality:compliance"), {"year": 1404, "by": "tariff_code"}).content.decode()
    assert 'id="suppression-rule"' in page and 'id="t-noncompliant"' not in page


def test_withdrawing_every_file_of_a_certificate_removes_it(personas, registry, registry_home):
    """File 1 creates a certificate, file 2 suspends it. Withdrawn in that order, the registry keeps the
    certificate after the first (file 2 still carries it); after the second nothing vouches for it: gone,
    so it can make no export compliant."""
    from tests.files import write_csv

    from saderat.web.quality.models import Certificate
    from saderat.web.registry import services

    header = [
        "شماره گواهی",
        "شناسه ملی",
        "کد تعرفه کالاها",
        "مرجع صدور",
        "تاریخ صدور",
        "تاریخ انقضا",
        "وضعیت",
    ]
    row = [
        "1404-50",
        registry["steel"].national_id,
        "720851",
        "اداره کل استاندارد",
        "1404/01/01",
        "1405/01/01",
    ]
    first = write_csv(registry_home / "c1.csv", header, [[*row, "معتبر"]])
    second = write_csv(registry_home / "c2.csv", header, [[*row, "تعلیق"]])
    sara = personas["standards"]
    b1, _ = services.registry_import_file(path=first, user=sara, kind="certificates")
    b2, _ = services.registry_import_file(path=second, user=sara, kind="certificates")
    assert b1.status == b2.status == "active" and Certificate.objects.get().status == "suspended"
    services.registry_batch_withdraw(batch=b1, user=sara)
    assert Certificate.objects.filter(number="1404-50").exists()  # file 2 still carries it
    services.registry_batch_withdraw(batch=b2, user=sara)
    assert not Certificate.objects.exists()
