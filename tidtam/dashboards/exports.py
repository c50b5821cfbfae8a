"""CSV and Excel exports of the project list, the KPI list and the flags page, with the
filters the reader chose: the same filter code and visibility as the page, every row instead
of one page of them.

Up to EXPORT_SYNC_ROWS rows the file is the response; above that the export runs as a
background job (the same `write_export`) and the reader watches it on the job's page.
Rows are read in chunks of keys, each chunk one query with its related rows, so the memory
and the queries of an export grow with the chunk, not with the year.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponseBase,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tidtam.dashboards.filters import ListFilters, ProjectFilters, years_with
from tidtam.dashboards.flagged import chosen_year
from tidtam.indicators.access import kpis_for_user
from tidtam.indicators.models import Kpi
from tidtam.jobs.actions import Progress, job_kind, result_file, start_job
from tidtam.jobs.models import Job
from tidtam.lib.language import current_language, name_of
from tidtam.lib.replica import replica_reads
from tidtam.lib.tabular import Column, Table, csv_chunks, write_xlsx
from tidtam.projects.access import projects_for_user
from tidtam.projects.models import Project
from tidtam.standing.flags import KIND_LABELS, KINDS, describe
from tidtam.standing.models import KpiStanding, ProjectStanding, StandingFlag
from tidtam.standing.present import status_label

M = TypeVar("M", bound=Model)

# Keys read per query; below SQLite's 999 parameters, so one chunk is one query.
CHUNK_KEYS = 500

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def in_chunks(
    rows: QuerySet[M], related: tuple[str, ...], only: tuple[str, ...] = ()
) -> Iterator[M]:
    """The rows in their order, read CHUNK_KEYS at a time: the keys first (narrow), then
    each chunk's rows with `related` (and only the fields `only` names, when it does), one
    query a chunk."""
    keys = list(rows.values_list("pk", flat=True))
    chunk_of = rows.model._default_manager.select_related(*related)
    if only:
        chunk_of = chunk_of.only(*only)
    for start in range(0, len(keys), CHUNK_KEYS):
        part = keys[start : start + CHUNK_KEYS]
        found = chunk_of.in_bulk(part)
        for key in part:
            if key in found:
                yield found[key]


def _standing(project: Project) -> ProjectStanding | None:
    try:
        return project.standing
    except ProjectStanding.DoesNotExist:
        return None


PROJECT_COLUMNS = (
    Column("code", _("Code"), "text"),
    Column("name", _("Name"), "text"),
    Column("agency", _("Agency"), "text"),
    Column("fiscal_year", _("Fiscal year (BE)"), "int"),
    Column("status", _("Status"), "text"),
    Column("planned", _("Planned today (%)"), "percent"),
    Column("reported", _("Reported (%)"), "percent"),
    Column("variance", _("Variance (points)"), "decimal"),
    Column("days_late", _("Days late"), "int"),
    Column("reported_on", _("Last report date"), "date"),
    Column("allocated", _("Budget allocated (baht)"), "baht"),
    Column("released", _("Budget released (baht)"), "baht"),
    Column("spent", _("Budget spent (baht)"), "baht"),
    Column("kpi_achievement", _("KPI achievement (%)"), "percent"),
    Column("open_problems", _("Open problems"), "int"),
    Column("missing_report", _("This month's report missing"), "bool"),
    Column("sample", _("Sample data"), "bool"),
)
PROJECT_FIELDS = (
    "code",
    "name",
    "fiscal_year_id",
    "origin",
    "agency__name_th",
    "agency__name_en",
    *(
        f"standing__{name}"
        for name in (
            "status",
            "planned_today",
            "reported_percent",
            "variance",
            "days_late",
            "reported_on",
            "budget_allocated",
            "budget_released",
            "budget_spent",
            "kpi_achievement",
            "open_problems",
            "missing_report",
        )
    ),
)


def project_table(projects: QuerySet[Project], lang: str) -> Table:
    """The projects, in their order, with their stored standings."""

    def rows() -> Iterator[tuple[Any, ...]]:
        for project in in_chunks(projects, ("agency", "standing"), PROJECT_FIELDS):
            s = _standing(project)
            yield (
                project.code,
                project.name,
                name_of(project.agency, lang),
                project.fiscal_year_id,
                status_label(s.status) if s else None,
                s.planned_today if s else None,
                s.reported_percent if s else None,
                s.variance if s else None,
                s.days_late if s else None,
                s.reported_on if s else None,
                s.budget_allocated if s else None,
                s.budget_released if s else None,
                s.budget_spent if s else None,
                s.kpi_achievement if s else None,
                s.open_problems if s else None,
                s.missing_report if s else None,
                project.is_sample,
            )

    return Table(_("Projects"), PROJECT_COLUMNS, rows())


KPI_COLUMNS = (
    Column("code", _("Code"), "text"),
    Column("indicator", _("Indicator"), "text"),
    Column("agency", _("Agency"), "text"),
    Column("fiscal_year", _("Fiscal year (BE)"), "int"),
    Column("type", _("Type"), "text"),
    Column("unit", _("Unit"), "text"),
    Column("target", _("Target"), "decimal"),
    Column("achieved", _("Achieved"), "decimal"),
    Column("percent_of_target", _("Achieved, percent of target"), "percent"),
    Column("met", _("Target met"), "bool"),
    Column("quarters", _("Quarters reported"), "int"),
    Column("sample", _("Sample data"), "bool"),
)


def kpi_table(kpis: QuerySet[Kpi], lang: str) -> Table:
    """The KPIs, in their order, with what their approved results achieved."""

    def rows() -> Iterator[tuple[Any, ...]]:
        for kpi in in_chunks(kpis, ("agency", "standing")):
            try:
                s: KpiStanding | None = kpi.standing
            except KpiStanding.DoesNotExist:
                s = None
            yield (
                kpi.code,
                kpi.text,
                name_of(kpi.agency, lang),
                kpi.fiscal_year_id,
                kpi.get_kpi_type_display(),
                kpi.unit,
                kpi.target,
                s.achieved if s else None,
                s.percent_of_target if s else None,
                s.met if s else None,
                s.quarters_reported if s else None,
                kpi.is_sample,
            )

    return Table(_("Indicators"), KPI_COLUMNS, rows())


FLAG_COLUMNS = (
    Column("code", _("Code"), "text"),
    Column("project", _("Project"), "text"),
    Column("agency", _("Agency"), "text"),
    Column("fiscal_year", _("Fiscal year (BE)"), "int"),
    Column("kind", _("Contradiction"), "text"),
    Column("why", _("Why"), "text"),
    Column("status", _("Status"), "text"),
    Column("sample", _("Sample data"), "bool"),
)


def flag_table(flags: QuerySet[StandingFlag], lang: str) -> Table:
    """One row per contradiction, in its sentence in `lang`."""

    def rows() -> Iterator[tuple[Any, ...]]:
        related = ("project__agency", "project__standing")
        for row in in_chunks(flags, related):
            project = row.project
            s = _standing(project)
            yield (
                project.code,
                project.name,
                name_of(project.agency, lang),
                project.fiscal_year_id,
                str(KIND_LABELS[row.kind]),
                describe(row.flag, lang),
                status_label(s.status) if s else None,
                project.is_sample,
            )

    return Table(_("Contradictions"), FLAG_COLUMNS, rows())


def _as_request(query: QueryDict) -> HttpRequest:
    """The filters read a request's query string; a job has only the string."""
    request = HttpRequest()
    request.GET = query
    return request


