"""An agency's annual plan imported from the template's workbook: the same parser, checks and
actions as the upload page; a dry run unless `commit` is true."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from tidtam.api.errors import ERROR_STATUSES, ErrorOut
from tidtam.api.params import CODE, YEAR
from tidtam.api.security import writer
from tidtam.planimport.access import get_agency_for_import
from tidtam.planimport.layout import MAX_FILE_BYTES
from tidtam.planimport.load import import_file, located

router = Router(tags=["plans"])


class ProblemOut(Schema):
    sheet: str
    row: int | None
    column: str
    message: str


class PlanImportOut(Schema):
    committed: bool
    projects_created: int
    projects_updated: int
    steps: int
    kpis_created: int
    kpis_updated: int
    problems: list[ProblemOut]


@router.post(
    "/plan-imports",
    response={200: PlanImportOut, ERROR_STATUSES: ErrorOut},
    url_name="plan-import",
    summary="Check an agency's annual plan (XLSX, or a ZIP of CSV files), and import it",
    description=(
        "The file is the template of the web page's annual-plan import, filled in. Every "
        "problem is listed with its sheet, row and column; with `commit=true` the plan is "
        "written when there is none, all of it or nothing."
    ),
)
def plan_import(
    request: HttpRequest,
    agency: Form[CODE],
    fiscal_year: Form[YEAR],
    file: File[UploadedFile],
    commit: Form[bool] = False,
) -> PlanImportOut:
    user = writer(request)
    target = get_agency_for_import(user, agency)
    report = import_file(
        # One byte past the limit is enough for the parser to refuse the file as too large.
        data=file.read(MAX_FILE_BYTES + 1),
        agency=target,
        fiscal_year=fiscal_year,
        by=user,
        source=file.name or "api",
        commit=commit,
    )
    return PlanImportOut(
        committed=report.committed,
        projects_created=report.projects_created,
        projects_updated=report.projects_updated,
        steps=report.steps,
        kpis_created=report.kpis_created,
        kpis_updated=report.kpis_updated,
        problems=[ProblemOut(**p.as_dict) for p in located(report.problems)],
    )
