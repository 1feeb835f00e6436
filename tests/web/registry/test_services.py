"""Registry writes: imports (held, partial, duplicate, re-import with history), joining records to firms,
withdrawal, merges and their undoing, alerts, lapsed and potential exporters. Personas: Alice runs the
secretariat, Bob is a customs member, Carol a viewer; Chris is a chamber member."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from tests.files import nid, write_csv

from saderat.text import to_persian_digits
from saderat.web.registry import selectors, services
from saderat.web.registry.models import (
    CardAlert,
    CommercialCard,
    ExporterLink,
    Firm,
    IndustrialUnit,
    MatchReview,
    RegistryBatch,
    RegistryChange,
)

STEEL = nid("1412345671")
ALU = nid("1412345672")
FOOD = nid("1412345673")


FIRM_HEADER = ["شناسه ملی", "نام", "نوع شخصیت", "شهرستان", "کد آیسیک", "تلفن"]
FIRM_ROWS = [
    [STEEL, "شرکت فولاد آرین نوید اراک (سهامی خاص)", "سهامی خاص", "اراک", "2410", "086-1"],
    [ALU, "صنایع آلومینیوم سپهرتاب", "سهامی خاص", "ساوه", "2420", ""],
    [FOOD, "صنایع غذایی مهرام بیدستان", "با مسئولیت محدود", "ساوه", "1079", ""],
]
CARD_HEADER = [
    "شماره کارت بازرگانی",
    "شناسه ملی",
    "نام دارنده",
    "تاریخ صدور",
    "تاریخ انقضا",
    "وضعیت",
    "شهرستان",
]


@pytest.fixture
def chris(db):
    from saderat.web.accounts.services import user_create

    return user_create(
        username="chris", password="chris-pass-123", role="agency_member", agency_code="chamber"
    )


@pytest.fixture
def firms_file(tmp_path):
    return write_csv(tmp_path / "firms.csv", FIRM_HEADER, FIRM_ROWS)


def import_(path, **kwargs):
    batch, duplicate = services.registry_import_file(path=path, **kwargs)
    return batch, duplicate


def test_import_records_firms_with_their_sources(no_active_data, firms_file, people):
    batch, duplicate = import_(firms_file, user=people["alice"])
    assert not duplicate and batch.status == RegistryBatch.Status.ACTIVE, batch.message
    assert (batch.kind, batch.rows_read, batch.rows_accepted, batch.created_records) == ("firms", 3, 3, 3)
    steel = Firm.objects.get(national_id=STEEL)
    assert steel.county_id == "0001" and steel.isic == "2410" and steel.legal_form == "pjsc"
    assert steel.field_sources["isic"]["batch"] == batch.pk
    assert steel.field_sources["name"]["source"] == f"دسته {to_persian_digits(batch.pk)}: firms.csv"
    created = RegistryChange.objects.get(firm=steel, field="*")
    assert created.batch == batch and created.user == people["alice"]


def test_same_file_twice_changes_nothing(no_active_data, firms_file):
    first, _ = import_(firms_file)
    second, duplicate = import_(firms_file)
    assert duplicate and second.pk == first.pk
    assert second.message == services.DUPLICATE_FILE.format(batch=services._fa(first.pk))
    assert Firm.objects.count() == 3 and RegistryBatch.objects.count() == 1


def test_reimport_updates_only_what_it_carries_and_keeps_history(
    no_active_data, firms_file, tmp_path, people
):
    first, _ = import_(firms_file)
    rows = [list(r) for r in FIRM_ROWS]
    rows[0][5] = "086-2"  # phone changed
    rows[1][4] = ""  # empty ISIC cell: never erases
    rows[2][3] = "اراک"  # county changed? identifiers and county only fill what is empty
    second, _ = import_(write_csv(tmp_path / "firms-v2.csv", FIRM_HEADER, rows), user=people["alice"])
    assert second.status == RegistryBatch.Status.ACTIVE and second.updated_records == 1, second.message
    steel = Firm.objects.get(national_id=STEEL)
    assert steel.phone == "086-2"
    assert Firm.objects.get(national_id=ALU).isic == "2420"
    assert Firm.objects.get(national_id=FOOD).county_id == "0006"
    change = RegistryChange.objects.get(firm=steel, field="phone")
    assert (change.old, change.new, change.batch, change.user) == ("086-1", "086-2", second, people["alice"])
    assert steel.field_sources["phone"]["batch"] == second.pk
    assert steel.field_sources["name"]["batch"] == first.pk


def test_a_file_with_rejected_rows_is_held_and_nothing_recorded(no_active_data, tmp_path, people):
    bad = nid("1412345679")[:-1] + str((int(nid("1412345679")[-1]) + 1) % 10)
    path = write_csv(tmp_path / "firms.csv", FIRM_HEADER, [*FIRM_ROWS, [bad, "بد", "", "اراک", "2410", ""]])
    batch, _ = import_(path, user=people["alice"])
    assert batch.status == RegistryBatch.Status.HELD
    assert batch.message == services.HELD.format(rejected="۱", read="۴")
    assert Firm.objects.count() == 0 and RegistryChange.objects.count() == 0
    problems = services.problems_file(batch).read_text(encoding="utf-8-sig")
    assert "5,شناسه ملی (national_id)" in problems and "رقم کنترل" in problems
    with pytest.raises(PermissionDenied):
        services.registry_batch_accept_partial(batch=batch, user=people["carol"])
    batch = services.registry_batch_accept_partial(batch=batch, user=people["alice"])
    assert batch.status == RegistryBatch.Status.ACTIVE and Firm.objects.count() == 3


def test_cards_join_their_holders_by_identifier_card_number_and_name(
    no_active_data, firms_file, tmp_path, chris
):
    import_(firms_file)
    cards = write_csv(
        tmp_path / "cards.csv",
        CARD_HEADER,
        [
            ["11000000001", STEEL, "فولاد آرين نويد", "1403/02/15", "1405/02/15", "فعال", "اراک"],
            # No identifier: the name key in the same county decides (legal form, ZWNJ and ي/ك aside).
            ["11000000002", "", "شركت آلومينيوم سپهر‌تاب (س.خ)", "1403/02/15", "1404/02/15", "", "ساوه"],
        ],
    )
    batch, _ = import_(cards, user=chris)
    assert batch.status == RegistryBatch.Status.ACTIVE, batch.message
    steel, alu = Firm.objects.get(national_id=STEEL), Firm.objects.get(national_id=ALU)
    assert CommercialCard.objects.get(number="11000000001").firm == steel
    assert CommercialCard.objects.get(number="11000000002").firm == alu
    # The card without an identifier made a firm of its own that the resolver then joined to the registered one.
    assert selectors.live_firms().count() == 3
    # The other agency's spelling is kept as another name of the firm.
    assert list(steel.names.values_list("name", flat=True)) == ["فولاد آرین نوید"]
    # Later, the card number alone identifies the holder, whatever name is written.
    renewal = write_csv(
        tmp_path / "cards-2.csv",
        CARD_HEADER,
        [["11000000002", "", "سپهرتاب", "1404/02/15", "1405/02/15", "", ""]],
    )
    batch, _ = import_(renewal, user=chris)
    card = CommercialCard.objects.get(number="11000000002")
    assert card.firm == alu and card.expires_on == dt.date(2026, 5, 5)
    assert (
        RegistryChange.objects.get(object_id=str(card.pk), model="commercialcard", field="expires_on").old
        == "2025-05-05"
    )


def test_withdrawal_undoes_a_batch(no_active_data, firms_file, tmp_path, people):
    first, _ = import_(firms_file, user=people["alice"])
    rows = [list(r) for r in FIRM_ROWS]
    rows[0][5] = "086-9"
    second, _ = import_(write_csv(tmp_path / "v2.csv", FIRM_HEADER, rows), user=people["alice"])
    cards, _ = import_(
        write_csv(
            tmp_path / "c.csv",
            CARD_HEADER,
            [["11000000001", ALU, "سپهرتاب", "1403/01/01", "1404/01/01", "", ""]],
        )
    )
    with pytest.raises(PermissionDenied):
        services.registry_batch_withdraw(batch=second, user=people["carol"])
    services.registry_batch_withdraw(batch=second, user=people["alice"])
    assert Firm.objects.get(national_id=STEEL).phone == "086-1"
    first = services.registry_batch_withdraw(batch=first, user=people["alice"])
    # The aluminium firm holds a card of another batch: it stays, and the message says so.
    assert list(Firm.objects.values_list("national_id", flat=True)) == [ALU]
    assert first.status == RegistryBatch.Status.WITHDRAWN and first.withdrawn_by == people["alice"]
    assert "۱ رکورد" in first.message
    with pytest.raises(ValidationError):
        services.registry_batch_withdraw(batch=first, user=people["alice"])
    assert cards.status == RegistryBatch.Status.ACTIVE


def test_merge_moves_everything_and_undo_puts_it_back(no_active_data, tmp_path, people):
    import_(
        write_csv(
            tmp_path / "f.csv",
            FIRM_HEADER,
            # Two names the resolver has no reason to join: only the secretariat knows they are one firm.
            [
                [STEEL, "فولاد آرین نوید", "", "اراک", "2410", ""],
                ["", "نورد گستران کویر", "", "اراک", "", "086-7"],
            ],
        ),
        user=people["alice"],
    )
    keep = Firm.objects.get(national_id=STEEL)
    other = Firm.objects.exclude(pk=keep.pk).get()
    import_(
        write_csv(
            tmp_path / "c.csv",
            CARD_HEADER,
            [["11000000001", "", "نورد گستران کویر", "1403/01/01", "1405/01/01", "", "اراک"]],
        )
    )
    card = CommercialCard.objects.get()
    card_firm = card.firm
    review = services.firm_merge(keep=keep, other=other, user=people["alice"])
    keep.refresh_from_db()
    card.refresh_from_db()
    assert card.firm == keep and keep.phone == "086-7"
    assert Firm.objects.get(pk=other.pk).merged_into == keep
    assert card_firm == other
    assert selectors.firm_search(q="نورد گستران").get() == keep
    services.firm_unmerge(review=review, user=people["alice"])
    keep.refresh_from_db()
    card.refresh_from_db()
    assert card.firm == card_firm and keep.phone == ""
    assert Firm.objects.get(pk=other.pk).merged_into is None
    assert MatchReview.objects.get(pk=review.pk).decision == MatchReview.Decision.UNDONE


def test_two_firms_with_different_national_ids_are_never_merged(no_active_data, firms_file, people):
    import_(firms_file)
    a, b = Firm.objects.get(national_id=STEEL), Firm.objects.get(national_id=ALU)
    with pytest.raises(ValidationError) as exc:
        services.firm_merge(keep=a, other=b, user=people["alice"])
    assert exc.value.messages == [services.MERGE_CONFLICT.format(a=STEEL, b=ALU)]
    with pytest.raises(PermissionDenied):
        services.firm_merge(keep=a, other=b, user=people["bob"])


def test_card_expiry_alerts_once_per_threshold(no_active_data, firms_file, tmp_path, chris):
    from saderat.web.workgroup.models import Notification

    import_(firms_file)
    today = dt.date(2026, 12, 3)
    import jdatetime

    def jalali(days):
        j = jdatetime.date.fromgregorian(date=today + dt.timedelta(days=days))
        return f"{j.year}/{j.month:02d}/{j.day:02d}"

    import_(
        write_csv(
            tmp_path / "c.csv",
            CARD_HEADER,
            [
                ["11000000001", STEEL, "x", "1403/01/01", jalali(5), "", ""],
                ["11000000002", ALU, "y", "1403/01/01", jalali(45), "", ""],
                ["11000000003", FOOD, "z", "1403/01/01", jalali(90), "", ""],
            ],
        )
    )
    assert services.card_expiry_alerts_send(today=today) == 2
    assert services.card_expiry_alerts_send(today=today) == 0
    assert sorted(CardAlert.objects.values_list("days_before", flat=True)) == [7, 60]
    notes = list(
        Notification.objects.filter(user=chris, kind="card_expiry").values_list("message", flat=True)
    )
    assert len(notes) == 2 and any("۵ روز دیگر" in n for n in notes)
    # 30 days later the 45-day card crosses the 30-day threshold (15 days left), the 90-day one the 60-day.
    assert services.card_expiry_alerts_send(today=today + dt.timedelta(days=30)) == 2
    assert sorted(CardAlert.objects.values_list("days_before", flat=True)) == [7, 30, 60, 60]


@pytest.fixture
def declaration_exporters(db):
    """Exporter IDs of the session's synthetic declarations: active in both years, and in 1403 only."""
    from saderat.warehouse import queries
    from saderat.web.common.warehouse import active_facts

    frame = queries.exporter_totals(
        active_facts(), by=("exporter_id", "year", "month"), year=None, region="00"
    )
    months = frame.assign(m=frame["year"] * 12 + frame["month"]).groupby("exporter_id")["m"]
    years = frame.groupby("exporter_id")["year"].apply(set)
    both = sorted(e for e, y in years.items() if y == {1403, 1404})
    # Silent for the last 12 months of data (1403/09 .. 1404/08): last export in 1403/08 or before.
    silent = sorted(e for e, m in months.max().items() if m <= 1403 * 12 + 8)
    return both, silent, frame


