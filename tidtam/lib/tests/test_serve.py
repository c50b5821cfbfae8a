"""`make serve` (scripts/serve.sh): gunicorn with deploy/gunicorn.conf.py and the job worker, on
production settings, in subprocesses."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
BIN = Path(sys.executable).parent
SERVE = ROOT / "scripts" / "serve.sh"

# The schema is made from the models, as the test suite makes it, and the migrations recorded as
# applied: much quicker than running them all. Files no public page uses (the admin's, the PDF
# fonts, htmx unminified) are left out of collectstatic, whose compression is the slowest part.
PREPARE = """
import django
from django.core.management import call_command
from django.test.utils import override_settings

django.setup()


class NoMigrations(dict):
    def __contains__(self, item):
        return True

    def __getitem__(self, item):
        return None


with override_settings(MIGRATION_MODULES=NoMigrations()):
    call_command("migrate", run_syncdb=True, verbosity=0)
call_command("migrate", fake=True, verbosity=0)
call_command(
    "collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "htmx.js"]
)
"""


def production_env(tmp_path: Path, **more: str) -> dict[str, str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if k not in {"TIDTAM_DEV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tidtam.settings",
        "SECRET_KEY": "serve-test-" + "k" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tidtam.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_PIDFILE": str(tmp_path / "gunicorn.pid"),
        **more,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(port: int, path: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def group_commands(group: int) -> dict[int, str]:
    """The command lines of the processes still running in a process group, by process id."""
    commands = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == group and fields[0] != "Z":
                command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")
                commands[int(stat.parent.name)] = command.decode()
        except (OSError, IndexError, ValueError):
            continue
    return commands


def job_workers(group: int) -> set[int]:
    return {pid for pid, command in group_commands(group).items() if "db_worker" in command}


@pytest.fixture
def serving(tmp_path: Path) -> Iterator[tuple[int, subprocess.Popen[bytes], Path]]:
    env = production_env(
        tmp_path, WEB_CONCURRENCY="1", COLLECTSTATIC="0", LOG_DIR=str(tmp_path / "logs")
    )
    subprocess.run([sys.executable, "-c", PREPARE], cwd=ROOT, env=env, check=True, timeout=120)
    port = free_port()
    output = tmp_path / "serve.out"
    with output.open("wb") as sink:
        server = subprocess.Popen(
            [str(SERVE), str(BIN), f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert server.poll() is None, output.read_text()
            try:
                get(port, "/", **{"X-Forwarded-Proto": "https"})
                break
            except OSError:
                assert time.monotonic() < deadline, output.read_text()
                time.sleep(0.3)
        yield port, server, tmp_path
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def test_make_serve_answers_pages_and_static_files_reloads_and_stops_with_its_worker(
    serving: tuple[int, subprocess.Popen[bytes], Path],
) -> None:
    port, server, tmp_path = serving
    https = {"X-Forwarded-Proto": "https"}  # what nginx in front says

    plain, _ = get(port, "/projects/")
    assert plain.status == 301
    assert plain.getheader("Location", "").startswith("https://127.0.0.1")

    page, html = get(port, "/projects/", **https)
    assert page.status == 200
    assert "max-age=31536000" in page.getheader("Strict-Transport-Security", "")
    stylesheet = re.search(r"/static/css/tidtam\.[0-9a-f]{12}\.css", html.decode())
    assert stylesheet, "the page names its stylesheet by its hashed name"

    static, _ = get(port, stylesheet.group(0), **https, **{"Accept-Encoding": "br, gzip"})
    assert static.status == 200
    assert "immutable" in static.getheader("Cache-Control", "")
    assert static.getheader("Content-Encoding") in {"br", "gzip"}

    assert any("gunicorn" in command for command in group_commands(server.pid).values())
    workers = job_workers(server.pid)
    assert len(workers) == 1

    os.kill(server.pid, signal.SIGHUP)  # reload after an upgrade: a new job worker too
    # A guard against a hang, not a speed: the reload checks the settings and collects the
    # static files first, which took over a minute on a CI machine busy with other work.
    deadline = time.monotonic() + 180
    while job_workers(server.pid) in (set(), workers):
        assert time.monotonic() < deadline, group_commands(server.pid)
        time.sleep(0.2)
    assert get(port, "/projects/", **https)[0].status == 200

    os.killpg(server.pid, signal.SIGINT)  # Ctrl-C in the terminal
    server.wait(timeout=60)
    deadline = time.monotonic() + 30
    while group_commands(server.pid):
        assert time.monotonic() < deadline, group_commands(server.pid)
        time.sleep(0.2)
    access = (tmp_path / "logs" / "access.log").read_text()
    assert '"GET /projects/ HTTP/1.1" 200' in access


def test_make_serve_refuses_in_a_sentence_what_is_missing(tmp_path: Path) -> None:
    env = production_env(tmp_path)
    del env["ALLOWED_HOSTS"]
    refused = subprocess.run(
        [str(SERVE), str(BIN)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode == 2
    assert "ALLOWED_HOSTS" in refused.stderr
    assert "Traceback" not in refused.stderr

    unmigrated = subprocess.run(
        [str(SERVE), str(BIN)],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert unmigrated.returncode == 2
    assert "make migrate" in unmigrated.stderr
    assert "Traceback" not in unmigrated.stderr


def test_a_gunicorn_worker_freezes_what_it_loaded_out_of_the_collectors_full_passes() -> None:
    import gc
    import runpy

    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    before = gc.get_freeze_count()
    try:
        config["post_worker_init"](None)
        assert gc.get_freeze_count() > before + 1000
    finally:
        gc.unfreeze()
