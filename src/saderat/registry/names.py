"""The firm-name match key, and which of its words identify a firm.

Agencies write one firm's name in many ways: «شرکت صنایع غذایی مهرام (سهامی خاص)», «مهرام ش.س.خ»,
«صنايع غذائي مهرام», «صنایع‌غذایی مهرام». :func:`firm_name_key` turns all of them into one key, as DESIGN.md
("Methods": Firm names) prescribes:

1. text normalisation (:func:`saderat.text.normalize_fa`): Arabic ي/ك/ى/ة → ی/ک/ی/ه, tatweel and diacritics
   removed, Persian and Arabic-Indic digits → Latin; then ۀ → ه, أ/إ/آ → ا, ؤ → و, ئ → ی, hamza dropped,
   Latin letters lower-cased;
2. ZWNJ (half-space) dropped, so «نیرو‌گستر» reads «نیروگستر»; punctuation becomes a space; digits are split
   from letters («پارس۲» → «پارس 2»);
3. a word glued from known words is split again («صنایع‌غذایی» → «صنایعغذایی» → «صنایع غذایی»,
   «آهن‌وفولاد» → «آهن و فولاد», «آرین‌فولاد» → «آرین فولاد»), so that the legal-form and generic words
   below are recognised however they were spaced;
4. legal-form words removed wherever they stand (:data:`LEGAL_FORM_PHRASES`: شرکت، سهامی خاص، سهامی عام،
   با مسئولیت محدود، تعاونی، مجتمع، تولیدی و صنعتی، کارخانجات ...; abbreviations such as «ش.س.خ»,
   «(س.خ)», «(م.م)» — any run of single letters —; and Co./Ltd./Inc./PJS for Latin names), with a «و»
   left dangling by a removed word;
5. spaces folded.

Legal form is not identity: «شرکت مهرام (سهامی خاص)» and «مهرام» are one firm. «تولیدی» and «صنعتی» are
treated as legal-form words too: agencies add or drop them freely («شرکت تولیدی و صنعتی X»), and they never
tell two firms apart. Words that describe an industry («فولاد», «غذایی»), a place («اراک») or are so common
that they identify nothing («صنایع», «گروه», «بازرگانی», «پارس», «نوین», «آریا») stay in the key — they are
part of the registered name — but are :data:`GENERIC_WORDS`: not *distinctive*. Matching by character
similarity alone is known to fail on firm names (Cohen, Ravikumar & Fienberg 2003, "A comparison of string
metrics for matching names and records"): «فولاد اراک» and «فولاد ساوه» are 80 % alike and are different
firms. Entity resolution (:mod:`saderat.registry.resolve`) therefore requires two names to share a
distinctive word (:func:`distinctive_tokens`), and uses the generic words of an industry, a place or a number
as evidence *against* a match when both names have some and they differ (:func:`name_profile`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from saderat.text import normalize_fa

__all__ = [
    "firm_name_key",
    "name_tokens",
    "distinctive_tokens",
    "name_profile",
    "NameProfile",
    "tokens_similar",
    "shares_distinctive_word",
    "qualifiers_conflict",
    "edit_distance",
    "sound_key",
    "GENERIC_WORDS",
    "ACTIVITY_WORDS",
    "ACTIVITY_FAMILIES",
    "PLACE_WORDS",
    "COMMON_WORDS",
    "LEGAL_FORM_PHRASES",
]

#: Legal-form words and phrases removed from the key wherever they stand (as token sequences, after
#: normalisation; spelling variants of «مسئولیت» included: مسئولیت → مسیولیت once ئ is ی, مسوولیت, مسولیت).
LEGAL_FORM_PHRASES: tuple[tuple[str, ...], ...] = tuple(
    tuple(p.split())
    for p in (
        # Persian legal forms (Commercial Code of Iran, 1932/1347: joint-stock, limited liability, cooperative)
        "با مسیولیت محدود",
        "با مسوولیت محدود",
        "با مسولیت محدود",
        "مسیولیت محدود",
        "مسوولیت محدود",
        "مسولیت محدود",
        "سهامی خاص",
        "سهامی عام",
        "سهامی",
        "تضامنی",
        "تعاونی",
        "شرکت",
        "موسسه",
        "مجتمع",
        "کارخانجات",
        "کارخانه",
        "تولیدی و صنعتی",
        "صنعتی و تولیدی",
        "تولیدی",
        "صنعتی",
        # Latin forms
        "private joint stock company",
        "public joint stock company",
        "private joint stock",
        "public joint stock",
        "joint stock company",
        "joint stock",
        "company",
        "co",
        "ltd",
        "limited",
        "inc",
        "pjs",
        "pjsc",
        "llc",
        "corp",
        "corporation",
        "plc",
    )
)

#: Industries and their words. Industry words are not distinctive («فولاد اراک» and «فولاد ساوه» are two
#: firms); two names that both carry some and whose industries differ («کاشی سپهر», «سیمان سپهر») are evidence
#: of two firms. A word may belong to several industries («فلز» to every metal, «بسته‌بندی» to paper and
#: plastics): names conflict only when no industry is common to both. Compound words are given in parts
#: («ماشین سازی»): a glued form is split into them.
ACTIVITY_FAMILIES: dict[str, tuple[str, ...]] = {
    label: tuple(words.split())
    for label, words in {
        "steel": "فولاد فولادی آهن آهنی ذوب چدن لوله پروفیل ورق میلگرد steel iron",
        "aluminium": "آلومینیوم آلومینیومی aluminium aluminum",
        "copper": "مس مسی کابل سیم copper",
        "zinc": "روی سرب zinc",
        "metal": "فلز فلزی فلزات متال متالورژی آلیاژ ریخته گری چدن metal metals",
        "petrochemical": "پتروشیمی پلیمر پلیمری رزین پلی شیمی petrochemical",
        "plastic": "پلاستیک پلاستیکی پلاست پلیمر پلیمری پلی plastic plastics",
        "chemical": "شیمیایی شیمی شوینده رنگ رزین بهداشتی آرایشی chemical chemicals",
        "oil": "نفت نفتی گاز پالایش پالایشگاه انرژی نیروگاه پتروشیمی oil gas",
        "rubber": "لاستیک تایر",
        "textile": "نساجی ریسندگی بافندگی نخ پارچه پوشاک فرش موکت textile textiles",
        "leather": "چرم کفش",
        "food": "غذایی غذا لبنیات لبنی لبن شیر قند شکر روغن نان آرد ماکارون ماکارونی کنسرو خشکبار زعفران "
        "گوشت مرغ طیور خوراک آشامیدنی نوشابه آب چای بیسکویت شکلات شیرینی کشت کشاورزی food foods dairy",
        "agriculture": "کشاورزی کشت زراعی باغی گلخانه دام دامپروری طیور کود سم بذر",
        "pharmaceutical": "دارو دارویی فارم پزشکی بهداشت بهداشتی آرایشی تجهیزات pharmaceutical",
        "cement": "سیمان بتن cement",
        "tile": "کاشی سرامیک سرام چینی tile tiles",
        "glass": "شیشه بلور glass",
        "brick": "آجر گچ نسوز",
        "mining": "سنگ معدن معادن معدنی کانی نسوز mining",
        "machinery": "ماشین آلات ابزار تجهیز تجهیزات موتور",
        "automotive": "خودرو قطعه قطعات موتور auto automotive",
        "electrical": "الکتریک الکتریکی الکترونیک برق برقی کابل سیم باتری ترانسفورماتور",
        "paper": "چوب کاغذ مقوا کارتن چاپ مبل مبلمان بسته بندی",
        "packaging": "بسته بندی پلاستیک کاغذ کارتن",
        "construction": "ساختمان ساختمانی عمران عمرانی پیمانکاری راه بتن آسفالت",
        "transport": "ترابری حمل نقل",
    }.items()
}

#: Places: Markazi's counties and towns, the provinces and their capitals, and compass words. A place in a
#: name («فولاد اراک») is a qualifier, not an identity; two different places are evidence of two firms.
#: :func:`saderat.registry.resolve.resolve_firms` adds the counties of the list being resolved, so another
#: province works by its data alone.
_PLACES = """
    اراک ساوه شازند زرندیه خمین محلات دلیجان تفرش آشتیان کمیجان فراهان خنداب مامونیه نراق نیمور
    آستانه فرمهین غرقاباد مهاجران هندودر توره آوه میلاجرد کارچان
    مرکزی تهران اصفهان خوزستان اهواز فارس شیراز خراسان مشهد آذربایجان تبریز ارومیه اردبیل گیلان رشت
    مازندران ساری گلستان گرگان سمنان قم قزوین زنجان همدان کرمانشاه کردستان سنندج لرستان خرمآباد
    ایلام کرمان یزد سیستان بلوچستان زاهدان هرمزگان بندرعباس بوشهر کهگیلویه بویراحمد یاسوج چهارمحال
    بختیاری شهرکرد البرز کرج بجنورد بیرجند کاشان
    شرق غرب شمال جنوب شرقی غربی شمالی جنوبی مرکز
    arak saveh tehran isfahan markazi
    """

#: Words so common in firm names that they identify nothing. The first kind is added or dropped freely by
#: agencies («صنایع X», «گروه صنعتی X», «بازرگانی X» and «X» are one firm); the second kind («پارس», «نوین»,
#: «آریا», «ایران», in thousands of names) is kept when a name has nothing else: «آلومینیوم پارس» is not
#: «آلومینیوم ایران».
_DROPPABLE = """
    صنایع صنعت گروه هلدینگ سازی ها های بازرگانی صادراتی صادرات واردات وارداتی تجاری تجارت تولید
    توزیع پخش خدمات خدماتی مهندسی فنی توسعه سرمایه گذاری بین المللی فرآورده فراورده فرآوردههای
    فراوردههای مواد محصولات کالا تامین پشتیبانی
    group industries industrial industry trading trade export international holding engineering services
    products
    """
_WEAK = """
    ملی ایران ایرانیان ایرانی پارس نوین آریا آسیا خاورمیانه طرح اول برتر جدید iran iranian pars novin aria
    """

_CHARS = str.maketrans(
    {
        "\u06c0": "\u0647",  # ۀ heh with yeh above -> ه
        "\u06be": "\u0647",  # ھ heh doachashmee -> ه
        "\u06c1": "\u0647",  # ہ heh goal -> ه
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u06cc",  # ئ -> ی
        "\u06aa": "\u06a9",  # ڪ -> ک
        "\u0621": None,  # hamza: written or not («اجزاء»/«اجزا»)
        "\u200c": None,  # ZWNJ: «نیرو‌گستر» = «نیروگستر»; spaced/joined forms are matched later
        "\u200d": None,  # ZWJ
        "&": " و ",
    }
)
_PUNCTUATION = re.compile(r"[^\w\s]|_", re.UNICODE)
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\d\s])|(?<=[^\d\s])(?=\d)")


def _fold(word: str) -> str:
    """A vocabulary word as it looks after normalisation (آ → ا, ئ → ی ...)."""
    return normalize_fa(word).translate(_CHARS).lower()


# The word lists above are written in ordinary Persian («آلومینیوم»); keys have آ folded to ا, ئ to ی.
_FAMILIES_OF: dict[str, frozenset[str]] = {}
for _label, _words in ACTIVITY_FAMILIES.items():
    for _w in _words:
        _FAMILIES_OF[_fold(_w)] = _FAMILIES_OF.get(_fold(_w), frozenset()) | {_label}
del _label, _words, _w
#: Every industry word (:data:`ACTIVITY_FAMILIES`).
ACTIVITY_WORDS: frozenset[str] = frozenset(_FAMILIES_OF)
PLACE_WORDS: frozenset[str] = frozenset(_fold(w) for w in _PLACES.split())
_DROPPABLE_WORDS = frozenset(_fold(w) for w in _DROPPABLE.split())
#: Words common in firm names, identifying nothing (see above).
COMMON_WORDS: frozenset[str] = _DROPPABLE_WORDS | frozenset(_fold(w) for w in _WEAK.split())
#: Every word that is not distinctive in a firm name (:data:`ACTIVITY_WORDS`, :data:`PLACE_WORDS`,
#: :data:`COMMON_WORDS`).
GENERIC_WORDS: frozenset[str] = ACTIVITY_WORDS | PLACE_WORDS | COMMON_WORDS

_LEGAL_PARTS = frozenset(w for p in LEGAL_FORM_PHRASES for w in p) | {"خاص", "عام", "محدود"}
_PHRASES_BY_LENGTH = sorted(LEGAL_FORM_PHRASES, key=len, reverse=True)
# Words a glued token may be split into: generic and legal-form words of three letters or more (shorter ones,
# «مس», «سم», «اب», would cut names apart: «ابرنگ» is not «اب رنگ»).
_VOCABULARY = frozenset(w for w in GENERIC_WORDS | _LEGAL_PARTS if len(w) >= 3)
# Generic words a typo is forgiven in: long industry and common words (not places, which collide with
# personal names: «مهران»/«تهران»).
_FUZZY_GENERIC = tuple(sorted(w for w in ACTIVITY_WORDS | COMMON_WORDS if len(w) >= 6))
# Generic words split off a glued token, longest first (a tuple: a set's order changes between processes).
_NEAR_GENERIC = tuple(sorted(w for w in ACTIVITY_WORDS | COMMON_WORDS if len(w) >= 4))
_SPLIT_WORDS = tuple(sorted((w for w in GENERIC_WORDS if len(w) >= 5), key=lambda w: (-len(w), w)))
_PERSIAN_LETTER = re.compile("[\u0600-\u06ff]")
_DOUBLED = re.compile(r"(\D)\1+")


def _segment(token: str) -> list[str] | None:
    """Split a glued token into known words (fewest pieces; «و» allowed between two words), else None."""
    n = len(token)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 2, n + 1):
            piece = token[i:j]
            if piece in _VOCABULARY:
                cand = best[i] + [piece]
                if best[j] is None or len(cand) < len(best[j]):
                    best[j] = cand
        # «و» is one letter: the loop above starts pieces at two letters.
        if token[i] == "و" and 0 < i < n - 1 and (best[i + 1] is None or len(best[i]) + 1 < len(best[i + 1])):
            best[i + 1] = best[i] + ["و"]
    pieces = best[n]
    return pieces if pieces and len(pieces) >= 2 else None


def _split_glued(token: str) -> list[str]:
    """Undo a missing space next to a known word: a token made only of known words, «و» + a known word, or a
    distinctive word glued to a generic word of five letters or more («آرینفولاد»)."""
    if token in _VOCABULARY or len(token) < 4:
        return [token]
    pieces = _segment(token)
    if pieces:
        return pieces
    if token.startswith("و") and token[1:] in _VOCABULARY:
        return ["و", token[1:]]
    if token.endswith("و") and token[:-1] in _VOCABULARY:  # «کاشی‌و سرامیک»
        return [token[:-1], "و"]
    # Only long generic words, and a remainder of four letters (prefix) or three (suffix): «پارسیان» and
    # «ایرانیان» are names, not «پارس» + «یان».
    for word in _SPLIT_WORDS:
        if token.startswith(word) and len(token) - len(word) >= 4:
            return [word, token[len(word) :]]
        if token.endswith(word) and len(token) - len(word) >= 3:
            return [token[: -len(word)], word]
    return [token]


def _remove_legal_forms(tokens: list[str]) -> list[str]:
    kept: list[str | None] = []
    removed: list[bool] = []
    i = 0
    while i < len(tokens):
        for phrase in _PHRASES_BY_LENGTH:
            if tuple(tokens[i : i + len(phrase)]) == phrase:
                kept.append(None)
                removed.append(True)
                i += len(phrase)
                break
        else:
            kept.append(tokens[i])
            removed.append(False)
            i += 1
    # Abbreviated legal forms («ش.س.خ», «(س.خ)», «(م.م)», «س ع») are runs of single letters; a single Persian
    # letter is never a distinctive word. «و» is the conjunction, not an abbreviation.
    for i, tok in enumerate(kept):
        if tok is not None and len(tok) == 1 and tok != "و" and _PERSIAN_LETTER.match(tok):
            kept[i], removed[i] = None, True
    # Remnants of a legal form written in parts: «سهامی (خاص)», «(با) مسئولیت محدود».
    for i, tok in enumerate(kept):
        if tok in {"خاص", "عام", "محدود"} and (i == 0 or removed[i - 1] or i == len(kept) - 1):
            kept[i], removed[i] = None, True
    # A «و» left dangling by a removed word («تولیدی و بازرگانی X» → «بازرگانی X»).
    out: list[str] = []
    for i, tok in enumerate(kept):
        if tok is None:
            continue
        if tok == "و":
            left = i == 0 or removed[i - 1] or (out and out[-1] == "و")
            right = i == len(kept) - 1 or removed[i + 1]
            if left or right or not out:
                continue
        out.append(tok)
    while out and out[-1] == "و":
        out.pop()
    return out


def firm_name_key(text: object) -> str:
    """The match key of a firm name (DESIGN.md, "Methods": Firm names); see the module's docstring.

    >>> firm_name_key("شركت صنايع غذائي مهرام (سهامي خاص)")
    'صنایع غذایی مهرام'
    >>> firm_name_key("مهرام ش.س.خ") == firm_name_key("تولیدی و صنعتی مهرام") == "مهرام"
    True
    >>> firm_name_key("نیرو‌گستر  ۱۲۳")
    'نیروگستر 123'
    """
    if text is None or (isinstance(text, float) and text != text):  # None or NaN
        return ""
    return _firm_name_key(str(text))


@lru_cache(maxsize=65536)
def _firm_name_key(text: str) -> str:
    s = normalize_fa(text).translate(_CHARS).lower()
    s = _PUNCTUATION.sub(" ", s)
    s = _DIGIT_LETTER.sub(" ", s)
    tokens = [piece for tok in s.split() for piece in _split_glued(tok)]
    return " ".join(_remove_legal_forms(tokens))


def name_tokens(key: str) -> list[str]:
    """The words of a match key, in order, without the conjunction «و»."""
    return [t for t in key.split() if t != "و"]


def _damerau_at_most_one(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by at most one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if abs(la - lb) > 1:
        return False
    i = 0
    while i < min(la, lb) and a[i] == b[i]:
        i += 1
    if la == lb:
        if a[i + 1 :] == b[i + 1 :]:
            return True
        return i + 1 < la and a[i] == b[i + 1] and a[i + 1] == b[i] and a[i + 2 :] == b[i + 2 :]
    if la > lb:
        return a[i + 1 :] == b[i:]
    return a[i:] == b[i + 1 :]


def edit_distance(a: str, b: str, *, limit: int = 3) -> int:
    """Damerau–Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and swaps
    of adjacent letters), or ``limit`` when it is ``limit`` or more."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) >= limit:
        return limit
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) >= limit:
            return limit
        previous2, previous = previous, current
    return min(previous[-1], limit)


