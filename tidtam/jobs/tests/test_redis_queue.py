"""With REDIS_URL, background jobs go to RQ on Redis and an RQ worker runs them; without it they
wait in the database, as before. Against a real Redis server (the `redis_url` fixture)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import django_rq
import pytest
import redis
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django_tasks import TaskResultStatus

from tidtam.jobs.actions import Progress, job_kind, result_file, start_job
from tidtam.jobs.models import Job, JobState
from tidtam.jobs.tasks import run_job
from tidtam.lib.tests.test_settings import PRODUCTION, run_check
from tidtam.test import make_user

SHOW = """
import json
from django.conf import settings
print(json.dumps({
    "tasks": settings.TASKS["default"]["BACKEND"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "location": settings.CACHES["default"].get("LOCATION", ""),
    "rq": getattr(settings, "RQ_QUEUES", {}).get("default", {}).get("URL"),
    "apps": [app for app in settings.INSTALLED_APPS if "rq" in app],
}))
"""


def shown(**env: str) -> dict[str, Any]:
    result = run_check(SHOW, DJANGO_SETTINGS_MODULE="tidtam.settings", **PRODUCTION, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_redis_jobs_wait_in_the_database_and_each_process_caches_alone() -> None:
    assert shown() == {
        "tasks": "django_tasks_db.DatabaseBackend",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "location": "",
        "rq": None,
        "apps": [],
    }


def test_with_redis_jobs_go_to_rq_and_the_cache_is_shared() -> None:
    url = "redis://10.0.0.5:6379/0"
    assert shown(REDIS_URL=url) == {
        "tasks": "django_tasks_rq.RQBackend",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "location": url,
        "rq": url,
        "apps": ["django_rq", "django_tasks_rq"],
    }


@job_kind("test-rq-count")
def count_rows(job: Job, progress: Progress) -> tuple[Path, str, str]:
    n = job.parameters["rows"]
    progress.total(n)
    path = result_file(job, ".txt")
    path.write_text("".join(f"แถว {row}\n" for row in range(n)), encoding="utf-8")
    progress.advance(n)
    return path, "แถว.txt", "text/plain; charset=utf-8"


@pytest.fixture
def rq_queue(settings: Any, redis_url: str, tmp_path: Path) -> redis.Redis:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.RQ_QUEUES = {"default": {"URL": redis_url}}
    settings.RQ = {"JOB_CLASS": "django_tasks_rq.Job"}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    connection = redis.Redis.from_url(redis_url)
    connection.flushdb()
    return connection


@pytest.mark.django_db(transaction=True)
def test_a_job_enqueued_on_redis_is_run_by_an_rq_worker(rq_queue: redis.Redis) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    job = start_job(
        kind="test-rq-count",
        title="รายการทดสอบ",
        parameters={"rows": 30},
        request=request,
    )
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    queue = django_rq.get_queue("default")
    assert queue.job_ids == [job.task_id]  # in Redis, not in the database
    assert run_job.get_result(job.task_id).status == TaskResultStatus.READY

    worker = django_rq.get_worker("default", worker_class="rq.worker.SimpleWorker")
    assert worker.work(burst=True)

    job.refresh_from_db()
    assert job.state == JobState.DONE and job.done == 30
    assert run_job.get_result(job.task_id).status == TaskResultStatus.SUCCESSFUL
    assert queue.count == 0


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_while_no_worker_runs_waits_in_redis(rq_queue: redis.Redis) -> None:
    request = RequestFactory().get("/")
    request.user = make_user("officer")
    request.session = SessionStore()
    jobs = [
        start_job(kind="test-rq-count", title="ก", parameters={"rows": 5}, request=request)
        for _ in range(3)
    ]
    assert django_rq.get_queue("default").count == 3
    assert {j.state for j in Job.objects.filter(pk__in=[j.pk for j in jobs])} == {JobState.QUEUED}
    django_rq.get_worker("default", worker_class="rq.worker.SimpleWorker").work(burst=True)
    assert {j.state for j in Job.objects.filter(pk__in=[j.pk for j in jobs])} == {JobState.DONE}
