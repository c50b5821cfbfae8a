"""A fiscal year's open-data package: a Frictionless Data Package (datapackage.json and one
UTF-8 CSV per table of `tables.TABLES`, each with its Table Schema, primary and foreign keys),
under the Creative Commons Attribution 4.0 licence, ready for a CKAN portal.

`manage.py export_opendata` writes it to a folder or a ZIP file; the open-data page offers it
as the "opendata" background job. A city's year (some 5,000 projects, 60,000 reports) takes
longer than a page should wait, and every reader gets the same file: the job runs once for a
state of the data (its `fingerprint`) and every later request shares its file
(`start_job_once`), until an approval, an edit or the daily standing refresh changes the data.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from tidtam.dashboards.books import _changes, _digest, _rows
from tidtam.indicators.models import Kpi, KpiResult, KpiScore, KpiSupport, ProjectEvaluation
from tidtam.jobs.actions import JobFailed, Progress, job_kind, result_file
from tidtam.jobs.models import Job
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.opendata.tables import TABLES, Scope, public_scope
from tidtam.orgs.models import Agency, DistrictGroup, Person, Unit
from tidtam.projects.models import PlanStep, Project, ProjectContact, ProjectItem
from tidtam.reporting.models import Problem, ProblemCategory, ProgressReport
from tidtam.standing.models import KpiStanding, ProjectStanding

JOB_KIND = "opendata"
CONTENT_TYPE = "application/zip"
# Bumped whenever what the package holds changes, so that a file made by older code is never
# served for the newer.
FORMAT = 1
LICENSE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
NO_PROJECTS = gettext_noop(
    "Fiscal year %(year)s has no published project: there is no open data for it."
)


def package_name(year: int) -> str:
    return f"tidtam-fy{year}"


def filename(year: int) -> str:
    return f"tidtam-opendata-{year}.zip"


def descriptor(scope: Scope) -> dict[str, Any]:
    """datapackage.json: the package's titles and descriptions in Thai and English, its
    licence, where it comes from, and every table with its schema."""
    year = scope.year
    start, end = year.start.isoformat(), year.end.isoformat()
    title_th = f"โครงการตามแผนปฏิบัติราชการ ปีงบประมาณ พ.ศ. {year.year}"
    title_en = f"Annual action plan projects, fiscal year {year.year} BE ({start} to {end})"
    description_th = (
        f"โครงการที่เผยแพร่ของปีงบประมาณ พ.ศ. {year.year} ({start} ถึง {end}) "
        "พร้อมแผนการดำเนินงาน รายงานความก้าวหน้ารายเดือนที่อนุมัติแล้ว ตัวชี้วัดและผลรายไตรมาส "
        "ที่อนุมัติแล้ว และสถานะของแต่ละโครงการ เท่าที่หน้าเว็บแสดงต่อสาธารณะ "
        "ปีงบประมาณนับเป็นพุทธศักราช วันที่ทั้งหมดเป็น ISO 8601 (คริสต์ศักราช)"
    )
    description_en = (
        f"The published projects of fiscal year {year.year} BE ({start} to {end}) with their "
        "operating plans, approved monthly progress reports, KPIs with their approved quarterly "
        "results, and each project's standing: what the public web pages show. Fiscal years "
        "are numbered in the Buddhist Era (the Common Era year plus 543); every date is ISO "
        "8601 in the Common Era."
    )
    home = settings.SITE_URL.rstrip("/")
    return {
        "profile": "tabular-data-package",
        "name": package_name(year.year),
        "title": f"{title_th} / {title_en}",
        "description": f"{description_th}\n\n{description_en}",
        "title_th": title_th,
        "title_en": title_en,
        "description_th": description_th,
        "description_en": description_en,
        "homepage": home + reverse("open-data"),
        "version": f"{FORMAT}.0.0",
        "created": timezone.now().replace(microsecond=0).isoformat(),
        "keywords": ["ติดตามโครงการ", "project monitoring", f"fiscal year {year.year}"],
        "licenses": [LICENSE],
        "sources": [{"title": "Tidtam", "path": home + "/"}],
        "resources": [table.descriptor() for table in TABLES],
    }


def cell(value: Any) -> str:
    """A value as the package writes it: ISO dates, decimals with a point and no exponent,
    true/false, an empty cell for nothing."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def csv_rows(header: Sequence[str], rows: Iterator[Sequence[Any]], out: IO[str]) -> int:
    """Write the header and the rows as CSV (RFC 4180, CRLF line ends); how many rows."""
    writer = csv.writer(out)
    writer.writerow(header)
    count = 0
    for row in rows:
        writer.writerow([cell(value) for value in row])
        count += 1
    return count


