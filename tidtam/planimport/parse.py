"""An annual-plan file (an XLSX workbook, or a ZIP of one CSV per sheet) → typed rows and
the problems found, each at its sheet, row and column. No database here.

A hostile file is refused before it costs anything: its size, the ZIP's members and their
uncompressed size are checked before openpyxl opens it; openpyxl reads in read-only mode,
with defusedxml installed (its own advice against XML bombs), and with formulas kept as
formulas (`data_only=False`) so that a formula cell is seen and refused rather than read as
whatever value a spreadsheet last cached for it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from tidtam.lib.tabular import FORMULA_PREFIXES
from tidtam.lib.thai import typed_number
from tidtam.planimport.layout import (
    CODE_SEPARATORS,
    FIRST_DATA_ROW,
    MAX_ARCHIVE_MEMBERS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHEETS,
    MAX_UNCOMPRESSED_BYTES,
    PROJECTS,
    SHEETS,
    Column,
    Sheet,
)


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, where it is: sheet and column keys, a row number as the
    spreadsheet shows it (None: the whole sheet or file)."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""


@dataclass(frozen=True)
class ProjectRow:
    row: int
    code: str
    name: str
    owning_unit: str
    reporting_unit: str
    responsible_unit: str
    rationale: str
    budget: Decimal | None
    progress_unit: str
    progress_target: Decimal | None
    objectives: tuple[str, ...]
    targets: tuple[str, ...]
    links: tuple[str, ...]


@dataclass(frozen=True)
class StepRow:
    row: int
    project: str
    order: int
    text: str
    weight: Decimal
    start: date
    end: date


@dataclass(frozen=True)
class KpiRow:
    row: int
    code: str
    text: str
    unit: str
    target: Decimal
    kpi_type: str
    level: str
    direction: str
    mode: str
    definition: str
    method: str
    data_source: str
    projects: tuple[str, ...]


@dataclass
class PlanFile:
    projects: list[ProjectRow] = field(default_factory=list)
    steps: list[StepRow] = field(default_factory=list)
    kpis: list[KpiRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Codes of project rows left out for their problems: the steps and KPIs that name them are
    # not reported again as naming an unknown project.
    skipped_projects: set[str] = field(default_factory=set)

    @property
    def row_count(self) -> int:
        return len(self.projects) + len(self.steps) + len(self.kpis)


class Refused(Exception):
    """The file as a whole cannot be read: nothing in it is looked at further."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# A raw cell: its value as the file holds it, and whether the file holds a formula there.
@dataclass(frozen=True)
class RawCell:
    value: Any
    formula: bool = False


RawRow = tuple[int, list[RawCell]]


def parse_plan(data: bytes) -> PlanFile:
    """Read the file's bytes; a file refused as a whole has its one problem and no rows."""
    try:
        sheets = read_sheets(data)
    except Refused as refused:
        return PlanFile(problems=[Problem(refused.message)])
    plan = PlanFile()
    for sheet in SHEETS:
        rows = sheets.get(sheet.key)
        if rows is None:
            plan.problems.append(
                Problem(_("The file has no sheet %(title)s.") % {"title": sheet.title}, sheet.key)
            )
            continue
        _read_rows(sheet, rows, plan)
    return plan


def read_sheets(data: bytes) -> dict[str, list[RawRow]]:
    if len(data) > MAX_FILE_BYTES:
        raise Refused(
            _("The file is larger than %(size)s MB: split the plan into several files.")
            % {"size": MAX_FILE_BYTES // (1024 * 1024)}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise Refused(
            _("This is neither an XLSX workbook nor a ZIP of CSV files made from the template.")
        ) from error
    if len(members) > MAX_ARCHIVE_MEMBERS or (
        sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES
    ):
        # A ZIP member is never read past its declared size, so the declared sizes bound
        # what opening the file can cost (a "zip bomb" declares its real size, or fails).
        raise Refused(
            _(
                "The file unpacks to more than %(size)s MB: it is too large, or made to "
                "overwhelm the server. Nothing was imported."
            )
            % {"size": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)}
        )
    names = {member.filename for member in members}
    if "[Content_Types].xml" in names:
        return _read_workbook(data)
    return _read_csv_archive(archive, names)


