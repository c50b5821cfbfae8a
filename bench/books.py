"""A 300-project agency book: the report book of one agency's fiscal year, as the "book" job
writes it (`write_book`), for a reader across the city who sees every project.

Targets: ≤ 90 s, peak memory of the process ≤ 1 GiB.

The data: generate_demo's 300 sample projects of one fiscal year, made as of a fortnight
before that year's end (about eleven monthly reports a project: the book as it is at the
year's end, its longest), all given to one agency. The book is rendered in a process of its
own (`python bench/books.py render <agency> <year>`), which reports its time and its peak
resident memory from `resource.getrusage` (ru_maxrss): Django, WeasyPrint and the database
driver included, with the worker processes that lay the book's parts out side by side
(book_pdf.WORKERS; getrusage gives the largest child's peak, counted once per worker; the
pdfinfo and pdfunite it runs are children too, counted from their fork at this process's size,
and the processor time includes the children's). The process starts Django before the clock
starts. The processor time is printed beside the clock time: on a machine shared with other
work the clock runs longer than the book's work.

Only this figure, on a smaller book (the target is then printed beside it as a note, the
time scaled by the projects, not checked):

    DATABASE_URL=sqlite:///var/bench/books.sqlite3 BENCH_BOOK_PROJECTS=40 \
        python bench/run.py books

(on a database of its own, which the run fills: remove the file before running again).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECTS = int(os.environ.get("BENCH_BOOK_PROJECTS", "300"))
FULL = 300  # the projects the targets are for
TARGET = 90  # seconds
MEMORY_TARGET = 1024  # MB


def build() -> tuple[str, int]:
    """Stage: the data set on the (empty) database of DATABASE_URL; the agency and year."""
    from django.core.management import call_command
    from django.utils import timezone

    from tidtam.lib.fiscal import fiscal_year_bounds, fiscal_year_of
    from tidtam.orgs.models import Agency
    from tidtam.projects.models import Project
    from tidtam.standing.refresh import refresh_standings

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    year = fiscal_year_of(timezone.localdate()) - 1
    day = fiscal_year_bounds(year)[1] - timedelta(days=15)
    call_command(
        "generate_demo",
        f"--projects={PROJECTS}",
        "--years=1",
        "--seed=1",
        f"--today={day.isoformat()}",
        stdout=open(os.devnull, "w"),  # noqa: SIM115
    )
    agency = (
        Agency.objects.filter(projects__fiscal_year_id=year)
        .order_by("code")
        .values_list("code", "pk")
        .first()
    )
    assert agency is not None, "generate_demo made no project"
    # One agency's 300 projects: the sample data spreads them over every agency.
    Project.objects.filter(fiscal_year_id=year).update(agency_id=agency[1])
    refresh_standings(fiscal_years=[year])
    return agency[0], year


def figures() -> None:
    from figures import check, miss, note

    agency, year = build()
    from django.db import connection

    connection.close()
    label = f"{PROJECTS}-project agency book (fiscal year {year}, year-end data)"
    done = subprocess.run(
        [sys.executable, __file__, "render", agency, str(year)],
        env={**os.environ, "TIDTAM_DEV": os.environ.get("TIDTAM_DEV", "1")},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        miss(f"{label}: not measured, the book failed: {done.stderr.strip()[-300:]}")
        return
    result = json.loads(done.stdout.strip().splitlines()[-1])
    what = (
        f"{result['projects']} projects, {result['pages']:,} pages, {result['mb']:.1f} MB file, "
        f"{result['cpu_seconds']:.0f} s of processor time, "
    )
    if PROJECTS != FULL:
        note(
            f"{label}: {what}{result['seconds']:.1f} s, peak memory {result['peak_mb']:.0f} MB "
            f"(a smaller book: the target, ≤ {TARGET} s and ≤ {MEMORY_TARGET} MB, is for "
            f"{FULL} projects; scaled by the projects, {TARGET * PROJECTS / FULL:.0f} s)"
        )
        return
    check(label, result["seconds"], target=TARGET, unit="s", what=what, digits=1)
    check(
        f"{label}: peak memory (getrusage: the book's process, {result['own_peak_mb']:.0f} MB, "
        f"and its workers, at most {result['worker_peak_mb']:.0f} MB each, all at their peak)",
        result["peak_mb"],
        target=MEMORY_TARGET,
        unit="MB",
    )


def render_once(agency: str, year: int) -> dict[str, float]:
    """Set Django up, then time one book of the agency's year to a temporary file."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tidtam.settings")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.utils import translation

    from tidtam.accounts.models import Role
    from tidtam.dashboards.book_pdf import page_count, write_book
    from tidtam.dashboards.books import AGENCY_BOOK, BookSpec
    from tidtam.test import make_member

    reader = User.objects.filter(username="bench-books").first() or make_member(
        "bench-books", Role.EXECUTIVE
    )
    spec = BookSpec(kind=AGENCY_BOOK, fiscal_year=year, agency=agency)
    with tempfile.TemporaryDirectory() as folder, translation.override("th"):
        out = Path(folder) / "book.pdf"
        started = time.perf_counter()
        front = write_book(spec, user=reader, out=out)
        seconds = time.perf_counter() - started
        pages = page_count(out)
        size = out.stat().st_size
    own = resource.getrusage(resource.RUSAGE_SELF)
    tools = resource.getrusage(resource.RUSAGE_CHILDREN)
    # ru_maxrss is in kilobytes on Linux. The book's process and, when it lays its parts out
    # in worker processes (book_pdf.WORKERS), each of them at its peak at the same time: an
    # upper bound of the memory the book takes.
    from tidtam.dashboards import book_pdf

    worker = tools.ru_maxrss / 1024
    peak = own.ru_maxrss / 1024 + (book_pdf.WORKERS * worker if book_pdf.WORKERS > 1 else 0)
    return {
        "seconds": seconds,
        # Processor time, Django's start included: on a machine shared with other work the
        # clock time above is longer than the book's own work.
        "cpu_seconds": own.ru_utime + own.ru_stime + tools.ru_utime + tools.ru_stime,
        "peak_mb": peak,
        "own_peak_mb": own.ru_maxrss / 1024,
        "worker_peak_mb": worker,
        "projects": len(front.rows),
        "pages": pages,
        "mb": size / 1e6,
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["render"]:
        print(json.dumps(render_once(sys.argv[2], int(sys.argv[3]))))