Opener = Callable[[str], Any]


def write_package(scope: Scope, open_member: Opener, progress: Progress | None = None) -> None:
    """Write the package's files through `open_member(relative path)`, a context manager
    giving a binary file: a folder's or a ZIP archive's."""
    if progress is not None:
        progress.total(len(TABLES) + 1)
    for table in TABLES:
        with (
            open_member(table.path) as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
        ):
            csv_rows(table.header, table.rows(scope), text)
        if progress is not None:
            progress.advance(1)
    with open_member("datapackage.json") as raw:
        raw.write(json.dumps(descriptor(scope), ensure_ascii=False, indent=2).encode())
    if progress is not None:
        progress.advance(1)


def write_folder(scope: Scope, folder: Path, progress: Progress | None = None) -> None:
    @contextmanager
    def open_member(name: str) -> Iterator[IO[bytes]]:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as out:
            yield out

    write_package(scope, open_member, progress)


def write_zip(scope: Scope, out: Path | IO[bytes], progress: Progress | None = None) -> None:
    """The package as a ZIP archive, its files at the archive's root, written as they are made
    (no folder on disk first)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:

        @contextmanager
        def open_member(name: str) -> Iterator[IO[bytes]]:
            with archive.open(name, "w", force_zip64=True) as member:
                yield member

        write_package(scope, open_member, progress)


# What the tables read, by the path from each model to the year's projects or KPIs: a
# fingerprint counts their rows and their changes (see dashboards.books.fingerprint).
PROJECT_FACTS = (
    (ProjectItem, "project"),
    (ProjectContact, "project"),
    (PlanStep, "project"),
    (ProgressReport, "project"),
    (Problem, "project"),
    (ProjectEvaluation, "project"),
    (KpiSupport, "project"),
)
KPI_FACTS = ((KpiResult, "kpi"), (KpiScore, "kpi"), (KpiSupport, "kpi"))
REFERENCE = (Agency, Unit, Person, ProblemCategory)


def fingerprint(scope: Scope) -> str:
    """Equal fingerprints, equal packages (but for their `created` time): the year's published
    projects with their versions and stored standings, the KPIs and theirs, and for every kind
    of record a table shows the count, the newest key and the newest history entry, read in a
    fixed number of short aggregate queries; with the site's address (the links) and FORMAT."""
    projects = scope.projects.order_by().values("pk")
    kpis = scope.kpis.order_by().values("pk")
    facts: list[Any] = [
        FORMAT,
        scope.year.year,
        settings.SITE_URL,
        _rows(
            Project.objects.filter(pk__in=projects)
            .order_by("pk")
            .values_list("pk", "version", "updated_at", "agency_id")
        ),
        _rows(
            ProjectStanding.objects.filter(project__in=projects)
            .order_by("project_id")
            .values_list(*(f.attname for f in ProjectStanding._meta.concrete_fields))
        ),
        _rows(Kpi.objects.filter(pk__in=kpis).order_by("pk").values_list("pk", "version")),
        _rows(
            KpiStanding.objects.filter(kpi__in=kpis)
            .order_by("kpi_id")
            .values_list(*(f.attname for f in KpiStanding._meta.concrete_fields))
        ),
        _changes(Kpi, Q(id__in=kpis)),
        _rows(DistrictGroup.objects.order_by("pk").values_list("pk", "name_th", "name_en")),
    ]
    facts += [_changes(model, Q(**{f"{path}__in": projects})) for model, path in PROJECT_FACTS]
    facts += [_changes(model, Q(**{f"{path}__in": kpis})) for model, path in KPI_FACTS]
    facts += [_changes(model, Q()) for model in REFERENCE]
    return _digest(facts)


def job_title(year: int) -> str:
    return gettext("Open data of fiscal year %(year)s (Data Package, ZIP)") % {
        "year": fiscal_year_label(year)
    }


@job_kind(JOB_KIND)
def run_opendata_job(job: Job, progress: Progress) -> tuple[Path, str, str]:
    """The "opendata" job kind: the package of the fiscal year its parameters name."""
    year = int(job.parameters["fiscal_year"])
    scope = public_scope(year)
    if scope is None or not scope.projects.exists():
        raise JobFailed(NO_PROJECTS, year=year)
    path = result_file(job, ".zip")
    write_zip(scope, path, progress)
    return path, filename(year), CONTENT_TYPE
