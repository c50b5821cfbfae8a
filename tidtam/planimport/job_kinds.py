"""The background import of a large annual plan (found by the jobs app at start-up)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from tidtam.jobs.actions import JobFailed, Progress, job_kind, result_file
from tidtam.jobs.models import Job
from tidtam.lib.tabular import BOM, neutralise
from tidtam.orgs.models import Agency
from tidtam.planimport import uploads
from tidtam.planimport.load import ImportReport, import_plan, located
from tidtam.planimport.parse import parse_plan

JOB_KIND = "plan-import"


def report_csv(report: ImportReport) -> bytes:
    """The import's report: what was written, or every problem at its sheet, row, column."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if report.committed:
        writer.writerow([_("Imported")])
        writer.writerow([_("projects created"), report.projects_created])
        writer.writerow([_("projects updated"), report.projects_updated])
        writer.writerow([_("steps"), report.steps])
        writer.writerow([_("KPIs created"), report.kpis_created])
        writer.writerow([_("KPIs updated"), report.kpis_updated])
    else:
        writer.writerow([_("Nothing was imported: correct these problems and upload again.")])
        writer.writerow([_("Sheet"), _("Row"), _("Column"), _("Problem")])
        for p in located(report.problems):
            writer.writerow([p.sheet, p.row or "", p.column, neutralise(p.message)])
    return BOM + out.getvalue().encode("utf-8")


@job_kind(JOB_KIND)
def run_plan_import(job: Job, progress: Progress) -> tuple[Path, str, str]:
    parameters = job.parameters
    data = uploads.read(parameters["upload"])
    if data is None:
        raise JobFailed(gettext_noop("The uploaded file is no longer kept: upload it again."))
    agency = Agency.objects.get(code=parameters["agency"])
    by = get_user_model().objects.get(pk=parameters["by"])
    plan = parse_plan(data)
    progress.total(plan.row_count)
    report = import_plan(
        plan=plan,
        agency=agency,
        fiscal_year=parameters["fiscal_year"],
        by=by,
        source=parameters["name"],
        commit=True,
        progress=progress.advance,
    )
    uploads.remove(parameters["upload"])
    path = result_file(job, ".csv")
    path.write_bytes(report_csv(report))
    return path, f"plan-import-{agency.code}-{parameters['fiscal_year']}.csv", "text/csv"