def exported_projects(user: object, query: QueryDict) -> QuerySet[Project]:
    """The project list's rows for these filters, in the list's order."""
    visible = projects_for_user(user)
    filters = ProjectFilters.from_request(_as_request(query), years_with(visible))
    return filters.apply(visible.for_list())


def exported_kpis(user: object, query: QueryDict) -> QuerySet[Kpi]:
    """The KPI list's rows for these filters, in the list's order."""
    visible = kpis_for_user(user)
    filters = ListFilters.from_request(_as_request(query), years_with(visible))
    return filters.apply(visible.for_list().search(filters.query))


def exported_flags(user: object, query: QueryDict) -> QuerySet[StandingFlag]:
    """The contradictions of the flags page's year (of its kind, when one is chosen) on the
    visible projects, by project code."""
    visible = projects_for_user(user)
    year = chosen_year(query, years_with(visible))
    flags = StandingFlag.objects.filter(
        project__in=visible.filter(fiscal_year_id=year).values("pk")
    )
    kind = query.get("kind", "")
    if kind in KINDS:
        flags = flags.filter(kind=kind)
    return flags.order_by("project__code", "order", "pk")


@dataclass(frozen=True)
class ExportKind:
    title: Any
    rows: Callable[[object, QueryDict], QuerySet[Any]]
    table: Callable[[QuerySet[Any], str], Table]


