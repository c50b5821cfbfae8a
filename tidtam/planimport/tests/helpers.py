"""A filled-in annual plan, written with openpyxl into the downloaded template."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook

from tidtam.lib.fiscal import fiscal_year_of
from tidtam.planimport.layout import FIRST_DATA_ROW, KPIS, PROJECTS, STEPS, Sheet

# The fiscal year the upload form offers first (this year's): its steps' dates stay those of
# 2568, which a plan may hold (a step outside the year is flagged, not refused).
YEAR = fiscal_year_of(timezone.localdate())

PROJECT = {
    "code": "99990000-0101",
    "name": "โครงการปลูกต้นไม้ริมคลอง",
    "owning_unit": "99990001",
    "reporting_unit": "99990001",
    "responsible_unit": "ฝ่ายโยธา",
    "rationale": "เพื่อเพิ่มพื้นที่สีเขียว",
    "budget": Decimal("150000.5"),
    "progress_unit": "ต้น",
    "progress_target": Decimal(1000),
    "objectives": "เพิ่มพื้นที่สีเขียว\nลดฝุ่น",
    "targets": "ต้นไม้ 1,000 ต้น",
    "links": "",
}
STEP_ROWS = [
    {
        "project": "99990000-0101",
        "order": 1,
        "text": "=จัดซื้อกล้าไม้",  # text that looks like a formula stays text
        "weight": Decimal(40),
        "start": date(2024, 10, 1),
        "end": date(2024, 12, 31),
    },
    {
        "project": "99990000-0101",
        "order": 2,
        "text": "ปลูกต้นไม้",
        "weight": Decimal(60),
        "start": date(2025, 1, 1),
        "end": date(2025, 9, 30),
    },
]
KPI = {
    "code": "9999-0101",
    "text": "จำนวนต้นไม้ที่ปลูก",
    "unit": "ต้น",
    "target": Decimal(1000),
    "kpi_type": "strategic",
    "level": "output",
    "direction": "higher",
    "mode": "cumulative",
    "definition": "",
    "method": "",
    "data_source": "",
    "projects": "99990000-0101",
}


def fill(template: bytes, rows: dict[Sheet, list[dict[str, Any]]]) -> bytes:
    """The template with these rows typed in, from its first data row."""
    book = load_workbook(io.BytesIO(template))
    for sheet, values in rows.items():
        ws = book[sheet.title]
        for r, row in enumerate(values, start=FIRST_DATA_ROW):
            for c, column in enumerate(sheet.columns, start=1):
                value = row.get(column.key)
                if value in (None, ""):
                    continue
                cell = ws.cell(row=r, column=c)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filled(template: bytes) -> bytes:
    """The template with the one project, its two steps and its KPI."""
    return fill(template, {PROJECTS: [PROJECT], STEPS: STEP_ROWS, KPIS: [KPI]})


def upload(data: bytes, name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)
