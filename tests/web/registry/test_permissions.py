"""The permission matrix of firm-level data (issue: statistical confidentiality), role by role and page by page.

Firm pages and lists are for the secretariat and the agencies whose work needs them: the chamber (cards),
customs and TPO (exporters). Export values of a firm and unsuppressed aggregates only for the secretariat,
customs and TPO. Standards, agriculture and the viewer see aggregates only, suppressed. The review queue is
the secretariat's; registry imports the secretariat's and, for their own register, the chamber's (cards) and
customs' (exporter IDs)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROLES = ("admin", "secretariat", "customs", "tpo", "chamber", "standards", "agriculture", "viewer")
ALL = frozenset({"firms", "cards", "units", "exporters"})
NONE = frozenset()
#: role -> (firm list, firm page, firm's exports on its page, review queue, imports page, the registers whose
#: import batches it may open, potential exporters, dynamics page, dynamics cells unsuppressed)
MATRIX = {
    "admin": (200, 200, True, 200, 200, ALL, 200, 200, True),
    "secretariat": (200, 200, True, 200, 200, ALL, 200, 200, True),
    "customs": (200, 200, True, 403, 200, {"exporters"}, 200, 200, True),
    "tpo": (200, 200, True, 403, 403, NONE, 200, 200, True),
    "chamber": (200, 200, False, 403, 200, {"cards"}, 200, 200, False),
    # The standards directorate imports its own registers (standards, certificates) on the same page.
    "standards": (403, 403, None, 403, 200, NONE, 403, 200, False),
    "agriculture": (403, 403, None, 403, 403, NONE, 403, 200, False),
    "viewer": (403, 403, None, 403, 403, NONE, 403, 200, False),
}
CHECKS = (
    "firm_list",
    "firm_page",
    "firm_exports",
    "review_queue",
    "imports",
    "batches",
    "potential",
    "dynamics",
    "unsuppressed",
)


def outcomes(client, registry) -> dict:
    """What the logged-in user gets, check by check (None where a check does not apply)."""
    steel = registry["steel"]
    got = dict.fromkeys(CHECKS)
    firms = client.get(reverse("registry:firms"), {"q": "فولاد"})
    got["firm_list"] = firms.status_code
    # Seen only with the list: a refused user never gets the name, nor the download.
    assert (steel.name in firms.content.decode()) == (firms.status_code == 200)
    download = client.get(reverse("registry:firms_download", args=["csv"]))
    assert download.status_code == firms.status_code
    detail = client.get(reverse("registry:firm_detail", args=[steel.pk]))
    got["firm_page"] = detail.status_code
    page = detail.content.decode()
    assert ("11223344" in page) == (detail.status_code == 200)  # the card number: firm-level data
    if detail.status_code == 200:
        got["firm_exports"] = 'id="exports"' in page
        assert ('id="t-firm-years"' in page) == got["firm_exports"]
    got["review_queue"] = client.get(reverse("registry:reviews")).status_code
    got["imports"] = client.get(reverse("registry:imports")).status_code
    got["batches"] = {
        kind
        for kind, batch in registry["batches"].items()
        if client.get(reverse("registry:batch_detail", args=[batch.pk])).status_code == 200
    }
    potential = client.get(reverse("registry:potential"))
    got["potential"] = potential.status_code
    assert (registry["aluminium"].name in potential.content.decode()) == (potential.status_code == 200)
    dynamics = client.get(reverse("registry:dynamics"), {"year": 1404})
    got["dynamics"] = dynamics.status_code
    page = dynamics.content.decode()
    # County 0002 has one exporter in 1404 (the session's synthetic declarations).
    row = page[page.index('data-group="0002"') :]
    row = row[: row.index("</tr>")]
    got["unsuppressed"] = 'data-col="exporters" data-value="1"' in row
    if got["unsuppressed"]:
        assert 'data-suppressed="1"' not in page and 'id="unsuppressed-note"' in page
    else:
        assert 'data-withheld="few"' in row and 'id="suppression-rule"' in page
        assert "کمتر از ۳ صادرکننده" in page
    return got


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, personas, registry, role):
    client.force_login(personas[role])
    assert outcomes(client, registry) == dict(zip(CHECKS, MATRIX[role], strict=True))


def test_a_standards_member_cannot_open_a_firm_page(client, personas, registry):
    client.force_login(personas["standards"])
    response = client.get(reverse("registry:firm_detail", args=[registry["steel"].pk]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "اطلاعات بنگاه‌ها محرمانه است" in page and registry["steel"].name not in page


@pytest.mark.parametrize(
    ("role", "entries"),
    [
        ("secretariat", {"nav-dynamics": True, "nav-registry": True}),
        ("chamber", {"nav-dynamics": True, "nav-registry": True}),
        ("standards", {"nav-dynamics": True, "nav-registry": True}),  # its imports, not the firms
        ("viewer", {"nav-dynamics": True, "nav-registry": False}),
    ],
)
def test_navbar_shows_the_registry_only_to_those_allowed(client, personas, role, entries):
    client.force_login(personas[role])
    nav = client.get(reverse("workgroup:home")).content.decode()
    nav = nav[nav.index("<nav") : nav.index("</nav>")]
    for element_id, shown in entries.items():
        assert (f'id="{element_id}"' in nav) == shown, element_id