def tokens_similar(a: str, b: str) -> bool:
    """Two words are the same word: equal, or one typo apart (Damerau) when the longer has four letters or
    more and the shorter three («سپهر»/«سپحر», «وستا»/«وسا»)."""
    return a == b or (min(len(a), len(b)) >= 3 and max(len(a), len(b)) >= 4 and _damerau_at_most_one(a, b))


@lru_cache(maxsize=65536)
def _fuzzy_generic(token: str) -> str | None:
    """The long industry or common word that ``token`` is with one typo («آلومینیم»), else None."""
    if len(token) < 5:
        return None
    for word in _FUZZY_GENERIC:
        if _damerau_at_most_one(token, word):
            return word
    return None


@lru_cache(maxsize=65536)
def _near_generic(token: str) -> bool:
    """``token`` may be an industry or common word of four letters or more with a typo («کال» for «کابل»,
    «صتایع»). Not places: they are one typo from too many names («کرمان»/«آرمان», «ساوه»/«کاوه»); a place
    with a typo is recognised only beside the same place in the other name."""
    if len(token) < 3:
        return False
    return any(tokens_similar(token, word) for word in _NEAR_GENERIC)


def _is_generic(token: str, generic: Collection[str]) -> bool:
    return token in generic or _fuzzy_generic(token) is not None


