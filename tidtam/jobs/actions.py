"""Starting, running and finishing jobs; the registry of job kinds.

A job kind is a function `(job, progress) -> (path, filename, content_type)` registered with
`@job_kind("name")`: it reads `job.parameters`, calls `progress.total(n)` and
`progress.advance(k)` as it goes, writes its file at `result_file(job, suffix)` and returns
it. It runs in the worker, in the requester's language, outside any transaction. To refuse
with a reason the requester should read, it raises `JobFailed(gettext_noop("…"), **values)`;
any other exception fails the job with a general reason, its traceback going to the log.

A worker that dies mid-job (killed, out of memory, the machine restarting) leaves its job
running with a heartbeat that no longer moves. Such a job is marked failed, saying that the
work stopped and may be asked for again, once it has been silent for JOBS_STALE_SECONDS:
when its page asks for its progress, and by `purge_jobs` (a worker stopped with a second
Ctrl-C or SIGTERM marks its job so at once). It is not re-run by itself: a job that killed its
worker (an export too large for the memory) would kill the next one too.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language, gettext_noop, override

from tidtam.audit.write import action
from tidtam.jobs.models import Job, JobState

logger = logging.getLogger(__name__)

Result = tuple[Path, str, str]
JobBody = Callable[[Job, "Progress"], Result]
_kinds: dict[str, JobBody] = {}

# Progress is written at most this often: the page polls once a second.
WRITE_EVERY_SECONDS = 0.4

UNEXPECTED = gettext_noop(
    "The job stopped because of an unexpected error. Please try again later; if it happens "
    "again, tell the system administrator."
)
WORKER_STOPPED = gettext_noop(
    "The job stopped before it finished because the background worker was stopped. "
    "Please ask for it again."
)
UNKNOWN_KIND = gettext_noop("This kind of job is no longer available.")


class JobFailed(Exception):
    """A reason the requester should read: an English message id (marked with
    gettext_noop), translated when shown, and its %-parameters."""

    def __init__(self, message: str, **values: Any) -> None:
        super().__init__(message)
        self.message = message
        self.values = values


def job_kind(name: str) -> Callable[[JobBody], JobBody]:
    def register(body: JobBody) -> JobBody:
        _kinds[name] = body
        return body

    return register


def job_kinds() -> set[str]:
    return set(_kinds)


def result_file(job: Job, suffix: str) -> Path:
    """Where a job writes its file: MEDIA_ROOT/jobs/<job id><suffix>."""
    folder = Path(settings.MEDIA_ROOT) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job.pk}{suffix}"


def session_key_of(request: HttpRequest) -> str:
    """The browser session's key, creating the session for a first-time visitor."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


@action
def start_job(*, kind: str, title: str, parameters: dict[str, Any], request: HttpRequest) -> Job:
    """Record the job for the person making the request and queue it for a worker.

    The task is enqueued once the job row has committed, so a worker (on another database
    connection, or RQ later) never looks for a job that does not exist yet.
    """
    if kind not in _kinds:
        raise ValueError(f"unknown job kind {kind!r}")
    user = request.user if request.user.is_authenticated else None
    job = Job.objects.create(
        kind=kind,
        title=title[:200],
        parameters=parameters,
        language=get_language() or settings.LANGUAGE_CODE,
        requested_by=user,
        session_key="" if user else session_key_of(request),
    )
    transaction.on_commit(lambda: enqueue(job))
    return job


