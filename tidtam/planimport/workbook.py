"""The annual-plan workbook written out: the empty template of an agency's plan, and the
plan of an agency's fiscal year as it stands (the export reads back through the import
unchanged). XLSX, or a ZIP of one CSV per sheet; both in the layout of `layout.py`.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tidtam.indicators.models import Kpi, KpiDirection, KpiLevel, KpiMode, KpiType
from tidtam.lib.tabular import BOM, neutralise
from tidtam.orgs.models import Agency, Unit
from tidtam.planimport.layout import (
    CODE_SEPARATORS,
    FIRST_DATA_ROW,
    KPIS,
    MAX_ROWS,
    PROJECTS,
    REFERENCE_TITLE,
    SHEETS,
    STEPS,
    Sheet,
)
from tidtam.projects.models import PlanStep, Project, ProjectItem
from tidtam.strategy.models import PlanNode

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_TYPE = "application/zip"
WIDTHS = {"text": 24, "lines": 40, "codes": 24, "decimal": 14, "int": 8, "date": 14}
NUMBER_FORMATS = {"decimal": "#,##0.00##", "int": "0", "date": "yyyy-mm-dd"}
CHOICES = {"kpi_type": KpiType, "level": KpiLevel, "direction": KpiDirection, "mode": KpiMode}


@dataclass
class PlanRows:
    """The plan as plain rows, one tuple per row in the columns' order."""

    projects: list[tuple[Any, ...]] = field(default_factory=list)
    steps: list[tuple[Any, ...]] = field(default_factory=list)
    kpis: list[tuple[Any, ...]] = field(default_factory=list)

    def of(self, sheet: Sheet) -> list[tuple[Any, ...]]:
        return {"projects": self.projects, "steps": self.steps, "kpis": self.kpis}[sheet.key]


def _joined(codes: Iterable[str]) -> str:
    return f"{CODE_SEPARATORS[0]} ".join(codes)


def plan_rows(agency: Agency, fiscal_year: int) -> PlanRows:
    """The agency's projects, their steps and its KPIs of the fiscal year, as the import
    reads them."""
    rows = PlanRows()
    projects = list(
        Project.objects.filter(agency=agency, fiscal_year_id=fiscal_year)
        .select_related("owning_unit", "reporting_unit")
        .prefetch_related("plan_links__node__plan")
        .order_by("code")
    )
    items: dict[tuple[int, str], list[str]] = {}
    for item in ProjectItem.objects.filter(project__in=projects).order_by("order"):
        items.setdefault((item.project_id, item.kind), []).append(item.text)
    for p in projects:
        rows.projects.append(
            (
                p.code,
                p.name,
                p.owning_unit.code if p.owning_unit else "",
                p.reporting_unit.code if p.reporting_unit else "",
                p.responsible_unit,
                p.rationale,
                p.budget,
                p.progress_unit,
                p.progress_target,
                "\n".join(items.get((p.pk, ProjectItem.Kind.OBJECTIVE), [])),
                "\n".join(items.get((p.pk, ProjectItem.Kind.TARGET), [])),
                _joined(f"{link.node.plan.code}:{link.node.code}" for link in p.plan_links.all()),
            )
        )
    for s in PlanStep.objects.filter(project__in=projects).select_related("project"):
        rows.steps.append((s.project.code, s.order, s.text, s.weight, s.start, s.end))
    kpis = (
        Kpi.objects.filter(agency=agency, fiscal_year_id=fiscal_year)
        .prefetch_related("supports__project")
        .order_by("code")
    )
    for k in kpis:
        rows.kpis.append(
            (
                k.code,
                k.text,
                k.unit,
                k.target,
                k.kpi_type,
                k.level,
                k.direction,
                k.mode,
                k.definition,
                k.method,
                k.data_source,
                _joined(s.project.code for s in k.supports.all()),
            )
        )
    return rows


def reference_rows(agency: Agency, fiscal_year: int) -> list[tuple[str, str, str]]:
    """What the codes of the workbook mean: (what, code, name), in Thai and English."""
    rows: list[tuple[str, str, str]] = [
        ("agency", agency.code, agency.name_th),
        ("fiscal_year", str(fiscal_year), ""),
    ]
    rows += [("unit", u.code, u.name_th) for u in Unit.objects.filter(agency=agency)]
    rows += [
        ("plan_node", f"{n.plan.code}:{n.code}", n.name_th)
        for n in PlanNode.objects.select_related("plan").order_by("plan__code", "sort_key")
    ]
    for key, choices in CHOICES.items():
        for value, label in choices.choices:
            with override("th"):
                thai = str(label)
            with override("en"):
                english = str(label)
            rows.append((key, str(value), f"{thai} / {english}"))
    return rows