def distinctive_tokens(key: str, *, generic: Collection[str] | None = None) -> set[str]:
    """The words of ``key`` that identify a firm: not generic (:data:`GENERIC_WORDS`, or ``generic``; a typo
    in a generic word of six letters or more is forgiven), not a number, not a single letter.

    >>> sorted(distinctive_tokens(firm_name_key("شرکت صنایع فولاد سپهر اراک")))
    ['سپهر']
    """
    words = frozenset(generic) if generic is not None else GENERIC_WORDS
    return {t for t in name_tokens(key) if len(t) >= 2 and not t.isdigit() and not _is_generic(t, words)}


@dataclass(frozen=True)
class NameProfile:
    """What entity resolution compares of one name key (see :func:`name_profile`)."""

    key: str
    #: the words of the key, without «و»
    tokens: tuple[str, ...]
    #: the key without spaces and «و»: spacing and joining are not identity («نیرو گستر» = «نیروگستر»)
    compact: str
    #: the words without those agencies add or drop («صنایع», «گروه»), sorted: order is not identity
    core: str
    #: distinctive words in order
    distinctive: tuple[str, ...]
    #: distinctive words sorted and joined («» when none)
    distinctive_signature: str
    #: the distinctive words without those that may be a typo of a generic word, in order and joined without
    #: spaces («کاشی یاقوت ارراک» → «یاقوت»)
    soft_compact: str
    #: :attr:`soft_compact` spelt by sound (:func:`sound_key`): «رسطاک» and «رستاک», «ماگان» and «ماکان» agree
    sound: str
    #: distinctive words joined without spaces, in order («نیروگستر» for «نیرو گستر»)
    distinctive_compact: str
    #: the name's industries (:data:`ACTIVITY_FAMILIES`, a typo in a long word forgiven), places and numbers
    activities: tuple[str, ...]
    places: tuple[str, ...]
    numbers: tuple[str, ...]
    #: each two or three adjacent words glued, for the shared-word test («نیرو گستر» → «نیروگستر»)
    joins: frozenset[str]
    #: the place words this profile was made with (for the pairwise typo test)
    generic: frozenset[str]


