"""The registry pages: Alice (secretariat) searches firms by any spelling, reads a firm's record with the
source of every field, its card, units and exports, decides the review queue and undoes a merge, imports
registers and names potential exporters in a resolution; Chris (chamber) imports cards only."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from tests.web.registry.conftest import (
    ALUMINIUM_ID,
    FOOD_NAME,
    STEEL_ID,
    STEEL_NAME,
    jalali,
    today,
    write_csv,
)

from saderat.ingest.registry import TEMPLATES
from saderat.text import to_persian_digits
from saderat.web.registry import services
from saderat.web.registry.models import (
    CommercialCard,
    Firm,
    IndustrialUnit,
    MatchReview,
    RegistryBatch,
    RegistryChange,
)

pytestmark = pytest.mark.django_db


def page(response) -> str:
    # Without the left-to-right isolates (U+2066 ... U+2069) that wrap every formatted number.
    return response.content.decode().replace("\u2066", "").replace("\u2069", "")


def firm_ids(response) -> set[int]:
    return {f.pk for f in response.context["firms"]}


# -- firm list --------------------------------------------------------------------------------------------------
def test_firm_search_by_name_variant_identifier_and_filters(client, people, registry):
    client.force_login(people["alice"])
    url = reverse("registry:firms")
    steel, aluminium, food, pomegranate = (registry[k] for k in ("steel", "aluminium", "food", "pomegranate"))
    # The food firm is registered with Arabic yeh and kaf; a search in Persian letters, without «شرکت», finds it.
    found = client.get(url, {"q": "صنایع غذایی بهاران"})
    assert firm_ids(found) == {food.pk} and FOOD_NAME.replace("ي", "ی").replace("ك", "ک") in page(found)
    assert firm_ids(client.get(url, {"q": "فولاد نمونه"})) == {steel.pk}  # its other name, too
    assert firm_ids(client.get(url, {"q": "۱۴۰۰۰۱۲۳۴۵"})) == {aluminium.pk}  # national ID in Persian digits
    assert firm_ids(client.get(url, {"q": "11223344"})) == {steel.pk}  # card number
    assert firm_ids(client.get(url, {"q": registry["small_exporter"]})) == {food.pk}  # exporter ID
    assert firm_ids(client.get(url, {"card": "expired"})) == {aluminium.pk}
    assert firm_ids(client.get(url, {"card": "none"})) == {food.pk, pomegranate.pk}
    assert firm_ids(client.get(url, {"exporter": "yes"})) == {steel.pk, food.pk}
    assert firm_ids(client.get(url, {"has_units": "no"})) == {food.pk}
    assert firm_ids(client.get(url, {"county": "0006"})) == {aluminium.pk, pomegranate.pk}
    assert firm_ids(client.get(url, {"isic": "۲۴"})) == {steel.pk, aluminium.pk}
    everything = client.get(url)
    assert firm_ids(everything) == {steel.pk, aluminium.pk, food.pk, pomegranate.pk}
    assert 'id="t-firms"' in page(everything) and "table-sortable" in page(everything)
    assert 'data-filter-table="t-firms"' in page(everything)


def test_firm_list_downloads_as_csv_and_xlsx_with_the_filters(client, people, registry):
    client.force_login(people["alice"])
    response = client.get(reverse("registry:firms_download", args=["csv"]), {"county": "0006"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:3] == ["نام ثبتی", "شناسه ملی", "کد ملی"]
    names = {r[0] for r in rows[2:]}
    assert names == {registry["aluminium"].name, registry["pomegranate"].name}
    aluminium = next(r for r in rows[2:] if r[0] == registry["aluminium"].name)
    assert aluminium[1] == ALUMINIUM_ID and aluminium[4] == "ساوه" and aluminium[6:9] == ["1", "1", "0"]
    xlsx = client.get(reverse("registry:firms_download", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2][0] == "نام ثبتی" and len(values) == 3 + 4
    assert client.get(reverse("registry:firms_download", args=["pdf"])).status_code == 404


# -- firm page --------------------------------------------------------------------------------------------------
def test_firm_page_shows_sources_card_units_exports_and_resolutions(client, people, registry):
    from saderat.web.common.warehouse import active_facts
    from saderat.web.workgroup import services as workgroup

    alice = people["alice"]
    steel = registry["steel"]
    session = workgroup.session_create(
        user=alice, number=30, held_on=today() - dt.timedelta(days=2), chair="استاندار"
    )
    resolution = workgroup.resolution_create(
        user=alice,
        session=session,
        text="پیگیری صادرات ورق فولادی به عراق",
        responsible_agency="tpo",
        deadline=today() + dt.timedelta(days=60),
        firms=[steel],
    )
    client.force_login(alice)
    response = client.get(reverse("registry:firm_detail", args=[steel.pk]))
    assert response.status_code == 200
    html = page(response)
    assert f'<h1 class="h4" id="firm-name">{STEEL_NAME}' in html
    # Every field says where it came from: the firms register (batch and file) for the name.
    fields = {f["field"]: f for f in response.context["fields"]}
    firms_batch = registry["batches"]["firms"]
    assert fields["name"]["source"]["batch"] == firms_batch.pk
    assert fields["national_id"]["value"] == STEEL_ID
    assert f"دسته {to_persian_digits(firms_batch.pk)}: firms.csv" in html
    assert "فولاد نمونه" in html  # the other name
    # The card, its expiry in 30 days; the unit with its product and capacity.
    card = html[html.index('data-card="11223344"') :]
    card = card[: card.index("</tr>")]
    assert (
        'data-status="active"' in card and to_persian_digits(jalali(today() + dt.timedelta(days=30))) in card
    )
    assert 'data-value="30"' in card
    unit = html[html.index('data-unit="P1001"') :]
    assert "کارخانه ورق فولادی" in unit and "ورق گرم" in unit and "۴۰۰٬۰۰۰ تن" in unit
    # Its exports by year equal the warehouse's lines of its exporter ID.
    facts = active_facts()
    lines = facts.filter(facts.exporter_id == registry["big_exporter"]).execute()
    expected = lines.groupby("year")["value_usd"].sum()
    shown = {int(r["year"]): r["value"] for r in response.context["exports"]["by_year"]}
    assert shown.keys() == {int(y) for y in expected.index}
    for year, value in expected.items():
        assert shown[int(year)] == pytest.approx(value)
    markets = response.context["exports"]["by_market"]
    assert markets[0]["value"] == max(m["value"] for m in markets) and markets[0]["name"]
    assert 'id="t-firm-products"' in html and 'id="t-firm-markets"' in html
    # The declarations are synthetic: the exports say so.
    assert (
        response.context["exports"]["synthetic"]
        and 'data-synthetic="1"' in html[html.index('id="exports"') :]
    )
    # The resolution that names it.
    assert f'data-resolution="{resolution.pk}"' in html and "پیگیری صادرات ورق فولادی" in html


def test_firm_without_exporter_id_and_a_merged_firm(client, people, registry):
    client.force_login(people["alice"])
    html = page(client.get(reverse("registry:firm_detail", args=[registry["pomegranate"].pk])))
    assert "شناسه صادرکننده‌ای به این بنگاه وصل نیست" in html
    # A sole trader (national code) and a company (national ID) are two persons: never merged.
    with pytest.raises(ValidationError):
        services.firm_merge(keep=registry["food"], other=registry["pomegranate"], user=people["alice"])
    # A record without identifier that the secretariat knows to be the food firm: it now points at it.
    orchard = Firm.objects.create(name="باغ انار نمونه", name_key="باغ انار نمونه", county_id="0001")
    IndustrialUnit.objects.create(licence_number="P9009", firm=orchard, name="سردخانه انار")
    review = services.firm_merge(keep=registry["food"], other=orchard, user=people["alice"])
    response = client.get(reverse("registry:firm_detail", args=[orchard.pk]))
    survivor = reverse("registry:firm_detail", args=[registry["food"].pk])
    assert response.status_code == 302 and response["Location"] == survivor
    merged = page(client.get(survivor))
    assert 'id="merged-firms"' in merged and orchard.name in merged
    assert 'data-unit="P9009"' in merged  # the orchard's unit moved with it
    assert review.decision == MatchReview.Decision.MERGED


def test_unknown_firm_is_404(client, people, db):
    client.force_login(people["alice"])
    assert client.get(reverse("registry:firm_detail", args=[999999])).status_code == 404


# -- review queue -----------------------------------------------------------------------------------------------
@pytest.fixture
def pair(registry):
    """Two firms the resolver could not decide on, as it leaves them: a pending pair of the review queue."""
    a = Firm.objects.create(
        name="شرکت پویا سازه اراک", name_key="پویا سازه اراک", county_id="0001", isic="2511"
    )
    b = Firm.objects.create(name="پویاسازه", name_key="پویاسازه", county_id="0001")
    review = MatchReview.objects.create(
        firm_a=a, firm_b=b, probability=0.64, reason="نام‌ها شبیه‌اند؛ شهرستان یکی است"
    )
    return a, b, review


def test_review_queue_lists_the_pair_and_merges_it_then_undoes_it(client, people, registry, pair):
    a, b, review = pair
    client.force_login(people["alice"])
    html = page(client.get(reverse("registry:reviews")))
    row = html[html.index(f'id="review-{review.pk}"') :]
    row = row[: row.index("</tr>")]
    assert a.name in row and b.name in row and "اراک" in row and "۶۴٪" in row and "شهرستان یکی است" in row
    response = client.post(reverse("registry:review_decide", args=[review.pk]), {"decision": "merge"})
    assert response.status_code == 302
    review.refresh_from_db()
    b.refresh_from_db()
    assert review.decision == "merged" and review.decided_by == people["alice"] and b.merged_into_id == a.pk
    assert RegistryChange.objects.filter(firm=a, field="merged_into", user=people["alice"]).exists()
    html = page(client.get(reverse("registry:reviews")))
    merged = html[html.index('id="t-merged"') :]
    assert f'id="review-{review.pk}"' in merged and 'data-action="undo"' in merged
    client.post(reverse("registry:review_undo", args=[review.pk]))
    review.refresh_from_db()
    b.refresh_from_db()
    assert review.decision == "undone" and b.merged_into_id is None
    # Deciding it again is refused with the service's message; nothing changes.
    response = client.post(
        reverse("registry:review_decide", args=[review.pk]), {"decision": "merge"}, follow=True
    )
    assert services.ALREADY_DECIDED in page(response)
    b.refresh_from_db()
    assert b.merged_into_id is None


def test_keep_apart_and_undo_an_automatic_merge(client, people, registry, pair):
    a, b, review = pair
    client.force_login(people["alice"])
    client.post(reverse("registry:review_decide", args=[review.pk]), {"decision": "apart"})
    review.refresh_from_db()
    assert review.decision == "apart"
    # A merge made by the resolver above its threshold is undone the same way.
    shop = Firm.objects.create(name="فروشگاه آلومینیوم", name_key="فروشگاه آلومینیوم", county_id="0006")
    IndustrialUnit.objects.create(licence_number="P7007", firm=shop, name="کارگاه پروفیل")
    automatic = services.firm_merge(keep=registry["aluminium"], other=shop, automatic=True)
    html = page(client.get(reverse("registry:reviews")))
    row = html[html.index(f'id="review-{automatic.pk}"') :]
    assert "خودکار (بالای آستانه)" in row[: row.index("</tr>")]
    client.post(reverse("registry:review_undo", args=[automatic.pk]))
    shop.refresh_from_db()
    assert shop.merged_into_id is None
    assert shop.units.count() == 1  # its unit came back


def test_review_decisions_are_the_secretariats(client, people, personas, registry, pair):
    a, b, review = pair
    for role in ("customs", "chamber", "viewer"):
        client.force_login(personas[role])
        assert (
            client.post(
                reverse("registry:review_decide", args=[review.pk]), {"decision": "merge"}
            ).status_code
            == 403
        )
    shop = Firm.objects.create(name="فروشگاه آلومینیوم", name_key="فروشگاه آلومینیوم", county_id="0006")
    automatic = services.firm_merge(keep=registry["aluminium"], other=shop, automatic=True)
    assert client.post(reverse("registry:review_undo", args=[automatic.pk])).status_code == 403
    review.refresh_from_db()
    automatic.refresh_from_db()
    assert review.decision == "pending" and automatic.decision == "merged"
    client.force_login(people["alice"])
    assert client.get(reverse("registry:review_decide", args=[review.pk])).status_code == 405


# -- imports ----------------------------------------------------------------------------------------------------
def cards_file(path, *, bad: bool = True):
    expiry = jalali(today() + dt.timedelta(days=200))
    rows = [["99887766", STEEL_ID, STEEL_NAME, "اتاق اراک", jalali(today() - dt.timedelta(days=100)), expiry]]
    if bad:
        rows.append(["12", "", "", "اتاق اراک", "۱۴۰۴/۱۳/۴۰", expiry])
    return write_csv(
        path,
        ["شماره کارت بازرگانی", "شناسه ملی", "نام دارنده", "اتاق صادرکننده", "تاریخ صدور", "تاریخ انقضا"],
        rows,
    )


def test_chamber_imports_cards_held_then_accepted_then_withdrawn(client, personas, registry, registry_home):
    chris = personas["chamber"]
    client.force_login(chris)
    form = page(client.get(reverse("registry:imports")))
    assert (
        '<option value="cards"' in form
        and '<option value="units"' not in form
        and "تشخیص از سرستون‌ها" not in form
    )
    with open(cards_file(registry_home / "cards-new.csv"), "rb") as fh:
        response = client.post(reverse("registry:imports"), {"file": fh, "kind": "cards"})
    batch = RegistryBatch.objects.get(source_name="cards-new.csv")
    assert response.status_code == 302 and response["Location"] == reverse(
        "registry:batch_detail", args=[batch.pk]
    )
    assert (
        batch.status == "held"
        and batch.rows_read == 2
        and batch.rows_rejected == 1
        and batch.created_by == chris
    )
    assert not CommercialCard.objects.filter(number="99887766").exists()  # held: nothing imported
    html = page(client.get(response["Location"]))
    assert batch.message in html and 'id="download-problems"' in html and 'id="accept-form"' in html
    problems = client.get(reverse("registry:batch_problems", args=[batch.pk]))
    lines = list(csv.reader(io.StringIO(b"".join(problems.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["ردیف (row)", "ستون (column)", "مقدار (value)", "علت (reason)"]
    assert {line[0] for line in lines[1:]} == {"3"}  # the second data row, with its columns and reasons
    client.post(reverse("registry:batch_accept", args=[batch.pk]))
    batch.refresh_from_db()
    assert (
        batch.status == "active" and CommercialCard.objects.get(number="99887766").firm == registry["steel"]
    )
    html = page(client.get(reverse("registry:batch_detail", args=[batch.pk])))
    assert 'id="withdraw-form"' in html
    client.post(reverse("registry:batch_withdraw", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "withdrawn" and not CommercialCard.objects.filter(number="99887766").exists()
    # Another register is not the chamber's: the form refuses it and nothing is recorded.
    with open(cards_file(registry_home / "units-as-chamber.csv"), "rb") as fh:
        refused = client.post(reverse("registry:imports"), {"file": fh, "kind": "units"})
    assert (
        refused.status_code == 400
        and not RegistryBatch.objects.filter(source_name="units-as-chamber.csv").exists()
    )


def test_secretariat_upload_detects_the_kind_and_a_duplicate_changes_nothing(
    client, people, registry, registry_home
):
    client.force_login(people["alice"])
    path = cards_file(registry_home / "cards-clean.csv", bad=False)
    with open(path, "rb") as fh:
        client.post(reverse("registry:imports"), {"file": fh, "kind": ""})
    batch = RegistryBatch.objects.get(source_name="cards-clean.csv")
    assert batch.kind == "cards" and batch.status == "active" and batch.rows_accepted == 1
    with open(path, "rb") as fh:
        response = client.post(reverse("registry:imports"), {"file": fh, "kind": ""}, follow=True)
    assert "پیش‌تر در دسته" in page(response)
    assert RegistryBatch.objects.filter(checksum=batch.checksum).count() == 1
    listing = page(client.get(reverse("registry:imports")))
    assert f'data-batch="{batch.pk}" data-status="active"' in listing
    with open(registry_home / "notes.txt", "w") as fh:
        fh.write("x")
    with open(registry_home / "notes.txt", "rb") as fh:
        wrong = client.post(reverse("registry:imports"), {"file": fh, "kind": "cards"})
    assert wrong.status_code == 400 and "notes.txt" in page(wrong)


def test_downloaded_template_has_the_persian_headers_and_imports_once_filled(
    client, people, registry, registry_home
):
    client.force_login(people["alice"])
    for kind, columns in TEMPLATES.items():
        response = client.get(reverse("registry:template", args=[kind]))
        assert response.status_code == 200 and response.content[:2] == b"PK"
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        sheet = book.worksheets[0]
        assert [c.value for c in sheet[1]] == [c.label_fa for c in columns]
        assert sheet.max_row == 1  # no example rows to be imported by mistake
        assert book.worksheets[1]["A1"].value == "سرستون"
    response = client.get(reverse("registry:template", args=["firms"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("نام") + 1, value="شرکت کاشی سپهر میلاد")
    sheet.cell(row=2, column=headers.index("شهرستان") + 1, value="خمین")
    filled = registry_home / "firms-filled.xlsx"
    book.save(filled)
    with open(filled, "rb") as fh:
        client.post(reverse("registry:imports"), {"file": fh, "kind": ""})
    batch = RegistryBatch.objects.get(source_name="firms-filled.xlsx")
    assert batch.kind == "firms" and batch.status == "active", batch.message
    assert Firm.objects.get(name="شرکت کاشی سپهر میلاد").county.name_fa == "خمین"
    assert client.get(reverse("registry:template", args=["nothing"])).status_code == 404


# -- home -------------------------------------------------------------------------------------------------------
def test_registry_home_counts_and_cards_expiring(client, personas, registry):
    client.force_login(personas["chamber"])
    response = client.get(reverse("registry:home"))
    html = page(response)
    assert response.context["counts"]["firms"] == 4
    assert 'data-testid="firms">۴<' in html and 'data-testid="exporter-ids">۲<' in html
    expiring = html[html.index('id="t-expiring"') :]
    assert 'data-card="11223344"' in expiring and 'data-card="55667788"' not in expiring  # expired already


# -- exporter dynamics ------------------------------------------------------------------------------------------
def test_dynamics_page_compares_the_same_months_and_marks_synthetic_data(client, people, db):
    client.force_login(people["alice"])
    response = client.get(reverse("registry:dynamics"))
    assert response.context["year"] == 1404  # the latest year with declarations
    html = page(response)
    assert "سال ۱۴۰۴ هنوز کامل نیست: ۸ ماه نخست آن با همان ۸ ماه سال ۱۴۰۳ مقایسه شده است" in html
    assert 'id="synthetic-note"' in html and 'data-synthetic="1"' in html
    for table in ("t-dyn-region", "t-dyn-county", "t-dyn-section", "t-dyn-market"):
        assert f'id="{table}"' in html
    for chart in ("chart-dyn-years", "chart-dyn-county", "chart-dyn-section", "chart-dyn-market"):
        assert f'id="{chart}"' in html and f'data-chart-src="{chart}"' in html
    region = response.context["region_table"].rows
    assert [(r["year"], r["months"], r["partial"]) for r in region] == [(1403, 12, False), (1404, 8, True)]
    assert region[0]["entrants"] is None and "—" in html  # 1402 has no declarations: undefined, not 0
    sections = {r["group"] for r in response.context["breakdowns"][1]["table"].rows}
    assert sections and sections <= {
        "I",
        "II",
        "III",
        "IV",
        "V",
        "VI",
        "VII",
        "VIII",
        "IX",
        "X",
        "XI",
        "XII",
        "XIII",
        "XIV",
        "XV",
        "XVI",
        "XVII",
        "XVIII",
        "XIX",
        "XX",
        "XXI",
    }
    complete = client.get(reverse("registry:dynamics"), {"year": 1403})
    assert complete.context["months"] == 12


def test_viewer_download_of_dynamics_has_no_small_cell(client, people, db):
    from tests.web.registry.test_api import truth_cells

    client.force_login(people["carol"])
    response = client.get(reverse("registry:dynamics_download", args=["csv"]), {"by": "market", "year": 1404})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert "کمتر از ۳ صادرکننده" in rows[0][0]
    header = rows[1]
    truth = truth_cells("partner_code", 1404)
    seen = 0
    for row in rows[2:]:
        cells = dict(zip(header, row, strict=True))
        n, share = truth[cells["کد"]]
        if n < 3 or share > 0.85:
            assert cells["صادرکنندگان"] == "" and cells["ارزش (دلار)"] == "" and cells["محرمانه"] == "محرمانه"
            seen += 1
        else:
            assert int(cells["صادرکنندگان"]) == n
    assert seen > 0
    xlsx = client.get(reverse("registry:dynamics_download", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


# -- potential exporters ----------------------------------------------------------------------------------------
def test_potential_exporters_page_and_download(client, people, registry):
    client.force_login(people["alice"])
    response = client.get(reverse("registry:potential"))
    rows = response.context["rows"]
    firms = [r["firm_id"] for r in rows]
    # Units whose firms exported nothing; the steel firm exports (its exporter ID is in the declarations).
    assert registry["aluminium"].pk in firms and registry["pomegranate"].pk in firms
    assert registry["steel"].pk not in firms
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    html = page(response)
    assert "در ۳۶ ماه اخیر داده‌های اظهارنامه صادراتی ندارد" in html
    # No session recorded yet: no resolution can be recorded, and the page says what to do first.
    assert 'id="potential-resolution"' not in html and "نخست جلسه کارگروه را ثبت کنید" in html
    xlsx = client.get(reverse("registry:potential_download", args=["xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header = values[2]
    assert header[:3] == ["رتبه", "بنگاه", "واحد"]
    body = [dict(zip(header, v, strict=True)) for v in values[3:]]
    assert [r["بنگاه"] for r in body] == [r["firm_name"] for r in rows]
    assert all(r["دلیل‌ها"] for r in body)


def test_a_resolution_names_firms_from_the_potential_list(client, people, personas, registry):
    from saderat.web.workgroup import services as workgroup
    from saderat.web.workgroup.models import Resolution

    alice = people["alice"]
    session = workgroup.session_create(
        user=alice, number=31, held_on=today() - dt.timedelta(days=1), chair="استاندار"
    )
    client.force_login(alice)
    html = page(client.get(reverse("registry:potential")))
    assert f'name="firms" value="{registry["aluminium"].pk}" form="potential-resolution"' in html
    data = {
        "session": session.pk,
        "text": "همراهی نخستین صادرات بنگاه‌های دارای توان صادراتی",
        "responsible_agency": str(personas["tpo"].agency_id),
        "deadline": jalali(today() + dt.timedelta(days=90)),
        "priority": "high",
        "firms": [registry["aluminium"].pk, registry["pomegranate"].pk],
    }
    response = client.post(reverse("registry:potential_resolution"), data)
    resolution = Resolution.objects.get(text=data["text"])
    assert response.status_code == 302 and response["Location"] == reverse(
        "workgroup:resolution_detail", args=[resolution.pk]
    )
    assert set(resolution.firms.all()) == {registry["aluminium"], registry["pomegranate"]}
    assert resolution.responsible_agency.code == "tpo" and resolution.session == session
    firm_page = page(client.get(reverse("registry:firm_detail", args=[registry["aluminium"].pk])))
    assert f'data-resolution="{resolution.pk}"' in firm_page
    # No firm chosen: the page again, with the reason; nothing recorded.
    refused = client.post(
        reverse("registry:potential_resolution"), {**data, "firms": [], "text": "بدون بنگاه"}
    )
    assert refused.status_code == 400 and "دست‌کم یک بنگاه را از فهرست انتخاب کنید." in page(refused)
    assert not Resolution.objects.filter(text="بدون بنگاه").exists()
    # Only the secretariat records resolutions.
    client.force_login(personas["chamber"])
    forged = client.post(reverse("registry:potential_resolution"), {**data, "text": "جعل"})
    assert forged.status_code == 403 and not Resolution.objects.filter(text="جعل").exists()
    assert 'id="potential-resolution"' not in page(client.get(reverse("registry:potential")))


# -- English ----------------------------------------------------------------------------------------------------
def test_registry_pages_in_english(client, people, personas, registry):
    from saderat.analytics.confidentiality import RULE_EN

    client.force_login(personas["viewer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page(client.get(reverse("registry:dynamics")))
    assert '<html lang="en" dir="ltr">' in html
    assert "Exporter dynamics" in html and "Statistical confidentiality:" in html and RULE_EN in html
    assert (
        "Year 1404 is not complete yet: its first 8 months are compared with the same 8 months of 1403"
        in html
    )
    assert "<th>Entry rate</th>" in html and "By destination market — year 1404" in html
    client.force_login(people["alice"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = page(client.get(reverse("registry:firm_detail", args=[registry["steel"].pk])))
    assert "Registry data and the source of each field" in html and "Commercial cards" in html
    assert "The firm&#x27;s exports (from export declarations)" in html or "The firm's exports" in html
    home = page(client.get(reverse("registry:home")))
    assert "Commercial cards expiring within 60 days" in home and 'data-testid="firms">4<' in home
