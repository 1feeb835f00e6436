"""The notification table: batches written whole or not at all and append-only; a notification imported
from two layouts counted once from its most complete row; the queries' shapes and definitions; the special
conditions and maximum levels of the province's exported lines."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from saderat.warehouse import Warehouse
from saderat.warehouse import notifications as wn


def notification_table(rows: list[dict]) -> pa.Table:
    """Rows as a reader gives them (batch_id 0): reference, date, type and origin by default."""
    columns = {name: [] for name in wn.NOTIFICATION_COLUMNS}
    for i, given in enumerate(rows, start=2):
        row = {
            "batch_id": 0,
            "source_row": i,
            "source": "rasff-db",
            "system": "rasff",
            "reference": None,
            "notified_on": None,
            "year": None,
            "jalali_year": None,
            "notifying_country": "ITA",
            "origin_codes": ["IRN"],
            "origin_text": "Iran",
            "product_category": "nuts, nut products and seeds",
            "product_text": None,
            "subject": None,
            "hazards": [],
            "hazard_categories": [],
            "notification_type": None,
            "border_rejection": None,
            "risk_decision": None,
            "product_key": None,
            "hs4": None,
            "hs6": None,
            "matched_keyword": None,
            **given,
        }
        if row["notified_on"] is not None and row["year"] is None:
            row["year"] = row["notified_on"].year
        for name in wn.NOTIFICATION_COLUMNS:
            columns[name].append(row[name])
    return pa.table(columns, schema=wn.NOTIFICATION_SCHEMA)


PISTACHIO = {"product_key": "pistachio_shelled", "hs4": "0802", "hs6": "080252", "matched_keyword": "x"}


def test_write_read_and_withdraw(tmp_path):
    store = wn.NotificationStore(Warehouse(tmp_path))
    assert store.table().count().execute() == 0  # empty, typed
    assert set(store.table().columns) == set(wn.NOTIFICATION_COLUMNS)
    store.write_batch(5, notification_table([{"reference": "2024.0001", "notified_on": dt.date(2024, 1, 2)}]))
    table = store.table().execute()
    assert list(table.columns) == list(wn.NOTIFICATION_COLUMNS)
    assert table["batch_id"].tolist() == [5]  # set by the store, not by the reader
    assert store.committed_batches() == [5]
    assert store.remove_batch(5) is True and store.remove_batch(5) is False
    assert store.committed_batches() == []


def test_a_batch_is_append_only(tmp_path):
    store = wn.NotificationStore(Warehouse(tmp_path))
    store.write_batch(1, notification_table([{"reference": "2024.0001"}]))
    with pytest.raises(FileExistsError):
        store.write_batch(1, notification_table([{"reference": "2024.0002"}]))
    assert store.table().reference.execute().tolist() == ["2024.0001"]


def test_a_write_that_fails_before_the_rename_leaves_nothing(tmp_path):
    warehouse = Warehouse(tmp_path)
    store = wn.NotificationStore(warehouse)

    def crash():
        raise RuntimeError("killed before the rename")

    with pytest.raises(RuntimeError):
        store.write_batch(3, notification_table([{"reference": "2024.0001"}]), before_rename=crash)
    assert store.committed_batches() == []
    assert not store.has_batch(3)
    assert list(warehouse.staging_dir.iterdir()) == []
    assert store.table().count().execute() == 0


def test_the_same_notification_from_two_layouts_counts_once_from_its_most_complete_row(tmp_path):
    store = wn.NotificationStore(Warehouse(tmp_path))
    # The Window export: no type, but the product matched. The weekly export: a type, product unmatched.
    store.write_batch(
        1,
        notification_table(
            [
                {
                    "reference": "2024.0100",
                    "notified_on": dt.date(2024, 1, 5),
                    "source": "rasff-window",
                    **PISTACHIO,
                },
                {"reference": "2023.0500", "notified_on": dt.date(2023, 3, 1), "hazards": ["aflatoxin b1"]},
            ]
        ),
    )
    store.write_batch(
        2,
        notification_table(
            [
                {
                    "reference": "2024.0100",
                    "notified_on": dt.date(2024, 1, 5),
                    "notification_type": "border_rejection",
                    "border_rejection": True,
                    "hazards": ["aflatoxin b1", "aflatoxin total"],
                },
                {
                    "reference": "2024.0200",
                    "notified_on": dt.date(2024, 2, 1),
                    "notification_type": "alert",
                    "border_rejection": False,
                    "origin_codes": ["TUR", "IRN"],
                    "hazards": ["aflatoxin b1"],
                },
                {"reference": "2024.0300", "notified_on": dt.date(2024, 3, 1), "origin_codes": ["TUR"]},
            ]
        ),
    )
    t = store.table()
    assert wn.notifications_by_year(t) == [
        {
            "year": 2023,
            "notifications": 1,
            "border_rejections": None,  # no type known that year: unknown, not zero
            "border_rejection_share": None,
            "typed": 0,
            "hazards": {"aflatoxin b1": 1},
        },
        {
            "year": 2024,
            "notifications": 2,
            "border_rejections": 1,
            "border_rejection_share": 0.5,
            "typed": 2,
            "hazards": {"aflatoxin b1": 2, "aflatoxin total": 1},
        },
    ]
    listed = wn.notification_list(t).set_index("reference")
    assert listed.loc["2024.0100", "notification_type"] == "border_rejection"
    assert listed.loc["2024.0100", "batch_id"] == 2
    assert listed.loc["2024.0100", "product_key"] == "pistachio_shelled"  # from the other layout's row
    assert wn.notification_list(t, origin=None)["reference"].tolist()[0] == "2024.0300"
    assert wn.notification_list(t, unmatched_only=True)["reference"].tolist() == ["2024.0200", "2023.0500"]
    # An exported line concerns a notification when their codes are prefixes of one another.
    assert wn.notification_list(t, hs_prefixes=["08025200"])["reference"].tolist() == ["2024.0100"]
    assert wn.notification_list(t, hs_prefixes=["080251"]).empty
    assert [r["notifications"] for r in wn.notifications_by_year(t, years=[2024], hs_prefixes=["0802"])] == [
        1
    ]


def test_breakdowns(tmp_path):
    store = wn.NotificationStore(Warehouse(tmp_path))
    store.write_batch(
        1,
        notification_table(
            [
                {
                    "reference": "2024.0001",
                    "notified_on": dt.date(2024, 1, 2),
                    "notification_type": "border_rejection",
                    "border_rejection": True,
                    "hazards": ["aflatoxin b1", "aflatoxin total"],
                    "notifying_country": "ITA",
                    **PISTACHIO,
                },
                {
                    "reference": "2024.0002",
                    "notified_on": dt.date(2024, 1, 3),
                    "notification_type": "alert",
                    "border_rejection": False,
                    "hazards": ["aflatoxin b1"],
                    "notifying_country": "DEU",
                },
                {"reference": "2025.0003", "notified_on": dt.date(2025, 1, 3), "notifying_country": "ITA"},
            ]
        ),
    )
    t = store.table()
    hazards = wn.notification_breakdown(t, by="hazard")
    assert hazards.to_dict("records") == [
        {"hazard": "aflatoxin b1", "notifications": 2, "border_rejections": 1, "border_rejection_share": 0.5},
        {
            "hazard": "aflatoxin total",
            "notifications": 1,
            "border_rejections": 1,
            "border_rejection_share": 1.0,
        },
    ]
    countries = wn.notification_breakdown(t, by="notifying_country")
    assert countries[["notifying_country", "notifications"]].values.tolist() == [["ITA", 2], ["DEU", 1]]
    per_year = wn.notification_breakdown(t, by="product_key", per_year=True)
    assert per_year[["year", "notifications"]].values.tolist() == [[2024, 1], [2024, 1], [2025, 1]]
    assert per_year["product_key"].isna().sum() == 2  # unmatched products form their own row
    with pytest.raises(ValueError):
        wn.notification_breakdown(t, by="colour")


def test_special_conditions_and_max_levels_of_exported_lines():
    conditions = wn.special_conditions_for(["08025200", "0813", "10063000"])
    assert set(conditions["hs_code"]) == {"08025200", "0813"}
    shelled = conditions[conditions["hs_code"] == "08025200"].iloc[0]
    assert (shelled["cn_code"], shelled["frequency_pct"], shelled["annex_row"], shelled["market"]) == (
        "08025200",
        50,
        "10",
        "EU",
    )
    assert set(conditions.loc[conditions["hs_code"] == "0813", "cn_code"]) == {
        "08135039",
        "08135091",
        "08135099",
    }
    assert wn.special_conditions_for(["08025200"], origin="AFG").empty
    # Türkiye: its own row, and the United States entry dispatched from Türkiye.
    assert set(wn.special_conditions_for(["080251"], origin="TUR")["applies_as"]) == {
        "origin",
        "dispatched_from",
    }

    levels = wn.max_levels_for(["08025100", "0802", "080620"])
    shelled_levels = levels[levels["hs_code"] == "08025100"]
    # 1.1.6/1.1.7 (all tree nuts) give way to 1.1.8/1.1.9 (almonds, pistachios) for pistachios.
    assert shelled_levels["entry"].tolist() == ["1.1.8", "1.1.9", "1.2.3", "1.2.4"]
    final = shelled_levels.set_index("entry").loc["1.1.9"]
    assert (final["ml_b1_or_ota"], final["ml_sum_aflatoxins"]) == (8.0, 10.0)
    heading = levels[levels["hs_code"] == "0802"].set_index("entry")["coverage"]
    assert heading["1.1.6"] == "full" and heading["1.1.8"] == "partial"
    assert levels.loc[levels["hs_code"] == "080620", "entry"].tolist() == ["1.2.1.1"]


def test_line_overview(tmp_path):
    store = wn.NotificationStore(Warehouse(tmp_path))
    store.write_batch(
        1,
        notification_table(
            [
                {
                    "reference": "2024.0001",
                    "notified_on": dt.date(2024, 1, 2),
                    "notification_type": "border_rejection",
                    "border_rejection": True,
                    **PISTACHIO,
                }
            ]
        ),
    )
    overview = wn.line_overview(store.table(), ["08025200", "10063000"]).set_index("hs_code")
    assert overview.loc["08025200", "notifications"] == 1
    assert overview.loc["08025200", "latest"] == dt.date(2024, 1, 2)
    assert overview.loc["08025200", "check_frequency_pct"] == 50
    assert overview.loc["10063000", "notifications"] == 0
    assert overview.loc["10063000", "max_level_entries"] == []
