"""Read one saved page of the legacy progress system ("ความคืบหน้าโครงการ/กิจกรรม") into plain
dataclasses; load.py turns a LegacyPage into actions. No ORM and no Django here.

A page is all or nothing: whatever would leave a project half-imported (not a project page,
a page cut off, an unreadable step, report or KPI) raises LegacyParseError with the line and
field. Damage the old system did to its own text is kept exactly as printed and reported as a
ParseWarning, so a person can review it.

Real pages print a section heading again (before each item of its section, or twice in a row)
and do not always list their sections in the usual order: the body of a section is every line
under any of its headings, in page order, and the page warns where it merged or reordered. The
closing heading ends the page: a page whose last heading is another one was cut off.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tidtam.legacy.parse_fields import (
    Contact,
    Kpi,
    LegacyParseError,
    Line,
    Notes,
    NumberedItem,
    ParseWarning,
    QuarterResult,
    date_at,
    decimal_at,
    decimal_or_none,
    keyword,
    parse_decimal,
    parse_legacy_date,
    parse_officer,
    read_kpis,
    split_numbered,
)
from tidtam.lib import limits
from tidtam.lib.fiscal import fiscal_year_of
from tidtam.lib.thai import ZERO_WIDTH, normalise_thai, to_arabic_digits, truncate

__all__ = [
    "Contact",
    "Evaluation",
    "Kpi",
    "LegacyPage",
    "LegacyParseError",
    "NumberedItem",
    "ParseWarning",
    "QuarterResult",
    "Report",
    "Step",
    "StrategyLine",
    "parse_decimal",
    "parse_legacy_date",
    "parse_page",
]


@dataclass(frozen=True)
class StrategyLine:
    level: str  # dimension | sub_dimension | goal | objective
    level_name: str  # ด้าน | มิติ | เป้าหมาย | เป้าประสงค์
    code: str  # Arabic digits: "5.3.1.2"
    code_source: str  # as printed: "๕.๓.๑.๒"
    name_th: str  # as printed, damage included
    name_en: str
    line: int
    damaged: bool


@dataclass(frozen=True)
class Report:
    seq: int  # as printed: 1 is the newest
    percent: Decimal
    report_date: date
    narrative_date: date | None
    narrative: str
    problems: str  # "" when the page says ไม่มี
    obstacles: str
    line: int


@dataclass(frozen=True)
class Step:
    order: int
    text: str
    weight: Decimal
    start: date
    end: date
    line: int


@dataclass(frozen=True)
class Evaluation:
    quarter: int
    score: Decimal | None


@dataclass(frozen=True)
class LegacyPage:
    source: str
    code: str
    name: str
    agency_code: str
    agency_name: str  # as printed, e.g. with NIKHAHIT + SARA AA
    fiscal_year: int  # Buddhist Era
    fiscal_year_stated: bool
    overall_percent: Decimal
    officer_text: str
    officer_unit: str
    contacts: tuple[Contact, ...]
    evaluation: Evaluation | None
    rationale: str
    owning_unit_code: str
    reporting_unit_code: str
    objectives: tuple[NumberedItem, ...]
    targets: tuple[NumberedItem, ...]
    strategy: tuple[StrategyLine, ...]
    reports: tuple[Report, ...]
    steps: tuple[Step, ...]
    kpis: tuple[Kpi, ...]
    warnings: tuple[ParseWarning, ...]


# --- page layout ---------------------------------------------------------------------------

_PAGE_TITLE = "ความคืบหน้าโครงการ/กิจกรรม"
_PROJECT_LINE = re.compile(r"(.*?)\s*:\s*([0-9]{8})-([0-9]+)")
# Section headings in page order, keyed without spaces and without a final ฯ.
_HEADINGS = {
    "หลักการและเหตุผล": "rationale",
    "วัตถุประสงค์ของโครงการ": "objectives",
    "เป้าหมายของโครงการ": "targets",
    "สนับสนุนยุทธศาสตร์กรุงเทพมหานคร": "strategy",
    "ผลการดำเนินงาน": "reports",
    "แผนการดำเนินงาน": "steps",
    "สนับสนุนตัวชี้วัดตามแผน": "kpis",
    "**ผลการประเมินโครงการ(รายไตรมาส)**": "end",
}
_RANK = {name: rank for rank, name in enumerate(_HEADINGS.values())}
_HEADING_INITIALS = frozenset(key[0] for key in _HEADINGS)
_HEADING_MAX = 60


def _lines(text: str) -> list[Line]:
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [(no, s) for no, raw in enumerate(text.split("\n"), 1) if (s := raw.strip())]


_UNUSUAL = re.compile(f"[\u0e4d{ZERO_WIDTH}]")


def _heading(text: str) -> str | None:
    # Cheap tests first: a page has hundreds of lines and only eight headings, and only a
    # line with NIKHAHIT or an invisible character needs the full normalisation.
    if len(text) > _HEADING_MAX or text[0] not in _HEADING_INITIALS:
        return None
    if _UNUSUAL.search(text):
        text = normalise_thai(text)
    return _HEADINGS.get("".join(text.split()).rstrip("ฯ"))


@dataclass(frozen=True)
class _Sections:
    top: list[Line]  # the lines before the first heading
    bodies: dict[str, list[Line]]  # a section's lines under all its headings, in page order
    headings: list[tuple[str, Line]]  # every heading line, in page order

    def first_line(self, name: str) -> int:
        return next(line[0] for heading, line in self.headings if heading == name)


def _split_sections(lines: list[Line]) -> _Sections:
    top: list[Line] = []
    bodies: dict[str, list[Line]] = {}
    headings: list[tuple[str, Line]] = []
    body = top
    for line in lines:
        name = _heading(line[1])
        if name is None:
            body.append(line)
        else:
            headings.append((name, line))
            body = bodies.setdefault(name, [])
    return _Sections(top, bodies, headings)


# Marks a message id for makemessages without importing Django; load.py translates it.
def gettext_noop(message: str) -> str:
    return message


HEADING_REPEATED = "heading_repeated"
SECTIONS_REORDERED = "sections_reordered"
LAYOUT_CODES = frozenset({HEADING_REPEATED, SECTIONS_REORDERED})
_REPEATED_MESSAGE = gettext_noop(
    "This section's heading is printed more than once: the lines under each copy were read "
    "as one section, in page order."
)
_REORDERED_MESSAGE = gettext_noop(
    "The page lists its sections in an unusual order: each section was read where it belongs."
)
_EXCERPT_LINES = 10
_EXCERPT_MAX = 300


def _note_layout(sections: _Sections, notes: Notes) -> None:
    """One warning per section printed under more than one heading, one for an unusual order."""
    seen: dict[str, list[Line]] = {}
    for name, line in sections.headings:
        seen.setdefault(name, []).append(line)
    for name, lines in seen.items():
        if len(lines) > 1:
            numbers = [str(no) for no, _ in lines[:_EXCERPT_LINES]]
            more = ", …" if len(lines) > _EXCERPT_LINES else ""
            excerpt = f"{lines[0][1]}: {', '.join(numbers)}{more}"
            notes.warn(lines[1][0], name, HEADING_REPEATED, _REPEATED_MESSAGE, excerpt)
    printed: list[tuple[str, Line]] = []
    top_rank, first_out = -1, 0
    for name, line in sections.headings:
        if printed and printed[-1][0] == name:
            continue
        printed.append((name, line))
        if _RANK[name] < top_rank and not first_out:
            first_out = line[0]
        top_rank = max(top_rank, _RANK[name])
    if first_out:
        order = " → ".join(text for _, (_, text) in printed)
        notes.warn(
            first_out,
            "sections",
            SECTIONS_REORDERED,
            _REORDERED_MESSAGE,
            truncate(order, _EXCERPT_MAX),
        )


def parse_page(text: str, *, source: str = "") -> LegacyPage:
    lines = _lines(text)
    if not lines:
        raise LegacyParseError("ไฟล์ว่าง / empty file", line=None, field="code")
    first = lines[0]
    if normalise_thai(first[1]).replace(" ", "") != _PAGE_TITLE:
        raise LegacyParseError(
            f"ไม่ใช่หน้าความคืบหน้าโครงการ/กิจกรรม / not a project progress page "
            f"(first line is not {_PAGE_TITLE!r})",
            line=first[0],
            field="code",
        )
    sections = _split_sections(lines[1:])
    top, bodies = sections.top, sections.bodies
    at = next((i for i, line in enumerate(top) if _PROJECT_LINE.fullmatch(line[1])), None)
    if at is None:
        raise LegacyParseError(
            "ไม่พบบรรทัดชื่อโครงการ : รหัส / not a project page: no 'name : 12345678-1234' line",
            line=top[-1][0] if top else first[0],
            field="code",
        )
    last = lines[-1][0]
    if "steps" not in bodies:
        raise LegacyParseError(
            f"ไม่พบแผนการดำเนินงานฯ หน้าถูกตัดหลังบรรทัด {last} / "
            f"operating plan (แผนการดำเนินงานฯ) missing: the page stops at line {last}",
            line=last,
            field="steps",
        )
    if sections.headings[-1][0] != "end":
        raise LegacyParseError(
            f"หน้าไม่ครบ ไม่พบส่วนผลการประเมินโครงการท้ายหน้า หลังบรรทัด {last} / "
            f"page cut off: its closing section is missing after line {last}",
            line=last,
            field="end",
        )

    notes = Notes()
    _note_layout(sections, notes)
    for line in bodies["end"]:
        notes.unknown(line, "end")
    project_no, project_text = top[at]
    project = _PROJECT_LINE.fullmatch(project_text)
    assert project is not None
    code = f"{project[2]}-{project[3]}"
    notes.scan(project_no, "name", project[1])
    header = _parse_header(top[at + 1 :], notes)
    rationale, owning_unit, reporting_unit = _parse_rationale(bodies.get("rationale", []), notes)
    reports = _parse_reports(bodies.get("reports", []), notes)
    steps = _parse_steps(sections.first_line("steps"), bodies["steps"], code, notes)
    fiscal_year = _fiscal_year(header, steps, reports, notes)
    contacts, officer_unit = parse_officer(header.officer_text)
    overall = header.overall_percent
    if overall is None:
        overall = reports[0].percent if reports else Decimal(0)
        notes.warn(project_no, "overall_percent", "missing_field", _MISSING_OVERALL)
    elif reports and reports[0].percent != overall:
        notes.warn(
            reports[0].line,
            "overall_percent",
            "mismatch",
            _LATEST_MISMATCH,
            f"{overall} ≠ {reports[0].percent}",
        )
    page = LegacyPage(
        source=source,
        code=code,
        name=project[1],
        agency_code=project[2],
        agency_name=header.agency_name,
        fiscal_year=fiscal_year,
        fiscal_year_stated=header.fiscal_year is not None,
        overall_percent=overall,
        officer_text=header.officer_text,
        officer_unit=officer_unit,
        contacts=contacts,
        evaluation=header.evaluation,
        rationale=rationale,
        owning_unit_code=owning_unit,
        reporting_unit_code=reporting_unit,
        objectives=_parse_numbered(bodies.get("objectives", []), "objectives", notes),
        targets=_parse_numbered(bodies.get("targets", []), "targets", notes),
        strategy=_parse_strategy(bodies.get("strategy", []), notes),
        reports=reports,
        steps=steps,
        kpis=read_kpis(bodies.get("kpis", []), notes),
        warnings=tuple(notes.warnings),
    )
    _refuse_long_texts(page, project_no, sections)
    return page


def _refuse_long_texts(page: LegacyPage, name_line: int, sections: _Sections) -> None:
    """A text longer than Tidtam keeps (tidtam/lib/limits.py) stops the page, naming the line
    and the field: nothing is cut, a person shortens it in the old system or the file."""

    def heading(name: str) -> int:
        return next((line[0] for h, line in sections.headings if h == name), name_line)

    texts: list[tuple[int, str, str, int]] = [
        (name_line, "name", page.name, limits.NAME),
        (heading("rationale"), "rationale", page.rationale, limits.RATIONALE),
        *((heading("objectives"), "objectives", i.text, limits.PARAGRAPH) for i in page.objectives),
        *((heading("targets"), "targets", i.text, limits.PARAGRAPH) for i in page.targets),
        *((s.line, "strategy", s.name_th, limits.NAME) for s in page.strategy),
        *((s.line, "steps", s.text, limits.LINE) for s in page.steps),
        *((k.line, "kpis", k.text, limits.LINE) for k in page.kpis),
    ]
    for r in page.reports:
        texts += [
            (r.line, "reports.narrative", r.narrative, limits.NARRATIVE),
            (r.line, "reports.problems", r.problems, limits.PARAGRAPH),
            (r.line, "reports.obstacles", r.obstacles, limits.PARAGRAPH),
        ]
    for line, field, text, limit in texts:
        if len(text) > limit:
            raise LegacyParseError(
                f"ข้อความยาว {len(text):,} ตัวอักษร เกินที่ระบบเก็บได้ {limit:,} ตัวอักษร / "
                f"the text is {len(text):,} characters long, more than the {limit:,} kept",
                line=line,
                field=field,
            )


_MISSING_OVERALL = (
    "ไม่พบความคืบหน้ารวม ใช้ค่าจากรายงานล่าสุด / overall progress missing: taken from the newest report"
)


# --- header: agency, overall progress, officer, evaluator's score --------------------------


@dataclass(frozen=True)
class _Header:
    agency_name: str
    agency_line: int
    fiscal_year: int | None
    overall_percent: Decimal | None
    officer_text: str
    evaluation: Evaluation | None


_AGENCY_YEAR = re.compile(r"(.*?)\s*:\s*\(\s*([0-9๐-๙]{4})\s*\)")
_OVERALL = re.compile(keyword("ความคืบหน้าโครงการ ร้อยละ") + r"\s*(.*)")
_PLAN_LINKS = re.compile(keyword("ดูโครงการแผนปี"))
_EVALUATION = re.compile(
    r"\*+\s*"
    + keyword("สยป.")
    + r"?\s*"
    + keyword("ประเมินโครงการ")
    + r"\s*:?\s*(?:"
    + keyword("ไตรมาสที่")
    + r"\s*([0-9๐-๙]+))?\s*:?\s*(.*)"
)


def _parse_header(lines: list[Line], notes: Notes) -> _Header:
    """Agency first, then the overall progress, then the officer (one or more lines)."""
    before: list[Line] = []
    officer: list[str] = []
    stated: Decimal | None = None
    stated_no = 0
    bare: Decimal | None = None
    evaluation: Evaluation | None = None
    for no, text in lines:
        if (m := _OVERALL.fullmatch(text)) and stated is None:
            stated, stated_no = decimal_at(m[1], no, "overall_percent"), no
        elif (number := decimal_or_none(text)) is not None and bare is None:
            bare = number
        elif _PLAN_LINKS.match(text):
            continue
        elif m := _EVALUATION.fullmatch(text):
            evaluation = _evaluation(m[1], m[2], no, notes)
        elif stated is None and bare is None:
            before.append((no, text))
        else:
            officer.append(text)
    if stated is not None and bare is not None and stated != bare:
        notes.warn(
            stated_no, "overall_percent", "mismatch", _OVERALL_MISMATCH, f"{bare} ≠ {stated}"
        )
    if stated is None and bare is None and before:
        # No progress figure to tell the fields apart: the officer follows the agency.
        officer = [text for _, text in before[1:]]
        before = before[:1]
    for line in before[1:]:
        notes.unknown(line, "agency_name")
    agency_no, agency_text = before[0] if before else (lines[0][0] if lines else 0, "")
    fiscal_year: int | None = None
    if m := _AGENCY_YEAR.fullmatch(agency_text):
        agency_text, fiscal_year = m[1], int(to_arabic_digits(m[2]))
    notes.scan(agency_no, "agency_name", agency_text)
    return _Header(
        agency_name=agency_text,
        agency_line=agency_no,
        fiscal_year=fiscal_year,
        overall_percent=stated if stated is not None else bare,
        officer_text="\n".join(officer),
        evaluation=evaluation,
    )


_OVERALL_MISMATCH = "ความคืบหน้ารวมสองค่าไม่ตรงกัน / the two overall progress figures differ"
_LATEST_MISMATCH = "ความคืบหน้ารวมไม่ตรงกับรายงานล่าสุด / overall progress differs from the latest report"


def _evaluation(quarter: str | None, score: str, line: int, notes: Notes) -> Evaluation | None:
    number = int(to_arabic_digits(quarter)) if quarter else 0
    if not 1 <= number <= 4:
        notes.warn(line, "evaluation", "invalid_number", "ไตรมาสไม่ถูกต้อง / no valid quarter", score)
        return None
    value = decimal_or_none(score) if score else None
    if score and value is None:
        notes.warn(line, "evaluation", "invalid_number", "คะแนนอ่านไม่ได้ / unreadable score", score)
    return Evaluation(number, value)


def _fiscal_year(
    header: _Header, steps: tuple[Step, ...], reports: tuple[Report, ...], notes: Notes
) -> int:
    anchor = steps[0].start if steps else min((r.report_date for r in reports), default=None)
    derived = fiscal_year_of(anchor) if anchor else None
    if header.fiscal_year is None:
        if derived is None:
            raise LegacyParseError(
                "ไม่ทราบปีงบประมาณ: ไม่มีปีในบรรทัดหน่วยงาน ไม่มีขั้นตอนและรายงาน / "
                "fiscal year unknown: none on the department line, no steps and no reports",
                line=header.agency_line or None,
                field="fiscal_year",
            )
        return derived
    if derived is not None and derived != header.fiscal_year:
        notes.warn(
            header.agency_line,
            "fiscal_year",
            "mismatch",
            "ปีงบประมาณไม่ตรงกับวันที่ของขั้นตอนแรก / fiscal year differs from the plan's dates",
            f"{header.fiscal_year} ≠ {derived}",
        )
    return header.fiscal_year


# --- rationale, unit codes, objectives and targets -----------------------------------------

_UNIT_CODES = re.compile(r"([0-9]{8})\s*/\s*([0-9]{8})")


def _parse_rationale(lines: list[Line], notes: Notes) -> tuple[str, str, str]:
    texts: list[str] = []
    owning = reporting = ""
    for no, text in lines:
        if m := _UNIT_CODES.fullmatch(text):
            owning, reporting = m[1], m[2]
        else:
            notes.scan(no, "rationale", text)
            texts.append(text)
    return "\n".join(texts), owning, reporting


def _parse_numbered(lines: list[Line], field: str, notes: Notes) -> tuple[NumberedItem, ...]:
    for no, text in lines:
        notes.scan(no, field, text)
    return split_numbered("\n".join(text for _, text in lines))


# --- strategic alignment -------------------------------------------------------------------

_LEVELS = {
    "ด้าน": ("dimension", 1),
    "มิติ": ("sub_dimension", 2),
    "เป้าหมาย": ("goal", 3),
    "เป้าประสงค์": ("objective", 4),
}
_STRATEGY_LINE = re.compile(
    r"(ด้าน|มิติ|เป้าหมาย|เป้าประสงค์)\s*ที่\s*([0-9๐-๙]+(?:\.[0-9๐-๙]+)*)\s*(?:-\s*)?(.*)"
)
_ENGLISH_NAME = re.compile(r"(.*?)\s+:\s+([A-Za-z][ -~]*)")


def _parse_strategy(lines: list[Line], notes: Notes) -> tuple[StrategyLine, ...]:
    found: list[StrategyLine] = []
    for no, text in lines:
        m = _STRATEGY_LINE.fullmatch(text)
        if m is None:
            notes.unknown((no, text), "strategy")
            continue
        level, depth = _LEVELS[m[1]]
        code = to_arabic_digits(m[2])
        if code.count(".") + 1 != depth:
            notes.warn(no, "strategy", "mismatch", _DEPTH_MISMATCH, text)
        name_th, name_en = m[3], ""
        if english := _ENGLISH_NAME.fullmatch(name_th):
            name_th, name_en = english[1], english[2]
        damaged = notes.scan(no, "strategy", text)
        found.append(StrategyLine(level, m[1], code, m[2], name_th, name_en, no, damaged))
    return tuple(found)


_DEPTH_MISMATCH = "ระดับไม่ตรงกับจำนวนหลักของรหัส / level does not match the code's depth"


# --- progress reports ----------------------------------------------------------------------

_SEPARATOR = re.compile(r"-+\s*&+\s*-+")
_REPORT_HEAD = re.compile(
    r"\(\s*([0-9]+)\s*\)\s*"
    + keyword("ความคืบหน้าโครงการ")
    + r"ฯ?\s*"
    + keyword("ร้อยละ")
    + r"\s*(\S+)\s*\(\s*([^()]*?)\s*\)"
)
_PROBLEMS = re.compile(r"\*+\s*" + keyword("ปัญหาของโครงการ") + r"\s*:?\s*(.*)")
_OBSTACLES = re.compile(r"\*+\s*" + keyword("อุปสรรคของโครงการ") + r"\s*:?\s*(.*)")
_NARRATIVE_DATE = re.compile(r"([0-9๐-๙]{1,2}/[0-9๐-๙]{1,2}/[0-9๐-๙]{4})\s*:\s*")
_NOTHING = frozenset({"", "-", "ไม่มี"})
_NOTHING_MAX = 20


def _parse_reports(lines: list[Line], notes: Notes) -> tuple[Report, ...]:
    blocks: list[list[Line]] = [[]]
    for line in lines:
        if _SEPARATOR.fullmatch(line[1]):
            blocks.append([])
        else:
            blocks[-1].append(line)
    reports = tuple(_parse_report(block, notes) for block in blocks if block)
    for expected, report in enumerate(reports, 1):
        if report.seq != expected:
            notes.warn(report.line, "reports", "sequence", _REPORT_SEQUENCE, str(report.seq))
    return reports


_REPORT_SEQUENCE = "ลำดับรายงานไม่ต่อเนื่อง / reports are not numbered 1, 2, 3…"


def _parse_report(block: list[Line], notes: Notes) -> Report:
    line, head = block[0]
    m = _REPORT_HEAD.fullmatch(head)
    if m is None:
        raise LegacyParseError(
            "ไม่พบหัวรายงาน '(1) ความคืบหน้าโครงการฯ ร้อยละ … (วันที่)' / report heading expected",
            line=line,
            field="reports",
        )
    percent = decimal_at(m[2], line, "reports.percent")
    report_date = date_at(m[3], line, "reports.report_date")
    parts: dict[str, list[str]] = {"narrative": [], "problems": [], "obstacles": []}
    part = "narrative"
    for no, text in block[1:]:
        if problems := _PROBLEMS.fullmatch(text):
            part, text = "problems", problems[1]
        elif obstacles := _OBSTACLES.fullmatch(text):
            part, text = "obstacles", obstacles[1]
        elif (
            part == "narrative" and not parts[part] and (echo := decimal_or_none(text)) is not None
        ):
            # The page repeats the percentage on its own line under the heading.
            if echo != percent:
                notes.warn(no, "reports.percent", "mismatch", _REPORT_MISMATCH, text)
            continue
        notes.scan(no, f"reports.{part}", text)
        parts[part].append(text)
    narrative = "\n".join(parts["narrative"])
    narrative_date = None
    if prefix := _NARRATIVE_DATE.match(narrative):
        try:
            narrative_date = parse_legacy_date(prefix[1])
            narrative = narrative[prefix.end() :]
        except ValueError:
            notes.warn(
                line, "reports.narrative_date", "invalid_date", _BAD_NARRATIVE_DATE, prefix[1]
            )
    return Report(
        seq=int(m[1]),
        percent=percent,
        report_date=report_date,
        narrative_date=narrative_date,
        narrative=narrative,
        problems=_unless_nothing(parts["problems"]),
        obstacles=_unless_nothing(parts["obstacles"]),
        line=line,
    )


_REPORT_MISMATCH = "ร้อยละใต้หัวรายงานไม่ตรงกับหัวรายงาน / repeated percentage differs from the heading"
_BAD_NARRATIVE_DATE = "วันที่หน้าคำบรรยายอ่านไม่ได้ / unreadable date before the narrative"


def _unless_nothing(texts: list[str]) -> str:
    text = "\n".join(texts)
    return "" if len(text) < _NOTHING_MAX and normalise_thai(text) in _NOTHING else text


# --- operating plan ------------------------------------------------------------------------

_STEP_HEAD = re.compile(keyword("ขั้นตอน") + r"\s*(?:ที่\s*)?([0-9]+)")
_STEP_START = re.compile(keyword("เริ่มต้น") + r"\s*:\s*(.*)")
_STEP_END = re.compile(keyword("สิ้นสุด") + r"\s*:\s*(.*)")
_STEP_WEIGHT = re.compile(r":?\s*(.*?)\s*%?")
_PLAN_LINK = re.compile(r"\((?:ทดสอบ|คลิก)\)[^:]*:\s*(\S*)")
_FULL_WEIGHT = Decimal(100)


def _parse_steps(heading_line: int, lines: list[Line], code: str, notes: Notes) -> tuple[Step, ...]:
    body: list[Line] = []
    for no, text in lines:
        if link := _PLAN_LINK.fullmatch(text):
            if link[1] != code:
                notes.warn(no, "steps", "mismatch", _LINK_MISMATCH, text)
        else:
            body.append((no, text))
    heads = [i for i, (_, text) in enumerate(body) if _STEP_HEAD.fullmatch(text)]
    for line in body[: heads[0] if heads else len(body)]:
        notes.unknown(line, "steps")
    steps: list[Step] = []
    for n, at in enumerate(heads):
        chunk = body[at + 1 : heads[n + 1] if n + 1 < len(heads) else len(body)]
        steps.append(_parse_step(body[at], chunk, notes))
        if steps[-1].order != n + 1:
            notes.warn(body[at][0], "steps", "sequence", _STEP_SEQUENCE, body[at][1])
    total = sum((step.weight for step in steps), Decimal(0))
    if steps and total != _FULL_WEIGHT:
        notes.warn(heading_line, "steps", "weights_sum", _WEIGHTS_SUM, str(total))
    return tuple(steps)


_LINK_MISMATCH = "ลิงก์ขั้นตอนชี้ไปโครงการอื่น / the plan link names another project"
_STEP_SEQUENCE = "ลำดับขั้นตอนไม่ต่อเนื่อง / steps are not numbered 1, 2, 3…"
_WEIGHTS_SUM = "น้ำหนักรวมของขั้นตอนไม่เท่ากับ 100 / step weights do not sum to 100"


def _parse_step(head: Line, chunk: list[Line], notes: Notes) -> Step:
    """Description (one or more lines), weight, start, end: found from the start line back."""
    head_no, head_text = head
    m = _STEP_HEAD.fullmatch(head_text)
    assert m is not None
    order = int(m[1])
    at = next((i for i, (_, text) in enumerate(chunk) if _STEP_START.fullmatch(text)), None)
    if at is None:
        raise LegacyParseError(
            f"ขั้นตอน {order} ไม่มีวันเริ่มต้น / step {order} has no start date",
            line=head_no,
            field="steps.start",
        )
    if at == 0:
        raise LegacyParseError(
            f"ขั้นตอน {order} ไม่มีน้ำหนัก / step {order} has no weight",
            line=chunk[0][0],
            field="steps.weight",
        )
    weight_no, weight_text = chunk[at - 1]
    weight = _STEP_WEIGHT.fullmatch(weight_text)
    value = decimal_or_none(weight[1]) if weight else None
    if value is None or not 0 <= value <= _FULL_WEIGHT:
        raise LegacyParseError(
            f"ขั้นตอน {order}: น้ำหนักไม่ถูกต้อง {weight_text!r} / step {order}: bad weight",
            line=weight_no,
            field="steps.weight",
        )
    start_no, start_text = chunk[at]
    start_match = _STEP_START.fullmatch(start_text)
    assert start_match is not None
    start = date_at(start_match[1], start_no, "steps.start")
    end_match = _STEP_END.fullmatch(chunk[at + 1][1]) if at + 1 < len(chunk) else None
    end_no = chunk[at + 1][0] if at + 1 < len(chunk) else start_no
    if end_match is None:
        raise LegacyParseError(
            f"ขั้นตอน {order} ไม่มีวันสิ้นสุด / step {order} has no end date",
            line=end_no,
            field="steps.end",
        )
    end = date_at(end_match[1], end_no, "steps.end")
    if end < start:
        raise LegacyParseError(
            f"ขั้นตอน {order} สิ้นสุดก่อนเริ่มต้น / step {order} ends before it starts",
            line=end_no,
            field="steps.end",
        )
    for line in chunk[at + 2 :]:
        notes.unknown(line, "steps")
    texts = [text for _, text in chunk[: at - 1]]
    if texts:
        texts[0] = texts[0].removeprefix(":").lstrip()
    for no, text in chunk[: at - 1]:
        notes.scan(no, "steps.text", text)
    return Step(order, "\n".join(texts), value, start, end, head_no)
