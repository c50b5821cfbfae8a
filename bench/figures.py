"""Figures printed beside their targets, and the timing of pages through Django's test client."""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MISSED: list[str] = []


def check(
    label: str,
    value: float,
    *,
    target: float,
    unit: str = "",
    most: bool = True,
    what: str = "",
    digits: int = 1,
) -> bool:
    """Print `label: what value unit (target ≤ target unit)`; remember a missed target.
    `most`: the target is a maximum (times, queries), else a minimum (rates)."""
    met = value <= target if most else value >= target
    unit = f" {unit}" if unit else ""
    line = (
        f"{label}: {what}{value:,.{digits}f}{unit} (target {'≤' if most else '≥'} {target:g}{unit})"
    )
    print(line if met else f"{line}  TARGET MISSED", flush=True)
    if not met:
        MISSED.append(line)
    return met


def _processor() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "an unknown processor"


def machine() -> str:
    """What every figure depends on: the processor, and the time of one reference loop of
    pure Python (ten million additions) measured now. Where the loop takes twice as long, the
    pages take about twice as long too; a run prints it at its start and its end, as the speed
    of a shared machine wanders."""
    started = time.process_time()
    total = 0
    for number in range(10_000_000):
        total += number
    loop = (time.process_time() - started) * 1000
    return f"-- machine: {os.cpu_count()} cores, {_processor()}; reference loop {loop:.0f} ms --"


def note(line: str) -> None:
    print(line, flush=True)


def miss(line: str) -> None:
    """A figure that could not be measured counts as missed."""
    print(f"{line}  TARGET MISSED", flush=True)
    MISSED.append(line)


def finish() -> int:
    """The exit status of a part: 1 when it missed a target."""
    return 1 if MISSED else 0


@dataclass(frozen=True)
class Timing:
    median: float
    p95: float
    queries: int
    status: int
    # The median processor time of this process (the server's, with SQLite in it): what the
    # median would be on an idle machine, when other work shares its cores.
    cpu: float = 0
    # The page says it has nothing to show (an element of class "empty": "No project matches
    # these filters."): it skips the queries of the rows it would show.
    empty: bool = False


def time_page(client: Any, url: str, data: dict[str, str] | None, requests: int) -> Timing:
    """Server time of a page in milliseconds over `requests` requests after a warm-up one,
    and the number of queries one request makes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, data)
    if response.status_code != 200:
        return Timing(0, 0, 0, response.status_code)
    # The fewer of two requests' queries: a signed-in session is written again every
    # TOUCH_EVERY_SECONDS (SessionSafetyMiddleware), 3 queries that are not the page's and
    # that fell on one counted request of a slow run.
    counted = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            client.get(url, data)
        # Counted now: the captured list is read lazily from a log the next request clears.
        counted.append(len(captured.captured_queries))
    queries = min(counted)
    empty = b'class="empty"' in response.content
    times = []
    cpu = []
    for _ in range(requests):
        started, used = time.perf_counter(), time.process_time()
        client.get(url, data)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    if not times:
        return Timing(0, 0, queries, 200, empty=empty)
    p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
    return Timing(statistics.median(times), p95, queries, 200, statistics.median(cpu), empty)
