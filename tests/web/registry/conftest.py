"""Registry fixtures. Personas (tests/conftest.py): Alice runs the secretariat, Bob is a customs member, Carol
a viewer, Dave the administrator; here also Tina (TPO), Chris (chamber of commerce), Sara (standards) and
Ali (agriculture jihad).

The registry itself is imported the way an agency's file is, through
:func:`saderat.web.registry.services.registry_import_file`, from small CSV files written here: four firms,
their commercial cards, industrial units with products, and exporter IDs that link two firms to exporters of
the session's synthetic Markazi declarations (1403-1404). The two exporter IDs are real ones of the
warehouse: the largest exporter of 1404 and one of the smallest.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tests.files import write_csv

from saderat.registry.identifiers import national_code_check_digit, national_id_check_digit

STEEL_ID = "1010037489" + str(national_id_check_digit("1010037489"))
ALUMINIUM_ID = "1400012345" + str(national_id_check_digit("1400012345"))
FOOD_ID = "1086543210" + str(national_id_check_digit("1086543210"))
POMEGRANATE_CODE = "004937089" + str(national_code_check_digit("004937089"))

#: Registered names as the firms register writes them; the food firm's with Arabic yeh and kaf, as some
#: agencies' files do (a search in Persian letters must find it).
STEEL_NAME = "شرکت فولاد نمونه اراک (سهامی خاص)"
ALUMINIUM_NAME = "آلومینیوم المهدی"
FOOD_NAME = "شركت صنايع غذايي بهاران"
POMEGRANATE_NAME = "کشت و صنعت انار ساوه"


def jalali(day: dt.date) -> str:
    from saderat.jalali import format_jalali_date

    return format_jalali_date(day)


def today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


@pytest.fixture
def member(db):
    """An agency member of ``agency`` (tpo, chamber, standards, agriculture...)."""
    from saderat.web.accounts.services import user_create

    def make(agency: str):
        return user_create(
            username=f"{agency}-member", password="member-pass-1234", role="agency_member", agency_code=agency
        )

    return make


@pytest.fixture
def personas(people, member):
    """Every role of the permission matrix, by name."""
    return {
        "admin": people["dave"],
        "secretariat": people["alice"],
        "customs": people["bob"],
        "tpo": member("tpo"),
        "chamber": member("chamber"),
        "standards": member("standards"),
        "agriculture": member("agriculture"),
        "viewer": people["carol"],
    }


def warehouse_exporters(region: str = "00", year: int = 1404):
    """Exporter IDs of the session's declarations in ``year``, largest value first (exporter_id, value)."""
    from saderat.warehouse import queries
    from saderat.web.common.warehouse import active_facts

    frame = queries.exporter_totals(active_facts(), by=("exporter_id",), region=region, year=year)
    frame = frame[frame["value_usd"] > 0].sort_values(["value_usd", "exporter_id"], ascending=[False, True])
    return frame.reset_index(drop=True)


@pytest.fixture
def registry_home(settings, tmp_path):
    """Registry files of the test in a throwaway SADERAT_HOME (the warehouse stays where it is)."""
    settings.SADERAT_HOME = tmp_path
    return tmp_path


