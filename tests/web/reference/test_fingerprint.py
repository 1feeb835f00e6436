"""The reference tables' fingerprint, read on every page that resolves a region: an audited edit of any
reference row changes it (the lookups are rebuilt), an edit elsewhere does not; and it is answered from the
(model, id) index, not by reading the audit trail."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saderat.web.common.audit import record
from saderat.web.reference.selectors import _reference_fingerprint


@pytest.mark.django_db
def test_an_edit_of_a_reference_row_changes_the_fingerprint_and_others_do_not():
    from saderat.web.reference.models import CountryAlias, CustomsOffice

    before = _reference_fingerprint()
    record(action="update", model="registry.Firm", object_id="1")
    assert _reference_fingerprint() == before  # a firm's edit is not the reference tables'
    office = CustomsOffice.objects.first()
    office.name_fa = office.name_fa + " (ویرایش)"
    office.save()  # an edit: no count changes, only its audit event tells
    edited = _reference_fingerprint()
    assert edited != before
    CountryAlias.objects.create(alias_fa="نام تازه", country_id="IRQ")
    assert _reference_fingerprint() != edited


@pytest.mark.django_db
def test_the_fingerprint_does_not_scan_the_audit_trail():
    with CaptureQueriesContext(connection) as queries:
        _reference_fingerprint()
    audit = [q["sql"] for q in queries.captured_queries if "common_auditevent" in q["sql"]]
    assert len(audit) == 1 and " LIKE " not in audit[0].upper()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN QUERY PLAN {audit[0]}")
            plan = " ".join(str(row[-1]) for row in cursor.fetchall())
        assert "audit_model_id" in plan, plan
