"""Tables for export: columns with a kind, rows streamed, written as CSV or XLSX.

A `Table` is what a list or a dashboard shows, as plain values: one tuple per row, one value
per column, in the columns' order (None for an empty cell). The writers turn it into bytes in
the reader's language without holding the rows in memory, so an export of a whole fiscal year
costs what one chunk of rows costs.

Two rules apply to both formats:

- A date is written twice: as the reader reads it (`19/2/2563` in Thai, Buddhist Era;
  `19/2/2020` in English) and as ISO 8601 (`2020-02-19`), the form other programs parse. In
  XLSX the second is a real date shown as ISO.
- Text that a spreadsheet would read as a formula (beginning with `=`, `+`, `-`, `@`, a tab
  or a carriage return) gets a leading apostrophe: a project named `=HYPERLINK(…)` must not
  become a link in the evaluator's Excel. Numbers are never altered; only text columns are
  neutralised, so a negative variance stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import IO, Any, Literal, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import override

from tidtam.lib.thai import format_date

Kind = Literal["text", "int", "decimal", "percent", "baht", "date", "bool"]
KINDS: tuple[Kind, ...] = ("text", "int", "decimal", "percent", "baht", "date", "bool")

# Excel shows UTF-8 CSV as UTF-8 (and so Thai as Thai) only when the file starts with a BOM.
BOM = "\ufeff".encode()
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Rows written per chunk of CSV, and between two calls of `progress.advance`.
CHUNK_ROWS = 500
# Rows read ahead to size the XLSX columns: a write-only sheet fixes widths before its rows.
WIDTH_SAMPLE_ROWS = 200

NUMBER_FORMATS: dict[Kind, str] = {
    "int": "#,##0",
    "decimal": "#,##0.00",
    # Percentages are stored as points (45.5 means 45.5 %): the value stays as stored, the
    # format adds the sign.
    "percent": '0.00"%"',
    "baht": "#,##0.00",
    "date": "yyyy-mm-dd",
}
DEFAULT_WIDTHS: dict[Kind, int] = {
    "text": 12,
    "int": 10,
    "decimal": 12,
    "percent": 10,
    "baht": 16,
    "date": 11,
    "bool": 8,
}
MAX_WIDTH = 60


class Progress(Protocol):
    def advance(self, k: int) -> None: ...


@dataclass(frozen=True)
class Column:
    key: str
    header: Any  # a (lazy) translatable string
    kind: Kind = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Table:
    title: Any
    columns: Sequence[Column]
    # Any iterable, a generator included: the writers read it once, chunk by chunk.
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def neutralise(text: str) -> str:
    """Text that a spreadsheet would not read as a formula."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def headers(table: Table, *, lang: str) -> list[str]:
    """The header row in `lang`: a date column has two, as read and as ISO."""
    with override(lang):
        names: list[str] = []
        for column in table.columns:
            names.append(str(column.header))
            if column.kind == "date":
                names.append(_("%(column)s (ISO)") % {"column": column.header})
        return names


def _as_date(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _text(value: Any, kind: Kind, lang: str) -> list[str]:
    """One cell as CSV text (two for a date), called with `lang` active."""
    if value is None or value == "":
        return ["", ""] if kind == "date" else [""]
    if kind == "text":
        return [neutralise(str(value))]
    if kind == "date":
        day = _as_date(value)
        return [format_date(day, style="short", lang=lang), day.isoformat()]
    if kind == "bool":
        return [_("yes") if value else _("no")]
    return [str(value)]


def csv_chunks(table: Table, *, lang: str, progress: Progress | None = None) -> Iterator[bytes]:
    """The table as UTF-8 CSV with a byte-order mark, a few hundred rows per chunk.

    The language is switched on around each chunk only: the chunks may be read by a
    streaming response after the view has returned, and the rows (a generator) may translate
    labels as they are read.
    """
    kinds = [column.kind for column in table.columns]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers(table, lang=lang))
    yield BOM + buffer.getvalue().encode()
    rows = iter(table.rows)
    while True:
        buffer.seek(0)
        buffer.truncate()
        with override(lang):
            batch = list(islice(rows, CHUNK_ROWS))
            for row in batch:
                writer.writerow(
                    [
                        text
                        for value, kind in zip(row, kinds, strict=True)
                        for text in _text(value, kind, lang)
                    ]
                )
        if not batch:
            return
        yield buffer.getvalue().encode()
        if progress is not None:
            progress.advance(len(batch))


def sheet_title(title: Any) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip()
    return cleaned[:31] or "Sheet1"


def _widths(table: Table, sample: list[Sequence[Any]], names: list[str]) -> list[int]:
    widths: list[int] = []
    index = 0
    for position, column in enumerate(table.columns):
        spans = 2 if column.kind == "date" else 1
        longest = DEFAULT_WIDTHS[column.kind]
        if column.kind == "text":
            longest = max([longest, *(len(str(row[position] or "")) for row in sample)])
        for offset in range(spans):
            widths.append(min(MAX_WIDTH, max(longest, len(names[index + offset])) + 2))
        index += spans
    return widths


def write_xlsx(
    table: Table, fileobj: IO[bytes], *, lang: str, progress: Progress | None = None
) -> None:
    """The table as one XLSX worksheet, written row by row in openpyxl's write-only mode.

    Numbers are numbers with number formats, a date is a BE (or CE) text column followed by a
    real date shown as ISO; the header row is bold and frozen.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    with override(lang):
        sheet = workbook.create_sheet(sheet_title(table.title))
    names = headers(table, lang=lang)
    rows = iter(table.rows)
    with override(lang):
        sample = list(islice(rows, WIDTH_SAMPLE_ROWS))
    for number, width in enumerate(_widths(table, sample, names), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"

    bold = Font(bold=True)
    header_cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)

    # One styled cell per formatted column, its value replaced row by row: a write-only sheet
    # serialises a row as it is appended, and a new styled cell per value costs a third of
    # the time of a large export.
    formatted: dict[int, WriteOnlyCell] = {}
    for position, column in enumerate(table.columns):
        if column.kind in NUMBER_FORMATS:
            cell = WriteOnlyCell(sheet)
            cell.number_format = NUMBER_FORMATS[column.kind]
            formatted[position] = cell
    kinds = [column.kind for column in table.columns]
    yes, no = "", ""
    with override(lang):
        yes, no = _("yes"), _("no")

    def cells(row: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        for position, (value, kind) in enumerate(zip(row, kinds, strict=True)):
            if kind == "text":
                out.append(None if value is None else neutralise(str(value)))
            elif kind == "date":
                if value is None:
                    out += [None, None]
                    continue
                day = _as_date(value)
                cell = formatted[position]
                cell.value = day
                out += [format_date(day, style="short", lang=lang), cell]
            elif kind == "bool":
                out.append(None if value is None else (yes if value else no))
            elif value is None:
                out.append(None)
            else:
                cell = formatted[position]
                cell.value = value if isinstance(value, int | float | Decimal) else Decimal(value)
                out.append(cell)
        return out

    pending = chain(sample, rows)
    while True:
        with override(lang):
            batch = list(islice(pending, CHUNK_ROWS))
            for row in batch:
                sheet.append(cells(row))
        if not batch:
            break
        if progress is not None:
            progress.advance(len(batch))
    workbook.save(fileobj)
