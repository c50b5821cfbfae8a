"""The parts of a legacy page that parse.py hands over once it has found them: dates and
numbers, inline numbered lists, officer contacts, the damage the old system left in
its text, and KPI blocks; with the error and the records they produce.

Standard library only, so the parser can run (and be tested) without Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

# Pure helpers, no Django: the parser still runs without it.
from tidtam.lib.thai import normalise_thai, to_arabic_digits


class LegacyParseError(Exception):
    """The page cannot be imported; `message` is Thai, then English after " / "."""

    def __init__(self, message: str, *, line: int | None, field: str) -> None:
        super().__init__(f"{message} [line {line}, {field}]" if line else f"{message} [{field}]")
        self.message = message
        self.line = line
        self.field = field


@dataclass(frozen=True)
class ParseWarning:
    line: int
    field: str
    code: str
    message: str
    excerpt: str


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str


@dataclass(frozen=True)
class NumberedItem:
    label: str
    text: str


@dataclass(frozen=True)
class QuarterResult:
    quarter: int
    result: Decimal
    scores: dict[str, Decimal]  # by criterion: {"2.1": Decimal("100"), "2.2": …}


@dataclass(frozen=True)
class Kpi:
    code: str
    text: str
    unit: str
    target: Decimal
    achieved: Decimal
    kpi_type: str  # strategic | routine | "" when the page names another type
    level: str  # outcome | output | ""
    criteria: tuple[str, ...]
    quarters: tuple[QuarterResult, ...]
    line: int


_ASCII_DIGITS = frozenset("0123456789")
_SPACES = re.compile(r"\s+")


def keyword(word: str) -> str:
    """A regex for `word` in source text, which may spell SARA AM as NIKHAHIT + SARA AA."""
    return re.escape(word).replace("\\ ", r"\s*").replace("ำ", "(?:ำ|ํา)")


# --- numbers -------------------------------------------------------------------------------

_DECIMAL = re.compile(r"[+-]?(?:[0-9๐-๙]{1,3}(?:,[0-9๐-๙]{3})+|[0-9๐-๙]+)(?:\.[0-9๐-๙]+)?")


def parse_decimal(s: str) -> Decimal:
    # Match before translating: callers also use this to ask whether a long line is a number.
    text = s.strip()
    if not _DECIMAL.fullmatch(text):
        raise ValueError(f"not a number: {s!r}")
    return Decimal(to_arabic_digits(text).replace(",", ""))


# --- dates ---------------------------------------------------------------------------------

_BE_OFFSET = 543
# No CE date this old system holds reaches 2400, so larger years can only be Buddhist Era.
_BE_FROM = 2400

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("มกราคม", "มค"),
            ("กุมภาพันธ์", "กพ"),
            ("มีนาคม", "มีค"),
            ("เมษายน", "เมย"),
            ("พฤษภาคม", "พค"),
            ("มิถุนายน", "มิย"),
            ("กรกฎาคม", "กค"),
            ("สิงหาคม", "สค"),
            ("กันยายน", "กย"),
            ("ตุลาคม", "ตค"),
            ("พฤศจิกายน", "พย"),
            ("ธันวาคม", "ธค"),
        ),
        start=1,
    )
    for name in names
}
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DMY_DATE = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4}|[0-9]{2})")
_THAI_DATE = re.compile(
    r"(?:([0-9]{1,2})\s*)?([\u0e01-\u0e4e.]+)\s*(?:พ\.\s*ศ\.\s*)?([0-9]{4}|[0-9]{2})"
)


def _ce_year(year: str) -> int:
    # Two-digit years on these pages are always abbreviated Buddhist Era: "63" is 2563.
    number = 2500 + int(year) if len(year) == 2 else int(year)
    return number - _BE_OFFSET if number >= _BE_FROM else number


def _date_parts(text: str) -> tuple[str, int, int] | None:
    if m := _ISO_DATE.fullmatch(text):
        return m[1], int(m[2]), int(m[3])
    if m := _DMY_DATE.fullmatch(text):
        return m[3], int(m[2]), int(m[1])
    if (m := _THAI_DATE.fullmatch(text)) and (month := _MONTHS.get(m[2].replace(".", ""))):
        return m[3], month, int(m[1]) if m[1] else 1
    return None


def parse_legacy_date(s: str) -> date:
    """ISO, day/month/year (CE or BE) or Thai month names and abbreviations."""
    parts = _date_parts(s.strip()) or _date_parts(to_arabic_digits(normalise_thai(s)))
    if parts is None:
        raise ValueError(f"not a date: {s!r}")
    year, month, day = parts
    try:
        return date(_ce_year(year), month, day)
    except (ValueError, OverflowError):
        raise ValueError(f"not a date: {s!r}") from None


# --- inline numbered lists -----------------------------------------------------------------

_FIRST_LABEL = re.compile(r"([0-9]+(?:\.[0-9]+)*)([.)])?(?![0-9])")


def _next_label_at(text: str, label: str, start: int, bare: bool) -> int:
    """Position of `label` after whitespace (or at the start) and not glued to digits, or -1."""
    at = text.find(label, start)
    while at != -1:
        rest = text[at + len(label) : at + len(label) + 2]
        # "2." is not the start of "2.5"; a bare "2.2" is not the start of "2.2.1"
        glued = rest[:1] in _ASCII_DIGITS or (
            bare and rest[:1] == "." and rest[1:] in _ASCII_DIGITS
        )
        if (at == 0 or text[at - 1].isspace()) and not glued:
            return at
        at = text.find(label, at + 1)
    return -1


def split_numbered(text: str) -> tuple[NumberedItem, ...]:
    """Split "1.… 2.…" or "2.1 … 2.2 …" written on one line into items.

    Only the next label of the scheme the first label set ends an item, so numbers inside
    the prose ("พ.ศ.2545", "จำนวน 5 ราย", a nested "1) …") stay where they are.
    """
    text = text.strip()
    if not text:
        return ()
    first = _FIRST_LABEL.match(text)
    # A lone integer ("2545 …") is prose; a single level needs its "." or ")".
    if first is None or ("." not in first[1] and first[2] is None):
        return (NumberedItem("", text),)
    parts = first[1].split(".")
    terminator = first[2] or ""
    bare = terminator == ""
    prefix, number = parts[:-1], int(parts[-1])
    items: list[NumberedItem] = []
    label, start = first[1], first.end()
    while True:
        number += 1
        following = ".".join([*prefix, str(number)])
        at = _next_label_at(text, following + terminator, start, bare)
        if at == -1:
            items.append(NumberedItem(label, text[start:].strip()))
            return tuple(items)
        items.append(NumberedItem(label, text[start:at].strip()))
        label, start = following, at + len(following) + len(terminator)


# --- responsible officer -------------------------------------------------------------------

# A slash between digits belongs to a phone number ("1460/1461"), not between two people.
_PEOPLE_SEPARATOR = re.compile(r"\n|[,;]|\s+และ\s+|(?<![0-9])\s*/\s*|\s*/\s*(?![0-9])")
# Civil titles, academic titles, and abbreviated military and police ranks ("พ.ต.อ.", "จ.ส.อ.").
_PERSON_TITLE = re.compile(
    r"(?:นางสาว|นาง|นาย|น\.ส\.|ดร\.|ว่าที่|ผศ\.|รศ\.|ศ\.|[พรจส]\.[\u0e01-\u0e2e]"
    r"|(?:Mrs|Mr|Ms|Miss|Dr)\b)"
)
# The number must follow, so a unit such as "ฝ่ายโทรคมนาคม" is not read as a phone.
_PHONE_KEYWORD = re.compile(r"(?:โทรศัพท์|โทร\.?|(?<![A-Za-z])(?i:tel|phone)\.?)\s*:?\s*(?=[0-9๐-๙])")
_BARE_PHONE = re.compile(r"0(?:[ -]?[0-9]){8,9}(?:\s*ต่อ\s*[0-9]+)?\s*$")
_NUMBER_ONLY = re.compile(r"[0-9][0-9 -]*(?:\s*ต่อ\s*[0-9]+)?")
_NAME_TRAIL = " \t-:,."


def _split_phone(piece: str) -> tuple[str, str]:
    if _NUMBER_ONLY.fullmatch(piece):
        return "", piece
    if m := _PHONE_KEYWORD.search(piece):
        return piece[: m.start()].rstrip(_NAME_TRAIL), piece[m.end() :].strip(_NAME_TRAIL)
    if m := _BARE_PHONE.search(piece):
        return piece[: m.start()].rstrip(_NAME_TRAIL), m[0].strip()
    return piece.strip(_NAME_TRAIL), ""


def parse_officer(text: str) -> tuple[tuple[Contact, ...], str]:
    """The officer field as (people, unit): a unit name has no person title and no phone."""
    flat = text.strip()
    if flat in ("", "-"):
        return (), ""
    pieces = [p.strip() for p in _PEOPLE_SEPARATOR.split(flat) if p.strip()]
    if not any(_PERSON_TITLE.match(p) or _split_phone(p)[1] for p in pieces):
        return (), _SPACES.sub(" ", flat)
    contacts: list[Contact] = []
    for piece in pieces:
        name, phone = _split_phone(piece)
        if not name and contacts:
            # "โทร. 1460, 1461": a second number for the person before
            previous = contacts[-1]
            joined = f"{previous.phone}, {phone}" if previous.phone else phone
            contacts[-1] = Contact(previous.name, joined)
        elif name or phone:
            contacts.append(Contact(name, phone))
    return tuple(contacts), ""


# --- damage left by the old system ---------------------------------------------------------

_THAI_LETTER = "\u0e01-\u0e4e"
_DAMAGE = (
    (
        "trailing_percent",
        ("%",),
        re.compile(r"(?<![0-9\s])%\s*$"),
        "ข้อความถูกตัดที่ขีดจำกัดไบต์ของระบบเดิม / text cut at the old system's byte limit",
    ),
    (
        "question_mark_in_word",
        ("?",),
        re.compile(f"(?<=[{_THAI_LETTER}])\\?(?=[{_THAI_LETTER}])"),
        "พบ ? กลางคำ อักขระหายระหว่างแปลงรหัส / '?' inside a Thai word: a character was lost",
    ),
    (
        "sara_am_split",
        ("\u0e33\u0e32", "\u0e4d\u0e32\u0e32"),
        re.compile("(?:\u0e33|\u0e4d\u0e32)\u0e32"),
        "พบสระอำตามด้วยสระอา (ำา) / SARA AM followed by a stray SARA AA",
    ),
)
_LEADING_VOWELS = frozenset("\u0e40\u0e41\u0e42\u0e43\u0e44")
_EXCERPT_CONTEXT = 15


def _attaches_left(char: str) -> bool:
    return char == "\u0e33" or unicodedata.category(char) == "Mn"


def _excerpt(text: str, start: int, end: int) -> str:
    """Context around text[start:end], never cutting a Thai cluster (base, marks, vowels)."""
    lo = max(0, start - _EXCERPT_CONTEXT)
    hi = min(len(text), end + _EXCERPT_CONTEXT)
    while lo > 0 and (_attaches_left(text[lo]) or text[lo - 1] in _LEADING_VOWELS):
        lo -= 1
    while hi < len(text) and (_attaches_left(text[hi]) or text[hi - 1] in _LEADING_VOWELS):
        hi += 1
    return ("…" if lo > 0 else "") + text[lo:hi] + ("…" if hi < len(text) else "")


def damage_warnings(text: str, *, line: int, field: str) -> list[ParseWarning]:
    found = []
    for code, telltales, pattern, message in _DAMAGE:
        # A regex search with lookbehinds over every long line is slow; the telltales are rare.
        if any(t in text for t in telltales) and (m := pattern.search(text)):
            found.append(ParseWarning(line, field, code, message, _excerpt(text, *m.span())))
    return found


# --- reading lines -------------------------------------------------------------------------

Line = tuple[int, str]  # (1-based line number in the file, text without surrounding space)


class Notes:
    """Warnings gathered while one page is read."""

    def __init__(self) -> None:
        self.warnings: list[ParseWarning] = []

    def warn(self, line: int, field: str, code: str, message: str, excerpt: str = "") -> None:
        self.warnings.append(ParseWarning(line, field, code, message, excerpt))

    def unknown(self, line: Line, field: str) -> None:
        self.warn(line[0], field, "unknown_line", "บรรทัดที่ไม่รู้จัก / line not understood", line[1])

    def scan(self, line: int, field: str, text: str) -> bool:
        found = damage_warnings(text, line=line, field=field)
        self.warnings.extend(found)
        return bool(found)


def decimal_at(text: str, line: int, field: str) -> Decimal:
    try:
        return parse_decimal(text)
    except ValueError:
        raise LegacyParseError(
            f"ตัวเลขอ่านไม่ได้ {text!r} / unreadable number {text!r}", line=line, field=field
        ) from None


def decimal_or_none(text: str) -> Decimal | None:
    try:
        return parse_decimal(text)
    except ValueError:
        return None


def date_at(text: str, line: int, field: str) -> date:
    try:
        return parse_legacy_date(text)
    except ValueError:
        raise LegacyParseError(
            f"วันที่อ่านไม่ได้ {text!r} / unreadable date {text!r}", line=line, field=field
        ) from None


# --- KPI blocks ----------------------------------------------------------------------------
# A KPI block on the project page has the layout of the separate KPI detail page.

_KPI_HEAD = re.compile(keyword("รายละเอียดเกี่ยวกับตัวชี้วัด") + r"\s*:\s*(.*)")
_KPI_TEXT = re.compile(keyword("ตัวชี้วัด") + r"\s*:\s*(.*)")
_KPI_TARGET = re.compile(keyword("ค่าเป้าหมาย") + r"\s*(.*?)\s*:\s*(.*)")
_KPI_ACHIEVED = re.compile(keyword("ผลงานที่ทำได้") + r"\s*(.*?)\s*:\s*(.*)")
_KPI_TYPE = re.compile(keyword("ประเภทตัวชี้วัด") + r"\s*:\s*(.*)")
_KPI_LEVEL = re.compile(keyword("ตัวชี้วัดระดับ") + r"\s*(.*)")
_KPI_TABLE = re.compile(keyword("ไตรมาสที่"))
_KPI_TYPES = {"ตัวชี้วัดเชิงยุทธศาสตร์": "strategic", "ตัวชี้วัดงานประจำ": "routine"}
_CRITERIA = re.compile(r"\(\s*\*?\s*(.*?)\s*\*?\s*\)")
_QUARTER = re.compile(r"[1-4]")


def read_kpis(lines: list[Line], notes: Notes) -> tuple[Kpi, ...]:
    heads = [i for i, (_, text) in enumerate(lines) if _KPI_HEAD.fullmatch(text)]
    for line in lines[: heads[0] if heads else len(lines)]:
        notes.unknown(line, "kpis")
    return tuple(
        _read_kpi(
            lines[at], lines[at + 1 : heads[n + 1] if n + 1 < len(heads) else len(lines)], notes
        )
        for n, at in enumerate(heads)
    )


def _read_kpi(head: Line, block: list[Line], notes: Notes) -> Kpi:
    head_no, head_text = head
    m = _KPI_HEAD.fullmatch(head_text)
    assert m is not None
    code = m[1].strip()
    if not code:
        raise LegacyParseError("ตัวชี้วัดไม่มีรหัส / KPI without a code", line=head_no, field="kpis.code")
    text_lines: list[str] = []
    unit = achieved_unit = kpi_type = level = ""
    target: Decimal | None = None
    achieved: Decimal | None = None
    table_at = len(block)
    for i, (no, text) in enumerate(block):
        if found := _KPI_TEXT.fullmatch(text):
            text_lines.append(found[1])
            notes.scan(no, "kpis.text", found[1])
        elif found := _KPI_TARGET.fullmatch(text):
            unit, target = found[1], decimal_at(found[2], no, "kpis.target")
        elif found := _KPI_ACHIEVED.fullmatch(text):
            achieved_unit, achieved = found[1], decimal_at(found[2], no, "kpis.achieved")
        elif found := _KPI_TYPE.fullmatch(text):
            kpi_type = _KPI_TYPES.get(normalise_thai(found[1]), "")
            if not kpi_type:
                notes.unknown((no, text), "kpis.kpi_type")
        elif found := _KPI_LEVEL.fullmatch(text):
            level = _kpi_level(found[1])
            if not level:
                notes.unknown((no, text), "kpis.level")
        elif _KPI_TABLE.fullmatch(text):
            table_at = i + 1
            break
        else:
            notes.unknown((no, text), "kpis")
    if target is None or achieved is None:
        missing = "ค่าเป้าหมาย / target" if target is None else "ผลงานที่ทำได้ / achieved"
        raise LegacyParseError(
            f"ตัวชี้วัด {code} ไม่มี{missing} / KPI {code}: line missing ({missing})",
            line=head_no,
            field="kpis.target" if target is None else "kpis.achieved",
        )
    if achieved_unit and achieved_unit != unit:
        notes.warn(head_no, "kpis.unit", "mismatch", _UNIT_MISMATCH, f"{unit} ≠ {achieved_unit}")
    if not text_lines:
        notes.warn(head_no, "kpis.text", "missing_field", "ตัวชี้วัดไม่มีชื่อ / KPI has no text", code)
    criteria, quarters = _read_quarter_table(block[table_at:], notes)
    return Kpi(
        code=code,
        text="\n".join(text_lines),
        unit=unit,
        target=target,
        achieved=achieved,
        kpi_type=kpi_type,
        level=level,
        criteria=criteria,
        quarters=quarters,
        line=head_no,
    )


_UNIT_MISMATCH = "หน่วยของค่าเป้าหมายกับผลงานต่างกัน / target and achieved units differ"


def _kpi_level(text: str) -> str:
    lowered = text.lower()
    if "outcome" in lowered or "ผลลัพธ์" in text:
        return "outcome"
    if "output" in lowered or "ผลผลิต" in text:
        return "output"
    return ""


def _read_quarter_table(
    lines: list[Line], notes: Notes
) -> tuple[tuple[str, ...], tuple[QuarterResult, ...]]:
    """Column headings, then per quarter: its number, the result, and "a / b" scores."""
    first_row = next(
        (i for i, (_, text) in enumerate(lines) if _QUARTER.fullmatch(text)), len(lines)
    )
    criteria: tuple[str, ...] = ()
    for _, text in lines[:first_row]:
        if "/" in text and (m := _CRITERIA.fullmatch(text)):
            criteria = tuple(part.strip() for part in m[1].split("/"))
    quarters: list[QuarterResult] = []
    rows = lines[first_row:]
    i = 0
    while i < len(rows):
        no, text = rows[i]
        if not _QUARTER.fullmatch(text) or i + 1 >= len(rows):
            raise LegacyParseError(
                f"ตารางรายไตรมาสอ่านไม่ได้ที่ {text!r} / quarterly table: quarter and result expected",
                line=no,
                field="kpis.quarters",
            )
        result = decimal_at(rows[i + 1][1], rows[i + 1][0], "kpis.quarters")
        i += 2
        scores: dict[str, Decimal] = {}
        if i < len(rows) and "/" in rows[i][1]:
            scores = _scores(rows[i], criteria, notes)
            i += 1
        quarter = int(text)
        if quarters and quarter != quarters[-1].quarter + 1:
            notes.warn(
                no, "kpis.quarters", "sequence", "ไตรมาสไม่เรียงลำดับ / quarters out of order", text
            )
        quarters.append(QuarterResult(quarter, result, scores))
    return criteria, tuple(quarters)


def _scores(line: Line, criteria: tuple[str, ...], notes: Notes) -> dict[str, Decimal]:
    no, text = line
    values = [part.strip() for part in text.split("/")]
    if len(values) != len(criteria):
        notes.warn(no, "kpis.quarters", "mismatch", _SCORES_MISMATCH, text)
    names = [*criteria, *(str(n) for n in range(len(criteria) + 1, len(values) + 1))]
    return {
        name: decimal_at(value, no, "kpis.quarters")
        for name, value in zip(names, values, strict=False)
        if value
    }


_SCORES_MISMATCH = "จำนวนคะแนนไม่ตรงกับเกณฑ์ / number of scores differs from the criteria"
