"""Benchmarks for the foundation: legacy import speed and the project page's server time.

Targets: import ≥ 200 pages/s; project page median ≤ 30 ms with at most 15 queries.
Runs on a throw-away SQLite database; prints its figures and exits non-zero on a missed target.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="tidtam-bench-"))
os.environ.setdefault("TIDTAM_DEV", "1")
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tidtam.legacy.load import import_paths  # noqa: E402

PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
CODE = re.compile(r"\b(\d{8})-(\d+)\b")
KPI_CODE = re.compile(r"\b(\d{4})-(\d{4})\b")


def source_pages() -> list[str]:
    seeds = Path(os.environ.get("TIDTAM_SEEDS", ROOT.parent / "shared" / "seeds"))
    paths = sorted(seeds.glob("*.txt")) or sorted((ROOT / "samples" / "legacy").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def write_copies(directory: Path, count: int) -> None:
    """Copies of the source pages under new project and KPI codes, as a new agency's year."""
    directory.mkdir()
    pages = source_pages()
    for n in range(count):
        text = pages[n % len(pages)]
        text = CODE.sub(lambda m, n=n: f"{m.group(1)}-{80000 + n}", text)
        text = KPI_CODE.sub(lambda m, n=n: f"{m.group(1)}-{90000 + n}", text)
        (directory / f"page-{n:05d}.txt").write_text(text, encoding="utf-8")


def bench_import() -> tuple[float, str]:
    pages = WORK / "pages"
    write_copies(pages, PAGES)
    started = time.perf_counter()
    summary = import_paths([pages])
    elapsed = time.perf_counter() - started
    assert not summary.rejected, summary.rejected[:3]
    rate = PAGES / elapsed
    print(f"legacy import: {PAGES} pages in {elapsed:.2f} s = {rate:.0f} pages/s (target ≥ 200)")
    return rate, summary.created[0]


def bench_project_page(code: str) -> tuple[float, int]:
    client = Client()
    url = f"/projects/{code}/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    # Counted now: the captured list is read lazily from a log the next request clears.
    queries = len(captured.captured_queries)
    times = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95) - 1]
    print(
        f"project page {code}: median {median:.1f} ms, p95 {p95:.1f} ms over {REQUESTS} requests, "
        f"{queries} queries (targets: median ≤ 30 ms, ≤ 15 queries)"
    )
    return median, queries


def main() -> int:
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    rate, code = bench_import()
    median, queries = bench_project_page(code)
    ok = rate >= 200 and median <= 30 and queries <= 15
    print("all targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
