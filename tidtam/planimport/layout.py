"""The annual-plan workbook: its sheets and their columns, in order. The one description the
template, the parser, the importer's messages and the export all read.

Each data sheet starts with two header rows, Thai then English; its data starts on row 3. The
same layout serves the CSV variant: one CSV file per sheet, named `<sheet key>.csv`, zipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from openpyxl.utils import get_column_letter

from tidtam.lib import limits

Kind = Literal["text", "lines", "codes", "decimal", "int", "date"]

HEADER_ROWS = 2
FIRST_DATA_ROW = HEADER_ROWS + 1
# Items of a "codes" cell (plan nodes, supporting projects) are separated by these.
CODE_SEPARATORS = (";", ",", "\n")


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: Kind = "text"
    required: bool = False
    max_length: int = limits.LINE
    # Decimal places a number may have (the database column's).
    places: int = 2

    def header(self, lang: str) -> str:
        with override(lang):
            return str(self.label)


@dataclass(frozen=True)
class Sheet:
    key: str
    label: Promise
    columns: tuple[Column, ...]

    @property
    def title(self) -> str:
        """The worksheet's name, in both languages (at most 31 characters)."""
        with override("th"):
            return f"{self.label} ({self.key})"

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def letter(self, key: str) -> str:
        return str(get_column_letter([c.key for c in self.columns].index(key) + 1))


PROJECTS = Sheet(
    "projects",
    _("Projects"),
    (
        Column("code", _("project code"), required=True, max_length=30),
        Column("name", _("project name"), required=True, max_length=limits.NAME),
        Column("owning_unit", _("owning unit code"), max_length=8),
        Column("reporting_unit", _("reporting unit code"), max_length=8),
        Column("responsible_unit", _("responsible unit"), max_length=300),
        Column("rationale", _("rationale"), required=True, max_length=limits.RATIONALE),
        Column("budget", _("budget (baht)"), "decimal"),
        Column("progress_unit", _("progress unit"), max_length=50),
        Column("progress_target", _("progress target"), "decimal"),
        Column("objectives", _("objectives, one a line"), "lines", True, limits.LIST),
        Column("targets", _("targets, one a line"), "lines", True, limits.LIST),
        Column("links", _("plan nodes supported (plan:code; …)"), "codes"),
    ),
)
STEPS = Sheet(
    "steps",
    _("Steps"),
    (
        Column("project", _("project code"), required=True, max_length=30),
        Column("order", _("order"), "int", required=True),
        Column("text", _("description"), required=True, max_length=limits.LINE),
        Column("weight", _("weight (%)"), "decimal", required=True),
        Column("start", _("start (Christian era)"), "date", required=True),
        Column("end", _("end (Christian era)"), "date", required=True),
    ),
)
KPIS = Sheet(
    "kpis",
    _("KPIs"),
    (
        Column("code", _("KPI code"), required=True, max_length=30),
        Column("text", _("indicator"), required=True, max_length=limits.LINE),
        Column("unit", _("unit"), required=True, max_length=50),
        Column("target", _("target"), "decimal", required=True, places=4),
        Column("kpi_type", _("type (code)"), required=True, max_length=20),
        Column("level", _("level (code)"), max_length=20),
        Column("direction", _("direction (code)"), max_length=10),
        Column("mode", _("quarterly results (code)"), max_length=20),
        Column("definition", _("definition"), max_length=limits.PARAGRAPH),
        Column("method", _("calculation method"), max_length=limits.PARAGRAPH),
        Column("data_source", _("data source"), max_length=limits.PARAGRAPH),
        Column("projects", _("supporting projects (codes; …)"), "codes"),
    ),
)
SHEETS = (PROJECTS, STEPS, KPIS)
SHEETS_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
REFERENCE_TITLE = "อ้างอิง (reference)"

# What a hostile or mistaken file may not exceed: checked before anything is parsed.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 100
MAX_SHEETS = 10
MAX_ROWS = 5_000
MAX_COLUMNS = 40