def test_lapsed_exporters_are_firms_silent_for_12_months(declaration_exporters, tmp_path, people):
    both, first_only, frame = declaration_exporters
    assert first_only, "the synthetic declarations have exporters silent since 1403/08"
    gone = first_only[0]
    import_(
        write_csv(
            tmp_path / "e.csv",
            ["شناسه صادرکننده", "شناسه ملی", "نام"],
            [[gone, STEEL, "فولاد آرین نوید"], [both[0], ALU, "سپهرتاب"]],
        ),
        user=people["alice"],
    )
    lapsed = selectors.lapsed_exporters(region="00")
    names = {row["firm_name"]: row for row in lapsed}
    assert "فولاد آرین نوید" in names and "سپهرتاب" not in names
    row = names["فولاد آرین نوید"]
    expected = frame.loc[frame["exporter_id"] == gone, "value_usd"].sum()
    # The latest month is 1404/08: the last 12 months are 1403/09 .. 1404/08; all of 1403/01-08 is earlier.
    assert row["value_before"] == pytest.approx(expected, rel=1e-9) and row["last_year"] == 1403
    assert row["last_month"] <= 8


def test_potential_exporters_rank_units_of_non_exporting_firms(declaration_exporters, tmp_path, people):
    both, _, _ = declaration_exporters
    unit_header = [
        "شماره پروانه بهره‌برداری",
        "شناسه ملی",
        "نام بهره‌بردار",
        "کد آیسیک",
        "تعداد شاغلان",
        "شهرستان",
        "وضعیت",
        "کد تعرفه محصول",
    ]
    import_(
        write_csv(
            tmp_path / "u.csv",
            unit_header,
            [
                ["50000001", STEEL, "فولاد آرین نوید", "2410", 400, "اراک", "فعال", "72085100"],
                ["50000002", ALU, "سپهرتاب", "2420", 50, "ساوه", "فعال", "76061200"],
                ["50000003", FOOD, "مهرام", "1079", "", "ساوه", "فعال", ""],  # ISIC only
                ["50000004", nid("1412345674"), "کارگاه تعطیل", "2410", 10, "اراک", "تعطیل", "72085100"],
            ],
        ),
        user=people["alice"],
    )
    # The aluminium firm exports (one of the declarations' exporters): it is no potential exporter.
    import_(
        write_csv(tmp_path / "e.csv", ["شناسه صادرکننده", "شناسه ملی"], [[both[0], ALU]]),
        user=people["alice"],
    )
    result = selectors.potential_exporters(region="00", year=1402, limit=10)
    licences = [r["licence_number"] for r in result["rows"]]
    assert "50000002" not in licences and "50000004" not in licences
    assert set(licences) == {"50000001", "50000003"}
    by_licence = {r["licence_number"]: r for r in result["rows"]}
    assert by_licence["50000003"]["via_isic"] and not by_licence["50000001"]["via_isic"]
    assert by_licence["50000001"]["hs4"] == "7208"
    assert any("ISIC" in reason for reason in by_licence["50000003"]["reasons"])
    assert result["rows"][0]["score"] >= result["rows"][-1]["score"]
    assert IndustrialUnit.objects.count() == 4 and ExporterLink.objects.count() == 1