def _damaged() -> Refused:
    return Refused(
        _("The workbook is damaged or not an XLSX file: save it again from the template.")
    )


def _read_workbook(data: bytes) -> dict[str, list[RawRow]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:
        # openpyxl raises whatever its XML and ZIP layers raise on a malformed file (KeyError,
        # ValueError, defusedxml's refusals, ParseError …): all of them mean "not readable".
        raise _damaged() from error
    try:
        if len(book.sheetnames) > MAX_SHEETS:
            raise Refused(
                _("The workbook has more than %(count)s sheets: use the template.")
                % {"count": MAX_SHEETS}
            )
        wanted = {key: title for title in book.sheetnames if (key := _sheet_key(title))}
        sheets: dict[str, list[RawRow]] = {}
        for key, title in wanted.items():
            sheet = next(s for s in SHEETS if s.key == key)
            worksheet = book[title]
            declared = getattr(worksheet, "max_row", None)
            if isinstance(declared, int) and declared > MAX_ROWS + FIRST_DATA_ROW:
                raise _too_many_rows(sheet)
            # Read to the sheet's real end: a workbook may declare fewer rows than it holds
            # (rows past the declaration would be skipped in silence), and is not trusted.
            worksheet.reset_dimensions()
            sheets[key] = _workbook_rows(sheet, worksheet)
        return sheets
    except Refused:
        raise
    except Exception as error:
        raise _damaged() from error
    finally:
        book.close()


def _too_many_rows(sheet: Sheet) -> Refused:
    return Refused(
        _("Sheet %(title)s has more than %(count)s rows: split the plan into several files.")
        % {"title": sheet.title, "count": f"{MAX_ROWS:,}"}
    )


def _sheet_key(title: str) -> str | None:
    """A data sheet's key from its title: the template's bilingual title, or the bare key."""
    for sheet in SHEETS:
        if title.strip() in (sheet.title, sheet.key):
            return sheet.key
    return None


def _workbook_rows(sheet: Sheet, worksheet: Any) -> list[RawRow]:
    rows: list[RawRow] = []
    for number, cells in enumerate(worksheet.iter_rows(max_col=MAX_COLUMNS), start=1):
        if number > 2 * MAX_ROWS:
            # Blank rows count too: a sheet of a million empty rows is not read to its end.
            raise _too_many_rows(sheet)
        raw = [RawCell(cell.value, getattr(cell, "data_type", "") == "f") for cell in cells]
        if number < FIRST_DATA_ROW or all(_blank(c.value) for c in raw):
            continue
        if len(rows) >= MAX_ROWS:
            raise _too_many_rows(sheet)
        rows.append((number, raw))
    return rows


def _read_csv_archive(archive: zipfile.ZipFile, names: set[str]) -> dict[str, list[RawRow]]:
    sheets: dict[str, list[RawRow]] = {}
    for sheet in SHEETS:
        name = f"{sheet.key}.csv"
        if name not in names:
            continue
        try:
            text = archive.read(name).decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise Refused(
                _("%(name)s is not UTF-8 text: save it as “CSV UTF-8” from the template.")
                % {"name": name}
            ) from error
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise Refused(_("The ZIP file is damaged: make it again.")) from error
        rows: list[RawRow] = []
        number = 0
        try:
            for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), 1):
                raw = [RawCell(_unneutralise(v)) for v in values[:MAX_COLUMNS]]
                if number < FIRST_DATA_ROW or all(_blank(c.value) for c in raw):
                    continue
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows(sheet)
                rows.append((number, raw))
        except csv.Error as error:
            raise Refused(
                _("%(name)s is not a readable CSV file (line %(line)s).")
                % {"name": name, "line": number + 1}
            ) from error
        sheets[sheet.key] = rows
    return sheets