def registry_import(user, folder: Path) -> dict:
    """Four firms imported through the registry services by ``user``, with cards, units and exporter IDs:

    - the steel firm (Arak): a card expiring in 30 days, a unit making flat steel (7208), and the warehouse's
      largest 1404 exporter linked to it;
    - the aluminium firm (Saveh): a card expired 20 days ago, a unit making aluminium (7601), no exporter ID;
    - the food firm (Arak, registered with Arabic letters), linked to a small 1404 exporter;
    - the pomegranate grower (a sole trader), a unit of fruit (0810), no exporter ID.
    """
    from saderat.web.registry import services
    from saderat.web.registry.models import Firm

    home = folder
    home.mkdir(parents=True)
    exporters = warehouse_exporters()
    big, small = exporters["exporter_id"].iloc[0], exporters["exporter_id"].iloc[-1]
    files = {
        "firms": write_csv(
            home / "firms.csv",
            ["شناسه ملی", "کد ملی", "نام", "نام‌های دیگر", "نوع شخصیت", "شهرستان", "کد آیسیک"],
            [
                [STEEL_ID, "", STEEL_NAME, "فولاد نمونه", "سهامی خاص", "اراک", "2410"],
                [ALUMINIUM_ID, "", ALUMINIUM_NAME, "", "با مسئولیت محدود", "ساوه", "2420"],
                [FOOD_ID, "", FOOD_NAME, "", "سهامی خاص", "اراک", "1079"],
                ["", POMEGRANATE_CODE, POMEGRANATE_NAME, "", "شخص حقیقی", "ساوه", "0124"],
            ],
        ),
        "cards": write_csv(
            home / "cards.csv",
            ["شماره کارت بازرگانی", "شناسه ملی", "نام دارنده", "اتاق صادرکننده", "تاریخ صدور", "تاریخ انقضا"],
            [
                [
                    "11223344",
                    STEEL_ID,
                    STEEL_NAME,
                    "اتاق اراک",
                    jalali(today() - dt.timedelta(days=335)),
                    jalali(today() + dt.timedelta(days=30)),
                ],
                [
                    "55667788",
                    ALUMINIUM_ID,
                    ALUMINIUM_NAME,
                    "اتاق اراک",
                    jalali(today() - dt.timedelta(days=385)),
                    jalali(today() - dt.timedelta(days=20)),
                ],
            ],
        ),
        "units": write_csv(
            home / "units.csv",
            [
                "شماره پروانه بهره‌برداری",
                "شناسه ملی",
                "کد ملی",
                "نام بهره‌بردار",
                "نام واحد",
                "کد آیسیک",
                "تعداد شاغلان",
                "شهرستان",
                "کد تعرفه محصول",
                "نام محصول",
                "ظرفیت اسمی",
                "واحد ظرفیت",
            ],
            [
                [
                    "P-1001",
                    STEEL_ID,
                    "",
                    STEEL_NAME,
                    "کارخانه ورق فولادی",
                    "2410",
                    "850",
                    "اراک",
                    "72085100",
                    "ورق گرم",
                    "400000",
                    "تن",
                ],
                [
                    "P-2002",
                    ALUMINIUM_ID,
                    "",
                    ALUMINIUM_NAME,
                    "کارخانه شمش آلومینیوم",
                    "2420",
                    "320",
                    "ساوه",
                    "7601",
                    "شمش آلومینیوم",
                    "110000",
                    "تن",
                ],
                [
                    "P-3003",
                    "",
                    POMEGRANATE_CODE,
                    POMEGRANATE_NAME,
                    "باغ و سردخانه انار",
                    "0124",
                    "40",
                    "ساوه",
                    "0810",
                    "انار تازه",
                    "5000",
                    "تن",
                ],
            ],
        ),
        "exporters": write_csv(
            home / "exporters.csv",
            ["شناسه صادرکننده", "شناسه ملی", "نام"],
            [[big, STEEL_ID, STEEL_NAME], [small, FOOD_ID, FOOD_NAME]],
        ),
    }
    batches = {}
    for kind, path in files.items():
        batch, duplicate = services.registry_import_file(path=path, kind=kind, user=user)
        assert not duplicate and batch.status == "active", (kind, batch.status, batch.message)
        batches[kind] = batch
    firms = {f.national_id or f.national_code: f for f in Firm.objects.filter(merged_into__isnull=True)}
    return {
        "steel": firms[STEEL_ID],
        "aluminium": firms[ALUMINIUM_ID],
        "food": firms[FOOD_ID],
        "pomegranate": firms[POMEGRANATE_CODE],
        "big_exporter": big,
        "small_exporter": small,
        "batches": batches,
    }


@pytest.fixture
def registry(db, people, registry_home):
    """The registry of :func:`registry_import`, imported by Alice."""
    return registry_import(people["alice"], registry_home / "files")
