"""Jobs through the real path: the page asks, the task is stored by the database backend, and
the worker (`db_worker --batch`, run here in the test) picks it up and runs it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.http import HttpRequest
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks_db.models import DBTaskResult

from tidtam.jobs.actions import (
    WORKER_STOPPED,
    JobFailed,
    Progress,
    job_kind,
    result_file,
    run,
    start_job,
)
from tidtam.jobs.models import Job, JobState
from tidtam.test import make_user

# Jobs wait in the database queue for a worker, as in production.
pytestmark = pytest.mark.usefixtures("queued_tasks")

ROWS = 1200


@job_kind("test-count")
def count_rows(job: Job, progress: Progress) -> tuple[Path, str, str]:
    n = job.parameters["rows"]
    progress.total(n)
    path = result_file(job, ".txt")
    with path.open("w", encoding="utf-8") as out:
        for row in range(n):
            out.write(f"แถว {row}\n")
            progress.advance(1)
    return path, "แถว.txt", "text/plain; charset=utf-8"


@job_kind("test-refuse")
def refuse(job: Job, progress: Progress) -> tuple[Path, str, str]:
    raise JobFailed(gettext_noop("Nothing to export: no project matches these filters."))


@job_kind("test-crash")
def crash(job: Job, progress: Progress) -> tuple[Path, str, str]:
    raise RuntimeError("secret internal detail")


@job_kind("test-stopped")
def stopped(job: Job, progress: Progress) -> tuple[Path, str, str]:
    raise SystemExit(1)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def request_of(user: Any = None, session_key: str | None = None) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    request.session = SessionStore(session_key)
    return request


def start(kind: str = "test-count", user: Any = None, **parameters: Any) -> Job:
    return start_job(
        kind=kind,
        title="รายการทดสอบ",
        parameters={"rows": ROWS, **parameters},
        request=request_of(user),
    )


@pytest.mark.django_db(transaction=True)
def test_a_job_queued_while_no_worker_runs_completes_when_a_worker_starts(worker: Any) -> None:
    job = start(user=make_user("officer"))
    job.refresh_from_db()
    assert job.state == JobState.QUEUED
    assert DBTaskResult.objects.filter(id=job.task_id, status="READY").exists()
    worker()
    job.refresh_from_db()
    assert job.state == JobState.DONE
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_a_job_counts_its_progress_and_keeps_its_file(worker: Any, client: Client) -> None:
    user = make_user("officer")
    job = start(user=user)
    worker()
    job.refresh_from_db()
    assert (job.done, job.total, job.percent) == (ROWS, ROWS, 100)
    assert job.result_path == f"jobs/{job.pk}.txt"
    assert job.started is not None and job.finished is not None
    client.force_login(user)
    response = client.get(f"/jobs/{job.pk}/download/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert body.count("\n") == ROWS and body.startswith("แถว 0\n")


@pytest.mark.django_db(transaction=True)
def test_a_refused_job_says_why_in_the_readers_language(worker: Any, client: Client) -> None:
    user = make_user("officer")
    job = start("test-refuse", user=user)
    worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "Nothing to export: no project matches these filters."
    client.force_login(user)
    client.cookies["django_language"] = "en"
    text = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Nothing to export: no project matches these filters." in text
    assert "/download/" not in text


@pytest.mark.django_db(transaction=True)
def test_a_job_that_crashes_fails_with_a_general_reason_and_no_traceback(
    worker: Any, client: Client
) -> None:
    user = make_user("officer")
    job = start("test-crash", user=user)
    worker()
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    client.force_login(user)
    client.cookies["django_language"] = "en"
    text = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "unexpected error" in text
    assert "secret internal detail" not in text and "Traceback" not in text
    # The task itself failed too, with its traceback kept for the administrator.
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"


def make_job(**values: Any) -> Job:
    defaults: dict[str, Any] = {"kind": "test-count", "title": "ส่งออก", "session_key": "s" * 32}
    return Job.objects.create(**(defaults | values))


@pytest.mark.django_db
def test_a_running_job_whose_worker_died_is_marked_failed(client: Client) -> None:
    user = make_user("officer")
    silent = timezone.now() - timedelta(hours=1)
    job = make_job(requested_by=user, state=JobState.RUNNING, heartbeat=silent, total=10)
    alive = make_job(requested_by=user, state=JobState.RUNNING, heartbeat=timezone.now())
    client.force_login(user)
    client.cookies["django_language"] = "en"
    text = client.get(f"/jobs/{job.pk}/status/").content.decode()
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == WORKER_STOPPED
    assert "background worker was stopped" in text
    assert "hx-get" not in text
    alive.refresh_from_db()
    assert alive.state == JobState.RUNNING


@pytest.mark.django_db
def test_purge_jobs_fails_abandoned_jobs_and_deletes_old_files(settings: Any) -> None:
    old = make_job(state=JobState.DONE, finished=timezone.now() - timedelta(days=8))
    path = result_file(old, ".csv")
    path.write_bytes(b"x")
    Job.objects.filter(pk=old.pk).update(result_path=f"jobs/{path.name}")
    recent = make_job(state=JobState.DONE, finished=timezone.now() - timedelta(days=6))
    dead = make_job(state=JobState.RUNNING, heartbeat=timezone.now() - timedelta(hours=2))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.transaction.on_commit", lambda fn, **kw: fn())
        call_command("purge_jobs", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert not Job.objects.filter(pk=old.pk).exists() and not path.exists()
    assert Job.objects.filter(pk=recent.pk).exists()
    assert Job.objects.get(pk=dead.pk).state == JobState.FAILED


@pytest.mark.django_db
def test_the_page_polls_while_the_job_runs_and_stops_when_it_is_done(client: Client) -> None:
    user = make_user("officer")
    job = make_job(requested_by=user, state=JobState.RUNNING, done=300, total=1200)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    text = client.get(f"/jobs/{job.pk}/").content.decode()
    assert f'hx-get="/jobs/{job.pk}/status/"' in text and 'hx-trigger="every 1s"' in text
    assert '<progress max="100" value="25"' in text and "25%" in text
    assert "300 of 1,200 rows" in text
    Job.objects.filter(pk=job.pk).update(
        state=JobState.DONE, result_path="jobs/x.csv", result_name="projects.csv"
    )
    text = client.get(f"/jobs/{job.pk}/status/").content.decode()
    assert "hx-get" not in text
    assert f'href="/jobs/{job.pk}/download/"' in text


@pytest.mark.django_db
def test_only_the_requester_sees_a_job_and_its_file(client: Client) -> None:
    owner = make_user("officer")
    job = make_job(requested_by=owner, state=JobState.DONE)
    for url in (f"/jobs/{job.pk}/", f"/jobs/{job.pk}/status/", f"/jobs/{job.pk}/download/"):
        assert client.get(url).status_code == 404
        client.force_login(make_user(f"other{len(url)}"))
        assert client.get(url).status_code == 404
        client.logout()


@pytest.mark.django_db
def test_an_anonymous_requester_sees_the_job_in_their_own_session_only(client: Client) -> None:
    client.get("/")  # a session cookie
    client.session.save()
    key = client.session.session_key
    request = request_of(session_key=key)
    job = start_job(kind="test-count", title="ส่งออก", parameters={"rows": 1}, request=request)
    assert job.session_key == request.session.session_key
    client.cookies["sessionid"] = request.session.session_key
    assert client.get(f"/jobs/{job.pk}/").status_code == 200
    assert Client().get(f"/jobs/{job.pk}/").status_code == 404


@pytest.mark.django_db
def test_the_list_of_jobs_shows_the_users_own_with_a_fixed_number_of_queries(
    client: Client,
) -> None:
    user = make_user("officer")
    other = make_user("other")
    make_job(requested_by=other, title="ของคนอื่น")
    client.force_login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/jobs/").status_code == 200
        return len(captured)

    make_job(requested_by=user, title="งานแรก")
    few = queries()
    for n in range(10):
        make_job(requested_by=user, title=f"งาน {n}", state=JobState.DONE, result_name="a.csv")
    assert queries() == few
    text = client.get("/jobs/").content.decode()
    assert "งานแรก" in text and "ของคนอื่น" not in text
    assert client.get("/jobs/").status_code == 200
    client.logout()
    assert client.get("/jobs/").status_code == 302


@pytest.mark.django_db
def test_progress_is_written_a_few_times_a_second_not_at_every_row(monkeypatch: Any) -> None:
    job = make_job(state=JobState.RUNNING)
    now = [1000.0]
    monkeypatch.setattr("tidtam.jobs.actions.time.monotonic", lambda: now[0])
    progress = Progress(job)
    with CaptureQueriesContext(connection) as writes:
        progress.total(100)  # always written
        for _ in range(50):
            progress.advance()  # within the same instant: kept for later
    assert len(writes) == 1
    now[0] += 1
    progress.advance()
    job.refresh_from_db()
    assert (job.done, job.total) == (51, 100)


@pytest.mark.django_db
def test_a_job_whose_worker_is_forced_to_stop_says_so_at_once() -> None:
    job = make_job(kind="test-stopped")
    with pytest.raises(SystemExit):
        run(str(job.pk))
    job.refresh_from_db()
    assert (job.state, job.error) == (JobState.FAILED, WORKER_STOPPED)