def _unneutralise(text: str) -> str:
    """The export writes a leading apostrophe before text a spreadsheet would take for a
    formula (`tidtam.lib.tabular.neutralise`): read back, the text is as it was."""
    if text[:1] == "'" and text[1:2] in FORMULA_PREFIXES:
        return text[1:]
    return text


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _CellError(Exception):
    pass


def _read_rows(sheet: Sheet, rows: Sequence[RawRow], plan: PlanFile) -> None:
    make = {"projects": ProjectRow, "steps": StepRow, "kpis": KpiRow}[sheet.key]
    targets: dict[str, list[Any]] = {
        "projects": plan.projects,
        "steps": plan.steps,
        "kpis": plan.kpis,
    }
    target = targets[sheet.key]
    for number, cells in rows:
        values: dict[str, Any] = {}
        problems: list[Problem] = []
        for position, column in enumerate(sheet.columns):
            cell = cells[position] if position < len(cells) else RawCell(None)
            try:
                values[column.key] = _cell_value(column, cell)
            except _CellError as error:
                problems.append(Problem(str(error), sheet.key, number, column.key))
        if problems:
            plan.problems.extend(problems)
            if sheet is PROJECTS and isinstance(values.get("code"), str):
                plan.skipped_projects.add(values["code"])
            continue
        target.append(make(row=number, **values))


def _cell_value(column: Column, cell: RawCell) -> Any:
    if cell.formula:
        raise _CellError(
            _("This cell holds a formula: type its value instead (formulas are not imported).")
        )
    value = cell.value
    if isinstance(value, str):
        value = value.strip()
    if _blank(value):
        if column.required:
            raise _CellError(_("This cell must be filled in."))
        return {"decimal": None, "lines": (), "codes": ()}.get(column.kind, "")
    reader = _READERS[column.kind]
    return reader(column, value)


def _text(column: Column, value: Any) -> str:
    if isinstance(value, bool | datetime | date):
        raise _CellError(_("Enter text here."))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if "\x00" in text:
        # PostgreSQL stores no NUL character in a text.
        raise _CellError(_("This cell holds a character that is not allowed (NUL)."))
    if len(text) > column.max_length:
        raise _CellError(
            _("This text is %(length)s characters long; at most %(limit)s are allowed.")
            % {"length": f"{len(text):,}", "limit": f"{column.max_length:,}"}
        )
    return text


def _lines(column: Column, value: Any) -> tuple[str, ...]:
    return tuple(line.strip() for line in _text(column, value).splitlines() if line.strip())


def _codes(column: Column, value: Any) -> tuple[str, ...]:
    text = _text(column, value)
    for separator in CODE_SEPARATORS[1:]:
        text = text.replace(separator, CODE_SEPARATORS[0])
    return tuple(code.strip() for code in text.split(CODE_SEPARATORS[0]) if code.strip())


def _decimal(column: Column, value: Any) -> Decimal:
    if isinstance(value, bool | datetime | date):
        raise _CellError(_("Enter a number here, e.g. 1250.50."))
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = typed_number(str(value).replace(",", "").strip())
        try:
            number = Decimal(text) if text else Decimal("NaN")
        except InvalidOperation:
            number = Decimal("NaN")
    if not number.is_finite():
        raise _CellError(_("Enter a number here, e.g. 1250.50."))
    if abs(number) >= Decimal(10) ** 13:
        raise _CellError(_("This number is too large."))
    if number != round(number, column.places):
        raise _CellError(_("Use at most %(places)s decimal places.") % {"places": column.places})
    return number


def _int(column: Column, value: Any) -> int:
    number = _decimal(column, value)
    if number != number.to_integral_value() or not 0 < number < 1000:
        raise _CellError(_("Enter a whole number from 1 to 999."))
    return int(number)


def _date(column: Column, value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(typed_number(value) or "")
        except ValueError:
            pass
    raise _CellError(
        _("Enter a date cell, or the date as year-month-day in the Christian era, e.g. 2025-01-15.")
    )


_READERS = {
    "text": _text,
    "lines": _lines,
    "codes": _codes,
    "decimal": _decimal,
    "int": _int,
    "date": _date,
}