def test_a_name_never_joins_two_different_identifiers(no_active_data, tmp_path):
    """Two sole traders of the same name in the same county, each with their national code: two firms."""
    from saderat.registry.identifiers import national_code_check_digit

    first, second = ("004937089", "004937090")
    codes = [c + str(national_code_check_digit(c)) for c in (first, second)]
    header = ["شماره کارت بازرگانی", "کد ملی", "نام دارنده", "تاریخ صدور", "تاریخ انقضا", "شهرستان"]
    rows = [
        ["1100000001" + str(i), code, "علی محمدی", "1403/01/01", "1405/01/01", "اراک"]
        for i, code in enumerate(codes)
    ]
    batch, _ = import_(write_csv(tmp_path / "c.csv", header, rows))
    assert batch.status == RegistryBatch.Status.ACTIVE, batch.message
    holders = {c.number: c.firm.national_code for c in CommercialCard.objects.select_related("firm")}
    assert sorted(holders.values()) == sorted(codes)


def test_an_exporter_list_with_identifiers_only(no_active_data, tmp_path):
    batch, _ = import_(
        write_csv(tmp_path / "e.csv", ["شناسه صادرکننده", "شناسه ملی"], [["99123456789", STEEL]])
    )
    assert batch.status == RegistryBatch.Status.ACTIVE, batch.message
    firm = ExporterLink.objects.get(exporter_id="99123456789").firm
    assert (firm.national_id, firm.name) == (STEEL, STEEL)


