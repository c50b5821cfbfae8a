"""Thai-language helpers: Buddhist Era dates, Thai digits, safe truncation, damage checks."""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from itertools import pairwise
from typing import Any

BE_OFFSET = 543

THAI_MONTHS: tuple[str, ...] = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_ABBR: tuple[str, ...] = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
# Spelled out rather than taken from strftime, which follows the process locale.
ENGLISH_MONTHS: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
ENGLISH_MONTHS_ABBR = tuple(name[:3] for name in ENGLISH_MONTHS)

_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
# Thai digits to Arabic ones, one digit at a time: str.translate looks every character of a
# Thai text up in its table, ten replace() calls scan it in C (50 times faster on report text,
# which the legacy parser and the search index both normalise).
_THAI_DIGITS = tuple(zip("๐๑๒๓๔๕๖๗๘๙", "0123456789", strict=True))

NIKHAHIT = "\u0e4d"
SARA_AA = "\u0e32"
SARA_AM = "\u0e33"
# Leading vowels are written before the consonant they are pronounced after, so a cut right
# after one leaves a vowel belonging to a consonant that is no longer there.
LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
# Thai marks sit above or below the preceding consonant; SARA AM is a spacing letter but
# carries a NIKHAHIT, so Unicode groups it with the consonant before it as well.
_THAI_MARKS = frozenset(
    ["\u0e31", *map(chr, range(0x0E34, 0x0E3B)), *map(chr, range(0x0E47, 0x0E4F))]
)

# Typists (and old input methods) put the tone mark between NIKHAHIT and SARA AA.
_DECOMPOSED_SARA_AM = re.compile(f"{NIKHAHIT}([\u0e48-\u0e4b]?){SARA_AA}")
_SARA_AM_AFTER_TONE = re.compile(f"([\u0e48-\u0e4b]?){SARA_AM}")
# Zero width space, non-joiner, joiner, byte order mark and word joiner: pasted from word
# processors and web pages, invisible, and enough to make two identical words differ.
ZERO_WIDTH = "\u200b\u200c\u200d\ufeff\u2060"
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]")
_THAI_LETTER = "[\u0e01-\u0e3a\u0e40-\u0e4e]"
_QUESTION_MARK_IN_WORD = re.compile(f"{_THAI_LETTER}\\?{_THAI_LETTER}")
_CUT_BY_BYTE_LIMIT = re.compile(f"{_THAI_LETTER}%\\s*\\Z")
_LAST_SPACE = re.compile(r"\s\S*\Z")


def to_thai_digits(s: str | int) -> str:
    return str(s).translate(_TO_THAI)


def to_arabic_digits(s: str) -> str:
    for thai, arabic in _THAI_DIGITS:
        s = s.replace(thai, arabic)
    return s


def be_year(ce: int) -> int:
    return ce + BE_OFFSET


def ce_year(be: int) -> int:
    return be - BE_OFFSET


def format_quantity(amount: Decimal) -> str:
    """A quantity of a project's unit as people count it: "1,000" trees, "12.50" kilometres;
    the two decimals only when it has a fraction."""
    places = 0 if amount == amount.to_integral_value() else 2
    return f"{amount:,.{places}f}"


def format_date(d: date | None, *, style: str = "medium", lang: str = "th") -> str:
    """Format a date for display; Thai uses the Buddhist Era year, English the Common Era."""
    if d is None:
        return ""
    if lang == "th":
        year, full, abbr = be_year(d.year), THAI_MONTHS, THAI_MONTHS_ABBR
    elif lang == "en":
        year, full, abbr = d.year, ENGLISH_MONTHS, ENGLISH_MONTHS_ABBR
    else:
        raise ValueError(f"unsupported language {lang!r}")
    if style == "medium":
        return f"{d.day} {abbr[d.month - 1]} {year}"
    if style == "long":
        return f"{d.day} {full[d.month - 1]} {year}"
    if style == "short":
        # Unpadded day/month is the form the legacy system used ("19/2/2563").
        return f"{d.day}/{d.month}/{year}"
    if style == "month":
        return f"{abbr[d.month - 1]} {year}"
    raise ValueError(f"unsupported date style {style!r}")


def format_datetime(moment: datetime | None, *, style: str = "medium", lang: str = "th") -> str:
    """A moment as `format_date` writes its day, then the 24-hour time: "19 ก.พ. 2563 14:05".

    The caller passes the reader's local time: this module knows nothing of time zones.
    """
    if moment is None:
        return ""
    return f"{format_date(moment.date(), style=style, lang=lang)} {moment:%H:%M}"