EXPORTS = {
    "projects": ExportKind(_("Projects"), exported_projects, project_table),
    "kpis": ExportKind(_("Indicators"), exported_kpis, kpi_table),
    "flags": ExportKind(_("Contradictions"), exported_flags, flag_table),
}


def filename(list_name: str, fmt: str) -> str:
    return f"tidtam-{list_name}-{timezone.localdate():%Y%m%d}.{fmt}"


def write_export(
    list_name: str,
    fmt: str,
    *,
    user: object,
    query: QueryDict,
    lang: str,
    out: IO[bytes],
    progress: Progress | None = None,
) -> None:
    """Write the export of a list with these filters, as the user may see it, to `out`: what
    the export job runs (and the benchmark times)."""
    kind = EXPORTS[list_name]
    rows = kind.rows(user, query)
    if progress is not None:
        progress.total(rows.count())
    table = kind.table(rows, lang)
    if fmt == "csv":
        for chunk in csv_chunks(table, lang=lang, progress=progress):
            out.write(chunk)
    else:
        write_xlsx(table, out, lang=lang, progress=progress)


@job_kind("export")
def run_export_job(job: Job, progress: Progress) -> tuple[Any, str, str]:
    """The "export" job kind: the export its parameters name, as its requester may see it."""
    p = job.parameters
    path = result_file(job, "." + p["format"])
    with path.open("wb") as out:
        write_export(
            p["list"],
            p["format"],
            user=job.requested_by or AnonymousUser(),
            query=QueryDict(p["query"]),
            lang=job.language,
            out=out,
            progress=progress,
        )
    return path, p["filename"], CONTENT_TYPES[p["format"]]


def export(request: HttpRequest, list_name: str, fmt: str) -> HttpResponseBase:
    """The file of a filtered list, or, when it is long, a job making it."""
    if fmt not in CONTENT_TYPES:
        raise Http404("no such format")
    kind = EXPORTS[list_name]
    lang = current_language()
    name = filename(list_name, fmt)
    rows = kind.rows(request.user, request.GET)
    if rows.count() > settings.EXPORT_SYNC_ROWS:
        job = start_job(
            kind="export",
            title=gettext("%(list)s exported as %(format)s")
            % {"list": kind.title, "format": fmt.upper()},
            parameters={
                "list": list_name,
                "format": fmt,
                "query": request.GET.urlencode(),
                "filename": name,
            },
            request=request,
        )
        return redirect("job-detail", job.pk)
    return table_response(kind.table(rows, lang), fmt, filename=name, lang=lang)


def table_response(table: Table, fmt: str, *, filename: str, lang: str) -> HttpResponseBase:
    """Any table as a downloaded file: CSV streamed as it is written, XLSX written first (for
    tables of a few thousand rows at most; longer ones belong in a job)."""
    if fmt not in CONTENT_TYPES:
        raise Http404("no such format")
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_chunks(table, lang=lang), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    # openpyxl writes a zip, which needs its whole file: a temporary file, not the memory.
    spool = tempfile.TemporaryFile()  # noqa: SIM115  FileResponse closes it
    write_xlsx(table, spool, lang=lang)
    spool.seek(0)
    return FileResponse(
        spool, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"]
    )


@require_GET
@replica_reads
def project_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    return export(request, "projects", fmt)


@require_GET
@replica_reads
def kpi_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    return export(request, "kpis", fmt)


@require_GET
@replica_reads
def flag_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    return export(request, "flags", fmt)
