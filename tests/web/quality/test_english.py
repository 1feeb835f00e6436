"""The quality pages in English: a certificate's holder and issuing body are data (marked ``lang="fa"``), its
standards a list in the page's language; a notification file's stored message is shown in English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from tests.web.test_i18n import in_english, persian_outside_data

pytestmark = pytest.mark.django_db


def test_certificates_in_english_mark_their_data(client, personas, registry):
    from saderat.web.quality import services

    today = timezone.localdate()
    certificate = services.certificate_save(
        user=personas["standards"],
        number="Q-1402-77",
        firm=registry["steel"],
        codes=["720851", "720852"],
        standard_numbers=["3639", "218"],
        issuing_body="اداره کل استاندارد استان مرکزی",
        issued_on=today - dt.timedelta(days=100),
        expires_on=today + dt.timedelta(days=200),
    )
    client.force_login(personas["secretariat"])
    in_english(client)
    for url in (
        reverse("quality:certificates"),
        reverse("quality:certificate_detail", args=[certificate.pk]),
    ):
        html = client.get(url).content.decode()
        assert persian_outside_data(html) == [], url
        assert '<span lang="fa" dir="rtl">اداره کل استاندارد استان مرکزی</span>' in html
        assert "3639, 218" in html or "218, 3639" in html


def test_a_notification_files_message_in_english():
    from saderat.web.quality import services
    from saderat.web.quality.views import batch_message

    stored = services.NOTIFICATIONS_IMPORTED.format(stored="۲۲۱", read="۲۲۳", duplicates="۲", unmatched="۸")
    with translation.override("en"):
        assert batch_message(stored) == (
            "221 notifications stored from 223 rows; 2 duplicate rows counted once, 8 notifications not mapped "
            "to an HS heading (listed in the batch's report)."
        )
        assert batch_message(services.NOTIFICATIONS_WITHDRAWN) == "The notification batch was withdrawn."
    with translation.override("fa"):
        assert batch_message(stored) == stored
