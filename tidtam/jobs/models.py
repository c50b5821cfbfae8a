"""Work that takes longer than a page should wait for (a large export, later report books and
bulk imports), run by a background worker while the requester watches its progress."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = (JobState.DONE, JobState.FAILED)


class JobQuerySet(models.QuerySet["Job"]):
    def of_requester(self, user: object, session_key: str | None) -> JobQuerySet:
        """The jobs this person asked for: a signed-in user's own, or those of this anonymous
        browser session (none without a session)."""
        if getattr(user, "is_authenticated", False):
            return self.filter(requested_by_id=getattr(user, "pk", None))
        if not session_key:
            return self.none()
        return self.filter(requested_by=None, session_key=session_key)

    def abandoned(self, now: datetime) -> JobQuerySet:
        """Running jobs whose worker has not been heard of for longer than a job may stay
        silent: the worker died (killed, out of memory, the machine restarted)."""
        return self.filter(state=JobState.RUNNING, heartbeat__lt=now - stale_after())

    def expired(self, now: datetime) -> JobQuerySet:
        """Finished jobs whose file has been kept long enough."""
        return self.filter(
            state__in=FINISHED,
            finished__lt=now - timedelta(days=settings.JOBS_KEEP_DAYS),
        )


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOBS_STALE_SECONDS)


class Job(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # A registered job kind (`actions.job_kind`), and what it was asked to do.
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    parameters = models.JSONField(default=dict)
    # The language of the requester: the job's file speaks it.
    language = models.CharField(max_length=8, default="th")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    # The anonymous requester's session: only that browser sees the job.
    session_key = models.CharField(max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    # Why the job failed, as an English message id translated when shown (never a
    # traceback: that goes to the log), with its parameters.
    error = models.CharField(max_length=300, blank=True)
    error_parameters = models.JSONField(default=dict, blank=True)
    # The file it made, relative to MEDIA_ROOT (under jobs/), and how to offer it.
    result_path = models.CharField(max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(_("requested"), default=timezone.now)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written with the progress; a running job silent for longer than JOBS_STALE_SECONDS
    # lost its worker.
    heartbeat = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [
            models.Index(fields=["requested_by", "-created"], name="job_requester"),
            models.Index(fields=["session_key", "-created"], name="job_session"),
            models.Index(fields=["state", "heartbeat"], name="job_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_by__isnull=False) | ~Q(session_key=""),
                name="job_has_requester",
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=F("total")),
                name="job_done_within_total",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk} {self.state}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int | None:
        """Whole percent done, None while the total is unknown."""
        if self.state == JobState.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)

    @property
    def kept_until(self) -> datetime | None:
        """When `purge_jobs` may delete the job and its file."""
        return self.finished + timedelta(days=settings.JOBS_KEEP_DAYS) if self.finished else None

    @property
    def reason(self) -> str:
        """Why the job failed, in the reader's language."""
        if not self.error:
            return ""
        message = gettext(self.error)
        return message % self.error_parameters if self.error_parameters else message