def name_profile(key: str, *, places: Iterable[str] = ()) -> NameProfile:
    """The parts of a match key that entity resolution compares. ``places`` are extra place words (the
    counties of the list being resolved), folded like the key."""
    extra = frozenset(firm_name_key(p) for p in places) - {""}
    place_words = PLACE_WORDS | extra
    generic = GENERIC_WORDS | extra
    # A doubled letter is a typo («ستارره», «صننایع»): Persian spelling hardly ever doubles one.
    tokens = [t if t in generic else _DOUBLED.sub(r"\1", t) for t in name_tokens(key)]
    distinctive = [t for t in tokens if len(t) >= 2 and not t.isdigit() and not _is_generic(t, generic)]
    soft = sorted(
        {t for t in distinctive if not _near_generic(t) and not any(tokens_similar(t, w) for w in extra)}
    )
    activities: set[str] = set()
    place_list: set[str] = set()
    numbers: set[str] = set()
    for t in tokens:
        if t.isdigit():
            numbers.add(t.lstrip("0") or "0")
        elif t in place_words:
            place_list.add(t)
        elif t in ACTIVITY_WORDS:
            activities |= _FAMILIES_OF[t]
        elif (canonical := _fuzzy_generic(t)) in ACTIVITY_WORDS:
            activities |= _FAMILIES_OF[canonical]
    core = sorted(t for t in tokens if t not in _DROPPABLE_WORDS)
    joins: set[str] = set()
    # Adjacent words glued, also once the words agencies drop are gone («واگن سازی پارس» → «واگنپارس»).
    for words in (tokens, [t for t in tokens if t not in _DROPPABLE_WORDS]):
        joins |= {a + b for a, b in zip(words, words[1:], strict=False)}
        joins |= {a + b + c for a, b, c in zip(words, words[1:], words[2:], strict=False)}
    return NameProfile(
        key=key,
        tokens=tuple(tokens),
        compact="".join(tokens),
        core=" ".join(core),
        distinctive=tuple(distinctive),
        distinctive_signature=" ".join(sorted(set(distinctive))),
        soft_compact="".join(soft),
        sound=sound_key("".join(soft)),
        distinctive_compact="".join(distinctive),
        activities=tuple(sorted(activities)),
        places=tuple(sorted(place_list)),
        numbers=tuple(sorted(numbers)),
        joins=frozenset(joins),
        generic=generic,
    )


