"""The registry and exporters API with the pages' permissions: a viewer never gets a cell built on fewer than
3 exporters (or dominated by one) in the dynamics by county or market; the secretariat gets them all; a
standards member gets no firm at all. The truth is counted here from the warehouse's declaration lines."""

import json
import math

import pytest

from saderat.analytics.confidentiality import RULE_FA
from saderat.web.registry.exporter_stats import FIGURES

pytestmark = pytest.mark.django_db


def declaration_lines(year: int, region: str = "00"):
    """The declaration lines (exporter ID known, value > 0) of the province's customs exports in ``year``."""
    from saderat.web.common.warehouse import active_facts

    facts = active_facts()
    t = facts.filter(
        (facts.year == year)
        & (facts.region_code == region)
        & (facts.flow == "export")
        & (facts.basis == "customs")
        & facts.exporter_id.notnull()
        & (facts.value_usd > 0)
    )
    return t.execute()


def truth_cells(column: str, year: int) -> dict[str, tuple[int, float]]:
    """Per group of ``column``: exporters with value > 0 and the largest exporter's share of the value."""
    lines = declaration_lines(year).dropna(subset=[column])
    per_exporter = lines.groupby([column, "exporter_id"])["value_usd"].sum().reset_index()
    out = {}
    for group, rows in per_exporter.groupby(column):
        out[str(group)] = (len(rows), float(rows["value_usd"].max() / rows["value_usd"].sum()))
    return out


@pytest.mark.parametrize(("by", "column"), [("county", "county_code"), ("market", "partner_code")])
def test_viewer_gets_no_cell_on_fewer_than_3_exporters(client, people, by, column):
    client.force_login(people["carol"])
    response = client.get("/api/exporters/dynamics", {"region": "00", "year": 1404, "by": by})
    assert response.status_code == 200
    data = response.json()
    assert data["unsuppressed"] is False and data["rule"] == RULE_FA
    truth = truth_cells(column, 1404)
    withheld = 0
    for row in data["rows"]:
        n, share = truth.get(row["group"], (0, math.nan))
        if n < 3 or share > 0.85:
            withheld += 1
            assert row["withheld"] in ("few", "dominant")
            assert all(row[f] is None for f in FIGURES), row["group"]
        else:
            assert row["exporters"] == n and row["withheld"] is None
            assert row["max_exporter_share"] is None and row["value_per_exporter_median"] is None
            if row["entrants"] is not None and row["entrants"] < 3:
                assert row["value_per_entrant"] is None
    assert withheld > 0  # the synthetic data has small cells: the rule was exercised
    assert {r["group"] for r in data["rows"]} >= set(truth)


def test_secretariat_gets_every_cell(client, people):
    client.force_login(people["alice"])
    data = client.get("/api/exporters/dynamics", {"year": 1404, "by": "county"}).json()
    assert data["unsuppressed"] is True and data["rule"] is None and data["suppressed_cells"] == 0
    truth = truth_cells("county_code", 1404)
    assert {r["group"]: r["exporters"] for r in data["rows"] if r["exporters"]} == {
        g: n for g, (n, _) in truth.items()
    }
    by_year = client.get("/api/exporters/dynamics").json()
    assert [(r["year"], r["months"], r["partial"]) for r in by_year["rows"]] == [
        (1403, 12, False),
        (1404, 8, True),
    ]


def test_dynamics_api_refuses_bad_parameters(client, people):
    client.force_login(people["carol"])
    assert client.get("/api/exporters/dynamics", {"by": "product"}).status_code == 400
    assert client.get("/api/exporters/dynamics", {"region": "national"}).status_code == 400
    assert client.get("/api/exporters/dynamics", {"year": 99999999999}).status_code == 400


def test_standards_member_gets_403_on_firm_endpoints(client, personas, registry):
    client.force_login(personas["standards"])
    steel = registry["steel"]
    for url in (
        "/api/registry/firms",
        f"/api/registry/firms/{steel.pk}",
        "/api/registry/counts",
        "/api/registry/cards/expiring",
        "/api/exporters/potential",
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert steel.name not in response.content.decode()
    assert client.get("/api/registry/reviews").status_code == 403
    # Its own registers' batches only (standards, certificates): none of the firms' files.
    batches = client.get("/api/registry/batches")
    assert batches.status_code == 200 and batches.json() == []


def test_firm_record_through_the_api(client, personas, registry):
    steel = registry["steel"]
    client.force_login(personas["customs"])
    found = client.get("/api/registry/firms", {"q": "صنایع غذایی بهاران"}).json()
    assert [f["id"] for f in found] == [registry["food"].pk]
    record = client.get(f"/api/registry/firms/{steel.pk}").json()
    assert (
        record["name"] == steel.name and record["sources"]["name"]["batch"] == registry["batches"]["firms"].pk
    )
    assert [c["number"] for c in record["cards"]] == ["11223344"] and record["cards"][0]["days_left"] == 30
    assert record["units"][0]["products"][0]["code"] == "72085100"
    assert record["exporter_id_list"] == [registry["big_exporter"]]
    assert {r["year"] for r in record["exports"]["by_year"]} == {1403, 1404}
    # The chamber sees the record but not the firm's exports.
    client.force_login(personas["chamber"])
    assert client.get(f"/api/registry/firms/{steel.pk}").json()["exports"] is None
    assert client.get("/api/registry/firms/999999").status_code == 404


def test_review_decisions_through_the_api(client, people, personas, registry):
    from saderat.web.registry.models import Firm, MatchReview

    a = Firm.objects.create(name="صنایع چوب البرز", name_key="چوب البرز")
    b = Firm.objects.create(name="چوب البرز", name_key="چوب البرز")
    review = MatchReview.objects.create(firm_a=a, firm_b=b, probability=0.7, reason="نام یکسان")
    client.force_login(personas["customs"])
    post = lambda url, data=None: client.post(url, json.dumps(data or {}), content_type="application/json")  # noqa: E731
    assert post(f"/api/registry/reviews/{review.pk}/decision", {"merge": True}).status_code == 403
    client.force_login(people["alice"])
    (pending,) = client.get("/api/registry/reviews").json()
    assert pending["firm_a"]["name"] == a.name and pending["probability"] == 0.7
    merged = post(f"/api/registry/reviews/{review.pk}/decision", {"merge": True}).json()
    assert merged["decision"] == "merged"
    assert post(f"/api/registry/reviews/{review.pk}/decision", {"merge": False}).status_code == 400
    assert post(f"/api/registry/reviews/{review.pk}/undo").json()["decision"] == "undone"
    assert Firm.objects.get(pk=b.pk).merged_into_id is None
    assert post("/api/registry/reviews/999999/undo").status_code == 404
    assert MatchReview.objects.get(pk=review.pk).decided_by == people["alice"]


def test_potential_exporters_through_the_api(client, personas, registry):
    client.force_login(personas["tpo"])
    data = client.get("/api/exporters/potential", {"limit": 10}).json()
    assert data["year"] == 1402 and data["rows"][0]["rank"] == 1
    assert registry["aluminium"].pk in {r["firm_id"] for r in data["rows"]}
    assert all(r["reasons"] for r in data["rows"])
    assert client.get("/api/exporters/potential", {"limit": 0}).status_code == 400