# What a person types into a date field: day/month/year or ISO 8601, Thai digits allowed.
_TYPED_DMY = re.compile(r"([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,2})\s*[/.\-]\s*([0-9]{1,4})")
_TYPED_ISO = re.compile(r"([0-9]{1,4})-([0-9]{1,2})-([0-9]{1,2})")
# No date this system records is that far in the past in the Common Era, nor in the Buddhist
# Era: a four-digit year above it is Buddhist Era, below it Common Era.
BE_YEARS_FROM = 2400
# Below this a year was mistyped (two digits, a missing digit), in either era.
_YEARS_FROM = 1900


class DateTypingError(ValueError):
    """A typed date that cannot be read; `code` says why, for a message in the reader's
    language: "invalid", "be_year_in_iso", "ce_year_in_thai" or "be_year_in_english"."""

    def __init__(self, code: str, year: int | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.year = year


def parse_typed_date(text: str, *, lang: str) -> date:
    """Read a date as a person types it into a form.

    Day/month/year in the reader's era: in Thai "19/2/2563" (also "19/02/2563", "19.2.2563"
    or Thai digits) is 19 February 2020, in English "19/2/2020". ISO 8601 ("2020-02-19") is
    always the Common Era, as every program writes it. A year in the wrong era is refused
    rather than shifted by 543 years in silence: "19/2/2020" in Thai, "19/2/2563" in English
    and "2563-02-19" (a Buddhist-Era year read as Common Era) each raise a `DateTypingError`
    whose code names the mistake.
    """
    typed = to_arabic_digits(text).strip()
    if m := _TYPED_ISO.fullmatch(typed):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
        if year >= BE_YEARS_FROM:
            raise DateTypingError("be_year_in_iso", year)
    elif m := _TYPED_DMY.fullmatch(typed):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
        buddhist = year >= BE_YEARS_FROM
        if lang == "th" and not buddhist and year >= _YEARS_FROM:
            raise DateTypingError("ce_year_in_thai", year)
        if lang != "th" and buddhist:
            raise DateTypingError("be_year_in_english", year)
        if buddhist:
            year = ce_year(year)
    else:
        raise DateTypingError("invalid")
    if year < _YEARS_FROM:
        raise DateTypingError("invalid")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateTypingError("invalid") from None


def fold_thai(text: str) -> str:
    """Fold spellings that look identical and keep what a reader sees: NFC, SARA AM typed as
    NIKHAHIT + SARA AA (a tone mark may sit between), no zero-width characters, single spaces.

    Fit for display; `normalise_thai` builds on it for matching.
    """
    # Invisible characters go first: between NIKHAHIT and SARA AA one would hide the pair.
    text = unicodedata.normalize("NFC", _ZERO_WIDTH.sub("", text))
    text = _DECOMPOSED_SARA_AM.sub(lambda m: m.group(1) + SARA_AM, text)
    return " ".join(text.split())


def spell_sara_am_apart(text: str) -> str:
    """SARA AM as NIKHAHIT + SARA AA, NIKHAHIT before a tone mark: "น้ำ" → "นํ้า", "กำ" → "กํา".

    For PDFs only: it is the sequence HarfBuzz shapes SARA AM into, so the page looks the same
    (pixel for pixel), but WeasyPrint then maps each glyph to the one character it stands
    for. Given SARA AM itself, HarfBuzz's split merges the syllable into one cluster and
    WeasyPrint, which maps a glyph to text once per font, ties the shared SARA AA glyph to "ำ"
    or "้ำ" (or "า" to every SARA AM), so copied text came out as "ก้ำลัง" or "กาลัง".
    Copied from the PDF, the text is this spelling, which `fold_thai` (and so the search)
    reads as SARA AM again.
    """
    return _SARA_AM_AFTER_TONE.sub(lambda m: NIKHAHIT + m.group(1) + SARA_AA, text)


_THAI_RUN = re.compile("[\u0e01-\u0e5b]+")
_LIBTHAI_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _libthai() -> tuple[Any, Any] | None:
    """libthai (the library Pango breaks Thai lines with) and a breaker, or None without it."""
    try:
        lib = ctypes.CDLL("libthai.so.0")
    except OSError:
        return None
    lib.th_brk_new.restype = ctypes.c_void_p
    lib.th_brk_new.argtypes = [ctypes.c_char_p]
    lib.th_brk_wc_find_breaks.restype = ctypes.c_int
    lib.th_brk_wc_find_breaks.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_uint32),
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_size_t,
    ]
    breaker = lib.th_brk_new(None)
    return (lib, breaker) if breaker else None


def _line_breaks(run: str) -> list[int]:
    """Where libthai, and so Pango, may break a line inside a run of Thai letters."""
    libthai = _libthai()
    if libthai is None:
        return []
    lib, breaker = libthai
    chars = (ctypes.c_uint32 * (len(run) + 1))(*map(ord, run), 0)
    found = (ctypes.c_int * (len(run) + 1))()
    # A breaker keeps state while it works: one caller at a time.
    with _LIBTHAI_LOCK:
        count = lib.th_brk_wc_find_breaks(breaker, chars, found, len(run) + 1)
    return [found[i] for i in range(count)]