_SOUNDS = str.maketrans(
    {
        # letters Persian pronounces alike (ت/ط, س/ص/ث, ز/ذ/ض/ظ, ه/ح, ق/غ, ا/ع) ...
        "ط": "ت",
        "ص": "س",
        "ث": "س",
        "ذ": "ز",
        "ض": "ز",
        "ظ": "ز",
        "ح": "ه",
        "غ": "ق",
        "ع": "ا",
        # ... and those an Arabic keyboard lacks (پ چ ژ گ written ب ج ز ک)
        "پ": "ب",
        "چ": "ج",
        "ژ": "ز",
        "گ": "ک",
    }
)


def sound_key(text: str) -> str:
    """``text`` with the letters that sound alike, or that an Arabic keyboard writes alike, made one: the
    commonest misspellings of a Persian name («رسطاک»/«رستاک», «ماگان»/«ماکان», «حامون»/«هامون»).

    >>> sound_key("رسطاک") == sound_key("رستاک")
    True
    """
    return text.translate(_SOUNDS)


def _maybe_generic(token: str, other: NameProfile) -> bool:
    """``token`` may be a generic word with a typo: an industry or common word (:func:`_near_generic`), or a
    generic word of five letters or more that the other name has («شاند» beside «شازند»). Four-letter places
    are one typo from too many names («آراد»/«اراک», «کاوه»/«ساوه»)."""
    return _near_generic(token) or any(
        w in other.generic and len(w) >= 5 and tokens_similar(token, w) for w in other.tokens
    )


