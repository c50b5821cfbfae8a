"""`make scale-test`: the site on standard parts, on loopback, under load, losing a server.

nginx in front of two gunicorn application servers, one PostgreSQL (scripts/with-postgres.sh
starts it and gives DATABASE_URL), one Redis (the cache and the job queue) and one RQ job worker.
A bounded mixed load runs through nginx: anonymous readers (home, the project list, project
pages, the API's list), officers signing in and submitting monthly reports through the form,
and readers asking for exports large enough to be background jobs. In the middle, one
application server (its whole process group) and the job worker are killed with SIGKILL; the
worker is started again a few seconds later, the application server too. Then it prints:

    requests, server errors (0 apart from the requests cut by the kill),
    acknowledged writes lost (0), jobs completed after the worker restarted (all).

Everything it started is stopped at the end, whatever happens. Exit status 1 when a figure is
off its target.

    scripts/scale-test.sh              # make scale-test
    SCALE_SECONDS=60 SCALE_PROJECTS=150 …
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "scale"
PYTHON = sys.executable
BIN = Path(PYTHON).parent
SECONDS = int(os.environ.get("SCALE_SECONDS", "60"))
PROJECTS = int(os.environ.get("SCALE_PROJECTS", "150"))
READERS, OFFICERS, EXPORTERS = 6, 4, 2
# The officers' password, the same in this process and in the program that makes them.
OFFICER_PASSWORD = os.environ.setdefault("SCALE_OFFICER_PASSWORD", "scale-" + secrets.token_hex(8))
# Killed at 40 % of the run; the worker comes back 8 seconds later, the application server 12.
KILL_AT = 0.4
WORKER_BACK_AFTER, SERVER_BACK_AFTER = 8.0, 12.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def say(message: str) -> None:
    print(f"scale-test: {message}", file=sys.stderr, flush=True)


class Fleet:
    """The processes started here, each in a session (a process group) of its own, so that a
    SIGKILL takes a gunicorn master with its workers, or an RQ worker with its work horse."""

    def __init__(self) -> None:
        self.running: dict[str, subprocess.Popen[bytes]] = {}

    def start(self, name: str, args: list[str], env: dict[str, str]) -> None:
        log = (VAR / f"{name}.log").open("ab")
        self.running[name] = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def kill9(self, name: str) -> None:
        process = self.running.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def stop_all(self) -> None:
        """SIGTERM to each, Redis last (the worker says goodbye to it), SIGKILL after 20 s."""
        order = sorted(self.running.items(), key=lambda item: item[0] == "redis")
        for _, process in order:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.running.clear()


NGINX_CONF = """\
worker_processes 1;
pid {var}/nginx.pid;
error_log {var}/nginx-error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {var}/nginx-body;
    proxy_temp_path {var}/nginx-proxy;
    fastcgi_temp_path {var}/nginx-fastcgi;
    uwsgi_temp_path {var}/nginx-uwsgi;
    scgi_temp_path {var}/nginx-scgi;
    upstream tidtam {{
        server 127.0.0.1:{app1} max_fails=1 fail_timeout=10s;
        server 127.0.0.1:{app2} max_fails=1 fail_timeout=10s;
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 100m;
        location / {{
            proxy_pass http://tidtam;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_redirect off;
            proxy_connect_timeout 5s;
            proxy_read_timeout 75s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


# The load ------------------------------------------------------------------------------------


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    cut: int = 0  # 502 of a request that was in flight when the server was killed
    refused_connections: int = 0
    acknowledged: list[tuple[str, str, str]] = field(default_factory=list)
    refused_writes: list[str] = field(default_factory=list)
    jobs: list[str] = field(default_factory=list)
    kill_time: float | None = None

    def count(self, method: str, path: str, status: int, started: float, ended: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status < 500:
                return
            killed = self.kill_time
            if status == 502 and killed is not None and started <= killed <= ended + 0.5:
                self.cut += 1
            else:
                self.server_errors.append(f"{status} {method} {path}")


class Browser:
    """One person's connection to nginx, with their cookies (Secure ones too: this is loopback
    without TLS, as nginx's own upstreams are)."""

    def __init__(self, port: int, tally: Tally) -> None:
        self.port, self.tally = port, tally
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        body = urlencode(form) if form is not None else None
        headers = {
            "Host": "127.0.0.1",
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        started = time.monotonic()
        for attempt in range(2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=90)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (ConnectionError, http.client.HTTPException, OSError):
                # nginx closed a kept-alive connection: a new one, once.
                self.connection.close()
                self.connection = None
                if attempt == 1:
                    with self.tally.lock:
                        self.tally.refused_connections += 1
                    return 0, "", ""
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.tally.count(method, path, response.status, started, time.monotonic())
        return response.status, response.headers.get("Location", ""), text


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return found[1] if found else ""


def reader(port: int, tally: Tally, codes: list[str], until: float, seed: int) -> None:
    chance = random.Random(seed)
    browser = Browser(port, tally)
    pages = ["/", "/projects/", "/projects/?sort=-variance", "/kpis/", "/api/v1/projects"]
    while time.monotonic() < until:
        if chance.random() < 0.5:
            browser.request("GET", f"/projects/{chance.choice(codes)}/")
        else:
            browser.request("GET", chance.choice(pages))


def officer(
    port: int, tally: Tally, username: str, work: list[tuple[str, str, str]], until: float
) -> None:
    """Signs in, then enters and submits one report after another (a new date each time, the
    percent going up), as the monthly form is filled in."""
    browser = Browser(port, tally)
    signed_in = False
    for n, (code, day, percent) in enumerate(work, 1):
        if time.monotonic() >= until:
            return
        if not signed_in:
            status, _, page = browser.request("GET", "/accounts/login/")
            form = {
                "username": username,
                "password": OFFICER_PASSWORD,
                "csrfmiddlewaretoken": csrf_of(page),
            }
            status, _, _ = browser.request("POST", "/accounts/login/", form)
            signed_in = status == 302
            if not signed_in:
                time.sleep(0.5)
                continue
        status, _, page = browser.request("GET", f"/projects/{code}/reports/new/")
        if status != 200:
            continue
        form = {
            "csrfmiddlewaretoken": csrf_of(page),
            "report_date": day,
            "percent": percent,
            "spent": "",
            "narrative": f"ความคืบหน้าครั้งที่ {n}",
            "decrease_reason": "",
            "problem-TOTAL_FORMS": "0",
            "problem-INITIAL_FORMS": "0",
            "problem-MIN_NUM_FORMS": "0",
            "problem-MAX_NUM_FORMS": "20",
            "and_submit": "1",
        }
        status, location, page = browser.request("POST", f"/projects/{code}/reports/new/", form)
        if status == 302 and re.search(r"/reports/\d+/", location):
            with tally.lock:
                tally.acknowledged.append((code, day, percent))
        elif status == 200:
            with tally.lock:
                errors = re.findall(r'<p class="error" role="alert">([^<]+)', page)
                tally.refused_writes.append(f"{code} {day} {percent}: {errors[:2]}")
        elif status in (302, 403) and "/accounts/login/" in location:
            signed_in = False


def exporter(port: int, tally: Tally, until: float, seed: int) -> None:
    chance = random.Random(seed)
    browser = Browser(port, tally)
    while time.monotonic() < until:
        fmt = chance.choice(["csv", "xlsx"])
        status, location, _ = browser.request("GET", f"/projects/export.{fmt}?sort=code")
        job = re.search(r"/jobs/([^/]+)/", location or "")
        if status == 302 and job:
            with tally.lock:
                tally.jobs.append(job[1])
            browser.request("GET", location)
        time.sleep(2 + chance.random())


# Setup and checks, run as Django programs --------------------------------------------------


def django_program(name: str, *args: str) -> None:
    """Parts run with Django set up (`python bench/scale.py <name> …`)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django

    django.setup()
    if name == "officers":
        make_officers(Path(args[0]))
    elif name == "verify":
        verify(Path(args[0]))


def make_officers(out: Path) -> None:
    """OFFICERS officers sharing the agencies with projects of this fiscal year between them,
    and what each will report: a report a month (the rule) for every month of the open quarter
    so far, on each of their projects not reported in it yet, the percent going up."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tidtam.accounts.models import Membership, Role
    from tidtam.lib.fiscal import fiscal_year_of
    from tidtam.orgs.models import Agency
    from tidtam.projects.models import Project
    from tidtam.reporting.models import ProgressReport

    today = timezone.localdate()
    year = fiscal_year_of(today)
    # Fiscal quarters begin in October, January, April and July, as calendar quarters do.
    quarter_start = date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    days = [
        min(today, date(today.year, month, 15))
        for month in range(quarter_start.month, today.month + 1)
    ]
    projects = Project.objects.filter(fiscal_year_id=year)
    codes = projects.filter(published=True).order_by("code").values_list("code", flat=True)
    plan: dict[str, Any] = {"_codes": list(codes[:300])}
    agencies = Agency.objects.filter(projects__fiscal_year_id=year).distinct().order_by("code")
    users = [
        get_user_model().objects.create_user(
            username=f"scale_officer_{n}", password=OFFICER_PASSWORD
        )
        for n in range(1, OFFICERS + 1)
    ]
    work: dict[str, list[tuple[str, str, str]]] = {user.username: [] for user in users}
    for n, agency in enumerate(agencies):
        user = users[n % OFFICERS]
        Membership.objects.create(user=user, role=Role.OFFICER, agency=agency)
        for project in projects.filter(agency=agency).order_by("code"):
            reports = ProgressReport.objects.filter(project=project)
            if project.measures_quantity or reports.filter(report_date__gte=quarter_start):
                continue
            latest = reports.order_by("-report_date").values_list("percent", flat=True).first()
            for k, day in enumerate(days, 1):
                percent = min(Decimal(100), Decimal(latest or 0) + k)
                work[user.username].append((day.isoformat(), project.code, f"{percent:.2f}"))
    for username, rows in work.items():
        plan[username] = [(code, day, percent) for day, code, percent in sorted(rows)]
    out.write_text(json.dumps(plan), encoding="utf-8")


def verify(path: Path) -> None:
    """Every acknowledged report is in the database as submitted; where the jobs are."""
    from datetime import UTC, datetime

    import django_rq
    from rq.registry import FailedJobRegistry, FinishedJobRegistry

    from tidtam.jobs.models import Job
    from tidtam.reporting.models import ProgressReport

    data = json.loads(path.read_text(encoding="utf-8"))
    lost = []
    for code, day, percent in data["acknowledged"]:
        row = ProgressReport.objects.filter(project__code=code, report_date=day).first()
        if row is None or f"{row.percent:.2f}" != percent or row.status != "submitted":
            lost.append(f"{code} {day}")
    jobs = Job.objects.filter(pk__in=data["jobs"])
    restarted = datetime.fromtimestamp(data["restarted"], tz=UTC)
    running = jobs.filter(state="running")
    queue = django_rq.get_queue("default")
    figures = {
        "lost": lost,
        "in_database": ProgressReport.objects.filter(
            submitted_by__username__startswith="scale_officer_"
        ).count(),
        "job_states": dict(Counter(jobs.values_list("state", flat=True))),
        "queued": jobs.filter(state="queued").count(),
        "busy": running.filter(started__gte=restarted).count(),
        # Asked for before the worker came back, run by the new one.
        "waited": jobs.filter(state="done", created__lt=restarted, started__gte=restarted).count(),
        "interrupted": [
            str(pk) for pk in running.filter(started__lt=restarted).values_list("pk", flat=True)
        ],
        "rq_waiting": queue.count,
        "rq_finished": FinishedJobRegistry(queue=queue).count,
        "rq_failed": FailedJobRegistry(queue=queue).count,
    }
    print(json.dumps(figures))


# The run ---------------------------------------------------------------------------------------


def wait_for(port: int, path: str = "/", seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            if connection.getresponse().status < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"nothing answers on 127.0.0.1:{port}{path}")


def run(program: list[str], env: dict[str, str], *, quiet: bool = False) -> str:
    began = time.monotonic()
    result = subprocess.run(program, env=env, cwd=ROOT, capture_output=True, text=True)
    if not quiet:
        say(f"{' '.join(program[1:4])}: {time.monotonic() - began:.0f} s")
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(program)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def create_database(url: str) -> None:
    import psycopg

    parts = urlparse(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        say("DATABASE_URL must name a PostgreSQL server (scripts/scale-test.sh starts one)")
        return 2
    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    redis_port, app1, app2, port = (free_port() for _ in range(4))
    base = {k: v for k, v in os.environ.items() if k != "TIDTAM_DEV"}
    server_env = {
        **base,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "PROXY_COUNT": "1",
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "EXPORT_SYNC_ROWS": "20",
        "API_RATE_ANONYMOUS": "100000",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    setup_env = {**server_env, "TIDTAM_DEV": "1"}
    fleet = Fleet()
    started = time.monotonic()
    try:
        say(f"Redis on {redis_port}, PostgreSQL at {urlparse(database_url).port}")
        fleet.start(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(redis_port),
                "--save",
                "",
                "--maxmemory",
                "256mb",
                "--maxmemory-policy",
                "volatile-lru",
                "--appendonly",
                "yes",
                "--appendfsync",
                "always",
                "--dir",
                str(VAR),
            ],
            base,
        )
        create_database(database_url)
        say("migrating and generating the city's data")
        manage = [PYTHON, "manage.py"]
        run([*manage, "migrate", "--noinput"], server_env)
        run([*manage, "load_reference"], setup_env)
        run(
            [*manage, "generate_demo", "--projects", str(PROJECTS), "--years", "1", "--seed", "1"],
            setup_env,
        )
        run([*manage, "refresh_standings"], setup_env)
        plan_file = VAR / "officers.json"
        run([PYTHON, __file__, "officers", str(plan_file)], setup_env)
        plan: dict[str, list[list[str]]] = json.loads(plan_file.read_text(encoding="utf-8"))
        codes: list[str] = plan.pop("_codes")  # type: ignore[assignment]
        # The admin's files, the API documentation's and htmx unminified are not served to this
        # load; compressing them is most of collectstatic's time.
        run(
            [*manage, "collectstatic", "--noinput", "-i", "admin", "-i", "htmx.js", "-i", "ninja"],
            server_env,
        )
        run([PYTHON, "scripts/serve_preflight.py"], {**server_env, "COLLECTSTATIC": "0"})

        def start_app(name: str, app_port: int) -> None:
            fleet.start(
                name,
                [
                    str(BIN / "gunicorn"),
                    "--config",
                    "deploy/gunicorn.conf.py",
                    "--bind",
                    f"127.0.0.1:{app_port}",
                ],
                {**server_env, "GUNICORN_PIDFILE": str(VAR / f"{name}.pid")},
            )

        def start_worker() -> None:
            # As scripts/serve.sh starts it when REDIS_URL is set.
            fleet.start("worker", [*manage, "rqworker", "--with-scheduler", "default"], server_env)

        start_app("app1", app1)
        start_app("app2", app2)
        start_worker()
        user = "user root root;" if os.geteuid() == 0 else ""
        (VAR / "nginx.conf").write_text(
            NGINX_CONF.format(var=VAR, user=user, app1=app1, app2=app2, port=port), encoding="utf-8"
        )
        fleet.start(
            "nginx",
            ["nginx", "-p", str(VAR), "-c", str(VAR / "nginx.conf"), "-g", "daemon off;"],
            base,
        )
        wait_for(app1)
        wait_for(app2)
        wait_for(port)
        say(
            f"nginx on 127.0.0.1:{port} in front of 127.0.0.1:{app1} and :{app2}; "
            f"{len(codes)} projects; load for {SECONDS} s"
        )

        tally = Tally()
        until = time.monotonic() + SECONDS
        threads = [
            threading.Thread(target=reader, args=(port, tally, codes, until, n))
            for n in range(READERS)
        ]
        threads += [
            threading.Thread(
                target=officer, args=(port, tally, name, [tuple(w) for w in work], until)
            )
            for name, work in plan.items()
        ]
        threads += [
            threading.Thread(target=exporter, args=(port, tally, until, n))
            for n in range(EXPORTERS)
        ]
        for thread in threads:
            thread.start()
        time.sleep(SECONDS * KILL_AT)
        with tally.lock:
            tally.kill_time = time.monotonic()
            before_kill = sum(tally.statuses.values())
        fleet.kill9("app1")
        fleet.kill9("worker")
        say(f"SIGKILL to application server 1 and the job worker after {before_kill} requests")
        time.sleep(WORKER_BACK_AFTER)
        start_worker()
        restarted_at = time.time()
        say("job worker started again")
        time.sleep(SERVER_BACK_AFTER - WORKER_BACK_AFTER)
        start_app("app1", app1)
        say("application server 1 started again")
        for thread in threads:
            thread.join()
        say(f"load over after {time.monotonic() - started:.0f} s; waiting for the jobs")

        # A job the kill interrupted (running in the killed worker) is asked for again, as its
        # page tells the reader to; the restarted worker finishes the others on its own.
        results = VAR / "results.json"

        def settled(jobs: list[str]) -> dict[str, Any]:
            results.write_text(
                json.dumps(
                    {"acknowledged": tally.acknowledged, "jobs": jobs, "restarted": restarted_at}
                ),
                encoding="utf-8",
            )
            deadline = time.monotonic() + 90
            while True:
                checked = json.loads(
                    run([PYTHON, __file__, "verify", str(results)], server_env, quiet=True)
                )
                if time.monotonic() > deadline or not (
                    checked["queued"] or checked["busy"] or checked["rq_waiting"]
                ):
                    return checked  # type: ignore[no-any-return]
                time.sleep(1)

        checked = settled(tally.jobs)
        interrupted: list[str] = checked["interrupted"]
        again = Browser(port, Tally())
        asked_again = []
        for _ in interrupted:
            _, location, _ = again.request("GET", "/projects/export.csv?sort=code")
            job = re.search(r"/jobs/([^/]+)/", location or "")
            if job:
                asked_again.append(job[1])
        again_checked = settled(asked_again) if asked_again else None
        return report(tally, checked, again_checked, time.monotonic() - started)
    finally:
        fleet.stop_all()
        say("everything it started is stopped")


def report(
    tally: Tally, checked: dict[str, Any], again: dict[str, Any] | None, elapsed: float
) -> int:
    requests = sum(tally.statuses.values()) + tally.refused_connections
    statuses = ", ".join(f"{status}: {n}" for status, n in sorted(tally.statuses.items()))
    states = checked["job_states"]
    interrupted = len(checked["interrupted"])
    expected = len(tally.jobs) - interrupted
    done = states.get("done", 0)
    again_done = again["job_states"].get("done", 0) if again else 0
    rows = [
        ("requests", requests, f"({statuses})"),
        ("server errors", len(tally.server_errors), f"target 0; {tally.cut} cut by the kill"),
        ("connections nginx refused", tally.refused_connections, "target 0"),
        (
            "reports acknowledged",
            len(tally.acknowledged),
            f"{checked['in_database']} in the database; {len(tally.refused_writes)} refused",
        ),
        ("acknowledged writes lost", len(checked["lost"]), "target 0"),
        ("export jobs requested", len(tally.jobs), f"{interrupted} running in the killed worker"),
        (
            "jobs completed after restart",
            done,
            f"target {expected} (all): {states}; {checked['waited']} waited for the new worker",
        ),
        ("interrupted, asked again, done", again_done, f"target {interrupted}"),
        (
            "RQ tasks finished / failed",
            checked["rq_finished"],
            f"/ {checked['rq_failed']} (exports and e-mail notices)",
        ),
        ("seconds in all", round(elapsed), f"load {SECONDS} s"),
    ]
    for name, figure, note in rows:
        print(f"{name:<32}{figure:>7}   {note}")
    for error in tally.server_errors[:20]:
        print(f"  server error: {error}")
    for refused in tally.refused_writes[:5]:
        print(f"  refused by the form: {refused}")
    for lost in checked["lost"][:20]:
        print(f"  lost: {lost}")
    ok = (
        not tally.server_errors
        and not tally.refused_connections
        and not checked["lost"]
        and done == expected
        and again_done == interrupted
        and tally.acknowledged
    )
    print("scale test: " + ("PASSED" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    if len(sys.argv) > 1:
        django_program(sys.argv[1], *sys.argv[2:])
    else:
        sys.exit(main())
