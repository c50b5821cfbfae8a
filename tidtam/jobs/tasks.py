"""The one task the job framework enqueues: it runs a job by its id."""

from __future__ import annotations

from django_tasks import task

from tidtam.jobs import actions


@task()
def run_job(job_id: str) -> None:
    actions.run(job_id)
