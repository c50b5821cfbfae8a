"""The one way views reach a job: only the person who asked for it sees it."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest

from tidtam.jobs.models import Job, JobQuerySet


def jobs_for_requester(request: HttpRequest) -> JobQuerySet:
    return Job.objects.of_requester(request.user, request.session.session_key)


def get_job_for_requester(request: HttpRequest, job_id: UUID) -> Job:
    """The job if this user (or, signed out, this browser session) asked for it; anyone
    else's job is a 404, as if it did not exist."""
    job = jobs_for_requester(request).filter(pk=job_id).first()
    if job is None:
        raise Http404("no such job")
    return job
