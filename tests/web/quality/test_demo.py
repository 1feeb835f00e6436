"""The demo's quality data through the real pipelines, over the session's synthetic declarations and a small
synthetic registry (as tests/web/registry/test_demo.py): the seed standards, the shipped RASFF files, the
synthetic certificates (some exports non-compliant on purpose), idempotence of a second run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from saderat.web.quality.demo import import_quality_demo
from saderat.web.quality.figures import compliance_data
from saderat.web.quality.models import Certificate, MandatoryStandard, NotificationBatch
from saderat.web.registry.demo import import_synthetic_registry
from saderat.web.registry.models import RegistryBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def notification_store(settings):
    """The demo writes its notification files into the session's warehouse (beside the declarations it
    judges); their batch ids live in a rolled-back transaction, so the files go with the test."""
    folder = Path(settings.SADERAT_WAREHOUSE_DIR) / "notifications"
    shutil.rmtree(folder, ignore_errors=True)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_the_demo_quality_data_imports_and_shows_non_compliance(registry_home, notification_store):
    import_synthetic_registry(units_total=600, active_licences=400)
    line = import_quality_demo("00")
    assert "290 distinct" in line, line
    assert MandatoryStandard.objects.count() == 44 and not MandatoryStandard.objects.filter(is_synthetic=True)
    assert NotificationBatch.objects.filter(status="active").count() == 5
    certificates = Certificate.objects.all()
    assert certificates and all(c.is_synthetic for c in certificates)
    batch = RegistryBatch.objects.get(kind="certificates", status="active")
    assert batch.is_synthetic
    verdicts = [compliance_data(region="00", year=year) for year in (1403, 1404)]
    assert all(v["declaration_level"] and v["synthetic"] for v in verdicts)
    assert sum(v["noncompliant_lines"] for v in verdicts) > 0 < sum(v["compliant_lines"] for v in verdicts)

    again = import_quality_demo("00")  # nothing changes the second time
    assert again.replace("وارد شده", "") == line.replace("وارد شده", "")
    assert RegistryBatch.objects.filter(kind="certificates", status="active").get() == batch
    assert NotificationBatch.objects.count() == 5 and Certificate.objects.count() == certificates.count()