def _headers(sheet: Sheet) -> list[list[str]]:
    return [[c.header("th") for c in sheet.columns], [c.header("en") for c in sheet.columns]]


def _text_cell(ws: Worksheet, row: int, column: int, value: str) -> None:
    cell = ws.cell(row=row, column=column, value=value)
    # A text that starts with "=" stays text: openpyxl would otherwise write a formula.
    cell.data_type = "s"


def write_xlsx(agency: Agency, fiscal_year: int, rows: PlanRows | None = None) -> bytes:
    book = Workbook()
    bold = Font(bold=True)
    reference = reference_rows(agency, fiscal_year)
    first = True
    for sheet in SHEETS:
        ws = book.active if first else book.create_sheet()
        first = False
        assert ws is not None
        ws.title = sheet.title
        for line, names in enumerate(_headers(sheet), start=1):
            for position, name in enumerate(names, start=1):
                ws.cell(row=line, column=position, value=name).font = bold
        ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1)
        for position, column in enumerate(sheet.columns, start=1):
            letter = sheet.letter(column.key)
            ws.column_dimensions[letter].width = WIDTHS[column.kind]
            if column.kind in NUMBER_FORMATS:
                for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + 200):
                    ws.cell(row=r, column=position).number_format = NUMBER_FORMATS[column.kind]
            _validation(ws, sheet, column.key, letter, reference)
        for r, values in enumerate(rows.of(sheet) if rows else [], start=FIRST_DATA_ROW):
            for position, (column, value) in enumerate(
                zip(sheet.columns, values, strict=True), start=1
            ):
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    _text_cell(ws, r, position, value)
                else:
                    cell = ws.cell(row=r, column=position, value=value)
                    if column.kind in NUMBER_FORMATS:
                        cell.number_format = NUMBER_FORMATS[column.kind]
    ref = book.create_sheet(REFERENCE_TITLE)
    with override("th"):
        ref.append(["ประเภท (what)", "รหัส (code)", "ชื่อ (name)"])
    for r, (what, code, name) in enumerate(reference, start=2):
        ref.cell(row=r, column=1, value=what)
        _text_cell(ref, r, 2, code)
        _text_cell(ref, r, 3, name)
    ref.column_dimensions["B"].width = 20
    ref.column_dimensions["C"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _validation(
    ws: Worksheet, sheet: Sheet, key: str, letter: str, reference: Sequence[tuple[str, ...]]
) -> None:
    """Excel's own checks as the cell is typed (the import checks again, whatever the file)."""
    cells = f"{letter}{FIRST_DATA_ROW}:{letter}{MAX_ROWS + FIRST_DATA_ROW}"
    rule: DataValidation | None = None
    if sheet is KPIS and key in CHOICES:
        rule = DataValidation(
            type="list", formula1='"' + ",".join(CHOICES[key].values) + '"', allow_blank=True
        )
    elif sheet is PROJECTS and key in ("owning_unit", "reporting_unit"):
        lines = [n for n, row in enumerate(reference, start=2) if row[0] == "unit"]
        if lines:
            rule = DataValidation(
                type="list",
                formula1=f"'{REFERENCE_TITLE}'!$B${lines[0]}:$B${lines[-1]}",
                allow_blank=True,
            )
    elif sheet is STEPS and key == "weight":
        rule = DataValidation(type="decimal", operator="between", formula1="0", formula2="100")
    elif sheet is STEPS and key in ("start", "end"):
        rule = DataValidation(
            type="date", operator="between", formula1="DATE(1900,1,1)", formula2="DATE(2200,12,31)"
        )
    if rule is not None:
        rule.add(cells)
        ws.add_data_validation(rule)


def _csv(lines: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for line in lines:
        writer.writerow([_csv_value(v) for v in line])
    return BOM + out.getvalue().encode("utf-8")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, str):
        return neutralise(value)
    return str(value)


def write_csv_zip(agency: Agency, fiscal_year: int, rows: PlanRows | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            archive.writestr(
                f"{sheet.key}.csv", _csv([*_headers(sheet), *(rows.of(sheet) if rows else [])])
            )
        archive.writestr(
            "reference.csv",
            _csv([("what", "code", "name"), *reference_rows(agency, fiscal_year)]),
        )
    return out.getvalue()