@lru_cache(maxsize=4096)
def _unbreakable(run: str) -> tuple[tuple[int, int], ...]:
    from pythainlp.tokenize import word_tokenize

    # Pango sees the text of a PDF with SARA AM written apart (spell_sara_am_apart), and
    # libthai breaks that spelling elsewhere ("สํา|นัก"): its breaks, at our positions.
    position, am = {}, 0
    for i, char in enumerate(run):
        position[i + am] = i
        am += char == SARA_AM
    position[len(run) + am] = len(run)
    cuts = {position[c] for c in _line_breaks(spell_sara_am_apart(run)) if c in position}
    ends, at = {0, len(run)}, 0
    for word in word_tokenize(run, engine="newmm", keep_whitespace=True):
        at += len(word)
        ends.add(at)
    allowed = sorted(cuts & ends | {0, len(run)})
    return tuple(
        (start, end) for start, end in pairwise(allowed) if any(start < cut < end for cut in cuts)
    )


def thai_words_split_by_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each stretch of Thai text that must stay on one line.

    Pango breaks Thai lines where libthai's dictionary sees a word end, and libthai splits
    words that PyThaiNLP's dictionary keeps whole: "กรุงเทพมหานคร" may end a line at
    "กรุงเทพมหา". A line may end only where both see a word end; a stretch between two such
    places that holds a break of libthai's alone is returned, for print templates to keep on
    one line (the `whole_words` tag). Without libthai (and so without Pango) there is none.
    """
    found: list[tuple[int, int]] = []
    for m in _THAI_RUN.finditer(text):
        found.extend((m.start() + a, m.start() + b) for a, b in _unbreakable(m.group()))
    return found


def normalise_thai(text: str) -> str:
    """The one matching key of Thai text, for indexing and for querying alike: `fold_thai`,
    Thai digits as Arabic ones, lower case. Never for display.

    "สํานักงาน ๑๐๑" and "สำนักงาน​ 101" have the same key, "สำนักงาน 101".
    """
    return fold_thai(to_arabic_digits(text).lower())


def is_mark(char: str) -> bool:
    """Whether the character belongs to the grapheme of the character before it."""
    return (
        char in _THAI_MARKS
        or char == SARA_AM
        or unicodedata.combining(char) != 0
        or unicodedata.category(char).startswith("M")
    )


def _is_boundary(text: str, cut: int) -> bool:
    if cut == 0:
        return True
    if cut < len(text) and is_mark(text[cut]):
        return False
    return text[cut - 1] not in LEADING_VOWELS


def grapheme_floor(text: str, at: int) -> int:
    """The nearest place at or before `at` where text can be cut between graphemes."""
    at = max(0, min(at, len(text)))
    while not _is_boundary(text, at):
        at -= 1
    return at


def grapheme_ceil(text: str, at: int) -> int:
    """The nearest place at or after `at` where text can be cut between graphemes."""
    at = max(0, min(at, len(text)))
    while at < len(text) and not _is_boundary(text, at):
        at += 1
    return at


def truncate(text: str, limit: int, ellipsis: str = "…") -> str:
    """Shorten text to at most `limit` characters, ellipsis included, between graphemes."""
    if len(text) <= limit:
        return text
    budget = limit - len(ellipsis)
    if budget < 0:
        raise ValueError(f"limit {limit} cannot hold the ellipsis {ellipsis!r}")
    cut = budget
    while not _is_boundary(text, cut):
        cut -= 1
    # A word break near the end reads better than a cut inside a word, but not at the price
    # of throwing away more than a fifth of the room.
    space = _LAST_SPACE.search(text, 0, cut + 1)
    if space and space.start() > 0 and space.start() >= budget * 0.8:
        cut = space.start()
    body = text[:cut].rstrip()
    while not _is_boundary(text, len(body)):
        body = body[:-1].rstrip()
    return body + ellipsis


def text_damage(text: str) -> list[str]:
    """Codes for the ways the legacy system corrupted Thai text, to flag it for review."""
    damage = []
    # The old system cut fields at a byte limit and marked the cut with "%".
    if _CUT_BY_BYTE_LIMIT.search(text):
        damage.append("trailing_percent")
    # A character it could not encode became "?", usually SARA AM inside a word.
    if _QUESTION_MARK_IN_WORD.search(text):
        damage.append("question_mark_in_word")
    if SARA_AM + SARA_AA in text:
        damage.append("sara_am_split")
    return damage