def test_withdrawal_restores_the_name_key_and_keeps_what_a_later_file_carries(
    no_active_data, firms_file, tmp_path, people
):
    import_(firms_file)
    rows = [list(r) for r in FIRM_ROWS]
    rows[0][1] = "فولاد پارسیان نوید"
    renamed, _ = import_(write_csv(tmp_path / "v2.csv", FIRM_HEADER, rows), user=people["alice"])
    cards = [["11000000001", ALU, "سپهرتاب", "1403/01/01", "1404/01/01", "", ""]]
    january, _ = import_(write_csv(tmp_path / "c1.csv", CARD_HEADER, cards))
    cards[0][4] = "1405/01/01"
    february, _ = import_(write_csv(tmp_path / "c2.csv", CARD_HEADER, cards))
    services.registry_batch_withdraw(batch=renamed, user=people["alice"])
    steel = Firm.objects.get(national_id=STEEL)
    from saderat.registry.names import firm_name_key

    assert steel.name == FIRM_ROWS[0][1] and steel.name_key == firm_name_key(FIRM_ROWS[0][1])
    assert selectors.firm_search(q="آرین نوید").filter(pk=steel.pk).exists()
    # January's card is also February's: withdrawing January keeps it.
    services.registry_batch_withdraw(batch=january, user=people["alice"])
    card = CommercialCard.objects.get(number="11000000001")
    assert card.expires_on == dt.date(2026, 3, 21)
    assert february.status == RegistryBatch.Status.ACTIVE
