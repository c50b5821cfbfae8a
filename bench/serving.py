"""Pages served by gunicorn in production settings under load, against a bare Django view
measured in the same run (issue 12 §6).

On the throw-away database of DATABASE_URL (bench/run.py gives one): the reference data, the
seed pages (TIDTAM_SEEDS, else ../shared/seeds, else samples/legacy) and some demo projects.
gunicorn is started with deploy/gunicorn.conf.py as scripts/serve.sh starts it (no TIDTAM_DEV,
a generated SECRET_KEY, ALLOWED_HOSTS=127.0.0.1, scripts/serve_preflight.py first), with 2
workers, not recycled during the run (--max-requests 0), on a free loopback port, with the
URLs of bench/serving_urls.py: the product's and /bench/bare/, a view answering "ok" through
the whole middleware stack. Static files have hashed names as in production but are not
compressed beforehand (bench/serving_settings.py). wrk (scripts/ensure-package.sh) loads each page
with 16 connections for BENCH_SERVING_SECONDS (10) after a second of warm-up, as behind nginx
with TLS (X-Forwarded-Proto: https). Targets:

    the public project page (the seed project, anonymous) ≥ 30 % of the bare view's req/s,
    its p99 ≤ 50 ms; the dashboard (the home page, anonymous) ≥ 20 %.

The cache of public pages (dashboards/public_cache.py) is on, as in production; the same pages
with it off (PUBLIC_PAGE_CACHE_SECONDS=0) are printed for information. Everything started here
is stopped at the end.

    python bench/run.py serving
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from figures import check, miss, note

from tidtam.legacy.load import import_paths

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench" / "serving"
SECONDS = int(os.environ.get("BENCH_SERVING_SECONDS", "10"))
CONNECTIONS = 16
WORKERS = 2
DEMO_PROJECTS = 60
BARE = "/bench/bare/"
HEADERS = {"X-Forwarded-Proto": "https"}  # nginx's, in front with TLS
PROJECT_SHARE, DASHBOARD_SHARE, PROJECT_P99 = 30, 20, 50  # %, %, ms


def seed_pages() -> Path:
    seeds = Path(os.environ.get("TIDTAM_SEEDS", ROOT.parent / "shared" / "seeds"))
    return seeds if any(seeds.glob("*.txt")) else ROOT / "samples" / "legacy"


def prepare() -> str:
    """The data, as `make data` loads it (fewer demo projects); the seed project's code."""
    started = time.perf_counter()
    seeds = seed_pages()
    with open(os.devnull, "w") as quiet:
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0, stdout=quiet)
        summary = import_paths([seeds])
        assert summary.created and not summary.rejected, summary
        call_command(
            "generate_demo", projects=DEMO_PROJECTS, years=1, seed=1, verbosity=0, stdout=quiet
        )
        call_command("refresh_standings", verbosity=0, stdout=quiet)
    from django.db import connections

    connections.close_all()
    note(
        f"data: reference data, {len(summary.created)} seed pages from "
        f"{seeds if not seeds.is_relative_to(ROOT) else seeds.relative_to(ROOT)}, "
        f"{DEMO_PROJECTS} demo projects, in {time.perf_counter() - started:.0f} s"
    )
    return str(summary.created[0])


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def server_env(cache: bool) -> dict[str, str]:
    """Production settings as scripts/serve.sh gives them, for a trial on loopback."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("TIDTAM_DEV", "DEBUG", "PUBLIC_PAGE_CACHE_SECONDS")
    }
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="serving_settings",
        PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT)]),
        WEB_CONCURRENCY=str(WORKERS),
        STATIC_ROOT=str(WORK / "static"),
        LOG_DIR=str(WORK / "logs"),
        GUNICORN_PIDFILE=str(WORK / "gunicorn.pid"),
    )
    if not cache:
        env["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    return env


class Server:
    """gunicorn in a process group of its own, stopped (SIGTERM, then SIGKILL) on leaving."""

    def __init__(self, cache: bool) -> None:
        self.env = server_env(cache)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).parent / "gunicorn"
        config = ROOT / "deploy" / "gunicorn.conf.py"
        log = (WORK / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [
                *(str(gunicorn), "--config", str(config), "--bind", f"127.0.0.1:{self.port}"),
                # Workers are not recycled during the run: the configuration's max_requests
                # (2000) restarts both workers of the bare view together within seconds, and
                # their new start (importing the application) would be measured with it.
                *("--max-requests", "0"),
            ],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while True:
            with contextlib.suppress(OSError):
                if self.get(BARE)[0] == 200:
                    return self
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise SystemExit(f"bench: gunicorn did not start; see {WORK / 'gunicorn.log'}")
            time.sleep(0.3)

    def __exit__(self, *_: object) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def get(self, path: str) -> tuple[int, int]:
        """The status and size of one answer, redirects not followed."""

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect)
        request = urllib.request.Request(self.base + path, headers=HEADERS)
        try:
            with opener.open(request, timeout=30) as answer:
                return answer.status, len(answer.read())
        except urllib.error.HTTPError as error:
            return error.code, 0


@dataclass(frozen=True)
class Load:
    rate: float  # requests per second
    p99: float  # ms
    requests: int
    errors: int  # non-2xx/3xx answers, socket timeouts


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(server: Server, path: str, seconds: int) -> Load:
    command = ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in HEADERS.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, server.base + path], capture_output=True, text=True, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s*([\d.]+)", out)
    p99 = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    if not (rate and p99 and total):
        raise SystemExit(f"bench: wrk's output not understood:\n{out}")
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s*(\d+)", out))
    timeouts = re.search(r"timeout (\d+)", out)
    errors += int(timeouts.group(1)) if timeouts else 0
    return Load(
        float(rate.group(1)),
        float(p99.group(1)) * UNITS[p99.group(2)],
        int(total.group(1)),
        errors,
    )


def measure(server: Server, label: str, path: str) -> Load | None:
    """The page answers 200 (not a redirect, not an error), then a warm-up, then the load."""
    status, size = server.get(path)
    if status != 200:
        miss(f"{label} {path}: answered {status}, not 200")
        return None
    wrk(server, path, 1)
    load = wrk(server, path, SECONDS)
    if load.errors:
        miss(f"{label} {path}: {load.errors:,} of {load.requests:,} requests failed")
    note(
        f"{label} {path} ({size / 1024:,.0f} KB): {load.rate:,.0f} req/s, "
        f"p99 {load.p99:,.1f} ms ({load.requests:,} requests)"
    )
    return load


def share(label: str, load: Load | None, bare: Load, target: float) -> None:
    if load is not None:
        what = f"{load.rate:,.0f} against {bare.rate:,.0f} req/s = "
        check(label, 100 * load.rate / bare.rate, target=target, unit="%", most=False, what=what)


def main() -> None:
    note(
        f"-- serving: gunicorn with deploy/gunicorn.conf.py, {WORKERS} workers (not recycled), "
        f"production settings, wrk with {CONNECTIONS} connections for {SECONDS} s per page --"
    )
    ensure = [str(ROOT / "scripts" / "ensure-package.sh"), "wrk", "wrk"]
    installed = subprocess.run(ensure).returncode == 0
    if not installed or not shutil.which("wrk"):
        miss("serving: wrk could not be installed (scripts/ensure-package.sh)")
        return
    shutil.rmtree(WORK, ignore_errors=True)
    (WORK / "logs").mkdir(parents=True)
    project = f"/projects/{prepare()}/"
    # The settings load, the database is migrated, the static files are collected.
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "serve_preflight.py")],
        env=server_env(cache=True),
        cwd=ROOT,
        check=True,
    )
    note(f"scripts/serve_preflight.py (collectstatic) in {time.perf_counter() - started:.0f} s")
    with Server(cache=True) as server:
        bare = measure(server, "bare Django view", BARE)
        page = measure(server, "public project page, page cache on", project)
        home = measure(server, "dashboard (home), page cache on", "/")
    if bare is None or not bare.rate:
        return
    share("public project page: req/s", page, bare, PROJECT_SHARE)
    if page is not None:
        check("public project page: p99", page.p99, target=PROJECT_P99, unit="ms")
    share("dashboard (home): req/s", home, bare, DASHBOARD_SHARE)
    note("for information, with the page cache off (PUBLIC_PAGE_CACHE_SECONDS=0):")
    with Server(cache=False) as server:
        for label, path in (("public project page", project), ("dashboard (home)", "/")):
            load = measure(server, f"{label}, page cache off", path)
            if load is not None:
                note(f"  = {100 * load.rate / bare.rate:,.1f} % of the bare view's req/s")
