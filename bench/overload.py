"""Twice the sustainable load, through nginx with the deployment's load shedding (issue 12 §6).

On the throw-away database of DATABASE_URL (bench/run.py gives one): the data of the serving
figures (bench/serving.py: the seed pages and some demo projects). gunicorn serves it in
production settings with 2 workers and the cache of public pages off (every request does the
page's work), behind nginx on loopback (scripts/ensure-package.sh installs it) configured as
deploy/nginx.conf is: its shedding rules included from deploy/nginx-busy.conf, with
`limit_conn tidtam_in_flight` at four per worker (8). The load is the seed project's public page:

1. the sustainable load: wrk with as many connections as the limit, for BENCH_OVERLOAD_SECONDS
   (10): R requests a second, all answered 200;
2. the normal answer at half that load (R/2 a second, requests sent at a steady rate whatever
   the answers, as readers arrive): the 99th percentile of its time, P;
3. twice the sustainable load (2R a second, the same way) for BENCH_OVERLOAD_SECONDS;
4. right after, R/2 a second again for 40 s.

Targets: during 3, no answer but 200, 429 or 503 (no 500, no connection refused or timed out);
in 4, every answer from 30 s on is a 200 within 2·P (at least 100 ms): back to normal within
30 s. The seconds it took are printed.

    python bench/run.py overload
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import serving
from figures import check, miss, note

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("BENCH_OVERLOAD_SECONDS", "10"))
RECOVERY_SECONDS = 40
RECOVERY_TARGET = 30  # seconds
IN_FLIGHT = 4 * serving.WORKERS  # deploy/nginx.conf's rule: four requests per gunicorn worker

NGINX_CONF = """\
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log error;
{user}
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    fastcgi_temp_path {work}/nginx-fastcgi;
    uwsgi_temp_path {work}/nginx-uwsgi;
    scgi_temp_path {work}/nginx-scgi;
    # As deploy/nginx.conf has them.
    limit_conn_zone $server_name zone=tidtam_in_flight:1m;
    upstream tidtam {{
        server 127.0.0.1:{app} max_fails=1 fail_timeout=10s;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        server_name bench;
        include {busy};
        location / {{
            limit_conn tidtam_in_flight {in_flight};
            proxy_pass http://tidtam;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            # Loopback without TLS stands for nginx's TLS here.
            proxy_set_header X-Forwarded-Proto https;
            proxy_redirect off;
            proxy_connect_timeout 5s;
            proxy_read_timeout 75s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


class Nginx:
    """nginx in front of the gunicorn of `app_port`, stopped on leaving."""

    def __init__(self, app_port: int) -> None:
        self.port = serving.free_port()
        work = serving.WORK
        user = "user root root;" if os.geteuid() == 0 else ""
        (work / "nginx.conf").write_text(
            NGINX_CONF.format(
                work=work,
                user=user,
                app=app_port,
                port=self.port,
                busy=ROOT / "deploy" / "nginx-busy.conf",
                in_flight=IN_FLIGHT,
            ),
            encoding="utf-8",
        )
        self.process = subprocess.Popen(
            ["nginx", "-p", str(work), "-c", str(work / "nginx.conf"), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=(work / "nginx.log").open("ab"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while not asyncio.run(probe(self.port)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"bench: nginx did not start; see {work / 'nginx.log'}")
            time.sleep(0.2)

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


async def probe(port: int) -> bool:
    return (await request(port, serving.BARE))[0] == 200


async def request(port: int, path: str) -> tuple[int, float]:
    """One GET on a connection of its own: the status (0 when refused, cut or timed out) and
    the seconds it took."""
    started = time.monotonic()
    writer = None
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
        writer.write(
            f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 60)
        status = int(line.split()[1])
        await asyncio.wait_for(reader.read(), 60)
    except (OSError, TimeoutError, ValueError, IndexError):
        status = 0
    finally:
        if writer is not None:
            writer.close()
    return status, time.monotonic() - started


# A request sent at a steady rate: when it was sent (seconds from the start), its status, the
# seconds it took.
Answer = tuple[float, int, float]


async def steady(port: int, path: str, rate: float, seconds: float) -> list[Answer]:
    """Requests sent `rate` a second for `seconds`, whatever the answers (an open load, as
    readers arrive): (when it was sent, from the start; status; seconds it took) each."""
    start = time.monotonic()
    tasks = []

    async def one(at: float) -> Answer:
        status, took = await request(port, path)
        return at, status, took

    for n in range(int(rate * seconds)):
        delay = start + n / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(time.monotonic() - start)))
    return list(await asyncio.gather(*tasks))


def p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100)[98] if len(times) > 1 else times[0]


def main() -> None:
    note(
        f"-- overload: nginx (deploy/nginx-busy.conf, {IN_FLIGHT} requests in flight) before "
        f"gunicorn ({serving.WORKERS} workers, page cache off), the seed project's public page "
        "at twice its sustainable load --"
    )
    ensure = [str(ROOT / "scripts" / "ensure-package.sh")]
    for command in ("wrk", "nginx"):
        if subprocess.run([*ensure, command, command]).returncode or not shutil.which(command):
            miss(f"overload: {command} could not be installed (scripts/ensure-package.sh)")
            return
    serving.WORK = ROOT / "var" / "bench" / "overload"
    shutil.rmtree(serving.WORK, ignore_errors=True)
    (serving.WORK / "logs").mkdir(parents=True)
    page = f"/projects/{serving.prepare()}/"
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "serve_preflight.py")],
        env=serving.server_env(cache=False),
        cwd=ROOT,
        check=True,
    )
    with serving.Server(cache=False) as server:
        nginx = Nginx(server.port)
        try:
            measure(nginx.port, page)
        finally:
            nginx.stop()


def measure(port: int, page: str) -> None:
    base = f"http://127.0.0.1:{port}"
    command = ["wrk", "-t1", f"-c{IN_FLIGHT}", f"-d{SECONDS}s", "--latency", base + page]
    subprocess.run([*command[:3], "-d2s", base + page], capture_output=True, check=True)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(out.split("Requests/sec:")[1].split()[0])
    failed = "Non-2xx or 3xx responses" in out
    note(
        f"sustainable load: {rate:,.0f} req/s with {IN_FLIGHT} connections (wrk, {SECONDS} s)"
        + (", some answers not 200" if failed else "")
    )
    normal = asyncio.run(steady(port, page, rate / 2, SECONDS))
    normal_p99 = p99([took for _, status, took in normal if status == 200])
    limit = max(2 * normal_p99, 0.1)
    note(
        f"half of it, {rate / 2:,.0f} req/s for {SECONDS} s: "
        f"{dict(Counter(status for _, status, _ in normal))}, p99 {normal_p99 * 1000:,.0f} ms"
    )
    over = asyncio.run(steady(port, page, 2 * rate, SECONDS))
    statuses = Counter(status for _, status, _ in over)
    served = [took for _, status, took in over if status == 200]
    wrong = sum(n for status, n in statuses.items() if status not in (200, 429, 503))
    what = (
        f"{len(over):,} requests at {2 * rate:,.0f} req/s for {SECONDS} s: "
        f"{dict(sorted(statuses.items()))} (0: refused, cut or timed out); "
        f"the 200s' p99 {p99(served) * 1000 if served else 0:,.0f} ms; answers neither 200, "
        "429 nor 503 "
    )
    check("twice the sustainable load", wrong, target=0, what=what, digits=0)
    after = asyncio.run(steady(port, page, rate / 2, RECOVERY_SECONDS))
    late = [at for at, status, took in after if status != 200 or took > limit]
    back = max(late) if late else 0.0
    what = (
        f"{len(after):,} requests at {rate / 2:,.0f} req/s after it: the last not a 200 within "
        f"{limit * 1000:,.0f} ms sent at "
    )
    check("back to normal after twice the load", back, target=RECOVERY_TARGET, unit="s", what=what)
