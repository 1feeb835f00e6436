"""A synthetic history of the working group for the demo: six sessions over the past year and 40 resolutions
on the province's real themes (the border terminal for Saveh pomegranates, export credit quotas, a standards
laboratory, currency repatriation cases, exhibitions...), each with its story of updates, extensions,
requests for "done", confirmations, returns, blocks and a cancellation, so that every status and every flag
(overdue, due within a week, awaiting confirmation) appears.

Everything is made through the services, dated relative to the day the demo is built, marked
``is_synthetic`` and labelled "ساختگی" wherever shown; no evidence files. Idempotent: if synthetic sessions
exist, nothing is done.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from saderat.text import to_persian_digits
from saderat.web.accounts.models import Agency
from saderat.web.reference.models import Country, County, HSCode, Province
from saderat.web.workgroup import notifications, services
from saderat.web.workgroup.models import Resolution, Session

SYNTHETIC_NOTE = "داده ساختگی نمایشی: این جلسه و مصوبه‌های آن سابقه واقعی کارگروه نیستند."

#: An agency that provincial working groups have and the default seed does not (export credit lines).
EXTRA_AGENCIES = [
    ("edbi", "بانک توسعه صادرات ایران (شعبه استان)", "Export Development Bank of Iran (branch)")
]

#: Days before the build day on which the six sessions were held.
SESSION_DAYS_AGO = (345, 285, 215, 150, 85, 25)

AGENDAS = (
    "گزارش عملکرد صادرات نه ماهه؛ موانع صادرات انار ساوه؛ اعتبار صادراتی؛ نمایشگاه بغداد",
    "پیگیری مصوبات جلسه قبل؛ ترخیص در محل؛ گواهی مبدأ؛ نقشه راه فولاد و آلومینیوم",
    "رفع تعهد ارزی صادرکنندگان؛ پایانه صادراتی انار؛ زمان ترخیص در گمرک اراک",
    "گزارش ماهانه صادرات؛ اعتبار صادراتی صادرکنندگان کوچک؛ آزمایشگاه‌های همکار استاندارد",
    "بسته حمایتی دانش‌بنیان‌ها؛ حمل ریلی؛ نمایشگاه اربیل؛ نشان جغرافیایی انار",
    "جمع‌بندی سال؛ تخصیص زمین پایانه صادراتی؛ سهمیه اعتبار صادراتی سال آینده؛ استاندارد بسته‌بندی",
)


@dataclass
class Story:
    """One resolution and what happened to it; offsets are days after its session."""

    text: str
    agency: str
    deadline: int
    events: list = field(default_factory=list)
    supporting: tuple = ()
    priority: str = "normal"
    hs: str | None = None
    country: str | None = None
    county: str | None = None


def u(day, text, percent, status="in_progress"):
    return (day, "update", {"text": text, "percent_done": percent, "status": status})


def rd(day, text):
    return (day, "request_done", {"text": text})


def ok(day, note=""):
    return (day, "confirm", {"note": note})


def back(day, note):
    return (day, "send_back", {"note": note})


def ext(day, new_deadline, reason):
    return (day, "extend", {"new_deadline": new_deadline, "reason": reason})


def st(day, status, note):
    return (day, "status", {"status": status, "note": note})


SESSIONS: tuple[list[Story], ...] = (
    [  # session 1, 345 days ago
        Story(
            "پیگیری ایجاد پایانه صادراتی انار در ساوه با سردخانه و خط بسته‌بندی، و اتصال آن به پایانه مرزی مهران "
            "برای صادرات به عراق",
            "agriculture",
            120,
            supporting=("customs", "governorate"),
            priority="high",
            hs="0810",
            country="IRQ",
            county="0006",
            events=[
                u(20, "مکان‌یابی سه زمین در شهرک صنعتی کاوه انجام شد.", 20),
                u(70, "طرح توجیهی به سازمان جهاد ارسال شد؛ منتظر تأیید.", 45),
                ext(115, 200, "تأخیر در تأیید طرح توجیهی در مرکز"),
                u(160, "طرح توجیهی تأیید شد و سرمایه‌گذار معرفی شد.", 85),
                rd(230, "قرارداد با سرمایه‌گذار بسته شد و پروانه تأسیس صادر شد."),
                ok(236, "مستندات قرارداد و پروانه دیده شد."),
            ],
        ),
        Story(
            "اختصاص سهمیه اعتبار صادراتی به واحدهای صادرات‌محور استان از محل خط اعتباری صندوق توسعه ملی؛ معرفی "
            "دست‌کم ۲۰ واحد",
            "edbi",
            60,
            supporting=("imt",),
            priority="high",
            events=[
                u(15, "فهرست ۳۴ متقاضی از سازمان صمت دریافت شد.", 30),
                rd(55, "برای ۲۲ واحد سهمیه اعتبار صادراتی تخصیص یافت."),
                ok(58),
            ],
        ),
        Story(
            "راه‌اندازی آزمایشگاه همکار استاندارد برای آزمون محصولات فولادی و قطعات خودرو در شهرک صنعتی "
            "خیرآباد اراک",
            "standards",
            150,
            supporting=("imt",),
            hs="7208",
            county="0001",
            events=[
                u(30, "دو متقاضی آزمایشگاه همکار شناسایی شدند.", 15),
                ext(145, 250, "تجهیزات آزمون کشش هنوز ترخیص نشده است"),
                u(200, "تجهیزات نصب شد؛ ممیزی اولیه انجام شد.", 60),
                ext(245, 330, "تأیید صلاحیت نهایی به ممیزی دوم نیاز دارد"),
                u(300, "ممیزی دوم برگزار شد؛ اصلاحات در حال انجام.", 80),
            ],
        ),
        Story(
            "بررسی پرونده‌های رفع تعهد ارزی ۴۲ صادرکننده استان با تأخیر بیش از شش ماه و معرفی موانع به بانک "
            "مرکزی",
            "governorate",
            45,
            supporting=("imt", "customs"),
            priority="high",
            events=[
                u(10, "فهرست پرونده‌ها از سامانه جامع تجارت گرفته شد.", 30),
                rd(40, "گزارش موانع ارسال شد."),
                ok(44),
            ],
        ),
        Story(
            "حضور دست‌کم ۱۵ شرکت استان در نمایشگاه اختصاصی ایران در بغداد با پرداخت نیمی از هزینه غرفه",
            "tpo",
            75,
            supporting=("chamber",),
            country="IRQ",
            events=[u(30, "۱۸ شرکت ثبت‌نام کردند.", 50), rd(72, "۱۶ شرکت در نمایشگاه حضور یافتند."), ok(80)],
        ),
        Story(
            "برگزاری کارگاه آموزش صادرات برای ۱۰۰ واحد صنعتی بدون سابقه صادرات",
            "chamber",
            60,
            supporting=("imt",),
            events=[rd(50, "دو کارگاه با ۱۱۲ شرکت‌کننده برگزار شد."), ok(52)],
        ),
        Story(
            "تهیه فهرست ۲۰۰ واحد صنعتی دارای ظرفیت صادراتی که هنوز صادرات ندارند، با محصول و ظرفیت",
            "imt",
            45,
            events=[u(40, "۱۳۰ واحد شناسایی شد.", 60), rd(70, "فهرست ۲۰۴ واحد تکمیل شد."), ok(75)],
        ),
    ],
    [  # session 2, 285 days ago
        Story(
            "استقرار کارشناس گمرک در شهرک صنعتی خیرآباد برای ترخیص صادراتی در محل",
            "customs",
            45,
            county="0001",
            events=[rd(30, "کارشناس مستقر شد و ۶۰ اظهارنامه در محل ترخیص شد."), ok(33)],
        ),
        Story(
            "رفع مشکل صدور گواهی مبدأ برای صادرکنندگان ماشین‌آلات به ارمنستان",
            "chamber",
            30,
            hs="84",
            country="ARM",
            events=[u(12, "موضوع با اتاق ایران مکاتبه شد.", 40), rd(28, "گواهی‌ها صادر شد."), ok(29)],
        ),
        Story(
            "پرداخت سهمیه اعتبار صادراتی تخصیص‌یافته به ۱۲ شرکت و گزارش مبلغ پرداختی",
            "edbi",
            60,
            supporting=("imt",),
            priority="high",
            events=[
                u(20, "برای ۵ شرکت قرارداد بسته شد.", 35),
                u(55, "منابع خط اعتباری تمام شده است؛ پرداخت به ۷ شرکت دیگر متوقف است.", 40, "blocked"),
            ],
        ),
        Story(
            "بازاریابی انار و کشمش استان در بازار روسیه از طریق رایزن بازرگانی",
            "tpo",
            90,
            supporting=("agriculture",),
            hs="0810",
            country="RUS",
            events=[
                u(25, "نامه به رایزن بازرگانی مسکو ارسال شد.", 10),
                st(
                    80,
                    "cancelled",
                    "این کار در برنامه ملی سازمان توسعه تجارت برای روسیه دیده شد؛ تکراری است.",
                ),
            ],
        ),
        Story(
            "تدوین نقشه راه صادرات فولاد و آلومینیوم استان به عراق و افغانستان",
            "imt",
            90,
            supporting=("chamber", "tpo"),
            priority="high",
            hs="72",
            country="AFG",
            events=[
                u(40, "داده‌های صادرات پنج سال گردآوری شد.", 30),
                ext(88, 150, "انتظار برای داده‌های بازار افغانستان از رایزن بازرگانی"),
                u(140, "پیش‌نویس نقشه راه آماده است؛ جلسه با تشکل‌ها مانده است.", 70),
            ],
        ),
        Story(
            "ایجاد سردخانه صادراتی ۵ هزار تنی برای انار در ساوه",
            "agriculture",
            120,
            supporting=("governorate",),
            hs="0810",
            county="0006",
            events=[u(60, "سرمایه‌گذار بخش خصوصی شناسایی شد.", 25), u(150, "پرونده تسهیلات در بانک است.", 40)],
        ),
        Story(
            "صدور گواهی استاندارد اجباری صادراتی برای کالاهای مشمول ظرف ۱۰ روز کاری",
            "standards",
            30,
            events=[rd(25, "میانگین زمان صدور گواهی به ۸ روز کاری رسید."), ok(27)],
        ),
    ],
    [  # session 3, 215 days ago
        Story(
            "پیگیری پرونده رفع تعهد ارزی ۱۲ صادرکننده‌ای که کارت بازرگانی آنان تعلیق شده است",
            "governorate",
            30,
            supporting=("imt",),
            priority="high",
            events=[
                u(25, "با بانک مرکزی جلسه برگزار شد.", 50),
                rd(55, "برای ۹ پرونده رفع تعهد ثبت شد."),
                ok(60),
            ],
        ),
        Story(
            "حضور شرکت‌های استان در نمایشگاه اکسپوی کالای ایرانی در آلماتی",
            "tpo",
            60,
            supporting=("chamber",),
            country="KAZ",
            events=[rd(58, "۹ شرکت حضور یافتند و ۴ قرارداد امضا شد."), ok(60)],
        ),
        Story(
            "مطالعه امکان‌سنجی پایانه صادراتی ریلی-جاده‌ای ساوه",
            "governorate",
            90,
            supporting=("customs",),
            county="0006",
            events=[
                u(30, "مشاور انتخاب شد.", 20),
                u(80, "زمین پیشنهادی در حریم راه‌آهن است و مجوز واگذاری صادر نشده است.", 35, "blocked"),
            ],
        ),
        Story(
            "آموزش استانداردهای بسته‌بندی صادراتی انار به باغداران و بسته‌بندان",
            "standards",
            45,
            supporting=("agriculture",),
            hs="0810",
            events=[rd(40, "سه دوره برای ۸۵ نفر برگزار شد."), ok(42)],
        ),
        Story(
            "کاهش زمان ترخیص صادراتی در گمرک اراک به کمتر از ۴۸ ساعت",
            "customs",
            120,
            priority="high",
            events=[
                u(60, "مسیر سبز برای صادرکنندگان معتبر فعال شد.", 60),
                rd(200, "میانگین زمان ترخیص ۴۱ ساعت شد."),
            ],
        ),
        Story(
            "معرفی ۳۰ واحد صنعتی به بانک برای تسهیلات سرمایه در گردش صادراتی",
            "imt",
            30,
            supporting=("edbi",),
            events=[rd(28, "۳۲ واحد معرفی شدند."), ok(30)],
        ),
        Story(
            "ایجاد میز تجاری عراق در اتاق بازرگانی اراک",
            "chamber",
            60,
            supporting=("tpo",),
            country="IRQ",
            events=[
                rd(55, "میز تجاری تشکیل شد."),
                back(58, "برنامه کار و نام کارشناس مسئول میز پیوست نشده است."),
                u(90, "کارشناس مسئول تعیین شد؛ برنامه کار در دست تهیه است.", 70),
            ],
        ),
    ],
    [  # session 4, 150 days ago
        Story(
            "تهیه گزارش ماهانه صادرات استان برای استاندار تا دهم هر ماه",
            "imt",
            30,
            events=[rd(20, "نخستین گزارش ماهانه ارسال شد."), ok(21)],
        ),
        Story(
            "اختصاص سهمیه اعتبار صادراتی برای صادرکنندگان کوچک با ضمانت صندوق ضمانت صادرات",
            "edbi",
            60,
            supporting=("imt",),
            priority="high",
            events=[u(45, "تفاهم‌نامه با صندوق ضمانت در دست امضاست.", 40)],
        ),
        Story(
            "شناسایی ۵۰ صادرکننده بالقوه انار و کشمش در ساوه و تفرش",
            "agriculture",
            30,
            hs="0806",
            county="0006",
            events=[u(25, "۲۸ نفر شناسایی شدند.", 50), rd(50, "فهرست ۵۳ نفر تکمیل شد."), ok(52)],
        ),
        Story(
            "حضور در نمایشگاه بین‌المللی صنعت مسکو (اینوپروم) با غرفه استانی",
            "tpo",
            75,
            supporting=("chamber", "imt"),
            country="RUS",
            events=[rd(70, "غرفه استانی با ۷ شرکت برپا شد."), ok(72)],
        ),
        Story(
            "صدور مجوز آزمایشگاه همکار برای آزمون لوازم خانگی",
            "standards",
            90,
            events=[
                u(60, "مدارک متقاضی کامل شد.", 40),
                ext(88, 175, "ممیزی سازمان ملی استاندارد به تعویق افتاد"),
            ],
        ),
        Story(
            "تعیین تکلیف کالاهای صادراتی مانده در انبار گمرک اراک",
            "customs",
            30,
            events=[rd(29, "همه ۱۴ محموله ترخیص یا مرجوع شدند."), ok(31)],
        ),
        Story(
            "برگزاری جلسه مشترک با بانک‌های عامل درباره پرونده‌های رفع تعهد ارزی معوق",
            "governorate",
            45,
            supporting=("edbi",),
        ),
    ],
    [  # session 5, 85 days ago
        Story(
            "تهیه بسته حمایتی صادرات برای شرکت‌های دانش‌بنیان استان",
            "imt",
            120,
            supporting=("chamber",),
            events=[u(40, "پیش‌نویس بسته آماده شد.", 40)],
        ),
        Story(
            "حمل ریلی کالای صادراتی از ایستگاه اراک به مرز سرخس با تخفیف کرایه",
            "governorate",
            60,
            supporting=("customs",),
            events=[u(30, "راه‌آهن تخفیف را منوط به حجم سالانه ۵۰ هزار تن کرده است.", 20, "blocked")],
        ),
        Story(
            "برپایی نمایشگاه اختصاصی کالای استان در اربیل",
            "tpo",
            70,
            supporting=("chamber",),
            country="IRQ",
            events=[u(30, "محل نمایشگاه قطعی شد.", 50), rd(75, "نمایشگاه با ۲۱ شرکت برگزار شد.")],
        ),
        Story(
            "تجهیز آزمایشگاه همکار فولاد به دستگاه طیف‌سنج",
            "standards",
            45,
            supporting=("imt",),
            hs="72",
            events=[u(30, "سفارش خرید ثبت شد.", 30)],
        ),
        Story(
            "ثبت نشان جغرافیایی انار ساوه و ساخت برند صادراتی",
            "agriculture",
            180,
            supporting=("chamber",),
            hs="0810",
            county="0006",
            events=[u(50, "پرونده در مرکز مالکیت معنوی ثبت شد.", 30)],
        ),
        Story(
            "ارائه فهرست پرونده‌های رفع تعهد ارزی معوق به ستاد تنظیم بازار",
            "imt",
            20,
            events=[rd(15, "فهرست ارسال شد."), ok(16)],
        ),
    ],
    [  # session 6, 25 days ago
        Story(
            "تخصیص زمین پایانه صادراتی انار ساوه در شهرک صنعتی کاوه",
            "governorate",
            28,
            supporting=("agriculture", "imt"),
            priority="high",
            hs="0810",
            county="0006",
            events=[u(12, "نامه واگذاری به شرکت شهرک‌ها ارسال شد.", 60)],
        ),
        Story(
            "برآورد و درخواست سهمیه اعتبار صادراتی سال آینده برای واحدهای استان",
            "edbi",
            90,
            supporting=("imt",),
        ),
        Story(
            "حضور در نمایشگاه پروژه‌های ساختمانی دوحه با محصولات سیمان و فولاد",
            "tpo",
            60,
            country="QAT",
            hs="2523",
            events=[u(10, "ثبت‌نام ۶ شرکت انجام شد.", 30)],
        ),
        Story(
            "تدوین دستورالعمل استانی استاندارد بسته‌بندی صادراتی میوه",
            "standards",
            30,
            supporting=("agriculture",),
        ),
        Story(
            "گزارش ماهانه پرونده‌های رفع تعهد ارزی از سامانه گمرک",
            "customs",
            15,
            events=[rd(10, "گزارش ارسال شد."), ok(12)],
        ),
        Story(
            "برگزاری دوره آموزشی تجارت الکترونیکی فرامرزی برای صادرکنندگان",
            "chamber",
            45,
            supporting=("tpo",),
            events=[u(15, "مدرس و زمان دوره تعیین شد.", 30)],
        ),
    ],
)


def _ensure_agencies() -> None:
    for code, name_fa, name_en in EXTRA_AGENCIES:
        Agency.objects.get_or_create(code=code, defaults={"name_fa": name_fa, "name_en": name_en})


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _lookup(model, key):
    return model.objects.filter(pk=key).first() if key else None


def _attendees(index: int, agencies: list[Agency]) -> list[dict]:
    absent = {agencies[(index * 2) % len(agencies)].code} if index % 2 else set()
    people = [
        {"name": "معاون هماهنگی امور اقتصادی استاندار", "title": "دبیر کارگروه", "present": True},
        {"name": "نماینده سازمان توسعه تجارت", "title": "کارشناس ارشد", "present": index != 3},
    ]
    return [{"agency": a, "present": a.code not in absent} for a in agencies] + people


@transaction.atomic
def create_demo_history(region: str = "00", *, today: dt.date | None = None) -> dict:
    """Create the synthetic history (see the module docstring); returns what was made."""
    if Session.objects.filter(is_synthetic=True).exists():
        return {"sessions": 0, "resolutions": 0, "skipped": True}
    today = today or timezone.localdate()
    _ensure_agencies()
    agencies = list(Agency.objects.filter(is_active=True).order_by("code"))
    province = Province.objects.filter(code=region).first()
    province_name = province.name_fa if province else region
    first_number = (Session.objects.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    made_sessions = made_resolutions = 0
    with notifications.muted():
        for index, (days_ago, stories) in enumerate(zip(SESSION_DAYS_AGO, SESSIONS, strict=True)):
            held_on = today - dt.timedelta(days=days_ago)
            session = services.session_create(
                user=None,
                number=first_number + index,
                held_on=held_on,
                chair="استاندار" if index % 3 == 0 else "معاون هماهنگی امور اقتصادی استاندار",
                location=f"سالن جلسات استانداری {province_name}",
                agenda=AGENDAS[index],
                minutes=(
                    f"{SYNTHETIC_NOTE}\nجلسه کارگروه توسعه صادرات استان {province_name} با حضور اعضا برگزار شد و "
                    f"{to_persian_digits(len(stories))} مصوبه به تصویب رسید."
                ),
                attendees=_attendees(index, agencies),
                synthetic=True,
            )
            made_sessions += 1
            for number, story in enumerate(stories, start=1):
                _tell(story, session=session, number=number, held_on=held_on, today=today)
                made_resolutions += 1
    return {"sessions": made_sessions, "resolutions": made_resolutions, "skipped": False}


def _tell(story: Story, *, session: Session, number: int, held_on: dt.date, today: dt.date) -> Resolution:
    county = _lookup(County, story.county)
    resolution = services.resolution_create(
        user=None,
        session=session,
        number=number,
        text=story.text,
        responsible_agency=story.agency,
        supporting_agencies=story.supporting,
        deadline=held_on + dt.timedelta(days=story.deadline),
        priority=story.priority,
        synthetic=True,
        at=_at(held_on),
        hs_code=_lookup(HSCode, story.hs),
        country=_lookup(Country, story.country),
        county=county,
    )
    for day, kind, data in story.events:
        # Events are dated in the past; one scripted after the build day is moved to yesterday.
        when = min(held_on + dt.timedelta(days=day), today - dt.timedelta(days=1))
        at = _at(when)
        if kind == "update":
            services.resolution_post_update(user=None, resolution=resolution, at=at, **data)
        elif kind == "request_done":
            services.resolution_post_update(
                user=None, resolution=resolution, at=at, request_done=True, **data
            )
        elif kind == "confirm":
            services.resolution_review_done(user=None, resolution=resolution, accept=True, at=at, **data)
        elif kind == "send_back":
            services.resolution_review_done(user=None, resolution=resolution, accept=False, at=at, **data)
        elif kind == "extend":
            services.resolution_extend_deadline(
                user=None,
                resolution=resolution,
                new_deadline=held_on + dt.timedelta(days=data["new_deadline"]),
                reason=data["reason"],
                at=at,
            )
        elif kind == "status":
            services.resolution_set_status(user=None, resolution=resolution, at=at, **data)
        resolution.refresh_from_db()
    return resolution
