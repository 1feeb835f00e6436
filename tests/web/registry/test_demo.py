"""The demo's synthetic registry imported through the real pipeline, over the session's synthetic Markazi
declarations (tests/conftest.py): every exporter ID joined to a firm, the counts as generated, the name
variants without identifiers joined to the right firm (or put to review), idempotence, everything marked
synthetic. A smaller registry than the demo's (600 units) keeps the test fast; the generator's calibration
at full size is tested in tests/demo/test_registry.py."""

from __future__ import annotations

import itertools
from collections import defaultdict

import pytest
from django.utils import timezone

from saderat.warehouse import queries
from saderat.web.common.warehouse import active_facts
from saderat.web.registry.demo import import_synthetic_registry, synthetic_registry_files
from saderat.web.registry.models import (
    CardAlert,
    CommercialCard,
    ExporterLink,
    Firm,
    IndustrialUnit,
    MatchReview,
    RegistryBatch,
    RegistryChange,
    UnitProduct,
)

SMALL = {"units_total": 600, "active_licences": 400}


def surviving(firm: Firm) -> Firm:
    while firm.merged_into_id:
        firm = firm.merged_into
    return firm


def record_firms(truth) -> dict[tuple[str, str], int]:
    """(file, record) -> the surviving firm the import joined it to."""
    out = {}
    for number, firm_id in CommercialCard.objects.values_list("number", "firm_id"):
        out[("cards", number)] = firm_id
    for licence, firm_id in IndustrialUnit.objects.values_list("licence_number", "firm_id"):
        out[("units", licence)] = firm_id
    by_identifier = {
        f.national_id or f.national_code: f.pk for f in Firm.objects.exclude(merged_into__isnull=False)
    }
    for row in truth[truth["file"] == "firms"].itertuples():
        out[("firms", row.record)] = by_identifier.get(row.record)
    firms = {f.pk: f for f in Firm.objects.all()}
    return {k: (surviving(firms[v]).pk if v in firms else None) for k, v in out.items()}


def pairwise(truth, joined: dict, reviewed: set[frozenset[int]]) -> tuple[float, float, dict]:
    """Pairwise precision and recall of the import's clustering of the firms-file records and the records
    written without an identifier, against the generator's truth; a true pair the import did not join counts
    as found when its two firms are in the review queue."""
    records = truth[(truth["file"] == "firms") | truth["id_omitted"]]
    keys = [(r.file, r.record) for r in records.itertuples()]
    true_firm = dict(zip(keys, records["firm_ref"], strict=True))
    predicted = {k: joined.get(k) for k in keys}
    tp = fp = fn = in_review = 0
    by_true = defaultdict(list)
    for k in keys:
        by_true[true_firm[k]].append(k)
    for a, b in itertools.combinations(keys, 2):
        same_true = true_firm[a] == true_firm[b]
        same_pred = predicted[a] is not None and predicted[a] == predicted[b]
        if same_pred and same_true:
            tp += 1
        elif same_pred:
            fp += 1
        elif same_true:
            if frozenset((predicted[a], predicted[b])) in reviewed:
                in_review += 1
            else:
                fn += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = (tp + in_review) / (tp + in_review + fn) if tp + in_review + fn else 1.0
    return precision, recall, {"tp": tp, "fp": fp, "fn": fn, "in_review": in_review}


@pytest.mark.django_db
def test_the_synthetic_registry_imports_through_the_pipeline(registry_home, tmp_path):
    day = timezone.localdate()
    batches = import_synthetic_registry(**SMALL)
    assert [b.kind for b in batches] == ["firms", "units", "cards", "exporters"]
    for batch in batches:
        assert not batch.duplicate
        assert batch.status == RegistryBatch.Status.ACTIVE, (batch.kind, batch.message)
        assert batch.rows_rejected == 0 and batch.is_synthetic
    _, generated = synthetic_registry_files(tmp_path, region="00", today=day, **SMALL)
    firms, cards, units, truth = (generated[k] for k in ("firms", "cards", "units", "truth"))

    # Every exporter ID of the declarations belongs to a firm, in the exporter's county.
    declared = queries.exporter_totals(
        active_facts(), by=("exporter_id", "county_code"), year=None, basis=None, region="00"
    )
    links = {link.exporter_id: surviving(link.firm) for link in ExporterLink.objects.select_related("firm")}
    assert set(declared["exporter_id"]) <= set(links)
    for row in declared.itertuples():
        assert links[row.exporter_id].county_id == row.county_code

    # Counts as generated: cards, units, products; each firm of the firms file exactly once.
    assert CommercialCard.objects.count() == len(cards)
    assert IndustrialUnit.objects.count() == units["شماره پروانه بهره‌برداری"].nunique()
    assert UnitProduct.objects.count() == (units["کد تعرفه محصول"] != "").sum()
    assert IndustrialUnit.objects.filter(status="active").count() == SMALL["active_licences"]
    identifiers = (set(firms["شناسه ملی"]) | set(firms["کد ملی"])) - {""}
    live = Firm.objects.filter(merged_into__isnull=True)
    assert {f.national_id or f.national_code for f in live if f.national_id or f.national_code} == identifiers
    leftovers = live.filter(national_id__isnull=True, national_code__isnull=True)
    pending = MatchReview.objects.filter(decision=MatchReview.Decision.PENDING)
    reviewed = {frozenset((r.firm_a_id, r.firm_b_id)) for r in pending}
    in_review = {pk for pair in reviewed for pk in pair}
    # A record written without identifier that the resolver did not join is a firm of its own in the queue.
    assert all(f.pk in in_review for f in leftovers), [f.name for f in leftovers if f.pk not in in_review]

    # The name variants without identifiers: joined to the right firm (or put to review).
    precision, recall, counts = pairwise(truth, record_firms(truth), reviewed)
    print(f"variants without identifier: precision {precision:.3f}, recall {recall:.3f}, {counts}")
    assert precision >= 0.95 and recall >= 0.90, counts

    # The alerts fired: cards expiring within 7, 30 and 60 days.
    assert set(CardAlert.objects.values_list("days_before", flat=True)) == {7, 30, 60}

    # Everything is marked synthetic.
    for model in (Firm, CommercialCard, IndustrialUnit, ExporterLink):
        assert not model.objects.filter(is_synthetic=False).exists(), model

    # A second run changes nothing.
    changes, n_firms, alerts = RegistryChange.objects.count(), Firm.objects.count(), CardAlert.objects.count()
    again = import_synthetic_registry(**SMALL)
    assert all(b.duplicate for b in again)
    assert [b.pk for b in again] == [b.pk for b in batches]
    assert (RegistryChange.objects.count(), Firm.objects.count(), CardAlert.objects.count()) == (
        changes,
        n_firms,
        alerts,
    )


@pytest.mark.django_db
def test_a_changed_generator_replaces_the_synthetic_registry(registry_home):
    """Another seed writes other files: the earlier synthetic batches are withdrawn first, so the registry
    holds one synthetic registry, never two side by side."""
    first = import_synthetic_registry(units_total=600, active_licences=400, seed=1)
    units = IndustrialUnit.objects.count()
    second = import_synthetic_registry(units_total=600, active_licences=400, seed=2)
    assert not any(b.duplicate for b in second)
    for batch in first:
        batch.refresh_from_db()
        assert batch.status == RegistryBatch.Status.WITHDRAWN
    assert IndustrialUnit.objects.count() == units == 600
    assert set(RegistryBatch.objects.filter(status="active").values_list("pk", flat=True)) == {
        b.pk for b in second
    }
