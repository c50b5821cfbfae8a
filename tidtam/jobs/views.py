"""A job's page, its progress (polled by the page), its file, and the requester's jobs."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tidtam.jobs.access import get_job_for_requester, jobs_for_requester
from tidtam.jobs.actions import fail_abandoned_jobs
from tidtam.jobs.models import Job, JobState, stale_after

RECENT_JOBS = 50


def _current(request: HttpRequest, job_id: UUID) -> Job:
    job = get_job_for_requester(request, job_id)
    if (
        job.state == JobState.RUNNING
        and job.heartbeat is not None
        and job.heartbeat < timezone.now() - stale_after()
    ):
        fail_abandoned_jobs()
        job.refresh_from_db()
    return job


@require_GET
def job_detail(request: HttpRequest, job_id: UUID) -> HttpResponse:
    return render(request, "jobs/job_detail.html", {"job": _current(request, job_id)})


@require_GET
def job_status(request: HttpRequest, job_id: UUID) -> HttpResponse:
    """The progress partial the job page polls every second until the job has finished."""
    return render(request, "jobs/_job_status.html", {"job": _current(request, job_id)})


@require_GET
def job_download(request: HttpRequest, job_id: UUID) -> FileResponse:
    job = get_job_for_requester(request, job_id)
    if job.state != JobState.DONE or not job.result_path:
        raise Http404("no file")
    root = (Path(settings.MEDIA_ROOT) / "jobs").resolve()
    path = (Path(settings.MEDIA_ROOT) / job.result_path).resolve()
    if root not in path.parents or not path.is_file():
        raise Http404("no file")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.result_name,
        content_type=job.result_type or "application/octet-stream",
    )


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(jobs_for_requester(request)[:RECENT_JOBS])
    return render(
        request, "jobs/job_list.html", {"jobs": jobs, "keep_days": settings.JOBS_KEEP_DAYS}
    )