def _matches_distinctive(token: str, other: NameProfile) -> bool:
    """``token`` is, up to a typo, a distinctive word of the other name or adjacent words of it glued."""
    return any(tokens_similar(token, w) for w in other.distinctive) or any(
        tokens_similar(token, j) for j in other.joins
    )


def shares_distinctive_word(a: NameProfile, b: NameProfile) -> bool:
    """The rule without which no two names are matched: they share a distinctive word.

    A word is shared when it is equal or one typo apart (:func:`tokens_similar`), or when one name's
    distinctive word is two or three adjacent words of the other glued («نیروگستر» / «نیرو گستر»), up to a
    typo. A word one typo away from a generic word that is not a distinctive word of the other name counts as
    that generic word («پتروشیمی شاند» beside «پتروشیمی شازند», «صننایع»). Names left without a distinctive word («فولاد اراک») share one only with a name
    of the same words, up to typos, common words («صنایع») and order: «فولاد اراک» ≠ «فولاد ساوه».
    """
    da = [t for t in a.distinctive if _matches_distinctive(t, b) or not _maybe_generic(t, b)]
    db = [t for t in b.distinctive if _matches_distinctive(t, a) or not _maybe_generic(t, a)]
    if da and db:
        return any(_matches_distinctive(x, b) for x in da) or any(_matches_distinctive(y, a) for y in db)
    if da or db:
        # One name is generic only: it may still be the glued form of the other («فولاداراک»).
        return bool(a.compact) and a.compact == b.compact
    wa, wb = a.core.split(), b.core.split()
    if not wa or not wb:
        return bool(a.compact) and a.compact == b.compact
    # The same generic words, or all of the shorter name's in the longer («کاشی محلات», «کاشی و سرامیک محلات»).
    short, long_ = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    return all(any(tokens_similar(x, y) for y in long_) for x in short) and (
        len(short) >= 2 or len(short) == len(long_)
    )


def qualifiers_conflict(a: NameProfile, b: NameProfile) -> bool:
    """Both names state an industry, a place or a number, and they differ: «کاشی سپهر» / «سیمان سپهر»,
    «سپهر اراک» / «سپهر ساوه», «سپهر 2» / «سپهر 3»."""
    return any(
        x and y and not set(x) & set(y)
        for x, y in ((a.activities, b.activities), (a.places, b.places), (a.numbers, b.numbers))
    )