@action
def start_job_once(
    *,
    kind: str,
    title: str,
    parameters: dict[str, Any],
    fingerprint: str,
    suffix: str,
    request: HttpRequest,
) -> Job:
    """`start_job` for a file that depends on nothing but `fingerprint` (the data it shows and
    how it shows it), so that the same file is never made twice.

    The requester's own job with this fingerprint, queued, running or done, is theirs again.
    A job someone else finished with it is shared: a new job of the requester's, done at once,
    whose file is a hard link to that job's file (each job keeps its own name for the file, so
    purging the older job leaves the newer one's). Otherwise a new job makes the file. The
    fingerprint is kept in the job's parameters.
    """
    same = Job.objects.filter(kind=kind, parameters__fingerprint=fingerprint)
    user = request.user if request.user.is_authenticated else None
    mine = same.of_requester(user, request.session.session_key).exclude(state=JobState.FAILED)
    for job in mine:
        if job.state != JobState.DONE or _file_of(job) is not None:
            return job
    parameters = {**parameters, "fingerprint": fingerprint}
    for done in same.filter(state=JobState.DONE).order_by("-finished"):
        source = _file_of(done)
        if source is None:
            continue
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            parameters=parameters,
            language=get_language() or settings.LANGUAGE_CODE,
            requested_by=user,
            session_key="" if user else session_key_of(request),
            state=JobState.DONE,
            done=done.done,
            total=done.total,
            result_name=done.result_name,
            result_type=done.result_type,
            started=timezone.now(),
            finished=timezone.now(),
        )
        target = result_file(job, suffix)
        try:
            os.link(source, target)
        except OSError:
            # Another file system or one without hard links: a copy, still no work redone.
            shutil.copyfile(source, target)
        job.result_path = _relative(target)
        job.save(update_fields=["result_path"])
        return job
    return start_job(kind=kind, title=title, parameters=parameters, request=request)


def _relative(path: Path) -> str:
    return str(Path(path).resolve().relative_to(Path(settings.MEDIA_ROOT).resolve()))


def _file_of(job: Job) -> Path | None:
    """A finished job's file, when it is still there."""
    if not job.result_path:
        return None
    path = Path(settings.MEDIA_ROOT) / job.result_path
    return path if path.is_file() else None


def enqueue(job: Job) -> None:
    from tidtam.jobs.tasks import run_job

    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


class Progress:
    """How far a job has got, written to its row at most every WRITE_EVERY_SECONDS."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._written_at = 0.0

    def total(self, n: int) -> None:
        self.job.total = max(n, self.job.done)
        self._write(force=True)

    def advance(self, k: int = 1) -> None:
        done = self.job.done + k
        self.job.done = min(done, self.job.total) if self.job.total is not None else done
        self._write()

    def _write(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._written_at < WRITE_EVERY_SECONDS:
            return
        self._written_at = now
        Job.objects.filter(pk=self.job.pk).update(
            done=self.job.done, total=self.job.total, heartbeat=timezone.now()
        )


def run(job_id: str) -> None:
    """Run a queued job to its end (the task's body): claim it, run its kind, record the
    file or the reason it failed. A job already claimed or finished is left alone."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started=now, heartbeat=now
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    body = _kinds.get(job.kind)
    if body is None:
        _fail(job, UNKNOWN_KIND)
        return
    try:
        with override(job.language):
            path, name, content_type = body(job, Progress(job))
    except JobFailed as refused:
        _fail(job, refused.message, refused.values)
        return
    except (SystemExit, KeyboardInterrupt):
        # The worker was told twice to stop: it abandons the job, saying so at once.
        _fail(job, WORKER_STOPPED)
        raise
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, UNEXPECTED)
        raise
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE,
        done=job.total if job.total is not None else job.done,
        result_path=_relative(path),
        result_name=name,
        result_type=content_type,
        finished=timezone.now(),
    )


def _fail(job: Job, message: str, values: dict[str, Any] | None = None) -> None:
    Job.objects.filter(pk=job.pk).update(
        state=JobState.FAILED,
        error=message,
        error_parameters=values or {},
        finished=timezone.now(),
    )


@action
def fail_abandoned_jobs(*, now: datetime | None = None) -> int:
    """Mark failed the running jobs whose worker died; how many there were."""
    now = now or timezone.now()
    return Job.objects.abandoned(now).update(
        state=JobState.FAILED, error=WORKER_STOPPED, error_parameters={}, finished=now
    )


@action
def purge_expired_jobs(*, now: datetime | None = None) -> int:
    """Delete the finished jobs older than JOBS_KEEP_DAYS and their files; how many."""
    expired = Job.objects.expired(now or timezone.now())
    paths = [path for path in expired.values_list("result_path", flat=True) if path]
    count, _ = expired.delete()
    # The files go once the rows are gone for good: a rolled-back purge keeps both.
    transaction.on_commit(lambda: _unlink(paths))
    return count


def _unlink(paths: list[str]) -> None:
    for path in paths:
        (Path(settings.MEDIA_ROOT) / path).unlink(missing_ok=True)
