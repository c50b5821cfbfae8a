"""The foundation's figures on a throw-away database: legacy import speed, the project
page's server time and one project's PDF. Targets: import ≥ 200 pages/s; project page median
≤ 30 ms with at most 15 queries; one project PDF median ≤ 1.5 s."""

from __future__ import annotations

import os
import re
import tempfile
import time
from pathlib import Path

from django.core.management import call_command
from django.test import Client
from figures import check, note, time_page
from pythainlp.tokenize import word_dict_trie

from tidtam.legacy.load import import_paths

ROOT = Path(__file__).resolve().parent.parent
PAGES = int(os.environ.get("BENCH_PAGES", "1000"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
PDF_REQUESTS = int(os.environ.get("BENCH_PDF_REQUESTS", "10"))
CODE = re.compile(r"\b(\d{8})-(\d+)\b")
KPI_CODE = re.compile(r"\b(\d{4})-(\d{4})\b")


def source_pages() -> list[str]:
    seeds = Path(os.environ.get("TIDTAM_SEEDS", ROOT.parent / "shared" / "seeds"))
    paths = sorted(seeds.glob("*.txt")) or sorted((ROOT / "samples" / "legacy").glob("*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def write_copies(directory: Path, count: int) -> None:
    """Copies of the source pages under new project and KPI codes, as a new agency's year.

    The numbers (80000 up, 90000 up) are longer than real, hand-entered and sample codes."""
    directory.mkdir()
    pages = source_pages()
    for n in range(count):
        text = pages[n % len(pages)]
        text = CODE.sub(lambda m, n=n: f"{m.group(1)}-{80000 + n}", text)
        text = KPI_CODE.sub(lambda m, n=n: f"{m.group(1)}-{90000 + n}", text)
        (directory / f"page-{n:05d}.txt").write_text(text, encoding="utf-8")


def bench_import(label: str) -> str:
    """Import PAGES copies of the source pages; the code of the first project made."""
    # PyThaiNLP reads its dictionary of 62,000 words into a trie once per process, at the
    # first text the search index segments: a cost of starting, not of each page (it is said
    # apart, as the PDF's first request that loads the fonts is).
    started = time.perf_counter()
    word_dict_trie()
    note(f"PyThaiNLP's dictionary, loaded once per process: {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory(prefix="tidtam-bench-") as work:
        pages = Path(work) / "pages"
        write_copies(pages, PAGES)
        started = time.perf_counter()
        summary = import_paths([pages])
        elapsed = time.perf_counter() - started
    assert not summary.rejected, summary.rejected[:3]
    what = f"{PAGES} pages in {elapsed:.2f} s = "
    check(label, PAGES / elapsed, target=200, unit="pages/s", most=False, what=what, digits=0)
    return summary.created[0]


def bench_project_page(code: str) -> None:
    timing = time_page(Client(), f"/projects/{code}/", None, REQUESTS)
    assert timing.status == 200, timing
    label = f"project page {code}"
    check(label, timing.median, target=30, unit="ms", what=f"over {REQUESTS} requests, median ")
    check(label, timing.queries, target=15, what="queries ", digits=0)


def bench_project_pdf(code: str) -> None:
    """The project's PDF as its print link serves it: the page's facts, WeasyPrint's layout
    of them (the first request, not timed, loads the fonts and PyThaiNLP's dictionary)."""
    timing = time_page(Client(), f"/projects/{code}/print.pdf", None, PDF_REQUESTS)
    assert timing.status == 200, timing
    what = f"over {PDF_REQUESTS} requests, median "
    check(
        f"one project PDF {code}", timing.median / 1000, target=1.5, unit="s", what=what, digits=2
    )


def main() -> None:
    note("-- foundation: a throw-away database with the legacy samples --")
    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    code = bench_import("legacy import")
    bench_project_page(code)
    bench_project_pdf(code)
