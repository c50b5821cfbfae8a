"""The annual-plan import pages: upload and preview (a dry run), confirm, the template and
the export of a plan in the template's layout."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tidtam.jobs.actions import start_job_once
from tidtam.lib.fiscal import fiscal_year_label
from tidtam.lib.web import year_or_none
from tidtam.orgs.models import Agency
from tidtam.planimport import uploads, workbook
from tidtam.planimport.access import agencies_for_import, get_agency_for_import
from tidtam.planimport.forms import PlanUploadForm
from tidtam.planimport.job_kinds import JOB_KIND
from tidtam.planimport.load import ImportReport, Located, import_file, located
from tidtam.planimport.parse import parse_plan

# A plan with more rows than this is imported by a background worker, its progress shown.
BACKGROUND_ROWS = 300
SESSION_KEY = "plan-imports"


@dataclass(frozen=True)
class Preview:
    agency: Agency
    fiscal_year: int
    name: str
    upload: str
    report: ImportReport
    problems: list[Located]


def _may_import(request: HttpRequest) -> None:
    if not agencies_for_import(request.user).exists():
        raise PermissionDenied(
            _("Only an officer of an agency or an administrator imports a plan.")
        )


@login_required
@require_http_methods(["GET", "POST"])
def plan_import(request: HttpRequest) -> HttpResponse:
    _may_import(request)
    agencies = agencies_for_import(request.user)
    form = PlanUploadForm(request.POST or None, request.FILES or None, agencies=agencies)
    preview = None
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        year = form.cleaned_data["fiscal_year"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        name = upload.name or "plan"
        report = import_file(
            data=data, agency=agency, fiscal_year=year, by=request.user, source=name, commit=False
        )
        key = uploads.store(data) if report.ok else ""
        if key:
            kept = request.session.get(SESSION_KEY, {})
            kept[key] = {"agency": agency.code, "fiscal_year": year, "name": name}
            request.session[SESSION_KEY] = kept
        preview = Preview(agency, year, name, key, report, located(report.problems))
    return render(
        request,
        "planimport/upload.html",
        {
            "form": form,
            "preview": preview,
            "upload": preview.upload if preview else "",
            "problems": preview.problems if preview else [],
        },
    )


@login_required
@require_POST
def plan_import_confirm(request: HttpRequest) -> HttpResponse:
    """Import the file the preview showed without a problem: all or nothing."""
    _may_import(request)
    key = request.POST.get("upload", "")
    kept = request.session.get(SESSION_KEY, {})
    meta = kept.get(key)
    data = uploads.read(key) if meta else None
    if meta is None or data is None:
        messages.error(request, _("The uploaded file is no longer kept: upload it again."))
        return redirect("plan-import")
    agency = get_agency_for_import(request.user, meta["agency"])
    del kept[key]
    request.session[SESSION_KEY] = kept
    if parse_plan(data).row_count > BACKGROUND_ROWS:
        job = start_job_once(
            kind=JOB_KIND,
            title=_("Annual plan import: %(agency)s, fiscal year %(year)s")
            % {"agency": agency.name_th, "year": fiscal_year_label(meta["fiscal_year"])},
            parameters={**meta, "upload": key, "by": request.user.pk},
            # One job per upload (its key is new each time): the same plan uploaded again is
            # imported again, over whatever changed since.
            fingerprint=hashlib.sha256(
                f"{key}|{agency.code}|{meta['fiscal_year']}|{request.user.pk}".encode()
            ).hexdigest(),
            suffix=".csv",
            request=request,
        )
        return redirect("job-detail", job.pk)
    report = import_file(
        data=data,
        agency=agency,
        fiscal_year=meta["fiscal_year"],
        by=request.user,
        source=meta["name"],
        commit=True,
    )
    uploads.remove(key)
    if not report.committed:
        messages.error(
            request,
            _(
                "Nothing was imported: the plan or the records changed since the preview. "
                "Upload the file again to see why."
            ),
        )
        return redirect("plan-import")
    messages.success(
        request,
        _(
            "The plan was imported: %(created)s projects created, %(updated)s updated, "
            "%(kpis)s KPIs."
        )
        % {
            "created": report.projects_created,
            "updated": report.projects_updated,
            "kpis": report.kpis_created + report.kpis_updated,
        },
    )
    return redirect("plan-import")


def _agency_and_year(request: HttpRequest) -> tuple[Agency, int]:
    year = year_or_none(request.GET.get("year", ""))
    if year is None:
        raise Http404("no fiscal year")
    return get_agency_for_import(request.user, request.GET.get("agency", "")), year


def _file(data: bytes, fmt: str, name: str) -> HttpResponse:
    content_type = workbook.XLSX_TYPE if fmt == "xlsx" else workbook.ZIP_TYPE
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_GET
def plan_template(request: HttpRequest, fmt: str) -> HttpResponse:
    agency, year = _agency_and_year(request)
    write = workbook.write_xlsx if fmt == "xlsx" else workbook.write_csv_zip
    return _file(write(agency, year), fmt, f"plan-template-{agency.code}-{year}")


@login_required
@require_GET
def plan_export(request: HttpRequest, fmt: str) -> HttpResponse:
    agency, year = _agency_and_year(request)
    write = workbook.write_xlsx if fmt == "xlsx" else workbook.write_csv_zip
    return _file(
        write(agency, year, workbook.plan_rows(agency, year)), fmt, f"plan-{agency.code}-{year}"
    )
